import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../src/domain/errors.ts';
import { bookRoom, cancelBooking, rescheduleBooking } from '../src/services/booking-service.ts';
import { addRoom, changeRoom, removeRoom, resolveRoom } from '../src/services/room-service.ts';
import { closeContext } from '../src/services/context.ts';
import { seedRooms, testContext } from './helpers.ts';

const booking = (roomId: number, start: string, end: string, attendees = 2) => ({
  roomId,
  title: 'Planning',
  organizer: 'ana@example.com',
  attendees,
  start: `2030-04-02T${start}:00Z`,
  end: `2030-04-02T${end}:00Z`,
});

test('booking a free slot, then the same slot again', () => {
  const ctx = testContext();
  const { aurora } = seedRooms(ctx);
  const first = bookRoom(ctx, booking(aurora.id, '09:00', '10:00'));
  assert.equal(first.roomId, aurora.id);
  assert.throws(() => bookRoom(ctx, booking(aurora.id, '09:30', '10:30')), (e) => e instanceof ConflictError && e.conflictingIds[0] === first.id);
  closeContext(ctx);
});

test('back-to-back bookings are fine', () => {
  const ctx = testContext();
  const { aurora } = seedRooms(ctx);
  bookRoom(ctx, booking(aurora.id, '09:00', '10:00'));
  bookRoom(ctx, booking(aurora.id, '10:00', '11:00'));
  bookRoom(ctx, booking(aurora.id, '08:00', '09:00'));
  closeContext(ctx);
});

test('rule violations, unknown rooms and bad times', () => {
  const ctx = testContext();
  const { cellar } = seedRooms(ctx);
  assert.throws(() => bookRoom(ctx, booking(cellar.id, '09:00', '10:00', 3)), RuleViolationError);
  assert.throws(() => bookRoom(ctx, booking(999, '09:00', '10:00')), NotFoundError);
  assert.throws(() => bookRoom(ctx, { ...booking(cellar.id, '09:00', '10:00'), start: 'soon' }), ValidationError);
  closeContext(ctx);
});

test('cancelling frees the slot; cancelling again is a conflict', () => {
  const ctx = testContext();
  const { aurora } = seedRooms(ctx);
  const first = bookRoom(ctx, booking(aurora.id, '09:00', '10:00'));
  const cancelled = cancelBooking(ctx, first.id);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.cancelledAt, '2030-04-01T07:00:00Z');
  assert.throws(() => cancelBooking(ctx, first.id), /already cancelled/);
  bookRoom(ctx, booking(aurora.id, '09:00', '10:00'));
  assert.throws(() => cancelBooking(ctx, 999), NotFoundError);
  closeContext(ctx);
});

test('a booking that is over cannot be cancelled', () => {
  const setupCtx = testContext();
  const { aurora } = seedRooms(setupCtx);
  const first = bookRoom(setupCtx, booking(aurora.id, '09:00', '10:00'));
  const later = { ...setupCtx, now: () => Date.parse('2030-04-02T12:00:00Z') };
  assert.throws(() => cancelBooking(later, first.id), /already over/);
  closeContext(setupCtx);
});

test('rescheduling checks conflicts but not against itself', () => {
  const ctx = testContext();
  const { aurora } = seedRooms(ctx);
  const first = bookRoom(ctx, booking(aurora.id, '09:00', '10:00'));
  bookRoom(ctx, booking(aurora.id, '11:00', '12:00'));
  const moved = rescheduleBooking(ctx, first.id, '2030-04-02T09:30:00Z', '2030-04-02T10:30:00Z');
  assert.equal(moved.start, '2030-04-02T09:30:00Z');
  assert.throws(() => rescheduleBooking(ctx, first.id, '2030-04-02T10:30:00Z', '2030-04-02T11:30:00Z'), ConflictError);
  closeContext(ctx);
});

test('rooms: unique names, capacity kept above upcoming bookings, removal guarded', () => {
  const ctx = testContext();
  const { aurora, borealis } = seedRooms(ctx);
  assert.throws(() => addRoom(ctx, { name: 'aurora', capacity: 3, floor: 0, features: [] }), ConflictError);
  assert.throws(() => changeRoom(ctx, borealis.id, { name: 'AURORA' }), ConflictError);
  bookRoom(ctx, booking(borealis.id, '09:00', '10:00', 8));
  assert.throws(() => changeRoom(ctx, borealis.id, { capacity: 6 }), /booking for 8 people/);
  assert.equal(changeRoom(ctx, borealis.id, { capacity: 8 }).capacity, 8);
  assert.throws(() => removeRoom(ctx, borealis.id), /1 upcoming booking/);
  removeRoom(ctx, aurora.id);
  assert.throws(() => resolveRoom(ctx, 'Aurora'), NotFoundError);
  assert.equal(resolveRoom(ctx, String(borealis.id)).name, 'Borealis');
  assert.equal(resolveRoom(ctx, 'borealis').id, borealis.id);
  closeContext(ctx);
});
