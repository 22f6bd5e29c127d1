/**
 * Rooms in the database. Functions here run single statements and know nothing of business
 * rules; the services combine them.
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { roomFeatures, type NewRoom, type Page, type PageRequest, type Room, type RoomFeature, type RoomFilter, type RoomPatch } from '../domain/types.ts';
import { makePage, toLimitOffset } from './pagination.ts';

interface RoomRow {
  id: number;
  name: string;
  capacity: number;
  floor: number;
  features: string;
  created_at: string;
}

const columns = 'id, name, capacity, floor, features, created_at';

/**
 * Stores a new room.
 *
 * @param createdAt ISO 8601 instant recorded as the creation time.
 * @returns The stored room, with its id.
 * @throws {Error} from SQLite (`UNIQUE constraint failed`) when the name is taken; check first
 *   with {@link findRoomByName} for a friendly message.
 */
export function insertRoom(db: DatabaseSync, room: NewRoom, createdAt: string): Room {
  const result = db
    .prepare('INSERT INTO rooms (name, capacity, floor, features, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(room.name, room.capacity, room.floor, encodeFeatures(room.features), createdAt);
  return getRoom(db, Number(result.lastInsertRowid))!;
}

/** The room with this id, or `undefined`. */
export function getRoom(db: DatabaseSync, id: number): Room | undefined {
  const row = db.prepare(`SELECT ${columns} FROM rooms WHERE id = ?`).get(id) as RoomRow | undefined;
  return row ? roomFromRow(row) : undefined;
}

/** The room with this name (compared case-insensitively), or `undefined`. */
export function findRoomByName(db: DatabaseSync, name: string): Room | undefined {
  const row = db.prepare(`SELECT ${columns} FROM rooms WHERE name = ?`).get(name.trim()) as RoomRow | undefined;
  return row ? roomFromRow(row) : undefined;
}

/**
 * One page of rooms matching the filter, ordered by floor and name.
 *
 * @param filter `minCapacity` and `feature` narrow the listing; both are optional.
 */
export function listRooms(db: DatabaseSync, filter: RoomFilter, request: PageRequest): Page<Room> {
  const { sql: where, params } = roomWhere(filter);
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM rooms ${where}`).get(...params) as { n: number }).n;
  const { limit, offset } = toLimitOffset(request);
  const rows = db
    .prepare(`SELECT ${columns} FROM rooms ${where} ORDER BY floor, name LIMIT ? OFFSET ?`)
    .all(...params, limit, offset) as unknown as RoomRow[];
  return makePage(rows.map(roomFromRow), total, request);
}

/** Every room matching the filter, ordered by floor and name (for listings that need them all). */
export function allRooms(db: DatabaseSync, filter: RoomFilter = {}): Room[] {
  const { sql: where, params } = roomWhere(filter);
  const rows = db.prepare(`SELECT ${columns} FROM rooms ${where} ORDER BY floor, name`).all(...params) as unknown as RoomRow[];
  return rows.map(roomFromRow);
}

/**
 * Changes the given fields of a room; absent fields are left alone.
 *
 * @returns The updated room, or `undefined` when there is no room with this id.
 */
export function updateRoom(db: DatabaseSync, id: number, patch: RoomPatch): Room | undefined {
  const assignments: [column: string, value: SQLInputValue | undefined][] = [
    ['name', patch.name],
    ['capacity', patch.capacity],
    ['floor', patch.floor],
    ['features', patch.features && encodeFeatures(patch.features)],
  ];
  const present = assignments.filter(([, value]) => value !== undefined);
  if (present.length > 0) {
    const sets = present.map(([column]) => `${column} = ?`).join(', ');
    db.prepare(`UPDATE rooms SET ${sets} WHERE id = ?`).run(...present.map(([, value]) => value!), id);
  }
  return getRoom(db, id);
}

/**
 * Deletes a room and, through the foreign key, all its bookings.
 *
 * @returns Whether a room was deleted.
 */
export function deleteRoom(db: DatabaseSync, id: number): boolean {
  return Number(db.prepare('DELETE FROM rooms WHERE id = ?').run(id).changes) > 0;
}

/** How many rooms there are. */
export function countRooms(db: DatabaseSync): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM rooms').get() as { n: number }).n;
}

function roomWhere(filter: RoomFilter): { sql: string; params: SQLInputValue[] } {
  const clauses: string[] = [];
  const params: SQLInputValue[] = [];
  if (filter.minCapacity !== undefined) {
    clauses.push('capacity >= ?');
    params.push(filter.minCapacity);
  }
  if (filter.feature !== undefined) {
    clauses.push("features LIKE '%,' || ? || ',%'");
    params.push(filter.feature);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Features are stored between commas (`,projector,video,`) so one can be found with LIKE. */
function encodeFeatures(features: readonly RoomFeature[]): string {
  return `,${[...new Set(features)].sort().join(',')}${features.length ? ',' : ''}`;
}

function decodeFeatures(text: string): RoomFeature[] {
  return text.split(',').filter((f): f is RoomFeature => (roomFeatures as readonly string[]).includes(f));
}

function roomFromRow(row: RoomRow): Room {
  return {
    id: row.id,
    name: row.name,
    capacity: row.capacity,
    floor: row.floor,
    features: decodeFeatures(row.features),
    createdAt: row.created_at,
  };
}
