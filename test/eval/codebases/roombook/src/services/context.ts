/**
 * What every service function works with: the database, the configuration, a logger and a clock.
 * The HTTP server and the command line each build one context and pass it down.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Config } from '../config/types.ts';
import { openDatabase } from '../db/database.ts';
import { createLogger, type Logger } from '../log/logger.ts';

/** The dependencies of the services. */
export interface AppContext {
  db: DatabaseSync;
  config: Config;
  logger: Logger;
  /** The current time in epoch milliseconds; replaced by a fixed clock in tests. */
  now: () => number;
}

/** Options of {@link createContext}. */
export interface CreateContextOptions {
  logger?: Logger;
  now?: () => number;
}

/**
 * Opens the configured database (migrating it) and assembles a context.
 * Close it with {@link closeContext}.
 */
export function createContext(config: Config, options: CreateContextOptions = {}): AppContext {
  const db = openDatabase(config.database.path, { busyTimeoutMs: config.database.busyTimeoutMs });
  return {
    db,
    config,
    logger: options.logger ?? createLogger(config.log),
    now: options.now ?? Date.now,
  };
}

/** Closes the context's database. */
export function closeContext(ctx: AppContext): void {
  if (ctx.db.isOpen) ctx.db.close();
}
