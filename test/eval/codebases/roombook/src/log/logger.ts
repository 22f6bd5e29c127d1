/**
 * A small structured logger: levels, a text or JSON line format, and child loggers that add fields.
 */
import type { LogFormat, LogLevel } from '../config/types.ts';

/** Extra facts attached to a log line. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Writes log lines at or above its level. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go (each ends with a newline); standard error by default. */
  write?: (line: string) => void;
  /** Clock for timestamps; the real one by default. */
  now?: () => number;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Creates a logger writing lines at or above `options.level`. */
export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const now = options.now ?? Date.now;
  const emit = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (rank[level] < rank[options.level]) return;
    const all = { ...bound, ...fields };
    const time = new Date(now()).toISOString();
    write(options.format === 'json' ? `${JSON.stringify({ time, level, message, ...all })}\n` : `${time} ${level.toUpperCase().padEnd(5)} ${message}${formatFields(all)}\n`);
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** A logger that drops everything (tests, one-shot commands). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

function formatFields(fields: LogFields): string {
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' && /[\s"=]/.test(value) ? JSON.stringify(value) : String(value)}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}
