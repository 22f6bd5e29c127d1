/**
 * The shape of roombook's configuration. Every setting has a default (see `defaults.ts`); a
 * config file and environment variables override them (see `load.ts`).
 */

/** How much the service logs. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** `text` for people, `json` (one object per line) for log collectors. */
export type LogFormat = 'text' | 'json';

/** The complete, validated configuration. */
export interface Config {
  server: {
    /** Interface the HTTP API listens on. */
    host: string;
    /** TCP port; 0 picks a free one. */
    port: number;
    /** Largest request body accepted, in bytes. */
    maxBodyBytes: number;
    /** Time a client gets to send a whole request, in milliseconds. */
    requestTimeoutMs: number;
  };
  database: {
    /** SQLite file; a relative path is resolved from the working directory. `:memory:` for tests. */
    path: string;
    /** How long a write waits for another writer, in milliseconds. */
    busyTimeoutMs: number;
  };
  bookings: {
    /** First hour (UTC, 0 to 23) a booking may start. */
    openingHour: number;
    /** Hour (UTC, 1 to 24) by which every booking must have ended. */
    closingHour: number;
    minDurationMinutes: number;
    maxDurationMinutes: number;
    /** How far ahead a booking may start, in days. */
    maxDaysAhead: number;
    /** Bookings start and end on multiples of this many minutes past the hour. */
    slotMinutes: number;
  };
  api: {
    /** Page size of listings when the client does not ask for one. */
    defaultPageSize: number;
    /** Largest page size a client may ask for. */
    maxPageSize: number;
  };
  log: {
    level: LogLevel;
    format: LogFormat;
  };
}

/** A layer of configuration (a file, the environment, flags): any subset of the settings. */
export type ConfigLayer = { [S in keyof Config]?: Partial<Config[S]> };
