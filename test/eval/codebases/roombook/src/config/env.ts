/**
 * Environment variables that override settings. Each variable maps to one setting; values are
 * parsed to the setting's type here and range-checked later with everything else.
 */
import type { FieldProblem } from '../domain/errors.ts';
import type { Config, ConfigLayer } from './types.ts';

type Section = keyof Config;

/** One environment variable and the setting it sets. */
export interface EnvBinding {
  variable: string;
  section: Section;
  key: string;
  type: 'string' | 'integer';
}

/** Every variable roombook reads, in the order they are documented. */
export const envBindings: readonly EnvBinding[] = [
  { variable: 'ROOMBOOK_HOST', section: 'server', key: 'host', type: 'string' },
  { variable: 'ROOMBOOK_PORT', section: 'server', key: 'port', type: 'integer' },
  { variable: 'ROOMBOOK_DATABASE', section: 'database', key: 'path', type: 'string' },
  { variable: 'ROOMBOOK_OPENING_HOUR', section: 'bookings', key: 'openingHour', type: 'integer' },
  { variable: 'ROOMBOOK_CLOSING_HOUR', section: 'bookings', key: 'closingHour', type: 'integer' },
  { variable: 'ROOMBOOK_MAX_BOOKING_MINUTES', section: 'bookings', key: 'maxDurationMinutes', type: 'integer' },
  { variable: 'ROOMBOOK_PAGE_SIZE', section: 'api', key: 'defaultPageSize', type: 'integer' },
  { variable: 'ROOMBOOK_LOG_LEVEL', section: 'log', key: 'level', type: 'string' },
  { variable: 'ROOMBOOK_LOG_FORMAT', section: 'log', key: 'format', type: 'string' },
];

/** The variable that names the config file (read by `loadConfig`, not a setting itself). */
export const configFileVariable = 'ROOMBOOK_CONFIG';

/** A configuration layer read from the environment, and the variables that could not be parsed. */
export interface EnvLayer {
  layer: ConfigLayer;
  problems: FieldProblem[];
}

/**
 * Reads the settings given in `env`. Unset and empty variables are skipped, so they never hide a
 * default or a value from the config file.
 *
 * @param env Usually `process.env`.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): EnvLayer {
  const layer: Record<string, Record<string, unknown>> = {};
  const problems: FieldProblem[] = [];
  for (const binding of envBindings) {
    const raw = env[binding.variable]?.trim();
    if (!raw) continue;
    let value: string | number = raw;
    if (binding.type === 'integer') {
      if (!/^-?\d+$/.test(raw)) {
        problems.push({ field: binding.variable, message: `must be a whole number, got "${raw}"` });
        continue;
      }
      value = Number(raw);
    }
    layer[binding.section] ??= {};
    layer[binding.section][binding.key] = value;
  }
  return { layer: layer as ConfigLayer, problems };
}
