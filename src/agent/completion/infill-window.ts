/**
 * The part of a long file that code completion reads around a gap. Every token before the gap is
 * read before the first one is written (~35-64 tokens/s for the 1.5B model on two cores), so the
 * whole of a long file made each first try at one of its functions slow, and a file past the
 * context could not be completed at all (tally's commands.py, 232 lines, was a 4,070-token prompt
 * with the files before it, 110 s on a slow two-core machine).
 *
 * Kept, as a developer reading the file at the gap would: the file's head (its imports, includes
 * and package line: the names the gap may use), then the lines nearest the gap, about two thirds
 * before it and one third after, each side cut where a top-level definition begins when one is
 * near the cut. A file that fits is read whole, as before.
 */

/** A line that brings in names or says where the file belongs: what the code of any gap may use (not indented: an import inside a function is that function's). */
const headLine =
  /^(?:import\b|from\s+[\w.]+\s+import\b|export\s+(?:\*|\{[^}]*\})\s+from\b|package\b|use\s|using\s|#include\b|#import\b|require\b|require_relative\b|extern\s+crate\b|mod\s+\w+\s*;|(?:const|let|var)\s+[\w{}\s,$]+=\s*require\(|library\b|source\s|\.\s+\S)/;

/** Lines of the head looked at, at most: imports come first in a file. */
const headScanLines = 120;

/** Lines of a head kept at most: a longer run of imports is left to the gap's nearest lines. */
const maxHeadLines = 60;

/**
 * How many of a file's first `lines` are its head: up to its last import line near the top (not
 * past `before`, the line a gap is on), with the blank lines after it; 0 when it has none or a
 * longer one.
 */
export function headLength(lines: readonly string[], before = lines.length): number {
  let end = 0;
  for (let i = 0; i < Math.min(headScanLines, before); i++) if (headLine.test(lines[i])) end = i + 1;
  // (with the blank lines after it, as the file has them)
  while (end > 0 && end < before && lines[end].trim() === '') end++;
  return end > maxHeadLines ? 0 : end;
}

/**
 * The lines of a file a gap's prefix keeps before line `from` (0-based), where it is read from
 * there on: the file's head (its imports: the names the gap may use), then a blank line if it ends
 * without one; all the lines before `from` when the head reaches it.
 */
export function headAbove(lines: readonly string[], from: number): string[] {
  const end = headLength(lines, from);
  if (end === 0) return [];
  if (end >= from) return lines.slice(0, from);
  return [...lines.slice(0, end), ...(lines[end - 1].trim() !== '' ? [''] : [])];
}

/** Where a top-level definition (or other statement) begins: not indented, not blank, not a closing bracket. */
function topLevel(line: string | undefined): boolean {
  return line !== undefined && /^[^\s)}\]]/.test(line);
}

export interface InfillWindow {
  prefix: string;
  suffix: string;
  /** Lines of the file left out (0: read whole). */
  leftOut: number;
}

/**
 * `prefix` and `suffix` cut to about `maxTokens` (counted by `count`): the head of the file (its
 * import lines, when they take at most a quarter), then whole lines nearest the gap. Unchanged when
 * they fit.
 */
export function infillWindow(prefix: string, suffix: string, maxTokens: number, count: (text: string) => number): InfillWindow {
  if (count(prefix) + count(suffix) <= maxTokens) return { prefix, suffix, leftOut: 0 };
  const before = prefix.split('\n');
  const after = suffix.split('\n');
  const cost = (line: string) => count(line) + 1;

  // the head: the file's lines up to its last import line near the top (the line the gap is on excluded)
  let headEnd = headLength(before, before.length - 1);
  let headTokens = before.slice(0, headEnd).reduce((sum, line) => sum + cost(line), 0);
  if (headTokens > maxTokens / 4) {
    headEnd = 0;
    headTokens = 0;
  }
  const room = Math.max(0, maxTokens - headTokens);

  // the lines after the gap: a third of the room at most, or what they take
  const suffixShare = Math.floor(room / 3);
  let suffixTaken = 0;
  let end = 0;
  while (end < after.length && (end === 0 || suffixTaken + cost(after[end]) <= suffixShare)) suffixTaken += cost(after[end++]);

  // the lines before it: the rest of the room (the gap's own line always)
  let start = before.length - 1;
  let prefixTaken = cost(before[start]);
  while (start > headEnd && prefixTaken + cost(before[start - 1]) <= room - suffixTaken) prefixTaken += cost(before[--start]);
  // what the lines before the gap left unused goes to the lines after it
  while (end < after.length && prefixTaken + suffixTaken + cost(after[end]) <= room) suffixTaken += cost(after[end++]);

  // cut where a top-level definition begins, when one is in the first half of what is kept before the gap
  if (start > headEnd) {
    const taken = before.length - 1 - start;
    for (let i = start; i < start + taken / 2; i++) {
      if (topLevel(before[i]) && (i === start || before[i - 1].trim() === '')) {
        start = i;
        break;
      }
    }
  }
  // and after the gap, before the last top-level line in the second half of what is kept
  if (end < after.length) {
    for (let i = end; i > end / 2 && i > 1; i--) {
      if (topLevel(after[i]) && after[i - 1].trim() === '') {
        end = i;
        break;
      }
    }
  }
  const keptBefore = start > headEnd ? [...(headEnd > 0 ? headAbove(before, start) : []), ...before.slice(start)] : before;
  const keptAfter = after.slice(0, end);
  const leftOut = (start > headEnd ? start - headEnd : 0) + (after.length - end);
  if (leftOut === 0) return { prefix, suffix, leftOut: 0 };
  return { prefix: keptBefore.join('\n'), suffix: end < after.length ? `${keptAfter.join('\n')}\n` : suffix, leftOut };
}
