/**
 * A name misspelt, as the runtime or the compiler says it, with the name it suggests written in its
 * place: ruby-account's filled `transfer` read `overdraft_limit` where `initialize` had set
 * `@overdraft_limit`, Ruby said "undefined local variable or method `overdraft_limit' … Did you
 * mean?  @overdraft_limit", and twenty samples of `transfer` in a row failed the same one test. The
 * words name the name, the suggestion and (by the stack or the error's place) the line:
 *
 *   NameError: undefined local variable or method `overdraft_limit' for …   (ruby)
 *   Did you mean?  @overdraft_limit
 *   NameError: name 'totl' is not defined. Did you mean: 'total'?            (python; AttributeError alike)
 *   a.c:3:5: error: 'totl' undeclared (first use in this function); did you mean 'total'?   (gcc)
 *   a.cpp:3:5: error: 'totl' was not declared in this scope; did you mean 'total'?         (g++)
 *   a.c:3:5: error: use of undeclared identifier 'totl'; did you mean 'total'?              (clang)
 *   a.ts(3,5): error TS2552: Cannot find name 'totl'. Did you mean 'total'?                  (tsc; TS2551 for a property)
 *   error[E0425]: cannot find value `totl` in this scope … help: a local variable with a similar name exists: `total`   (rustc)
 *
 * pytest prints Python's NameError without the suggestion (`NameError: name 'RAT' is not defined`):
 * the name of the file nearest it is taken, by Python's rule.
 *
 * Only the lines of the file the output names are changed, and only the name as a whole word there;
 * the tests judge the result, as they do every try.
 */
import { escapeRegex } from '../../workspace/search-query.ts';
import { linesNamed } from './output-lines.ts';

/** A name the output could not find, and the one it suggests instead. */
export interface Suggested {
  name: string;
  suggestion: string;
}

const q = `[\`'‘’"]`;
const patterns: RegExp[] = [
  // ruby: the suggestion on a line of its own after the error (the first of several)
  new RegExp(`undefined (?:local variable or method|method) ${q}(\\w+[?!]?)${q}[^\\n]*\\n(?:[^\\n]*\\n){0,6}?\\s*Did you mean\\?\\s+([@$]{0,2}\\w+[?!]?)`, 'g'),
  // python: NameError, AttributeError
  new RegExp(`(?:name ${q}(\\w+)${q} is not defined|has no attribute ${q}(\\w+)${q})\\. Did you mean: ${q}(\\w+)${q}\\?`, 'g'),
  // gcc, g++, clang
  new RegExp(
    `error: (?:${q}(\\w+)${q} (?:undeclared|was not declared in this scope)|use of undeclared identifier ${q}(\\w+)${q})[^\\n]*?; did you mean ${q}(\\w+)${q}\\?`,
    'g',
  ),
  // tsc
  new RegExp(`error TS255[12]: (?:Cannot find name|Property) ${q}(\\w+)${q}[^\\n]*?\\. Did you mean ${q}(?:this\\.)?(\\w+)${q}\\?`, 'g'),
  // rustc
  new RegExp(`cannot find (?:value|function|struct|type|macro) ${q}(\\w+)${q}[^]*?help: [^\\n]*similar name exists[^\\n]*: ${q}(\\w+)${q}`, 'g'),
];

/** Python's NameError as pytest prints it: without the suggestion the interpreter adds. */
const pythonUnnamed = new RegExp(`NameError: name ${q}(\\w+)${q} is not defined(?!\\. Did you mean)`, 'g');

/**
 * The name of `text` nearest `name`, by Python's own rule for its suggestions: an edit distance
 * within a third of their lengths together (plus one), and one such name only (a tie is no answer).
 */
export function nearestName(name: string, text: string): string | undefined {
  const words = new Set(text.match(/[A-Za-z_]\w*/g) ?? []);
  words.delete(name);
  let best: string | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const word of words) {
    if (Math.abs(word.length - name.length) > 2) continue;
    const cost = editDistance(word, name);
    if (cost > (word.length + name.length + 3) / 6) continue;
    if (cost < bestCost) [best, bestCost, tie] = [word, cost, false];
    else if (cost === bestCost) tie = true;
  }
  return tie ? undefined : best;
}

/** Levenshtein's distance between two short words. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/**
 * The misspelt names `output` reports, each with its suggestion (first seen first; a name once); a
 * Python name pytest reports with none gets the nearest name of `text`, the file's, when there is one.
 */
export function suggestedNames(output: string, text?: string): Suggested[] {
  const out: Suggested[] = [];
  if (text !== undefined)
    for (const m of output.matchAll(pythonUnnamed)) {
      const suggestion = nearestName(m[1], text);
      if (suggestion && !out.some((s) => s.name === m[1])) out.push({ name: m[1], suggestion });
    }
  for (const pattern of patterns) {
    for (const m of output.matchAll(pattern)) {
      const groups = m.slice(1).filter((g): g is string => g !== undefined);
      const [name, suggestion] = [groups[0], groups.at(-1)!];
      if (!name || !suggestion || name === suggestion || out.some((s) => s.name === name)) continue;
      out.push({ name, suggestion });
    }
  }
  return out;
}

/**
 * `text` (the file `path`) with each misspelt name `output` reports written as the name suggested,
 * on the lines of `path` the output names; undefined when no such line holds one.
 */
export function withSuggestedNames(path: string, text: string, output: string): { text: string; what: string } | undefined {
  const suggested = suggestedNames(output, text);
  if (suggested.length === 0) return undefined;
  const lines = text.split('\n');
  const done: Suggested[] = [];
  for (const at of linesNamed(output, path)) {
    if (lines[at - 1] === undefined) continue;
    for (const s of suggested) {
      // (a whole word, and not one a sigil makes another name: `@overdraft_limit` stays)
      const word = new RegExp(`(?<![\\w@$])${escapeRegex(s.name)}(?![\\w?!])`, 'g');
      const after = lines[at - 1].replace(word, s.suggestion);
      if (after === lines[at - 1]) continue;
      lines[at - 1] = after;
      if (!done.includes(s)) done.push(s);
    }
  }
  if (done.length === 0) return undefined;
  return {
    text: lines.join('\n'),
    what: `wrote ${done.map((s) => `\`${s.suggestion}\` for \`${s.name}\``).join(', ')}, as the error suggests`,
  };
}
