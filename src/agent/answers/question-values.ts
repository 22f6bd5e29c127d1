/**
 * Values a question asks about that the code shown takes from elsewhere. js-question-tax: "What tax
 * rate (as a percentage) does checkout apply to an order?" The intake showed src/checkout.js, which
 * applies `TAX_RATE` from `require('./rates.js')`; the value was in no file shown, and the 1.5B
 * model answered "10", a rate of its own. A developer would look up where `TAX_RATE` is set. So a
 * name in the code shown whose words are all words of the question (tax, rate), and that the code
 * shown does not set itself, is looked up where it is assigned: `NAME = …`, `NAME: …` (an object
 * key, a typed constant), `NAME := …`, `#define NAME …`.
 */
import { languageOf } from '../../index/languages.ts';
import { identifierWords } from '../../text/identifier-words.ts';
import { codeLinesWith } from '../intake/intake-search.ts';
import { escapeRegex } from '../../workspace/search-query.ts';

/** Names looked up at most in one question. */
const maxNames = 2;

/** A word and its singular (rates → rate, entries → entry), so a plural in the question still matches. */
function forms(word: string): string[] {
  const out = [word];
  if (/ies$/.test(word)) out.push(word.replace(/ies$/, 'y'));
  else if (/[^s]s$/.test(word)) out.push(word.slice(0, -1));
  return out;
}

/**
 * A line that sets `name` (any of the assignment shapes above), as a regular expression's source
 * (without lookarounds, so ripgrep runs it: the search in process reads every file).
 */
export function assignmentPattern(name: string): string {
  const n = escapeRegex(name);
  return String.raw`#\s*define\s+${n}\b|\b${n}\b['"]?\s*(?::=|:(?:[^:]|$)|=(?:[^=>]|$))`;
}

/**
 * The names in `shown` (the code the intake showed) that a question asks about in other words: a
 * compound name (two words or more, so a plain `rate` or `total` is not one) whose every word is a
 * word of `question`, which `shown` does not set. In the order `shown` uses them, `maxNames` at most.
 */
export function valueNames(question: string, shown: string): string[] {
  const asked = new Set(identifierWords(question).flatMap(forms));
  const out: string[] = [];
  for (const [name] of shown.matchAll(/[A-Za-z_$][\w$]*/g)) {
    if (out.includes(name) || out.length >= maxNames) continue;
    const words = identifierWords(name);
    if (words.length < 2 || !words.every((w) => forms(w).some((f) => asked.has(f)))) continue;
    if (new RegExp(assignmentPattern(name)).test(shown)) continue;
    out.push(name);
  }
  return out;
}

/**
 * Where `name` is set in the project's code (not its tests, nor a config file or its docs: the
 * value the code uses, not an example's: pyapp-question-rounding's `round_to_minutes` was first set in
 * tally.example.toml), first line found; undefined when nowhere.
 */
export async function assignedAt(root: string, name: string, signal?: AbortSignal): Promise<{ path: string; line: number } | undefined> {
  const lines = await codeLinesWith(root, assignmentPattern(name), { caseSensitive: true, regex: true }, signal);
  return lines.find((l) => languageOf(l.path) !== null);
}
