import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../src/config/defaults.ts';
import { ValidationError } from '../src/domain/errors.ts';
import { parseBookingFilter, parseId, parseNewBooking, parseNewRoom, parsePageQuery, parseRoomPatch } from '../src/http/validation.ts';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => p.field);
    throw error;
  }
  assert.fail('expected a ValidationError');
}

test('a new room: defaults, trimming, and every problem at once', () => {
  assert.deepEqual(parseNewRoom({ name: '  Aurora ', capacity: 4 }), { name: 'Aurora', capacity: 4, floor: 0, features: [] });
  assert.deepEqual(problems(() => parseNewRoom({ name: '', capacity: 0, colour: 'red' })).sort(), ['capacity', 'colour', 'name']);
  assert.deepEqual(problems(() => parseNewRoom({ name: 'X', capacity: 4, features: ['jacuzzi'] })), ['features']);
  assert.deepEqual(problems(() => parseNewRoom([])), ['(body)']);
});

test('a room patch needs at least one field', () => {
  assert.deepEqual(parseRoomPatch({ floor: 3 }), { floor: 3 });
  assert.deepEqual(problems(() => parseRoomPatch({})), ['(body)']);
});

test('a new booking: e-mail, instants and attendees', () => {
  const good = { roomId: 1, title: 'Sync', organizer: 'Ana@Example.com', start: '2030-04-02T09:00:00Z', end: '2030-04-02T10:00:00Z' };
  assert.deepEqual(parseNewBooking(good), { ...good, organizer: 'ana@example.com', attendees: 1 });
  assert.deepEqual(problems(() => parseNewBooking({ ...good, organizer: 'ana' })), ['organizer']);
  assert.deepEqual(problems(() => parseNewBooking({ ...good, start: '2030-04-02 09:00' })), ['start']);
  assert.deepEqual(problems(() => parseNewBooking({ ...good, attendees: 0 })), ['attendees']);
  assert.deepEqual(problems(() => parseNewBooking({ ...good, roomId: '1' })), ['roomId']);
});

test('paging and filters from the query string', () => {
  assert.deepEqual(parsePageQuery(new URLSearchParams(''), defaultConfig.api), { page: 1, pageSize: defaultConfig.api.defaultPageSize });
  assert.deepEqual(parsePageQuery(new URLSearchParams('page=3&pageSize=5'), defaultConfig.api), { page: 3, pageSize: 5 });
  assert.deepEqual(problems(() => parsePageQuery(new URLSearchParams('page=0&pageSize=1000'), defaultConfig.api)).sort(), ['page', 'pageSize']);
  assert.deepEqual(parseBookingFilter(new URLSearchParams('room=2&status=active')), { roomId: 2, status: 'active' });
  assert.deepEqual(problems(() => parseBookingFilter(new URLSearchParams('from=2030-04-02T10:00Z&to=2030-04-02T09:00Z'))), ['to']);
  assert.equal(parseId('42'), 42);
  assert.deepEqual(problems(() => parseId('0')), ['id']);
});
