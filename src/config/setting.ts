/**
 * The pieces a setting is declared with: its type and allowed values (checked, and described in
 * the same words for errors and documentation), its default, one line of documentation, and
 * whether a project's `.assistrc.json` may set it. src/config/schema.ts declares every setting
 * with these; the TypeScript type, the defaults, the validator and the docs all come from there.
 */

/**
 * What a project's `.assistrc.json` may do with a setting. A project file comes with the code, so
 * it is untrusted: it may tune the work, and it may make safety stricter, never weaker.
 */
export type ProjectRule =
  /** Tunes the work; no effect on safety. */
  | { kind: 'allowed' }
  /** Would weaken safety in a project's hands: only the user's own config or a flag sets it. `why` ends the warning. */
  | { kind: 'user-only'; why: string }
  /** A project may make it stricter (`permits`), not weaker; `doc` says what stricter means. */
  | { kind: 'tighten'; doc: string; permits(projectValue: unknown, current: unknown): boolean };

/** One declared setting; `T` is its value type (phantom in `default`). */
export interface Setting<T> {
  readonly default: T;
  /** One line for the docs. */
  readonly doc: string;
  /** The allowed values in words: "a whole number from 1 to 1000", `"suggest", "auto-edit" or "full-auto"`. */
  readonly allowed: string;
  readonly project: ProjectRule;
  /** Whether `value` (from JSON) is allowed. */
  accepts(value: unknown): value is T;
  /** For structured values: what is wrong with `value` and at which key (`allowed` is then too long to say it). */
  problem?(value: unknown): { key: string; message: string } | undefined;
}

interface Common<T> {
  default: T;
  doc: string;
  /** Default: allowed. */
  project?: ProjectRule;
}

/** A project may set it. */
export const allowed: ProjectRule = { kind: 'allowed' };

/** Only the user's config or a flag may set it; `why` completes "a project may not set it: …". */
export function userOnly(why: string): ProjectRule {
  return { kind: 'user-only', why };
}

/** A number where lower is stricter (a limit): a project may lower it. */
export const lowerOnly: ProjectRule = {
  kind: 'tighten',
  doc: 'only lower it',
  permits: (value, current) => typeof value === 'number' && typeof current === 'number' && value <= current,
};

/** A choice whose values are listed strictest first: a project may move towards the front. */
export function stricterFirst(order: readonly unknown[]): ProjectRule {
  return {
    kind: 'tighten',
    doc: `only make it stricter (${order.map((v) => JSON.stringify(v)).join(' > ')})`,
    permits: (value, current) => order.indexOf(value) >= 0 && order.indexOf(value) <= order.indexOf(current),
  };
}

/** A list a project may extend but not shorten. */
export const addOnly: ProjectRule = {
  kind: 'tighten',
  doc: 'only add to it',
  permits: (value, current) => Array.isArray(value) && Array.isArray(current) && current.every((c) => value.includes(c)),
};

/** The range of a number in words, as errors and docs show it. */
function rangeText(whole: boolean, min: number, max: number, exclusiveMin: boolean): string {
  const what = whole ? 'a whole number' : 'a number';
  return exclusiveMin ? `${what} above ${min} and at most ${max}` : `${what} from ${min} to ${max}`;
}

/** A number setting with its range, which flags overriding it share. */
export interface NumberSetting extends Setting<number> {
  readonly min: number;
  readonly max: number;
}

/** A whole number in [min, max] (finite by construction). */
export function integer(options: Common<number> & { min: number; max: number }): NumberSetting {
  return {
    min: options.min,
    max: options.max,
    default: options.default,
    doc: options.doc,
    project: options.project ?? allowed,
    allowed: rangeText(true, options.min, options.max, false),
    accepts: (value): value is number => typeof value === 'number' && Number.isInteger(value) && value >= options.min && value <= options.max,
  };
}

/** A finite number in [min, max], or (min, max] with `exclusiveMin`. */
export function number(options: Common<number> & { min: number; max: number; exclusiveMin?: boolean }): NumberSetting {
  return {
    min: options.min,
    max: options.max,
    default: options.default,
    doc: options.doc,
    project: options.project ?? allowed,
    allowed: rangeText(false, options.min, options.max, !!options.exclusiveMin),
    accepts: (value): value is number =>
      typeof value === 'number' && Number.isFinite(value) && (options.exclusiveMin ? value > options.min : value >= options.min) && value <= options.max,
  };
}

/** A non-empty string, optionally matching `pattern` (described by `patternDoc`). */
export function text(options: Common<string> & { pattern?: RegExp; patternDoc?: string }): Setting<string> {
  return {
    default: options.default,
    doc: options.doc,
    project: options.project ?? allowed,
    allowed: options.patternDoc ?? 'a non-empty string',
    accepts: (value): value is string =>
      typeof value === 'string' && value.length > 0 && value.length <= 4096 && (!options.pattern || options.pattern.test(value)),
  };
}

/** A non-empty string or `null` (meaning: decided elsewhere, as `doc` says). */
export function textOrNull(options: Common<string | null>): Setting<string | null> {
  return {
    default: options.default,
    doc: options.doc,
    project: options.project ?? allowed,
    allowed: 'a non-empty string or null',
    accepts: (value): value is string | null => value === null || (typeof value === 'string' && value.length > 0 && value.length <= 4096),
  };
}

/** `true` or `false`. */
export function boolean(options: Common<boolean>): Setting<boolean> {
  return {
    default: options.default,
    doc: options.doc,
    project: options.project ?? allowed,
    allowed: 'true or false',
    accepts: (value): value is boolean => typeof value === 'boolean',
  };
}

/** One of `values`. */
export function choice<const V extends readonly (string | boolean)[]>(values: V, options: Common<V[number]>): Setting<V[number]> {
  const listed = values.map((v) => JSON.stringify(v));
  return {
    default: options.default,
    doc: options.doc,
    project: options.project ?? allowed,
    allowed: listed.length > 1 ? `${listed.slice(0, -1).join(', ')} or ${listed.at(-1)}` : listed.join(''),
    accepts: (value): value is V[number] => values.includes(value as V[number]),
  };
}

/** A list of non-empty strings, each accepted by `item` when given (described by `itemDoc`). */
export function textList(options: Common<string[]> & { itemDoc: string; item?: (value: string) => boolean; maxItems: number }): Setting<string[]> {
  return {
    default: options.default,
    doc: options.doc,
    project: options.project ?? allowed,
    allowed: `a list of up to ${options.maxItems} ${options.itemDoc}`,
    accepts: (value): value is string[] =>
      Array.isArray(value) &&
      value.length <= options.maxItems &&
      value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 500 && (!options.item || options.item(v))),
  };
}

/** A command, `null` (a built-in default, as `doc` says) or `false` (none). */
export function commandOrOff(options: Common<string | null | false>): Setting<string | null | false> {
  return {
    default: options.default,
    doc: options.doc,
    project: options.project ?? allowed,
    allowed: 'null (the built-in one), false (none) or a command',
    accepts: (value): value is string | null | false =>
      value === null || value === false || (typeof value === 'string' && value.trim().length > 0 && value.length <= 4096 && !/[\r\n]/.test(value)),
  };
}
