/**
 * A request that changes how a function is called ("change its signature to take `query`", "too
 * many positional arguments … update every caller") is a change of every call: the intake looks
 * them all up before the first step, so the model sees where they are. Left to look, the 1.5B
 * model read four test files whole, one a step, and the time ran out before it edited anything
 * (pyapp-invoice-signature).
 */
import type { RepoIndex } from '../../index/repo-index.ts';
import { escapeRegex } from '../../workspace/search-query.ts';
import { asksForDocComments } from '../docs/doc-fill.ts';
import { asksForTests } from '../checks/test-guard.ts';

const signatureWords =
  /\b(signature|parameters?|positional|(?:keyword|optional|named|extra|an?|one|two) (?:more )?arguments?|argument list|every (?:caller|call)|all (?:the )?(?:callers|calls))\b/i;
/** A verb of change not negated ("don't change the signature" keeps it). */
const changeVerb = /(?<!(?:\bnot|n't|\bnever|\bwithout)\s+)\b(change|take|make|turn|replace|add|remove|update)(?:s|d|es|ed|ing)?\b/i;

/**
 * Whether `task` asks to change how a function is called: a signature word and a verb of change in
 * one sentence (a request to test "path parameters" that also says "don't change routing.py" asks
 * for no new signature), in a request for neither tests nor doc comments ("add a test file that
 * checks path parameters", "document the parameters" name parameters and change none).
 */
export function changesSignature(task: string): boolean {
  if (asksForTests(task) || asksForDocComments(task)) return false;
  return task.split(/[.;!?](?:\s|$)|\n/).some((sentence) => signatureWords.test(sentence) && changeVerb.test(sentence));
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
