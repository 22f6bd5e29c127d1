/**
 * The interactive session's input history, kept in `.assist/input_history` (one input per line,
 * oldest first; the newlines of a pasted input are stored as ␤), so arrow-up recalls inputs from
 * earlier sessions in the same project.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromEditorLine, toEditorLine } from './bracketed-paste.ts';

/** Inputs kept in the file and offered to readline. */
export const inputHistoryLimit = 500;

export function inputHistoryPath(root: string): string {
  return path.join(root, '.assist', 'input_history');
}

/** Past inputs, most recent first (the order `readline` wants). A missing file is an empty history. */
export function loadInputHistory(root: string, limit = inputHistoryLimit): string[] {
  const file = inputHistoryPath(root);
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.slice(-limit).reverse().map(fromEditorLine);
}

/**
 * Records one input; an input equal to the previous one is not repeated. The file is trimmed to
 * `limit` lines when it grows past twice that.
 */
export function appendInputHistory(root: string, input: string, limit = inputHistoryLimit): void {
  const line = toEditorLine(input.trim());
  if (!line) return;
  const file = inputHistoryPath(root);
  mkdirSync(path.dirname(file), { recursive: true });
  const ignore = path.join(path.dirname(file), '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# assist keeps its sessions, index and checkpoints here\n*\n');
  const previous = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
    : [];
  if (previous.at(-1) === line) return;
  if (previous.length + 1 > 2 * limit) {
    writeFileSync(file, [...previous, line].slice(-limit).join('\n') + '\n');
    return;
  }
  appendFileSync(file, line + '\n');
}
