/**
 * Checks a merged configuration against the settings roombook knows: every setting present, of the
 * right type and range, no unknown keys (usually typos), and settings consistent with each other.
 */
import { AppError, type FieldProblem } from '../domain/errors.ts';
import { isPlainObject } from './merge.ts';
import type { Config } from './types.ts';

type Rule =
  | { type: 'integer'; min: number; max: number }
  | { type: 'string'; minLength: number }
  | { type: 'choice'; values: readonly string[] };

const spec: { [S in keyof Config]: { [K in keyof Config[S]]: Rule } } = {
  server: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', min: 0, max: 65_535 },
    maxBodyBytes: { type: 'integer', min: 1_024, max: 10 * 1024 * 1024 },
    requestTimeoutMs: { type: 'integer', min: 100, max: 600_000 },
  },
  database: {
    path: { type: 'string', minLength: 1 },
    busyTimeoutMs: { type: 'integer', min: 0, max: 60_000 },
  },
  bookings: {
    openingHour: { type: 'integer', min: 0, max: 23 },
    closingHour: { type: 'integer', min: 1, max: 24 },
    minDurationMinutes: { type: 'integer', min: 1, max: 1_440 },
    maxDurationMinutes: { type: 'integer', min: 1, max: 1_440 },
    maxDaysAhead: { type: 'integer', min: 1, max: 730 },
    slotMinutes: { type: 'integer', min: 1, max: 60 },
  },
  api: {
    defaultPageSize: { type: 'integer', min: 1, max: 1_000 },
    maxPageSize: { type: 'integer', min: 1, max: 1_000 },
  },
  log: {
    level: { type: 'choice', values: ['debug', 'info', 'warn', 'error'] },
    format: { type: 'choice', values: ['text', 'json'] },
  },
};

/** The configuration cannot be used; `problems` names each bad setting. */
export class ConfigError extends AppError {
  readonly problems: FieldProblem[];

  constructor(source: string, problems: FieldProblem[]) {
    super('invalid_config', `invalid configuration (${source}):\n${problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`);
    this.problems = problems;
  }
}

/**
 * Validates a merged configuration.
 *
 * @param raw The result of merging defaults, file, environment and flags.
 * @param source Where the values came from, for the error message (e.g. the config file's path).
 * @returns The same values, typed.
 * @throws {ConfigError} listing every problem found, not just the first.
 */
export function validateConfig(raw: unknown, source = 'merged settings'): Config {
  const problems: FieldProblem[] = [];
  if (!isPlainObject(raw)) throw new ConfigError(source, [{ field: '(top)', message: 'must be an object' }]);
  for (const key of Object.keys(raw)) {
    if (!(key in spec)) problems.push({ field: key, message: `unknown section (known: ${Object.keys(spec).join(', ')})` });
  }
  for (const [sectionName, rules] of Object.entries(spec) as [string, Record<string, Rule>][]) {
    const section = raw[sectionName];
    if (!isPlainObject(section)) {
      problems.push({ field: sectionName, message: 'must be an object' });
      continue;
    }
    for (const key of Object.keys(section)) {
      if (!(key in rules)) problems.push({ field: `${sectionName}.${key}`, message: `unknown setting (known: ${Object.keys(rules).join(', ')})` });
    }
    for (const [key, rule] of Object.entries(rules)) {
      const problem = checkValue(section[key], rule);
      if (problem) problems.push({ field: `${sectionName}.${key}`, message: problem });
    }
  }
  if (problems.length === 0) problems.push(...crossChecks(raw as unknown as Config));
  if (problems.length > 0) throw new ConfigError(source, problems);
  return raw as unknown as Config;
}

function checkValue(value: unknown, rule: Rule): string | undefined {
  if (value === undefined) return 'is missing';
  switch (rule.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `must be a whole number, got ${JSON.stringify(value)}`;
      if (value < rule.min || value > rule.max) return `must be between ${rule.min} and ${rule.max}, got ${value}`;
      return undefined;
    case 'string':
      if (typeof value !== 'string') return `must be a string, got ${JSON.stringify(value)}`;
      if (value.trim().length < rule.minLength) return 'must not be empty';
      return undefined;
    case 'choice':
      if (typeof value !== 'string' || !rule.values.includes(value)) return `must be one of ${rule.values.join(', ')}, got ${JSON.stringify(value)}`;
      return undefined;
    default:
      return rule satisfies never;
  }
}

function crossChecks(config: Config): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { bookings, api } = config;
  if (bookings.openingHour >= bookings.closingHour) {
    problems.push({ field: 'bookings.closingHour', message: `must be later than openingHour (${bookings.openingHour})` });
  }
  if (bookings.minDurationMinutes > bookings.maxDurationMinutes) {
    problems.push({ field: 'bookings.minDurationMinutes', message: `must not exceed maxDurationMinutes (${bookings.maxDurationMinutes})` });
  }
  if (60 % bookings.slotMinutes !== 0) {
    problems.push({ field: 'bookings.slotMinutes', message: 'must divide an hour evenly (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)' });
  }
  if (bookings.minDurationMinutes % bookings.slotMinutes !== 0) {
    problems.push({ field: 'bookings.minDurationMinutes', message: `must be a multiple of slotMinutes (${bookings.slotMinutes})` });
  }
  if (api.defaultPageSize > api.maxPageSize) {
    problems.push({ field: 'api.defaultPageSize', message: `must not exceed maxPageSize (${api.maxPageSize})` });
  }
  return problems;
}
