/**
 * `assist eval --compare RUN_A RUN_B`: two runs' results side by side, task by task (which tasks
 * flipped, steps and seconds before and after), then per kind, so a change to the agent can be
 * judged on the tasks it moved rather than on one pass rate.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { textTable } from './results.ts';

/** A run that cannot be compared; the message names the file and what is wrong with it. */
export class CompareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompareError';
  }
}

/** What a comparison reads of one task's result (present in every results.json, old or new). */
export interface ComparedTask {
  id: string;
  kind: string;
  language: string;
  passed: boolean;
  steps: number;
  seconds: number;
  reason?: string;
}

/** What a comparison reads of a run. */
export interface ComparedRun {
  /** The results.json read. */
  file: string;
  model: string;
  results: ComparedTask[];
}

/** How a task's outcome moved from run A to run B. */
export type TaskChange = 'fixed' | 'broken' | 'still passing' | 'still failing' | 'only in A' | 'only in B';

export interface TaskComparison {
  id: string;
  kind: string;
  language: string;
  a?: ComparedTask;
  b?: ComparedTask;
  change: TaskChange;
}

/** Tasks and passes of one kind in each run (each run counts its own tasks). */
export interface KindComparison {
  a: { tasks: number; passed: number };
  b: { tasks: number; passed: number };
}

export interface RunComparison {
  a: { file: string; model: string; tasks: number; passed: number };
  b: { file: string; model: string; tasks: number; passed: number };
  tasks: TaskComparison[];
  byKind: Record<string, KindComparison>;
  fixed: number;
  broken: number;
}

function isTask(value: unknown): value is ComparedTask {
  const r = value as Record<string, unknown>;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.kind === 'string' &&
    typeof r.language === 'string' &&
    typeof r.passed === 'boolean' &&
    typeof r.steps === 'number' &&
    typeof r.seconds === 'number'
  );
}

/** Reads a run: a results.json file, or a run folder holding one. Throws CompareError. */
export async function loadComparedRun(location: string): Promise<ComparedRun> {
  let file = path.resolve(location);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) throw new CompareError(`${location}: no such file or folder. Give a results.json file or an eval run folder (output/eval_<timestamp>).`);
  if (stat.isDirectory()) {
    file = path.join(file, 'results.json');
    if (!(await fs.stat(file).catch(() => null))?.isFile())
      throw new CompareError(`${location} is a folder without results.json; give an eval run folder (output/eval_<timestamp>) or its results.json.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new CompareError(`${file} is not a JSON file (${(error as Error).message}); give the results.json of an eval run.`);
  }
  const run = value as { model?: unknown; results?: unknown };
  const bad = Array.isArray(run?.results) ? run.results.findIndex((r) => !isTask(r)) : -1;
  if (typeof run !== 'object' || run === null || !Array.isArray(run.results) || bad >= 0) {
    const why = Array.isArray(run?.results) ? `results[${bad}] lacks id, kind, language, passed, steps or seconds` : 'it has no "results" list';
    throw new CompareError(`${file} is not the results of an eval run (${why}); give the results.json that \`assist eval\` writes.`);
  }
  return { file, model: typeof run.model === 'string' ? run.model : '?', results: run.results as ComparedTask[] };
}

function changeOf(a: ComparedTask | undefined, b: ComparedTask | undefined): TaskChange {
  if (!b) return 'only in A';
  if (!a) return 'only in B';
  if (a.passed === b.passed) return a.passed ? 'still passing' : 'still failing';
  return b.passed ? 'fixed' : 'broken';
}

/** Pairs the tasks of two runs by id (A's order, then tasks only in B) and totals each kind. */
export function compareRuns(a: ComparedRun, b: ComparedRun): RunComparison {
  const inA = new Map(a.results.map((r) => [r.id, r]));
  const inB = new Map(b.results.map((r) => [r.id, r]));
  const ids = [...inA.keys(), ...[...inB.keys()].filter((id) => !inA.has(id))];
  const tasks = ids.map((id): TaskComparison => {
    const ra = inA.get(id);
    const rb = inB.get(id);
    const either = (rb ?? ra)!;
    return { id, kind: either.kind, language: either.language, ...(ra ? { a: ra } : {}), ...(rb ? { b: rb } : {}), change: changeOf(ra, rb) };
  });
  const byKind: Record<string, KindComparison> = {};
  const count = (side: 'a' | 'b', r: ComparedTask) => {
    const k = (byKind[r.kind] ??= { a: { tasks: 0, passed: 0 }, b: { tasks: 0, passed: 0 } });
    k[side].tasks++;
    if (r.passed) k[side].passed++;
  };
  a.results.forEach((r) => count('a', r));
  b.results.forEach((r) => count('b', r));
  const side = (run: ComparedRun) => ({ file: run.file, model: run.model, tasks: run.results.length, passed: run.results.filter((r) => r.passed).length });
  return {
    a: side(a),
    b: side(b),
    tasks,
    byKind: Object.fromEntries(
      Object.keys(byKind)
        .sort()
        .map((k) => [k, byKind[k]]),
    ),
    fixed: tasks.filter((t) => t.change === 'fixed').length,
    broken: tasks.filter((t) => t.change === 'broken').length,
  };
}

const verdict = (r: ComparedTask | undefined) => (r ? (r.passed ? 'PASS' : 'FAIL') : '-');
const arrow = (a: string | undefined, b: string | undefined) => `${a ?? '-'}→${b ?? '-'}`;
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

/** The comparison as text: both runs, one row per task, the flipped tasks, then the kinds side by side. */
export function formatComparison(c: RunComparison): string {
  const head = (label: string, s: RunComparison['a']) => `${label}: ${s.file} (${s.model}, passed ${s.passed}/${s.tasks})`;
  const rows = c.tasks.map((t) => [
    t.id,
    t.kind,
    verdict(t.a),
    verdict(t.b),
    arrow(t.a?.steps.toString(), t.b?.steps.toString()),
    arrow(t.a?.seconds.toFixed(1), t.b?.seconds.toFixed(1)),
    t.change,
  ]);
  const flipped = c.tasks
    .filter((t) => t.change === 'fixed' || t.change === 'broken')
    .map(
      (t) =>
        `  ${t.change === 'fixed' ? '+' : '-'} ${t.id} (${t.kind}): ${verdict(t.a)} → ` +
        `${verdict(t.b)}${t.change === 'broken' && t.b?.reason ? `: ${t.b.reason.slice(0, 100)}` : ''}`,
    );
  const only = (change: TaskChange) => c.tasks.filter((t) => t.change === change).map((t) => t.id);
  const onlyLines = (['only in A', 'only in B'] as const).filter((ch) => only(ch).length).map((ch) => `${ch}: ${only(ch).join(', ')}`);
  const kindRows = Object.entries(c.byKind).map(([kind, k]) => [
    kind,
    `${k.a.passed}/${k.a.tasks}`,
    `${k.b.passed}/${k.b.tasks}`,
    signed(k.b.passed - k.a.passed),
  ]);
  kindRows.push(['total', `${c.a.passed}/${c.a.tasks}`, `${c.b.passed}/${c.b.tasks}`, signed(c.b.passed - c.a.passed)]);
  return [
    head('A', c.a),
    head('B', c.b),
    '',
    textTable(['task', 'kind', 'A', 'B', 'steps A→B', 'seconds A→B', 'change'], rows),
    '',
    `flipped: ${c.fixed} fixed, ${c.broken} broken${flipped.length ? '' : ' (no task changed its result)'}`,
    ...flipped,
    ...onlyLines,
    '',
    textTable(['kind', 'A passed', 'B passed', 'change'], kindRows),
  ].join('\n');
}
