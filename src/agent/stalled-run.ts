/**
 * A run that fails the same way again with nothing changed: the model is stuck on code it cannot
 * see the fault in. In bash-count-lines the 1.5B model wrote `echo "… $(wc -l "$1")"`, ran it (the
 * file's name printed with the count), copied the line unchanged into an edit, ran it again twice,
 * and the turn stopped at the repeat with four of its five minutes left. Before the model is told
 * to change course, the code the run runs is written afresh by code completion as an edit that
 * copies its lines is (tools/body-rewrite.ts: the failed run above it as comments, judged by that
 * run): what a developer does with code they keep reading past.
 */
import path from 'node:path';
import { commentText } from '../text/comment-prose.ts';

/**
 * Of the files the turn changed, the ones `command` runs: named in it by their path or their file
 * name as a word (`bash count.sh data.txt`, `python3 app.py`), not by a longer name that ends the same.
 */
export function filesRun(command: string, changed: readonly string[]): string[] {
  const words = new Set(command.split(/[\s;&|()<>"'=]+/).filter(Boolean));
  return changed.filter((file) => words.has(file) || words.has(`./${file}`) || words.has(path.basename(file)));
}

/** Lines that only close a block: they say nothing of where the code is. */
const closer = /^\s*(?:fi|done|esac|end|[}\])];?)\s*$/;

/**
 * The line of `text` to anchor a rewrite of its code at: its last line of code (not blank, a
 * comment or a line that only closes a block) that is there once, so the code around it (a
 * script's top-level code, or the function that holds it) is what is written afresh; undefined
 * when it has none.
 */
export function anchorLine(text: string): string | undefined {
  const lines = text.split('\n');
  const count = new Map<string, number>();
  for (const line of lines) count.set(line.trim(), (count.get(line.trim()) ?? 0) + 1);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line.trim() === '' || closer.test(line) || commentText(line) !== undefined || line.startsWith('#!')) continue;
    if (count.get(line.trim()) === 1) return line;
  }
  return undefined;
}
