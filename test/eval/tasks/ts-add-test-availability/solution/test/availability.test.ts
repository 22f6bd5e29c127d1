import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError } from '../src/domain/errors.ts';
import { findFreeRooms, freeSlots } from '../src/services/availability.ts';
import { bookRoom, cancelBooking } from '../src/services/booking-service.ts';
import { closeContext } from '../src/services/context.ts';
import { seedRooms, testContext } from './helpers.ts';

const day = Date.parse('2030-04-02T00:00:00Z');
const at = (hhmm: string) => Date.parse(`2030-04-02T${hhmm}:00Z`);
const hhmm = (slots: { start: number; end: number }[]) => slots.map((s) => `${new Date(s.start).toISOString().slice(11, 16)}-${new Date(s.end).toISOString().slice(11, 16)}`);

function book(ctx: ReturnType<typeof testContext>, roomId: number, start: string, end: string, attendees = 1) {
  return bookRoom(ctx, { roomId, title: 'Meeting', organizer: 'ana@example.com', attendees, start: `2030-04-02T${start}:00Z`, end: `2030-04-02T${end}:00Z` });
}

test('a day without bookings is free from opening to closing', () => {
  const ctx = testContext();
  const { aurora } = seedRooms(ctx);
  assert.deepEqual(hhmm(freeSlots(ctx, aurora.id, day)), ['08:00-18:00']);
  closeContext(ctx);
});

test('bookings cut the day into free spans; cancelled ones do not', () => {
  const ctx = testContext();
  const { aurora } = seedRooms(ctx);
  book(ctx, aurora.id, '08:00', '09:00');
  book(ctx, aurora.id, '10:00', '11:00');
  book(ctx, aurora.id, '11:00', '12:30');
  const cancelled = book(ctx, aurora.id, '15:00', '16:00');
  cancelBooking(ctx, cancelled.id);
  assert.deepEqual(hhmm(freeSlots(ctx, aurora.id, day)), ['09:00-10:00', '12:30-18:00']);
  closeContext(ctx);
});

test('on the current day, time already past is not free', () => {
  const ctx = testContext({ now: at('13:05') });
  const { aurora } = seedRooms(ctx);
  assert.deepEqual(hhmm(freeSlots(ctx, aurora.id, day)), ['13:15-18:00']);
  closeContext(ctx);
});

test('unknown rooms', () => {
  const ctx = testContext();
  assert.throws(() => freeSlots(ctx, 99, day), NotFoundError);
  closeContext(ctx);
});

test('findFreeRooms leaves out booked and too small rooms, smallest first', () => {
  const ctx = testContext();
  const { aurora, borealis, cellar } = seedRooms(ctx);
  book(ctx, aurora.id, '09:00', '10:00');
  assert.deepEqual(findFreeRooms(ctx, { start: at('09:30'), end: at('10:30') }).map((r) => r.id), [cellar.id, borealis.id]);
  assert.deepEqual(findFreeRooms(ctx, { start: at('10:00'), end: at('11:00'), attendees: 3 }).map((r) => r.id), [aurora.id, borealis.id]);
  assert.deepEqual(findFreeRooms(ctx, { start: at('09:00'), end: at('10:00'), feature: 'video' }).map((r) => r.id), [borealis.id]);
  closeContext(ctx);
});
