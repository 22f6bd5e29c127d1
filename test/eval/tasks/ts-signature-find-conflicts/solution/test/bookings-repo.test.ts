import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../src/db/database.ts';
import { countUpcomingBookings, findConflicts, getBooking, insertBooking, listBookings, markBookingCancelled } from '../src/db/bookings-repo.ts';
import { insertRoom } from '../src/db/rooms-repo.ts';

const created = '2030-04-01T07:00:00Z';
const at = (time: string, day = '2030-04-02') => Date.parse(`${day}T${time}:00Z`);

function setup() {
  const db = openDatabase(':memory:');
  const room = insertRoom(db, { name: 'Aurora', capacity: 4, floor: 1, features: [] }, created);
  const other = insertRoom(db, { name: 'Borealis', capacity: 8, floor: 2, features: [] }, created);
  const add = (start: number, end: number, organizer = 'ana@example.com', roomId = room.id) =>
    insertBooking(db, { roomId, title: 'Sync', organizer, attendees: 2, start, end }, created);
  return { db, room, other, add };
}

test('stored bookings come back with ISO times', () => {
  const { db, add } = setup();
  const booking = add(at('09:00'), at('10:00'));
  assert.equal(booking.start, '2030-04-02T09:00:00Z');
  assert.equal(booking.end, '2030-04-02T10:00:00Z');
  assert.equal(booking.status, 'active');
  assert.equal(booking.cancelledAt, null);
  assert.deepEqual(getBooking(db, booking.id), booking);
});

test('conflicts: overlapping active bookings of the same room only', () => {
  const { db, room, other, add } = setup();
  const nine = add(at('09:00'), at('10:00'));
  add(at('09:00'), at('10:00'), 'bo@example.com', other.id);
  assert.deepEqual(findConflicts(db, { roomId: room.id, start: at('09:30'), end: at('10:30') }).map((b) => b.id), [nine.id]);
  assert.deepEqual(findConflicts(db, { roomId: room.id, start: at('10:00'), end: at('11:00') }), []);
  assert.deepEqual(findConflicts(db, { roomId: room.id, start: at('08:00'), end: at('09:00') }), []);
  assert.deepEqual(findConflicts(db, { roomId: room.id, start: at('09:00'), end: at('10:00'), excludeId: nine.id }), []);
  markBookingCancelled(db, nine.id, created);
  assert.deepEqual(findConflicts(db, { roomId: room.id, start: at('09:30'), end: at('10:30') }), []);
});

test('cancelling twice changes nothing the second time', () => {
  const { db, add } = setup();
  const booking = add(at('09:00'), at('10:00'));
  assert.equal(markBookingCancelled(db, booking.id, '2030-04-01T08:00:00Z'), true);
  assert.equal(markBookingCancelled(db, booking.id, '2030-04-01T09:00:00Z'), false);
  assert.equal(getBooking(db, booking.id)?.cancelledAt, '2030-04-01T08:00:00Z');
});

test('listing: filters, order and pages', () => {
  const { db, room, other, add } = setup();
  add(at('11:00'), at('12:00'));
  add(at('09:00'), at('10:00'), 'bo@example.com');
  add(at('10:00'), at('11:00'), 'ana@example.com', other.id);
  add(at('09:00', '2030-04-03'), at('10:00', '2030-04-03'));

  const all = listBookings(db, {}, { page: 1, pageSize: 10 });
  assert.deepEqual(all.items.map((b) => b.start.slice(0, 16)), ['2030-04-02T09:00', '2030-04-02T10:00', '2030-04-02T11:00', '2030-04-03T09:00']);
  assert.equal(listBookings(db, { roomId: room.id }, { page: 1, pageSize: 10 }).total, 3);
  assert.equal(listBookings(db, { organizer: 'BO@example.com' }, { page: 1, pageSize: 10 }).total, 1);
  assert.equal(listBookings(db, { from: at('10:30'), to: at('12:00') }, { page: 1, pageSize: 10 }).total, 2);

  const second = listBookings(db, {}, { page: 2, pageSize: 3 });
  assert.deepEqual(second.items.map((b) => b.start.slice(0, 16)), ['2030-04-03T09:00']);
  assert.equal(second.totalPages, 2);
  assert.equal(countUpcomingBookings(db, room.id, at('10:30')), 2);
});
