/**
 * A request that changes how a function is called ("change its signature to take `query`", "too
 * many positional arguments … update every caller") is a change of every call: the intake looks
 * them all up before the first step, so the model sees where they are. Left to look, the 1.5B
 * model read four test files whole, one a step, and the time ran out before it edited anything
 * (pyapp-invoice-signature).
 */
import type { RepoIndex } from '../index/repo-index.ts';
import { escapeRegex } from '../workspace/search-query.ts';

/** Whether `task` asks to change how a function is called. */
export function changesSignature(task: string): boolean {
  return (
    /\b(signature|parameters?|positional|arguments?|every (?:caller|call)|all (?:the )?(?:callers|calls))\b/i.test(task) &&
    /\b(change|take|make|turn|replace|add|remove|update)\w*/i.test(task)
  );
}

/** The function whose calls change: the first of `names` (the request's, in order) the index defines as a function or method. */
export function signatureTarget(names: readonly string[], index: RepoIndex): string | undefined {
  for (const name of names) {
    try {
      if (index.symbols(name, { maxRefs: 0 }).defs.some((d) => d.kind === 'function' || d.kind === 'method')) return name;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A regular expression for the calls of `name` (and its definition): the name as a word, then `(`. */
export function callPattern(name: string): string {
  return `\\b${escapeRegex(name)}\\s*\\(`;
}
