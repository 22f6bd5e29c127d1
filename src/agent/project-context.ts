/**
 * What the model is told about the project besides the conversation: the project's own
 * instructions (AGENTS.md, .assist/instructions.md), the repo map from the index, the project's test
 * command, and the files the user pinned with /add.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RepoIndex } from '../index/repo-index.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { cutToTokens } from './context.ts';
import { renderPrompt } from './prompts.ts';

/** Files whose text is added to every prompt as the project's own instructions, in this order. */
/**
 * The repo map's tokens when `index.mapTokens` is 0 (and the context has room): aider's default.
 * On a CPU every prompt token costs (a 4,096-token map took ~100 s of a 1.5B model's first step
 * on 2 cores), and the task's own files come into the conversation through the intake.
 */
export const defaultMapTokens = 1024;

export const instructionFiles = ['AGENTS.md', '.assist/instructions.md'] as const;

/** The project's instructions, each cut to `maxTokens`; empty when there are none. */
export function readProjectInstructions(root: string, maxTokens: number, countTokens: (t: string) => number): string {
  const parts: string[] = [];
  for (const file of instructionFiles) {
    const full = path.join(root, file);
    if (!existsSync(full)) continue;
    let text: string;
    try {
      text = readFileSync(full, 'utf8').trim();
    } catch {
      continue;
    }
    if (!text) continue;
    const cut = cutToTokens(text, maxTokens, countTokens, `Read ${file} with read_file to see the rest.`);
    parts.push(`${renderPrompt('instructions-header', { file })}\n${cut}`);
  }
  return parts.join('\n\n');
}

/**
 * Identifiers worth focusing the repo map on: words in the text that look like code
 * (camelCase, PascalCase, snake_case, dotted calls) or are written as code (`main`, `total`:
 * "Which class contains the `main` method?" read a file without it), at most 20.
 */
export function identifiersIn(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/`([A-Za-z_$][A-Za-z0-9_$]+)(?:\(\))?`/g)) found.add(match[1]);
  for (const match of text.matchAll(/[A-Za-z_$][A-Za-z0-9_$]{2,}/g)) {
    const word = match[0];
    if (/[a-z][A-Z]|_|^[A-Z][a-z]+[A-Z]/.test(word) || /\(\)?$/.test(text.slice(match.index! + word.length, match.index! + word.length + 2))) found.add(word);
    if (found.size >= 20) break;
  }
  return [...found];
}

/** Paths of indexed files the text mentions (by full path or unique base name). */
export function filesMentioned(text: string, files: string[]): string[] {
  const mentioned = new Set<string>();
  const byBase = new Map<string, string[]>();
  for (const file of files) {
    const base = path.posix.basename(file);
    byBase.set(base, [...(byBase.get(base) ?? []), file]);
  }
  const known = new Set(files);
  for (const match of text.matchAll(/[\w./-]+\.[A-Za-z0-9]+/g)) {
    // a path as the project names it, or as a tool printed it from elsewhere (`/work/test/app.test.ts`)
    const parts = match[0].replace(/^\.\//, '').split('/');
    const tail = parts.map((_, i) => parts.slice(i).join('/')).find((t) => known.has(t));
    const base = parts.at(-1) ?? '';
    if (tail) mentioned.add(tail);
    else if (byBase.get(base)?.length === 1 && (parts.length === 1 || parts[0] === '')) mentioned.add(byBase.get(base)![0]);
  }
  return [...mentioned];
}

export interface RepoMapContextOptions {
  index: RepoIndex;
  pinned: string[];
  /** The conversation text to take focus identifiers and files from. */
  focusText: string;
  /** Files the conversation shows whole (the intake's reads): the map centres on them and leaves them out. */
  shownFiles?: string[];
  mapTokens: number;
  countTokens(text: string): number;
}

/** The repo map block, focused on pinned and mentioned files and identifiers ('' when empty or failing). */
export function buildRepoMapContext(options: RepoMapContextOptions): string {
  if (options.mapTokens < 64) return '';
  try {
    const shown = options.shownFiles ?? [];
    const focusFiles = [...new Set([...options.pinned, ...filesMentioned(options.focusText, options.index.files()), ...shown])];
    const map = options.index.repoMap({
      focusFiles,
      focusIdents: identifiersIn(options.focusText),
      omitFiles: shown,
      tokenBudget: options.mapTokens,
      countTokens: options.countTokens,
    });
    if (!map.trim()) return '';
    return `Repository map (the most relevant files and their definitions):\n${cutToTokens(map.trim(), options.mapTokens, options.countTokens)}`;
  } catch {
    // A broken index must not stop the turn; the model can still list and search files.
    return '';
  }
}

export interface PinnedContextOptions {
  workspace: Workspace;
  pinned: string[];
  pinnedTokens: number;
  countTokens(text: string): number;
}

/** The pinned files, line-numbered, each cut to its share of `pinnedTokens` ('' when none). */
export async function buildPinnedContext(options: PinnedContextOptions): Promise<string> {
  const parts: string[] = [];
  if (options.pinned.length === 0) return '';
  const share = Math.max(64, Math.floor(options.pinnedTokens / options.pinned.length));
  for (const file of options.pinned) {
    let text: string;
    try {
      text = await options.workspace.readText(file);
    } catch (error) {
      parts.push(`Pinned file ${file}: cannot be read (${(error as Error).message}).`);
      continue;
    }
    const numbered = text
      .split('\n')
      .map((line, i) => `${i + 1}\t${line}`)
      .join('\n');
    const hint = `Use read_file on ${file} with a line range to see the rest.`;
    parts.push(`Pinned file ${file} (line-numbered):\n${cutToTokens(numbered, share, options.countTokens, hint)}`);
  }
  return parts.join('\n\n');
}

/**
 * One line naming the command run_tests runs when given none ('' when there is none). Small
 * models otherwise invent one (`go test src/mystr.c` for a C project with a Makefile).
 */
export function testCommandNote(tests: { command: string; from: string } | undefined): string {
  return tests ? `Test command: ${tests.command} (${tests.from}). run_tests with "command": null runs it.` : '';
}
