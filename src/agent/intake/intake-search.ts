/**
 * Where a request points in the code when it names no file: what a developer greps for first.
 * A bug report quotes an error message ("already booked", "server.host: is missing"), a JSON key
 * ("capacity"), a route (`POST /timers/stop`), a setting (`round_to_minutes`, pageSize); the
 * files those turn up in, weighted by how rare each term is, are where the change or the answer
 * most likely is. Messages built from a template ("page 2 is out of range (there are 1)") are
 * searched by their longest literal piece when the whole does not match.
 */
import { isTestPath } from '../../languages/test-files.ts';
import { searchCode } from '../../workspace/code-search.ts';
import { escapeRegex } from '../../workspace/search-query.ts';

/** A term a request gives to search for, and how. */
export interface SearchTerm {
  text: string;
  /** A message or phrase (searched case-insensitively), or a code name (case-sensitive). */
  kind: 'phrase' | 'name';
  /** A route's HTTP method, when the request gives one (`DELETE /bookings/42`): the routing table has both on one line. */
  method?: string;
}

/** A term and the project files (not tests) it was found in, with the lines. */
export interface TermHits {
  term: SearchTerm;
  files: string[];
  lines: Array<{ path: string; line: number }>;
}

const fileLike = /^[\w./-]+\.[A-Za-z]{1,5}$/;
const codeName = /^(?:[a-z]+[A-Z][A-Za-z0-9]*|[A-Za-z][a-z0-9]*(?:_[A-Za-z0-9]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)+)$/;

/** Names in `text` that look like code: camelCase, snake_case, SCREAMING_CASE, dotted.keys (not file names). */
function codeNamesIn(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_.]*[A-Za-z0-9]/g)) {
    const word = match[0];
    if (codeName.test(word) && !fileLike.test(word)) out.push(word);
  }
  return out;
}

/** Route paths in `text` (`/timers/stop`, `/bookings/42` as /bookings), without query strings, with the HTTP method before one. */
function routesIn(text: string): Array<{ route: string; method?: string }> {
  const out: Array<{ route: string; method?: string }> = [];
  for (const match of text.matchAll(/(?<![\w.])\/[a-z][\w-]*(?:\/[\w:{}-]+)*/g)) {
    const route = match[0]
      .split('/')
      .filter((part) => part && !/^\d+$/.test(part))
      .join('/');
    const method = /\b(GET|POST|PUT|PATCH|DELETE)\s+$/.exec(text.slice(Math.max(0, match.index - 8), match.index))?.[1];
    if (route) out.push({ route: `/${route}`, ...(method ? { method } : {}) });
  }
  return out;
}

/** The regular expression that finds a route with its method on one line, either way round (case aside). */
export function routeLinePattern(route: string, method: string): string {
  const path = escapeRegex(route);
  return String.raw`\b${method}\b.*${path}\b|${path}\b.*\b${method}\b`;
}

/** Quoted keys of JSON in `text` (`{"capacity": 7.5}` gives capacity). */
function jsonKeysIn(text: string): string[] {
  return [...text.matchAll(/"([A-Za-z_][\w.-]*)"\s*:/g)].map((m) => m[1]);
}

/** The terms of `task` to search for, in the order the request gives them, at most `max`. */
export function searchTermsIn(task: string, max = 8): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const add = (text: string, kind: SearchTerm['kind'], method?: string) => {
    const t = text.trim();
    if (t.length >= 3 && !fileLike.test(t) && !terms.some((x) => x.text === t)) terms.push({ text: t, kind, ...(method ? { method } : {}) });
  };
  const names = (code: string) => {
    for (const { route, method } of routesIn(code)) add(route, 'name', method);
    for (const key of jsonKeysIn(code)) add(key, 'name');
    for (const name of codeNamesIn(code.replace(/"[^"\n]*"/g, ' '))) add(name, 'name');
  };
  // code in backticks, then JSON objects: the names in them
  let rest = task.replace(/`([^`\n]{2,200})`/g, (_, code: string) => {
    names(code);
    return ' ';
  });
  rest = rest.replace(/\{[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*\}/g, (json: string) => {
    names(json);
    return ' ';
  });
  // quoted messages (a quoted sentence is the reporter's words, not a message), then quoted names
  const quoted = (_: string, text: string) => {
    const span = text.trim();
    const words = span.split(/\s+/).length;
    if (words >= 2 && words <= 12 && /[a-z]{2}/i.test(span) && !/[.!?]\s/.test(span)) add(span, 'phrase');
    else if (words === 1 && /^[A-Za-z_][\w.]*$/.test(span)) add(span, 'name');
    return ' ';
  };
  // single quotes first: a message quoted inside the reporter's double-quoted words
  rest = rest.replace(/(?<![A-Za-z])'([^'\n]{3,100})'(?![A-Za-z])/g, quoted).replace(/"([^"\n]{3,300})"/g, quoted);
  names(rest);
  return terms.slice(0, max);
}

/** Literal pieces of a message a template may have built: split at numbers and `: `, longest first. */
export function phrasePieces(phrase: string): string[] {
  return phrase
    .split(/\s*(?:\d+(?:\.\d+)?|: |\(|\))\s*/)
    .map((p) => p.trim())
    .filter((p) => p.length >= 8 && /\s/.test(p))
    .sort((a, b) => b.length - a.length);
}

/** The lines of the project's code (not its tests) that hold `text` (a regular expression with `regex`), 200 at most; none when the search fails. */
export async function codeLinesWith(
  root: string,
  text: string,
  options: { caseSensitive: boolean; regex?: boolean },
  signal?: AbortSignal,
): Promise<TermHits['lines']> {
  try {
    const outcome = await searchCode(
      root,
      { query: text, regex: options.regex ?? false, caseSensitive: options.caseSensitive, glob: null, dir: null, contextLines: 0 },
      'auto',
      signal,
      200,
    );
    return outcome.lines.filter((l) => l.match && !isTestPath(l.path)).map(({ path, line }) => ({ path, line }));
  } catch {
    return [];
  }
}

/**
 * Searches the project for each term (a phrase that is not found, by its longest piece that is);
 * returns the terms found, each with the files (not tests) holding it. Never throws.
 */
export async function findTerms(root: string, terms: readonly SearchTerm[], signal?: AbortSignal): Promise<TermHits[]> {
  const linesWith = (text: string, caseSensitive: boolean, regex = false) => codeLinesWith(root, text, { caseSensitive, regex }, signal);
  const hits = (term: SearchTerm, lines: TermHits['lines']): TermHits => ({ term, files: [...new Set(lines.map((l) => l.path))], lines });
  const found: TermHits[] = [];
  for (const term of terms) {
    if (signal?.aborted) break;
    if (term.kind === 'name') {
      // a route with its method: the lines that have both (the routing table), else the route anywhere
      const routed = term.method ? await linesWith(routeLinePattern(term.text, term.method), false, true) : [];
      const lines = routed.length ? routed : await linesWith(term.text, true);
      if (lines.length) found.push(hits(routed.length ? term : { text: term.text, kind: term.kind }, lines));
      continue;
    }
    for (const text of [term.text, ...phrasePieces(term.text)]) {
      const lines = await linesWith(text, false);
      if (lines.length) {
        found.push(hits({ text, kind: 'phrase' }, lines));
        break;
      }
    }
  }
  return found;
}

/**
 * The files the found terms point at, best first: each term gives its files a share of one (a term
 * in one file says more than a term in ten), terms found in more than `maxFiles` files say nothing.
 */
export function likeliestFiles(hits: ReadonlyArray<Pick<TermHits, 'files'>>, maxFiles = 8): string[] {
  const score = new Map<string, number>();
  for (const { files } of hits) {
    if (files.length > maxFiles) continue;
    for (const file of files) score.set(file, (score.get(file) ?? 0) + 1 / files.length);
  }
  return [...score].sort((a, b) => b[1] - a[1]).map(([file]) => file);
}

/** The found terms worth showing the model, most telling first (fewest files, then the longer text). */
export function tellingTerms<T extends Pick<TermHits, 'term' | 'files'>>(hits: readonly T[], max = 2, maxFiles = 8): T[] {
  return hits
    .filter((h) => h.files.length <= maxFiles)
    .sort((a, b) => a.files.length - b.files.length || b.term.text.length - a.term.text.length)
    .slice(0, max);
}
