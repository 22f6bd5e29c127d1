/**
 * The lines around an applied change, as the file reads now, numbered like read_file shows them.
 * An edit's observation used to say only "Applied: stack.go (edited, +6 -0)": a small model that
 * put a new body under a function's first line, leaving the old body below it, could not see that
 * and applied the same edit three times. Agents that show the edited window after each edit
 * (SWE-agent's interface design) let the model check its own change.
 */
import { structuredPatch } from 'diff';
import { viewLine } from '../src/workspace/text-edits.ts';

/** Lines of context around each changed run of lines. */
const contextLines = 2;

/**
 * The changed regions of `after` (with `contextLines` around each), at most `maxLines` lines in all;
 * '' when nothing changed or the file is new or deleted (its whole text is the action itself).
 */
export function changedLinesView(path: string, before: string | null, after: string | null, maxLines = 30): string {
  if (before === null || after === null || before === after) return '';
  const patch = structuredPatch(path, path, before, after, '', '', { context: contextLines });
  const total = after.split('\n').length - (after.endsWith('\n') ? 1 : 0);
  const width = String(total).length;
  const out: string[] = [];
  let shown = 0;
  let left = 0;
  for (const hunk of patch.hunks) {
    const kept = hunk.lines.filter((line) => !line.startsWith('-') && !line.startsWith('\\'));
    if (shown >= maxLines) {
      left += kept.length;
      continue;
    }
    if (out.length > 0) out.push('...');
    kept.forEach((line, i) => {
      if (shown >= maxLines) {
        left++;
        return;
      }
      out.push(viewLine(hunk.newStart + i, width, line.slice(1)));
      shown++;
    });
  }
  if (out.length === 0) return '';
  if (left > 0) out.push(`[${left} more changed or nearby lines: read_file shows them.]`);
  return `${path} now, around the change:\n${out.join('\n')}`;
}
