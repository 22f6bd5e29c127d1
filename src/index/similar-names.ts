/**
 * Names like the one asked for, for a "did you mean": a typo (edit distance), a longer name that
 * contains it, or a name made of the same words with a synonym for the verb. Small models guess
 * names from the task's words: asked about creating a room they look up `createRoom` where the
 * code says `addRoom` (seen in the eval), and a bare "not found" sent them looking again.
 */
import { editDistance } from '../text/edit-distance.ts';
import { identifierWords } from '../text/identifier-words.ts';

/** Verbs that name the same action in code; each maps to the first of its family. */
const families = [
  ['create', 'add', 'insert', 'new', 'make', 'build', 'register'],
  ['get', 'find', 'fetch', 'load', 'read', 'lookup', 'require', 'resolve'],
  ['update', 'change', 'set', 'patch', 'edit', 'modify', 'save'],
  ['delete', 'remove', 'drop', 'destroy', 'erase'],
  ['list', 'all', 'query', 'search'],
  ['check', 'validate', 'verify', 'ensure', 'assert'],
  ['parse', 'decode', 'from'],
  ['format', 'encode', 'render', 'to', 'serialize'],
];
const verbs = new Set(families.map((family) => family[0]));
const canonical = new Map(families.flatMap((family) => family.map((word) => [word, family[0]] as const)));

/** The words of an identifier (camelCase, snake_case, kebab-case), lower case, verbs in their family's word. */
export function nameWords(name: string): string[] {
  return identifierWords(name).map((w) => canonical.get(w) ?? w);
}

/** Up to `max` of `candidates` most like `name`, closest first. */
export function similarNames(name: string, candidates: Iterable<string>, max = 5): string[] {
  const lower = name.toLowerCase();
  const words = nameWords(name);
  const scored: Array<{ name: string; score: number }> = [];
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    let score = -1;
    if (other === lower) score = 0;
    else if (Math.abs(other.length - lower.length) <= 2 && editDistance(other, lower) <= 2) score = 1 + editDistance(other, lower);
    else if (lower.length >= 4 && other.includes(lower)) score = 4 + other.length - lower.length;
    else if (words.length > 1) {
      // the same words, the verb perhaps a synonym: all shared first; a missing noun counts more than
      // a missing verb (the thing named matters most); a lone shared word must be a real one
      const theirs = nameWords(candidate);
      const shared = words.filter((w) => theirs.includes(w));
      const missing = words.filter((w) => !theirs.includes(w)).reduce((n, w) => n + (verbs.has(w) ? 5 : 10), 0);
      if (shared.length >= 2 || (shared.length === 1 && shared[0].length >= 4)) score = 100 + missing + (theirs.length - shared.length);
    }
    if (score >= 0) scored.push({ name: candidate, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}
