import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError } from '../src/domain/errors.ts';
import { bookRoom, rescheduleBooking } from '../src/services/booking-service.ts';
import { addRoom } from '../src/services/room-service.ts';
import { findFreeRooms } from '../src/services/availability.ts';
import { closeContext } from '../src/services/context.ts';
import { hiddenContext } from './support.ts';

const at = (hhmm: string) => `2030-04-03T${hhmm}:00Z`;
const booking = (roomId: number, start: string, end: string) => ({ roomId, title: 'Meeting', organizer: 'kim@example.com', attendees: 2, start: at(start), end: at(end) });

test('meetings may follow each other without a gap, on either side', () => {
  const ctx = hiddenContext();
  const room = addRoom(ctx, { name: 'Kiln', capacity: 6, floor: 0, features: [] });
  bookRoom(ctx, booking(room.id, '10:00', '11:00'));
  bookRoom(ctx, booking(room.id, '11:00', '11:30'));
  bookRoom(ctx, booking(room.id, '09:15', '10:00'));
  const moved = bookRoom(ctx, booking(room.id, '13:00', '14:00'));
  rescheduleBooking(ctx, moved.id, at('11:30'), at('12:00'));
  closeContext(ctx);
});

test('real overlaps are still refused', () => {
  const ctx = hiddenContext();
  const room = addRoom(ctx, { name: 'Kiln', capacity: 6, floor: 0, features: [] });
  const first = bookRoom(ctx, booking(room.id, '10:00', '11:00'));
  for (const [start, end] of [['10:45', '11:15'], ['09:30', '10:15'], ['10:15', '10:30'], ['09:00', '12:00'], ['10:00', '11:00']]) {
    assert.throws(() => bookRoom(ctx, booking(room.id, start, end)), (e) => e instanceof ConflictError && e.conflictingIds.includes(first.id), `${start}-${end}`);
  }
  closeContext(ctx);
});

test('a room booked until the hour is free from the hour', () => {
  const ctx = hiddenContext();
  const room = addRoom(ctx, { name: 'Kiln', capacity: 6, floor: 0, features: [] });
  bookRoom(ctx, booking(room.id, '10:00', '11:00'));
  const free = findFreeRooms(ctx, { start: Date.parse(at('11:00')), end: Date.parse(at('12:00')) });
  assert.deepEqual(free.map((r) => r.id), [room.id]);
  closeContext(ctx);
});
