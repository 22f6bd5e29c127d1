/**
 * Opening the SQLite database (Node's built-in `node:sqlite`) and running work in a transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrate } from './migrations.ts';

/** How to open the database. */
export interface OpenDatabaseOptions {
  /** How long a write waits for a lock held by another process, in milliseconds. */
  busyTimeoutMs?: number;
  /** Skip the migrations (for tools that only inspect a database). */
  skipMigrations?: boolean;
}

/**
 * Opens (creating if needed) the database file and brings its schema up to date. The folder of the
 * file is created too. `:memory:` gives a private in-memory database, for tests.
 *
 * @param file Path of the SQLite file, resolved from the working directory.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const inMemory = file === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('PRAGMA foreign_keys = ON');
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 2_000))}`);
  if (!inMemory) db.exec('PRAGMA journal_mode = WAL');
  if (!options.skipMigrations) migrate(db);
  return db;
}

/**
 * Runs `work` inside one write transaction: committed when it returns, rolled back when it throws
 * (the error is rethrown). Transactions do not nest; call this only at the service level.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
