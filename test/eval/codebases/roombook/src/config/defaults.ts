import type { Config } from './types.ts';

/**
 * The settings used when neither the config file nor the environment says otherwise.
 * Frozen, sections included: copy it (e.g. with `structuredClone`) before changing anything.
 */
export const defaultConfig: Readonly<Config> = deepFreeze({
  server: {
    host: '127.0.0.1',
    port: 8080,
    maxBodyBytes: 64 * 1024,
    requestTimeoutMs: 10_000,
  },
  database: {
    path: 'data/roombook.sqlite',
    busyTimeoutMs: 2_000,
  },
  bookings: {
    openingHour: 8,
    closingHour: 18,
    minDurationMinutes: 15,
    maxDurationMinutes: 240,
    maxDaysAhead: 90,
    slotMinutes: 15,
  },
  api: {
    defaultPageSize: 25,
    maxPageSize: 100,
  },
  log: {
    level: 'info',
    format: 'text',
  },
} satisfies Config);

/** The name of the config file looked for in the working directory. */
export const defaultConfigFileName = 'roombook.config.json';

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child);
  return Object.freeze(value);
}
