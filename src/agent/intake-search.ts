/**
 * Where a request points in the code when it names no file: what a developer greps for first.
 * A bug report quotes an error message ("already booked", "server.host: is missing"), a JSON key
 * ("capacity"), a route (`POST /timers/stop`), a setting (`round_to_minutes`, pageSize); the
 * files those turn up in, weighted by how rare each term is, are where the change or the answer
 * most likely is. Messages built from a template ("page 2 is out of range (there are 1)") are
 * searched by their longest literal piece when the whole does not match.
 */
import { isTestPath } from '../languages/test-files.ts';
import { searchCode } from '../workspace/code-search.ts';

/** A term a request gives to search for, and how. */
export interface SearchTerm {
  text: string;
  /** A message or phrase (searched case-insensitively), or a code name (case-sensitive). */
  kind: 'phrase' | 'name';
}

/** A term and the project files (not tests) it was found in. */
export interface TermHits {
  term: SearchTerm;
  files: string[];
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

/** Route paths in `text` (`/timers/stop`, `/bookings/42` as /bookings), without query strings. */
function routesIn(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/(?<![\w.])\/[a-z][\w-]*(?:\/[\w:{}-]+)*/g)) {
    const route = match[0]
      .split('/')
      .filter((part) => part && !/^\d+$/.test(part))
      .join('/');
    if (route) out.push(`/${route}`);
  }
  return out;
}

/** Quoted keys of JSON in `text` (`{"capacity": 7.5}` gives capacity). */
function jsonKeysIn(text: string): string[] {
  return [...text.matchAll(/"([A-Za-z_][\w.-]*)"\s*:/g)].map((m) => m[1]);
}

/** The terms of `task` to search for, in the order the request gives them, at most `max`. */
export function searchTermsIn(task: string, max = 8): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const add = (text: string, kind: SearchTerm['kind']) => {
    const t = text.trim();
    if (t.length >= 3 && !fileLike.test(t) && !terms.some((x) => x.text === t)) terms.push({ text: t, kind });
  };
  const names = (code: string) => {
    for (const route of routesIn(code)) add(route, 'name');
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

/**
 * Searches the project for each term (a phrase that is not found, by its longest piece that is);
 * returns the terms found, each with the files (not tests) holding it. Never throws.
 */
export async function findTerms(root: string, terms: readonly SearchTerm[], signal?: AbortSignal): Promise<TermHits[]> {
  const filesWith = async (text: string, caseSensitive: boolean): Promise<string[]> => {
    try {
      const outcome = await searchCode(root, { query: text, regex: false, caseSensitive, glob: null, dir: null, contextLines: 0 }, 'auto', signal, 200);
      return [...new Set(outcome.lines.filter((l) => l.match).map((l) => l.path))].filter((f) => !isTestPath(f));
    } catch {
      return [];
    }
  };
  const found: TermHits[] = [];
  for (const term of terms) {
    if (signal?.aborted) break;
    if (term.kind === 'name') {
      const files = await filesWith(term.text, true);
      if (files.length) found.push({ term, files });
      continue;
    }
    for (const text of [term.text, ...phrasePieces(term.text)]) {
      const files = await filesWith(text, false);
      if (files.length) {
        found.push({ term: { text, kind: 'phrase' }, files });
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
export function likeliestFiles(hits: readonly TermHits[], maxFiles = 8): string[] {
  const score = new Map<string, number>();
  for (const { files } of hits) {
    if (files.length > maxFiles) continue;
    for (const file of files) score.set(file, (score.get(file) ?? 0) + 1 / files.length);
  }
  return [...score].sort((a, b) => b[1] - a[1]).map(([file]) => file);
}

/** The found terms worth showing the model, most telling first (fewest files, then the longer text). */
export function tellingTerms(hits: readonly TermHits[], max = 2, maxFiles = 8): TermHits[] {
  return hits
    .filter((h) => h.files.length <= maxFiles)
    .sort((a, b) => a.files.length - b.files.length || b.term.text.length - a.term.text.length)
    .slice(0, max);
}
