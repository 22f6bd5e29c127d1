/**
 * An evaluation suite: one folder per task under the suite directory, each with
 * - `task.json`: id, prompt, language, kind, and how success is checked (hidden from the agent);
 *   `base` (optional) names a shared codebase folder, relative to the task folder, whose files
 *   form the starting workspace before the task's own `workspace/` is laid over it;
 * - `workspace/`: the starting files (possibly empty; optional with `base`) the agent works in;
 * - `check/` (optional): files laid over the finished workspace only when the check runs;
 * - `solution/` (optional): a hand-written reference, used by the suite's own tests.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

export const taskKinds = ['write', 'fix', 'refactor', 'add-test', 'question', 'exercise'] as const;
/**
 * What a task asks for: a new program, a bug fix, a refactor (rename, extract, move, change a
 * signature), a new test, an answer, or an exercise (a stub plus its tests: make the tests pass
 * without changing them, the shape of aider's benchmark).
 */
export type TaskKind = (typeof taskKinds)[number];

/** One task as written in `task.json`, plus where it lives. */
export interface EvalTask {
  id: string;
  prompt: string;
  language: string;
  kind: TaskKind;
  /** A shared codebase folder (relative to the task folder) copied first; `workspace/` is laid over it. */
  base?: string;
  /** Shell command run in the sandbox (work dir = finished workspace + `check/` files); exit 0 passes. */
  check?: string;
  /** For questions: the final answer must match this regular expression. */
  answer?: { pattern: string; flags?: string };
  /** Bounds for this task, overriding the run's defaults. */
  maxSteps?: number;
  maxAttempts?: number;
  /** Time limit of the check command (default 120 s). */
  checkTimeoutMs?: number;
  /** The task folder (absolute). */
  dir: string;
}

const taskSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'prompt', 'language', 'kind'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    prompt: { type: 'string', minLength: 1 },
    language: { type: 'string', minLength: 1 },
    kind: { enum: [...taskKinds] },
    base: { type: 'string', minLength: 1 },
    check: { type: 'string', minLength: 1 },
    answer: {
      type: 'object',
      additionalProperties: false,
      required: ['pattern'],
      properties: { pattern: { type: 'string', minLength: 1 }, flags: { type: 'string', pattern: '^[imsu]*$' } },
    },
    maxSteps: { type: 'integer', minimum: 1 },
    maxAttempts: { type: 'integer', minimum: 1 },
    checkTimeoutMs: { type: 'integer', minimum: 1 },
  },
} as const;

const validateTask = new Ajv.default({ allErrors: true }).compile(taskSchema);

/** The suite shipped with assist: `test/eval/tasks/` in the repository. */
export const defaultSuiteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'eval', 'tasks');

/** A suite or task folder that cannot be used; the message names the file and what to fix. */
export class SuiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuiteError';
  }
}

/** Reads and validates one task folder. */
export async function loadTask(dir: string): Promise<EvalTask> {
  const file = path.join(dir, 'task.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new SuiteError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `not valid JSON (${(error as Error).message})`}`);
  }
  if (!validateTask(raw)) {
    const problems = (validateTask.errors ?? []).map((e) => `${e.instancePath || '(top)'} ${e.message}`).join('; ');
    throw new SuiteError(`${file}: ${problems}`);
  }
  const task = { ...(raw as Omit<EvalTask, 'dir'>), dir: path.resolve(dir) };
  if (task.id !== path.basename(dir)) throw new SuiteError(`${file}: id "${task.id}" must equal the folder name "${path.basename(dir)}"`);
  if (!task.check && !task.answer) throw new SuiteError(`${file}: a task needs a "check" command, an "answer" pattern, or both`);
  if (task.answer) {
    try {
      new RegExp(task.answer.pattern, task.answer.flags);
    } catch (error) {
      throw new SuiteError(`${file}: answer.pattern is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  if (task.base) {
    const base = await fs.stat(path.resolve(dir, task.base)).catch(() => null);
    if (!base?.isDirectory()) throw new SuiteError(`${file}: base "${task.base}" is not a folder (it is resolved from the task folder)`);
  } else {
    const ws = await fs.stat(path.join(dir, 'workspace')).catch(() => null);
    if (!ws?.isDirectory()) throw new SuiteError(`${dir}: missing workspace/ folder (it may be empty)`);
  }
  return task;
}

/** Loads every task folder of a suite, sorted by id. */
export async function loadSuite(suiteDir: string = defaultSuiteDir): Promise<EvalTask[]> {
  const entries = await fs.readdir(suiteDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new SuiteError(`cannot read suite ${suiteDir}: ${error.code === 'ENOENT' ? 'no such folder' : error.message}`);
  });
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => path.join(suiteDir, e.name))
    .sort();
  const tasks: EvalTask[] = [];
  for (const dir of dirs) {
    if (await fs.stat(path.join(dir, 'task.json')).catch(() => null)) tasks.push(await loadTask(dir));
  }
  if (tasks.length === 0) throw new SuiteError(`suite ${suiteDir} has no task folders (each needs a task.json)`);
  return tasks;
}

/** Which tasks of a suite to run: by id (in this order), by kind, then the first `limit`. */
export interface TaskSelection {
  ids?: string[];
  kinds?: TaskKind[];
  limit?: number;
  /** Each chosen task this many times (ids `task.r2`, `task.r3`, …): a model that samples passes some runs and fails others. */
  repeat?: number;
}

/**
 * Picks tasks by id (in the given order), keeps those of the given kinds, then the first `limit`,
 * each `repeat` times in a row.
 * Unknown ids are an error that lists the known ones; a selection that leaves no task is an error.
 */
export function selectTasks(tasks: EvalTask[], options: TaskSelection): EvalTask[] {
  let chosen = tasks;
  if (options.ids?.length) {
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const unknown = options.ids.filter((id) => !byId.has(id));
    if (unknown.length) throw new SuiteError(`unknown task id(s): ${unknown.join(', ')}. Known: ${tasks.map((t) => t.id).join(', ')}`);
    chosen = options.ids.map((id) => byId.get(id)!);
  }
  if (options.kinds?.length) {
    const kinds = new Set<string>(options.kinds);
    chosen = chosen.filter((t) => kinds.has(t.kind));
    if (chosen.length === 0) throw new SuiteError(`no ${options.ids?.length ? 'chosen ' : ''}task is of kind ${options.kinds.join(' or ')}`);
  }
  if (options.limit !== undefined) chosen = chosen.slice(0, options.limit);
  const repeat = options.repeat ?? 1;
  if (repeat > 1) chosen = chosen.flatMap((t) => Array.from({ length: repeat }, (_, i) => (i === 0 ? t : { ...t, id: `${t.id}.r${i + 1}` })));
  return chosen;
}

/** Every file under `dir` as project-relative '/'-separated path → text. Missing dir: empty. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (sub: string): Promise<void> => {
    const entries = await fs.readdir(path.join(dir, sub), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(rel);
      else if (e.isFile()) out.set(rel, await fs.readFile(path.join(dir, rel), 'utf8'));
    }
  };
  await walk('');
  return out;
}

/**
 * Copies the task's starting workspace into `dest` (which must exist): its `base` codebase first,
 * then its own `workspace/` over it, leaving out `.gitkeep`.
 */
export async function copyWorkspace(task: EvalTask, dest: string): Promise<void> {
  const filter = (src: string) => path.basename(src) !== '.gitkeep';
  if (task.base) await fs.cp(path.resolve(task.dir, task.base), dest, { recursive: true, filter });
  const own = path.join(task.dir, 'workspace');
  if (await fs.stat(own).catch(() => null)) await fs.cp(own, dest, { recursive: true, filter });
}

/** The task's starting files (base codebase, then `workspace/`), as path → text. */
export async function startingTree(task: EvalTask): Promise<Map<string, string>> {
  const tree = task.base ? await readTree(path.resolve(task.dir, task.base)) : new Map<string, string>();
  for (const [rel, text] of await readTree(path.join(task.dir, 'workspace'))) tree.set(rel, text);
  tree.delete('.gitkeep');
  return tree;
}

/** Writes files (path → text) under `root`, creating folders. */
export async function writeTree(root: string, files: Map<string, string>): Promise<void> {
  for (const [rel, text] of files) {
    const file = path.join(root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
  }
}
