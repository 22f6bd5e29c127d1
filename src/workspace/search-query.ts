/**
 * A search_code query compiled twice, with the same meaning: as JavaScript regular expressions
 * for the in-process search, and as a ripgrep (Rust regex) pattern. Queries are JavaScript regex
 * syntax; the translation pins down the places where the two dialects differ (`.`, `\d`, `\w`,
 * `\s`, `\b`, escapes, named groups). Features ripgrep lacks (look-around, backreferences) make
 * the ripgrep side unavailable and the search runs in-process.
 */

/** What the user asked for. */
export interface SearchOptions {
  query: string;
  /** `false`: the query is literal text. */
  regex: boolean;
  /** `null`: smart case (case-insensitive unless the query has an upper-case letter). */
  caseSensitive: boolean | null;
  /** ripgrep `--glob` syntax. */
  glob: string | null;
  /** Project-relative directory to search instead of the whole project. */
  dir: string | null;
  /** Lines of context before and after each match. */
  contextLines: number;
}

/** A query in both dialects. */
export interface CompiledQuery {
  /** Tests one line (no flags but `u`/`i`). */
  line: RegExp;
  /** Finds candidate matches in a whole file (`gmu`, plus `i`). */
  whole: RegExp;
  /** Literal text for a fast `indexOf` pre-check (case-sensitive literal queries only). */
  literal: string | null;
  /** Text every matching line must contain (case-sensitive queries), to skip files quickly; null if unknown. */
  required: string | null;
  /**
   * For case-insensitive queries: a test on a file's bytes read as Latin-1 that every file with a
   * match passes (only built when case folding cannot reach beyond ASCII); null if unknown.
   */
  requiredFolded: RegExp | null;
  ignoreCase: boolean;
  /** ripgrep pattern and flags, or `null` when ripgrep cannot express the query. */
  rg: { pattern: string; fixed: boolean } | null;
}

/** A query that cannot be compiled; the message is for the model. */
export class SearchQueryError extends Error {}

/** `s` as a regex source that matches it literally. */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a query, or throws SearchQueryError with what to change. */
export function compileQuery(options: Pick<SearchOptions, 'query' | 'regex' | 'caseSensitive'>): CompiledQuery {
  const { query } = options;
  if (query === '') throw new SearchQueryError('The query is empty. Give the text (or regex) to look for.');
  if (/[\n\r]/.test(query))
    throw new SearchQueryError('The query contains a line break; search_code matches within single lines. Search for one line of the text.');
  const ignoreCase = options.caseSensitive === null ? query === query.toLowerCase() : !options.caseSensitive;
  const source = options.regex ? query : escapeRegex(query);
  const flags = `u${ignoreCase ? 'i' : ''}`;
  let line: RegExp;
  try {
    line = new RegExp(source, flags);
  } catch (error) {
    throw new SearchQueryError(`The regex is invalid (${(error as Error).message}). Fix it, or pass regex: false to search for the text literally.`);
  }
  return {
    line,
    whole: new RegExp(source, `g${flags}m`),
    literal: !options.regex && !ignoreCase ? query : null,
    required: ignoreCase ? null : options.regex ? requiredLiteral(query) : query,
    requiredFolded: ignoreCase ? foldedPrefilter(options.regex ? requiredLiteral(query) : query) : null,
    ignoreCase,
    rg: options.regex ? translateForRipgrep(query) : { pattern: query, fixed: true },
  };
}

/** A case-insensitive ASCII test for `text`, or null when Unicode case folding could match non-ASCII (K, S). */
function foldedPrefilter(text: string | null): RegExp | null {
  if (!text || !/^[\x20-\x7e]+$/.test(text) || /[ks]/i.test(text)) return null;
  return new RegExp(escapeRegex(text), 'i');
}

const jsSpace = '\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
const classBodies: Record<string, string> = { d: '0-9', w: '0-9A-Za-z_', s: jsSpace };
const rustMeta = new Set('\\.+*?()|[]{}^$#&-~'.split(''));

/** JavaScript regex source → equivalent ripgrep pattern, or null when ripgrep lacks a feature. */
export function translateForRipgrep(source: string): { pattern: string; fixed: boolean } | null {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const n = source[++i];
      if (n === undefined) return null;
      const lower = n.toLowerCase();
      if (lower in classBodies) {
        const body = classBodies[lower];
        const negated = n !== lower;
        if (inClass) out += negated ? `[^${body}]` : body;
        else out += negated ? `[^${body}]` : `[${body}]`;
      } else if (n === 'b' || n === 'B') {
        if (inClass) return null;
        out += `(?-u:\\${n})`;
      } else if (/[1-9k]/.test(n)) {
        return null;
      } else if (/[0-9A-Za-z]/.test(n)) {
        out += `\\${n}`;
      } else if (rustMeta.has(n)) {
        out += `\\${n}`;
      } else {
        out += n;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[') out += '\\';
      else if (c === '&' || c === '~' || (c === '-' && source[i + 1] === '-')) out += '\\';
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') return null;
      continue;
    }
    if (c === '.') {
      out += '[^\\n\\r\\x{2028}\\x{2029}]';
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest)) return null;
      if (rest.startsWith('<')) {
        out += '(?P<';
        i += 2;
        continue;
      }
    }
    out += c;
  }
  return { pattern: out, fixed: false };
}

/**
 * The longest run of plain characters a regex match must contain, when the regex is a simple
 * sequence (no top-level `|`); null when there is none worth checking.
 */
export function requiredLiteral(source: string): string | null {
  let best = '';
  let run = '';
  let depth = 0;
  const flush = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1];
      i++;
      if (n !== undefined && depth === 0 && /[^0-9A-Za-z]/.test(n)) run += n;
      else flush();
      continue;
    }
    if (c === '|' && depth === 0) return null;
    if (c === '(') {
      depth++;
      flush();
      continue;
    }
    if (c === ')') {
      depth--;
      continue;
    }
    if (c === '[') {
      flush();
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === '?' || c === '*' || c === '{') {
      run = run.slice(0, -1);
      flush();
      if (c === '{') while (i < source.length && source[i] !== '}') i++;
      continue;
    }
    if (c === '+' || c === '.' || c === '^' || c === '$') {
      flush();
      continue;
    }
    if (depth === 0) run += c;
    else flush();
  }
  flush();
  return best.length >= 3 ? best : null;
}
