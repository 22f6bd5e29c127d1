/**
 * Which suite tasks the peer bench runs, and which files aider gets as editable files.
 */
import path from 'node:path';
import { selectTasks, SuiteError, type EvalTask, type TaskKind } from '../../src/eval/suite.ts';

/** The kinds aider can do: everything that ends in changed files. Questions are out. */
export const peerKinds = ['write', 'fix', 'refactor', 'add-test', 'exercise'] as const satisfies readonly TaskKind[];
export type PeerKind = (typeof peerKinds)[number];

/**
 * Why aider cannot do a task, or undefined when it can: the task must change files (not a
 * question) and be judged by its check command alone (aider's reply text is not an answer).
 */
export function whyNotForAider(task: EvalTask): string | undefined {
  if (!(peerKinds as readonly string[]).includes(task.kind)) return `it is a ${task.kind} task (aider gets ${peerKinds.join(', ')})`;
  if (!task.check) return 'it has no check command';
  if (task.answer) return 'it is judged by its answer text';
  return undefined;
}

/**
 * The tasks to run: those aider can do, of the given kinds, then the named ids (in that order;
 * naming one aider cannot do is an error that says why), then the first `limit`.
 */
export function selectPeerTasks(all: EvalTask[], options: { ids?: string[]; kinds?: readonly PeerKind[]; limit?: number }): EvalTask[] {
  if (options.ids?.length) {
    const named = selectTasks(all, { ids: options.ids });
    const refused = named.map((t) => [t.id, whyNotForAider(t)] as const).filter(([, why]) => why);
    if (refused.length) throw new SuiteError(`aider cannot do ${refused.map(([id, why]) => `${id} (${why})`).join(', ')}`);
  }
  let chosen = all.filter((t) => !whyNotForAider(t));
  if (options.kinds?.length) chosen = chosen.filter((t) => (options.kinds as readonly string[]).includes(t.kind));
  if (options.ids?.length) chosen = selectTasks(chosen, { ids: options.ids });
  return selectTasks(chosen, options.limit === undefined ? {} : { limit: options.limit });
}

/** A workspace up to this many files (and not built on a shared codebase) is small: all of it is editable. */
export const smallWorkspaceFiles = 20;

/**
 * The files aider gets as editable, from the task's starting files (path → text): in a small
 * workspace every text file; on a big one (a shared `base` codebase, or more than
 * `smallWorkspaceFiles` files) the files the prompt names (by path, or by a file name that occurs
 * once in the tree), and aider's repo map finds the rest. Sorted.
 */
export function editableFiles(task: Pick<EvalTask, 'prompt' | 'base'>, tree: Map<string, string>): string[] {
  const text = [...tree].filter(([, content]) => !content.includes('\u0000')).map(([rel]) => rel);
  if (!task.base && tree.size <= smallWorkspaceFiles) return text.sort();
  const counts = new Map<string, number>();
  for (const rel of text) counts.set(path.posix.basename(rel), (counts.get(path.posix.basename(rel)) ?? 0) + 1);
  const names = (rel: string) => mentions(task.prompt, rel) || (counts.get(path.posix.basename(rel)) === 1 && mentions(task.prompt, path.posix.basename(rel)));
  return text.filter(names).sort();
}

/** Whether `text` names `file` as a whole word (not inside a longer path or name). */
function mentions(text: string, file: string): boolean {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w./-])${escaped}($|[^\\w/-]|\\.(?!\\w))`).test(text);
}
