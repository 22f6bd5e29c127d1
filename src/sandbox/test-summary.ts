/**
 * A short summary of a test run for the model: the first failure with its error in full (the
 * traceback head, the assertion, the compiler error with file:line), then the other lines that
 * name failures (with a little context), then the tail where runners print their totals; never
 * the whole log. When over budget, later failures go first, then the end of the first one: the
 * first error is what the model needs to fix.
 */

const failureWords = [
  'FAIL(ED|URE)?',
  'ERROR',
  'Error',
  'error(\\[E\\d+\\])?:',
  'AssertionError',
  'assert(ion)?',
  'Traceback',
  'panicked',
  'expected',
  'Expected',
  'not ok',
  'Exception',
  'undefined reference',
  'cannot find',
  'No such file',
];
const failurePattern = new RegExp(`\\b(${failureWords.join('|')})\\b|✗|✖|×`);

/** Lines kept after the first failure's line (its traceback or diff). */
const firstFailureLines = 30;

/** Summary of at most `maxChars` characters. */
export function summarizeTestOutput(
  stdout: string,
  stderr: string,
  options: { passed: boolean; maxChars?: number; tailLines?: number; maxHits?: number } = { passed: false },
): string {
  const maxChars = options.maxChars ?? 3000;
  const tailLines = options.tailLines ?? 12;
  const maxHits = options.maxHits ?? 12;
  const lines = `${stdout}\n${stderr}`.split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  const tailStart = Math.max(0, lines.length - tailLines);
  /** Groups of line indexes, most important first: the first failure, the tail, then later failures. */
  const first = new Set<number>();
  const later: Array<Set<number>> = [];
  const tail = new Set<number>();
  for (let i = tailStart; i < lines.length; i++) tail.add(i);
  if (!options.passed) {
    let hits = 0;
    for (let i = 0; i < tailStart && hits < maxHits; i++) {
      if (!failurePattern.test(lines[i]!)) continue;
      hits++;
      if (first.size === 0) {
        for (let j = Math.max(0, i - 2); j <= Math.min(tailStart - 1, i + firstFailureLines); j++) first.add(j);
        i = Math.min(tailStart - 1, i + firstFailureLines);
        continue;
      }
      const group = new Set<number>();
      for (let j = Math.max(0, i - 1); j <= Math.min(tailStart - 1, i + 3); j++) if (!first.has(j)) group.add(j);
      later.push(group);
    }
  }
  const render = (keep: Set<number>): string => {
    const out: string[] = [];
    let last = -1;
    for (const i of [...keep].sort((a, b) => a - b)) {
      if (i > last + 1) out.push(`[... ${i - last - 1} lines ...]`);
      out.push(lines[i]!);
      last = i;
    }
    if (last < lines.length - 1 && keep.size) out.push(`[... ${lines.length - 1 - last} lines ...]`);
    return out.join('\n');
  };
  const keep = new Set([...first, ...tail, ...later.flatMap((g) => [...g])]);
  let text = render(keep);
  // over budget: drop later failures, newest first; then shorten the first failure from its end
  for (let g = later.length - 1; g >= 0 && text.length > maxChars; g--) {
    for (const i of later[g]) keep.delete(i);
    text = render(keep);
  }
  const firstLines = [...first].sort((a, b) => b - a);
  for (const i of firstLines) {
    if (text.length <= maxChars || keep.size <= tail.size + 3) break;
    keep.delete(i);
    text = render(keep);
  }
  if (text.length > maxChars) text = `${text.slice(0, Math.floor(maxChars * 0.6))}\n[...]\n${text.slice(text.length - Math.floor(maxChars * 0.4) + 7)}`;
  return text;
}
