/**
 * The parts of a rewrite, one at a time. A body written afresh by code completion often holds the
 * fix and, beside it, other lines written another way that break what was right: in
 * pyapp-fix-env-override the greedy body of `load_config` applied the environment after the file
 * (the fix) and also rewrote how the file is found, so 16 tests failed where 1 had. Each part of
 * such a rewrite (a run of lines changed together, with unchanged lines on both sides) is tried
 * alone, the rest of the body as it was: a test run each, no more writing.
 */
import { diffLines } from 'diff';

/** Parts tried at most per rewrite: a rewrite of many parts is a new body, not a fix beside a reshaping. */
export const maxParts = 4;

/**
 * `before` with one part of the change to `after` made, for each part (in order), when the change
 * has 2 to `maxParts` parts; none otherwise (one part is the whole rewrite, tried already).
 */
export function rewriteParts(before: string, after: string): string[] {
  const nl = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  const changes = diffLines(nl(before), nl(after));
  // the parts: runs of removed and added lines between unchanged ones
  const parts: number[] = [];
  let part = -1;
  let inPart = false;
  const partOf = changes.map((c) => {
    if (!c.added && !c.removed) {
      inPart = false;
      return -1;
    }
    if (!inPart) {
      part++;
      parts.push(part);
      inPart = true;
    }
    return part;
  });
  if (parts.length < 2 || parts.length > maxParts) return [];
  return parts.map((p) => {
    const text = changes
      .map((c, i) => {
        if (partOf[i] === -1) return c.value;
        if (partOf[i] === p) return c.added ? c.value : '';
        return c.removed ? c.value : '';
      })
      .join('');
    return before.endsWith('\n') ? text : text.replace(/\n$/, '');
  });
}
