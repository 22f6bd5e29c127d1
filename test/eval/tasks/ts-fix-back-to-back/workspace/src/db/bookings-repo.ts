/**
 * Bookings in the database. Times are stored as epoch milliseconds (`starts_at`, `ends_at`) and
 * returned as ISO 8601 strings. Cancelled bookings stay in the table with status `cancelled`.
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { formatInstant } from '../domain/time.ts';
import type { Booking, BookingFilter, BookingStatus, Page, PageRequest } from '../domain/types.ts';
import { makePage, toLimitOffset } from './pagination.ts';

interface BookingRow {
  id: number;
  room_id: number;
  title: string;
  organizer: string;
  attendees: number;
  starts_at: number;
  ends_at: number;
  status: BookingStatus;
  created_at: string;
  cancelled_at: string | null;
}

/** A booking as the data layer stores it: times in epoch milliseconds. */
export interface BookingRecord {
  roomId: number;
  title: string;
  organizer: string;
  attendees: number;
  start: number;
  end: number;
}

const columns = 'id, room_id, title, organizer, attendees, starts_at, ends_at, status, created_at, cancelled_at';

/**
 * Stores a new, active booking. Does not look for conflicts: call {@link findConflicts} first,
 * in the same transaction.
 *
 * @param createdAt ISO 8601 instant recorded as the creation time.
 * @returns The stored booking, with its id.
 */
export function insertBooking(db: DatabaseSync, record: BookingRecord, createdAt: string): Booking {
  const result = db
    .prepare('INSERT INTO bookings (room_id, title, organizer, attendees, starts_at, ends_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(record.roomId, record.title, record.organizer, record.attendees, record.start, record.end, createdAt);
  return getBooking(db, Number(result.lastInsertRowid))!;
}

/** The booking with this id (active or cancelled), or `undefined`. */
export function getBooking(db: DatabaseSync, id: number): Booking | undefined {
  const row = db.prepare(`SELECT ${columns} FROM bookings WHERE id = ?`).get(id) as BookingRow | undefined;
  return row ? bookingFromRow(row) : undefined;
}

/**
 * One page of bookings matching the filter, earliest first (ties by id).
 *
 * @param filter Room, organizer, status and a time range; all optional. `from`/`to` keep the
 *   bookings that overlap that range.
 */
export function listBookings(db: DatabaseSync, filter: BookingFilter, request: PageRequest): Page<Booking> {
  const { sql: where, params } = bookingWhere(filter);
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM bookings ${where}`).get(...params) as { n: number }).n;
  const { limit, offset } = toLimitOffset(request);
  const rows = db
    .prepare(`SELECT ${columns} FROM bookings ${where} ORDER BY starts_at, id LIMIT ? OFFSET ?`)
    .all(...params, limit, offset) as unknown as BookingRow[];
  return makePage(rows.map(bookingFromRow), total, request);
}

/**
 * The active bookings of a room that overlap [start, end). Bookings that merely touch the range
 * (end exactly at `start`, or start exactly at `end`) do not conflict.
 *
 * @param excludeId A booking to leave out, e.g. the one being moved.
 */
export function findConflicts(db: DatabaseSync, roomId: number, start: number, end: number, excludeId?: number): Booking[] {
  const rows = db
    .prepare(
      `SELECT ${columns} FROM bookings
       WHERE room_id = ? AND status = 'active' AND starts_at <= ? AND ends_at >= ? AND id != ?
       ORDER BY starts_at`,
    )
    .all(roomId, end, start, excludeId ?? -1) as unknown as BookingRow[];
  return rows.map(bookingFromRow);
}

/**
 * The active bookings of a room that overlap [from, to), earliest first; for agendas and free slots.
 */
export function bookingsForRoom(db: DatabaseSync, roomId: number, from: number, to: number): Booking[] {
  return findConflicts(db, roomId, from, to);
}

/**
 * Marks an active booking as cancelled. A booking that is already cancelled is left alone.
 *
 * @param cancelledAt ISO 8601 instant recorded as the cancellation time.
 * @returns Whether the booking changed.
 */
export function markBookingCancelled(db: DatabaseSync, id: number, cancelledAt: string): boolean {
  const result = db
    .prepare("UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'active'")
    .run(cancelledAt, id);
  return Number(result.changes) > 0;
}

/**
 * Moves a booking to new times. Does not look for conflicts.
 *
 * @returns The updated booking, or `undefined` when there is no booking with this id.
 */
export function updateBookingTimes(db: DatabaseSync, id: number, start: number, end: number): Booking | undefined {
  db.prepare('UPDATE bookings SET starts_at = ?, ends_at = ? WHERE id = ?').run(start, end, id);
  return getBooking(db, id);
}

/** How many active bookings of a room have not ended at `now`. */
export function countUpcomingBookings(db: DatabaseSync, roomId: number, now: number): number {
  const row = db.prepare("SELECT COUNT(*) AS n FROM bookings WHERE room_id = ? AND status = 'active' AND ends_at > ?").get(roomId, now);
  return (row as { n: number }).n;
}

/** The largest head count among a room's active bookings that have not ended at `now` (0 if none). */
export function largestUpcomingAttendance(db: DatabaseSync, roomId: number, now: number): number {
  const row = db
    .prepare("SELECT COALESCE(MAX(attendees), 0) AS n FROM bookings WHERE room_id = ? AND status = 'active' AND ends_at > ?")
    .get(roomId, now);
  return (row as { n: number }).n;
}

function bookingWhere(filter: BookingFilter): { sql: string; params: SQLInputValue[] } {
  const clauses: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (clause: string, value: SQLInputValue) => {
    clauses.push(clause);
    params.push(value);
  };
  if (filter.roomId !== undefined) add('room_id = ?', filter.roomId);
  if (filter.organizer !== undefined) add('organizer = ? COLLATE NOCASE', filter.organizer);
  if (filter.status !== undefined) add('status = ?', filter.status);
  if (filter.from !== undefined) add('ends_at > ?', filter.from);
  if (filter.to !== undefined) add('starts_at < ?', filter.to);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function bookingFromRow(row: BookingRow): Booking {
  return {
    id: row.id,
    roomId: row.room_id,
    title: row.title,
    organizer: row.organizer,
    attendees: row.attendees,
    start: formatInstant(row.starts_at),
    end: formatInstant(row.ends_at),
    status: row.status,
    createdAt: row.created_at,
    cancelledAt: row.cancelled_at,
  };
}
