/**
 * What one eval task produced and the totals over a run (overall, per kind, per language), plus
 * the readable tables printed by `assist eval` and the bench.
 */
import type { TurnStatus } from '../agent/events.ts';

/** Why a task's turn stopped: the turn's own status, the task's time limit, or a run that failed to start. */
export type StopReason = TurnStatus | 'task time limit' | 'error';

/** The outcome of one task. Times in seconds. */
export interface TaskResult {
  id: string;
  language: string;
  kind: string;
  passed: boolean;
  /** How the agent's turn ended, or `error` when the task could not run. */
  status: TurnStatus | 'error';
  /** Why it failed, in one line. */
  reason?: string;
  steps: number;
  maxSteps: number;
  /** Sandboxed runs (run_tests / run_in_sandbox) the agent made. */
  attempts: number;
  failedRuns: number;
  maxAttempts: number;
  promptTokens: number;
  completionTokens: number;
  /** Wall time of the agent's turn; of preparing the session (copy, sandbox, index); of the hidden check. */
  seconds: number;
  setupSeconds: number;
  checkSeconds: number;
  /** Model steps, and those whose action matched the action schema and named a real tool with valid args. */
  actions: number;
  validActions: number;
  allValidActions: boolean;
  /** One line per step that was not a valid action. */
  invalidActions: string[];
  /** One line per step cut off at model.maxTokens before its action was complete (no action; not invalid). */
  cutOffSteps: string[];
  /** Steps cut off at model.maxTokens, including one that ended the turn. */
  cutOffs: number;
  /** Actions of file-changing tools (write, edit, delete). */
  editActions: number;
  /** Edits that could not be applied as the model asked: text not found or not unique, a stale or missing file. */
  editMisses: number;
  /** Why the turn stopped. */
  stopReason: StopReason;
  /** The turn ended within maxSteps, maxAttempts and the task's time limit. */
  withinBounds: boolean;
  /** The agent's final text (cut to 2,000 characters). */
  answer: string;
  /** The copied session transcript, relative to the run's folder. */
  sessionLog: string;
}

/** Totals over a group of tasks (a run, one kind, one language). Seconds are the agent's turns. */
export interface GroupSummary {
  tasks: number;
  passed: number;
  passRate: number;
  /** Sandboxed runs, model steps, seconds and generated tokens, summed. */
  attempts: number;
  steps: number;
  seconds: number;
  medianSeconds: number;
  completionTokens: number;
  /** Valid actions / all actions over every step of the group's tasks. */
  validActionRate: number;
  actions: number;
  validActions: number;
  editActions: number;
  editMisses: number;
  /** Edit misses / edit actions (0 without edits). */
  editMissRate: number;
  cutOffs: number;
  /** How many tasks stopped for each reason. */
  stopReasons: Partial<Record<StopReason, number>>;
}

/** Totals over a run, and the same totals per task kind and per language. */
export interface EvalSummary extends GroupSummary {
  medianAttempts: number;
  allWithinBounds: boolean;
  promptTokens: number;
  /** Wall time of everything: turns, session setup and checks. */
  totalSeconds: number;
  byKind: Record<string, GroupSummary>;
  byLanguage: Record<string, GroupSummary>;
}

/** The median (mean of the middle two for an even count); 0 for none. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const sum = (results: TaskResult[], pick: (r: TaskResult) => number) => results.reduce((n, r) => n + pick(r), 0);

/** Totals over some task results. */
export function summarizeGroup(results: TaskResult[]): GroupSummary {
  const passed = results.filter((r) => r.passed).length;
  const actions = sum(results, (r) => r.actions);
  const validActions = sum(results, (r) => r.validActions);
  const editActions = sum(results, (r) => r.editActions);
  const editMisses = sum(results, (r) => r.editMisses);
  const stopReasons: GroupSummary['stopReasons'] = {};
  for (const r of results) stopReasons[r.stopReason] = (stopReasons[r.stopReason] ?? 0) + 1;
  return {
    tasks: results.length,
    passed,
    passRate: results.length ? r2(passed / results.length) : 0,
    attempts: sum(results, (r) => r.attempts),
    steps: sum(results, (r) => r.steps),
    seconds: r2(sum(results, (r) => r.seconds)),
    medianSeconds: r2(median(results.map((r) => r.seconds))),
    completionTokens: sum(results, (r) => r.completionTokens),
    // (no model step at all, as when code completion fixes before the first: no action was invalid)
    validActionRate: actions ? r3(validActions / actions) : 1,
    actions,
    validActions,
    editActions,
    editMisses,
    editMissRate: editActions ? r3(editMisses / editActions) : 0,
    cutOffs: sum(results, (r) => r.cutOffs),
    stopReasons,
  };
}

/** Groups results by a key, keys sorted. */
function groupBy(results: TaskResult[], key: (r: TaskResult) => string): Record<string, GroupSummary> {
  const groups = new Map<string, TaskResult[]>();
  for (const r of results) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, summarizeGroup(groups.get(k)!)]));
}

/** Totals over the task results: overall, per kind and per language. */
export function summarize(results: TaskResult[]): EvalSummary {
  return {
    ...summarizeGroup(results),
    medianAttempts: median(results.map((r) => r.attempts)),
    allWithinBounds: results.every((r) => r.withinBounds),
    promptTokens: sum(results, (r) => r.promptTokens),
    totalSeconds: r2(sum(results, (r) => r.seconds + r.setupSeconds + r.checkSeconds)),
    byKind: groupBy(results, (r) => r.kind),
    byLanguage: groupBy(results, (r) => r.language),
  };
}

/** Lays out rows under a header, columns padded to their widest cell (the last one is not padded). */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const percent = (rate: number) => `${Math.round(rate * 100)}%`;
const editCell = (misses: number, edits: number) => (edits ? `${misses}/${edits}` : '-');

/** One row per kind (or language): tasks, passed, pass rate, median time, edit misses of edits, cut-offs. */
export function formatGroups(title: string, groups: Record<string, GroupSummary>): string {
  const rows = Object.entries(groups).map(([name, g]) => [
    name,
    `${g.tasks}`,
    `${g.passed}`,
    percent(g.passRate),
    `${g.medianSeconds.toFixed(1)}s`,
    editCell(g.editMisses, g.editActions),
    `${g.cutOffs}`,
  ]);
  return textTable([title, 'tasks', 'passed', 'pass rate', 'median time', 'edit misses', 'cut-offs'], rows);
}

/**
 * A plain-text table of the results, the per-kind and per-language tables, and a totals line
 * (no colours; the CLI may add them).
 */
export function formatTable(results: TaskResult[], summary: EvalSummary): string {
  const header = ['task', 'lang', 'kind', 'result', 'steps', 'runs', 'tokens in/out', 'time', 'valid', 'edit miss', 'cut', 'reason'];
  const rows = results.map((r) => [
    r.id,
    r.language,
    r.kind,
    r.passed ? 'PASS' : 'FAIL',
    `${r.steps}/${r.maxSteps}`,
    `${r.attempts}`,
    `${r.promptTokens}/${r.completionTokens}`,
    `${r.seconds.toFixed(1)}s`,
    `${r.validActions}/${r.actions}`,
    editCell(r.editMisses, r.editActions),
    `${r.cutOffs}`,
    r.passed ? '' : (r.reason ?? '').slice(0, 70),
  ]);
  const total =
    `passed ${summary.passed}/${summary.tasks} (${percent(summary.passRate)}), ` +
    `median runs ${summary.medianAttempts}, median time ${summary.medianSeconds.toFixed(1)}s, ` +
    `valid actions ${summary.validActions}/${summary.actions} (${summary.validActionRate}), ` +
    `edit misses ${summary.editMisses}/${summary.editActions}, cut-offs ${summary.cutOffs}, ` +
    `tokens ${summary.promptTokens}/${summary.completionTokens}, ` +
    `${summary.allWithinBounds ? 'all within bounds' : 'SOME TASKS EXCEEDED THEIR BOUNDS'}`;
  // repeated runs (`--repeat`, ids `task.r2` …): one row per task too, its runs summed
  const byTask = groupBy(results, (r) => r.id.replace(/\.r\d+$/, ''));
  const perTask = Object.keys(byTask).length < results.length ? ['', formatGroups('task', byTask)] : [];
  return [textTable(header, rows), ...perTask, '', formatGroups('kind', summary.byKind), '', formatGroups('language', summary.byLanguage), '', total].join(
    '\n',
  );
}
