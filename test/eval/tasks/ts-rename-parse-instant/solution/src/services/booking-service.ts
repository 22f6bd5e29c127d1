/**
 * Booking rooms: the rules are checked, then the slot is claimed in one transaction so that two
 * requests for the same time cannot both succeed.
 */
import { inTransaction } from '../db/database.ts';
import { findConflicts, getBooking, insertBooking, markBookingCancelled, updateBookingTimes } from '../db/bookings-repo.ts';
import { getRoom } from '../db/rooms-repo.ts';
import { checkBookingRules } from '../domain/booking-rules.ts';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError, type FieldProblem } from '../domain/errors.ts';
import { formatInstant, parseTimestamp } from '../domain/time.ts';
import type { Booking, NewBooking } from '../domain/types.ts';
import type { AppContext } from './context.ts';

/**
 * Books a room.
 *
 * @throws {ValidationError} when `start` or `end` is not an ISO 8601 instant.
 * @throws {NotFoundError} when the room does not exist.
 * @throws {RuleViolationError} when the booking breaks a house rule (see `checkBookingRules`).
 * @throws {ConflictError} when the room is already booked for part of that time.
 */
export function bookRoom(ctx: AppContext, request: NewBooking): Booking {
  const { start, end } = parseTimes(request.start, request.end);
  return inTransaction(ctx.db, () => {
    const room = getRoom(ctx.db, request.roomId);
    if (!room) throw new NotFoundError(`room ${request.roomId}`);
    const violations = checkBookingRules({ start, end, attendees: request.attendees }, room.capacity, ctx.config.bookings, ctx.now());
    if (violations.length > 0) throw new RuleViolationError(violations);
    const conflicts = findConflicts(ctx.db, room.id, start, end);
    if (conflicts.length > 0) throw conflictError(room.name, conflicts);
    const booking = insertBooking(
      ctx.db,
      { roomId: room.id, title: request.title, organizer: request.organizer, attendees: request.attendees, start, end },
      formatInstant(ctx.now()),
    );
    ctx.logger.info('room booked', { booking: booking.id, room: room.id, start: booking.start, end: booking.end });
    return booking;
  });
}

/**
 * Moves a booking to other times in the same room, keeping everything else.
 *
 * @throws {NotFoundError} when the booking does not exist.
 * @throws {ConflictError} when it is cancelled, or the new time clashes with another booking.
 * @throws {RuleViolationError} when the new time breaks a house rule.
 */
export function rescheduleBooking(ctx: AppContext, id: number, newStart: string, newEnd: string): Booking {
  const { start, end } = parseTimes(newStart, newEnd);
  return inTransaction(ctx.db, () => {
    const booking = requireBooking(ctx, id);
    if (booking.status !== 'active') throw new ConflictError(`booking ${id} is cancelled and cannot be moved`);
    const room = getRoom(ctx.db, booking.roomId)!;
    const violations = checkBookingRules({ start, end, attendees: booking.attendees }, room.capacity, ctx.config.bookings, ctx.now());
    if (violations.length > 0) throw new RuleViolationError(violations);
    const conflicts = findConflicts(ctx.db, room.id, start, end, id);
    if (conflicts.length > 0) throw conflictError(room.name, conflicts);
    const moved = updateBookingTimes(ctx.db, id, start, end)!;
    ctx.logger.info('booking moved', { booking: id, start: moved.start, end: moved.end });
    return moved;
  });
}

/**
 * Cancels a booking that has not ended yet.
 *
 * @returns The booking as it is now (status `cancelled`).
 * @throws {NotFoundError} when the booking does not exist.
 * @throws {ConflictError} when it is already cancelled or already over.
 */
export function cancelBooking(ctx: AppContext, id: number): Booking {
  return inTransaction(ctx.db, () => {
    const booking = requireBooking(ctx, id);
    if (booking.status === 'cancelled') throw new ConflictError(`booking ${id} is already cancelled`);
    const now = ctx.now();
    if (parseTimestamp(booking.end)! <= now) throw new ConflictError(`booking ${id} is already over`);
    markBookingCancelled(ctx.db, id, formatInstant(now));
    ctx.logger.info('booking cancelled', { booking: id });
    return getBooking(ctx.db, id)!;
  });
}

/**
 * The booking with this id, active or cancelled.
 *
 * @throws {NotFoundError} when there is none.
 */
export function requireBooking(ctx: AppContext, id: number): Booking {
  const booking = getBooking(ctx.db, id);
  if (!booking) throw new NotFoundError(`booking ${id}`);
  return booking;
}

function parseTimes(startText: string, endText: string): { start: number; end: number } {
  const start = parseTimestamp(startText);
  const end = parseTimestamp(endText);
  const problems: FieldProblem[] = [];
  if (start === undefined) problems.push({ field: 'start', message: 'must be an ISO 8601 instant such as 2030-04-02T09:30:00Z' });
  if (end === undefined) problems.push({ field: 'end', message: 'must be an ISO 8601 instant such as 2030-04-02T10:30:00Z' });
  if (start === undefined || end === undefined) throw new ValidationError(problems);
  return { start, end };
}

function conflictError(roomName: string, conflicts: Booking[]): ConflictError {
  const first = conflicts[0];
  const more = conflicts.length > 1 ? ` and ${conflicts.length - 1} more` : '';
  return new ConflictError(
    `${roomName} is already booked from ${first.start} to ${first.end} ("${first.title}")${more}`,
    conflicts.map((c) => c.id),
  );
}
