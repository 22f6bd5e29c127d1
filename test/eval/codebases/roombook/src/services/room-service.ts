/**
 * Managing rooms: names stay unique, a room cannot shrink below a booking it already holds, and a
 * room with upcoming bookings cannot be removed.
 */
import { inTransaction } from '../db/database.ts';
import { countUpcomingBookings, largestUpcomingAttendance } from '../db/bookings-repo.ts';
import { deleteRoom, findRoomByName, getRoom, insertRoom, updateRoom } from '../db/rooms-repo.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { formatInstant } from '../domain/time.ts';
import type { NewRoom, Room, RoomPatch } from '../domain/types.ts';
import type { AppContext } from './context.ts';

/**
 * Adds a room.
 *
 * @throws {ConflictError} when another room already has this name (ignoring case).
 */
export function addRoom(ctx: AppContext, room: NewRoom): Room {
  return inTransaction(ctx.db, () => {
    const existing = findRoomByName(ctx.db, room.name);
    if (existing) throw new ConflictError(`a room named "${existing.name}" already exists (id ${existing.id})`, [existing.id]);
    const created = insertRoom(ctx.db, room, formatInstant(ctx.now()));
    ctx.logger.info('room added', { room: created.id, name: created.name });
    return created;
  });
}

/**
 * The room with this id.
 *
 * @throws {NotFoundError} when there is none.
 */
export function requireRoom(ctx: AppContext, id: number): Room {
  const room = getRoom(ctx.db, id);
  if (!room) throw new NotFoundError(`room ${id}`);
  return room;
}

/**
 * Finds a room by what a person types: its id (`3`) or its name (`Aurora`, any case).
 *
 * @throws {NotFoundError} when nothing matches.
 */
export function resolveRoom(ctx: AppContext, reference: string): Room {
  const text = reference.trim();
  const room = /^\d+$/.test(text) ? getRoom(ctx.db, Number(text)) ?? findRoomByName(ctx.db, text) : findRoomByName(ctx.db, text);
  if (!room) throw new NotFoundError(`room "${text}"`);
  return room;
}

/**
 * Changes a room's details.
 *
 * @throws {NotFoundError} when the room does not exist.
 * @throws {ConflictError} when the new name is taken, or the new capacity is smaller than an
 *   upcoming booking's head count.
 */
export function changeRoom(ctx: AppContext, id: number, patch: RoomPatch): Room {
  return inTransaction(ctx.db, () => {
    const room = requireRoom(ctx, id);
    if (patch.name !== undefined) {
      const other = findRoomByName(ctx.db, patch.name);
      if (other && other.id !== id) throw new ConflictError(`a room named "${other.name}" already exists (id ${other.id})`, [other.id]);
    }
    if (patch.capacity !== undefined && patch.capacity < room.capacity) {
      const largest = largestUpcomingAttendance(ctx.db, id, ctx.now());
      if (largest > patch.capacity) {
        throw new ConflictError(`room ${id} has an upcoming booking for ${largest} people; capacity cannot drop to ${patch.capacity}`);
      }
    }
    const updated = updateRoom(ctx.db, id, patch)!;
    ctx.logger.info('room changed', { room: id, fields: Object.keys(patch).join(',') });
    return updated;
  });
}

/**
 * Removes a room together with its past and cancelled bookings.
 *
 * @throws {NotFoundError} when the room does not exist.
 * @throws {ConflictError} when it still has active bookings that have not ended.
 */
export function removeRoom(ctx: AppContext, id: number): void {
  inTransaction(ctx.db, () => {
    requireRoom(ctx, id);
    const upcoming = countUpcomingBookings(ctx.db, id, ctx.now());
    if (upcoming > 0) throw new ConflictError(`room ${id} has ${upcoming} upcoming booking(s); cancel them first`);
    deleteRoom(ctx.db, id);
    ctx.logger.info('room removed', { room: id });
  });
}
