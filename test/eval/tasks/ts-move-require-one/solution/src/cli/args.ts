/**
 * Command-line argument parsing: `--name value`, `--name=value`, boolean `--flag` and `--no-flag`,
 * short aliases (`-p 8080`), repeatable list options, and `--` to end the options.
 */
import { ValidationError } from '../domain/errors.ts';

/** The kinds of option value. `list` may be given several times and collects every value. */
export type OptionType = 'string' | 'integer' | 'boolean' | 'list';

/** One option a command accepts. */
export interface OptionSpec {
  type: OptionType;
  /** A one-letter alias, without the dash. */
  short?: string;
  /** Shown by `--help`. */
  description: string;
  /** Placeholder for the value in help output, e.g. `PORT`. */
  valueName?: string;
}

/** The options of a command, by long name (without dashes). */
export type OptionSpecs = Record<string, OptionSpec>;

/** Parsed option values by long name; absent options are absent. */
export type OptionValues = Record<string, string | number | boolean | string[]>;

/** What {@link parseArgs} returns. */
export interface ParsedArgs {
  options: OptionValues;
  positionals: string[];
}

/** The command line is wrong; the message says how, for printing next to the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses arguments against a set of option specs.
 *
 * @param argv The arguments after the command name.
 * @throws {UsageError} for an unknown option, a missing or malformed value, or a value given to a
 *   boolean flag.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const options: OptionValues = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(specs).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])));

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else {
      if (arg.length !== 2) throw new UsageError(`short options take one letter each: write ${[...arg.slice(1)].map((c) => `-${c}`).join(' ')}`);
      const long = byShort.get(arg[1]);
      if (!long) throw new UsageError(`unknown option ${arg}`);
      name = long;
    }

    let spec = specs[name];
    if (!spec && name.startsWith('no-') && specs[name.slice(3)]?.type === 'boolean' && inline === undefined) {
      options[name.slice(3)] = false;
      continue;
    }
    if (!spec) throw new UsageError(`unknown option --${name}${suggest(name, Object.keys(specs))}`);

    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} is a flag and takes no value`);
      options[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw new UsageError(`--${name} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}`);
      }
      value = next;
      i++;
    }
    options[name] = convert(name, spec, value, options[name]);
  }
  return { options, positionals };
}

function convert(name: string, spec: OptionSpec, value: string, previous: OptionValues[string] | undefined): OptionValues[string] {
  switch (spec.type) {
    case 'string':
      return value;
    case 'integer':
      if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
      return Number(value);
    case 'list':
      return [...(Array.isArray(previous) ? previous : []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];
    case 'boolean':
      return true;
    default:
      return spec.type satisfies never;
  }
}

function suggest(name: string, known: string[]): string {
  const close = known.filter((k) => editDistance(name, k) <= Math.min(2, Math.floor(k.length / 2)));
  return close.length ? ` (did you mean ${close.map((k) => `--${k}`).join(' or ')}?)` : '';
}

/** Levenshtein distance: the fewest single-character edits turning `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Formats option specs as help lines, e.g. `  -p, --port PORT   port to listen on`.
 */
export function formatOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const value = spec.type === 'boolean' ? '' : ` ${spec.valueName ?? name.toUpperCase()}`;
    return [`${spec.short ? `-${spec.short}, ` : '    '}--${name}${value}`, spec.description + (spec.type === 'list' ? ' (repeatable)' : '')];
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join('\n');
}

/**
 * The single positional argument of a command.
 *
 * @throws {UsageError} when there is none or more than one.
 */
export function requireOne(positionals: string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`name the ${what}`);
  if (positionals.length > 1) throw new UsageError(`expected one ${what}, got ${positionals.length}: ${positionals.join(' ')} (quote names with spaces)`);
  const value = positionals[0].trim();
  if (!value) throw new ValidationError([{ field: what, message: 'must not be empty' }]);
  return value;
}
