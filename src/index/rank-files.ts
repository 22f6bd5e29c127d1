/**
 * Files ranked against a request's words (BM25 over the words of each file's tokens: identifiers
 * split at camelCase and snake_case, and the words of comments and strings). The intake's last
 * resort for a bug report that names no file and quotes nothing telling: "capacity 7.5 was
 * accepted ... should be rejected with a 400" names words that are everywhere one at a time
 * (capacity in 10 of 55 files), while the validation code holds most of them together
 * (capacity, attendees, reject, room, booking).
 */
import { identifierWords } from '../text/identifier-words.ts';

/** Words too common in requests to say where code is. */
const stopWords = new Set(
  (
    'the and for that this with from have has had was were are been but not any all can could would should will its into ' +
    'when what which where who why how then than them they there their our your you she him her his one two also just ' +
    'like some such more most other only same very too get got does did doing done make made please fix bug code file ' +
    'files test tests work works working someone something anything nothing thing things way use used using want need ' +
    'through instead because still even after before about again here these those each every'
  ).split(' '),
);

/** A crude stem: enough that "rejected", "rejects" and `reject` meet, "bookings" and `booking`. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  // two rounds: "bookings" → booking → book, as "booking" → book
  for (let round = 0; round < 2; round++) {
    const suffix = ['ing', 'ed', 'es', 's'].find((x) => w.length > x.length + 3 && w.endsWith(x));
    if (!suffix) break;
    w = w.slice(0, -suffix.length);
  }
  return w.length > 4 && w.endsWith('e') ? w.slice(0, -1) : w;
}

/** The stems of an identifier or a word: `rejectUnknown` → reject, unknown; `room_limits` → room, limit. */
export function identifierStems(token: string): string[] {
  return identifierWords(token)
    .flatMap((w) => w.split(/\d+/))
    .filter((w) => w.length >= 3)
    .map(stem);
}

/** The stems of a request worth searching for (no stop words), each once. */
export function queryStems(text: string): string[] {
  const words = text.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? [];
  const out = new Set<string>();
  for (const word of words) {
    if (stopWords.has(word.toLowerCase())) continue;
    for (const s of identifierStems(word)) if (!stopWords.has(s)) out.add(s);
  }
  return [...out];
}

/** One file's stems and how often each occurs. */
export interface FileStems {
  path: string;
  counts: Map<string, number>;
  length: number;
}

/** The stems of a file from its distinct tokens and their counts (as the index keeps them). */
export function fileStems(path: string, tokens: readonly string[], counts: readonly number[]): FileStems {
  const out = new Map<string, number>();
  let length = 0;
  for (const [i, token] of tokens.entries()) {
    const n = counts[i] ?? 1;
    for (const s of identifierStems(token)) {
      out.set(s, (out.get(s) ?? 0) + n);
      length += n;
    }
  }
  return { path, counts: out, length };
}

/** `files` ranked by BM25 against `query`'s stems, best first; files matching no stem are left out. */
export function rankByWords(query: string, files: readonly FileStems[], max = 5): Array<{ path: string; score: number }> {
  const words = queryStems(query);
  if (words.length === 0 || files.length === 0) return [];
  const k1 = 1.2;
  const b = 0.75;
  const average = files.reduce((n, f) => n + f.length, 0) / files.length || 1;
  const idf = new Map(
    words.map((w) => {
      const df = files.filter((f) => f.counts.has(w)).length;
      return [w, Math.log((files.length - df + 0.5) / (df + 0.5) + 1)];
    }),
  );
  return files
    .map((f) => {
      let score = 0;
      for (const w of words) {
        const tf = f.counts.get(w) ?? 0;
        if (tf > 0) score += idf.get(w)! * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * f.length) / average)));
      }
      return { path: f.path, score };
    })
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path))
    .slice(0, max);
}
