// mutant: freeSlots ignores opening hours
/**
 * When rooms are free: the open gaps in one room's day, and the rooms free for a given span.
 */
import { allRooms } from '../db/rooms-repo.ts';
import { bookingsForRoom, findConflicts } from '../db/bookings-repo.ts';
import { HOUR, MINUTE, parseInstant, startOfUtcDay } from '../domain/time.ts';
import type { Interval, Room, RoomFeature } from '../domain/types.ts';
import type { AppContext } from './context.ts';
import { requireRoom } from './room-service.ts';

/**
 * The free spans of a room on one UTC day, within opening hours, earliest first. Spans shorter
 * than the minimum booking length are left out; on the current day, time already past is not free.
 *
 * @param day Any instant of the day (epoch milliseconds); usually its 00:00 UTC.
 * @throws {NotFoundError} when the room does not exist.
 */
export function freeSlots(ctx: AppContext, roomId: number, day: number): Interval[] {
  requireRoom(ctx, roomId);
  const rules = ctx.config.bookings;
  const dayStart = startOfUtcDay(day);
  const opens = dayStart;
  const closes = dayStart + 24 * HOUR;
  const earliest = Math.max(opens, roundUp(ctx.now(), rules.slotMinutes * MINUTE));
  if (earliest >= closes) return [];

  const busy: Interval[] = bookingsForRoom(ctx.db, roomId, earliest, closes)
    .map((b) => ({ start: parseInstant(b.start)!, end: parseInstant(b.end)! }))
    .sort((a, b) => a.start - b.start);

  const gaps: Interval[] = [];
  let cursor = earliest;
  for (const interval of busy) {
    const start = Math.min(Math.max(interval.start, earliest), closes);
    const end = Math.min(interval.end, closes);
    if (start > cursor) gaps.push({ start: cursor, end: start });
    cursor = Math.max(cursor, end);
  }
  if (cursor < closes) gaps.push({ start: cursor, end: closes });

  return gaps.filter((gap) => gap.end - gap.start >= rules.minDurationMinutes * MINUTE);
}

/** What {@link findFreeRooms} looks for. */
export interface FreeRoomQuery {
  /** Epoch milliseconds. */
  start: number;
  end: number;
  /** The room must hold at least this many people (default 1). */
  attendees?: number;
  feature?: RoomFeature;
}

/**
 * The rooms with no active booking overlapping [start, end) that hold enough people, smallest
 * first so that big rooms stay free for big meetings.
 */
export function findFreeRooms(ctx: AppContext, query: FreeRoomQuery): Room[] {
  const candidates = allRooms(ctx.db, { minCapacity: query.attendees ?? 1, feature: query.feature });
  return candidates
    .filter((room) => findConflicts(ctx.db, room.id, query.start, query.end).length === 0)
    .sort((a, b) => a.capacity - b.capacity || a.name.localeCompare(b.name));
}

function roundUp(ms: number, step: number): number {
  return Math.ceil(ms / step) * step;
}
