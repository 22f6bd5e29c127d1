/**
 * The database schema as an ordered list of migrations. The schema version lives in SQLite's
 * `user_version`; opening a database applies whatever migrations it has not seen yet.
 */
import type { DatabaseSync } from 'node:sqlite';

/** One step of the schema's history. Never edit a released migration: add a new one. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Every migration, oldest first; versions are consecutive from 1. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'rooms and bookings',
    sql: `
      CREATE TABLE rooms (
        id         INTEGER PRIMARY KEY,
        name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
        capacity   INTEGER NOT NULL CHECK (capacity > 0),
        floor      INTEGER NOT NULL DEFAULT 0,
        created_at TEXT    NOT NULL
      );
      CREATE TABLE bookings (
        id           INTEGER PRIMARY KEY,
        room_id      INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        title        TEXT    NOT NULL,
        organizer    TEXT    NOT NULL,
        attendees    INTEGER NOT NULL CHECK (attendees > 0),
        starts_at    INTEGER NOT NULL,
        ends_at      INTEGER NOT NULL,
        status       TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
        created_at   TEXT    NOT NULL,
        cancelled_at TEXT,
        CHECK (ends_at > starts_at)
      );`,
  },
  {
    version: 2,
    description: 'room features (stored as ",projector,video,")',
    sql: `ALTER TABLE rooms ADD COLUMN features TEXT NOT NULL DEFAULT ',';`,
  },
  {
    version: 3,
    description: 'index for conflict checks and agendas',
    sql: `
      CREATE INDEX bookings_room_time ON bookings (room_id, status, starts_at, ends_at);
      CREATE INDEX bookings_organizer ON bookings (organizer);`,
  },
];

/** The schema version recorded in the database (0 for a new, empty database). */
export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

/**
 * Applies the migrations the database has not seen, each in its own transaction.
 *
 * @returns The versions applied (empty when the schema was up to date).
 * @throws {Error} when the database is newer than this program (its version is unknown here).
 */
export function migrate(db: DatabaseSync): number[] {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`the database has schema version ${current}, but this roombook knows only up to ${latest}: upgrade roombook`);
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.exec('BEGIN');
    try {
      db.exec(migration.sql);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw new Error(`migration ${migration.version} (${migration.description}) failed: ${(error as Error).message}`);
    }
    applied.push(migration.version);
  }
  return applied;
}
