/**
 * What one eval task produced and the totals over a run, plus the readable table printed by
 * `assist eval`.
 */
import type { TurnStatus } from '../agent/events.ts';

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
  /** The turn ended within maxSteps, maxAttempts and the task's time limit. */
  withinBounds: boolean;
  /** The agent's final text (cut to 2,000 characters). */
  answer: string;
  /** The copied session transcript, relative to the run's folder. */
  sessionLog: string;
}

/** Totals over a run. `validActionRate` is valid actions / all actions over every task. */
export interface EvalSummary {
  tasks: number;
  passed: number;
  passRate: number;
  medianAttempts: number;
  medianSeconds: number;
  validActionRate: number;
  actions: number;
  validActions: number;
  allWithinBounds: boolean;
  promptTokens: number;
  completionTokens: number;
  totalSeconds: number;
}

/** The median (mean of the middle two for an even count); 0 for none. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Totals over the task results. */
export function summarize(results: TaskResult[]): EvalSummary {
  const passed = results.filter((r) => r.passed).length;
  const actions = results.reduce((n, r) => n + r.actions, 0);
  const validActions = results.reduce((n, r) => n + r.validActions, 0);
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return {
    tasks: results.length,
    passed,
    passRate: results.length ? r2(passed / results.length) : 0,
    medianAttempts: median(results.map((r) => r.attempts)),
    medianSeconds: r2(median(results.map((r) => r.seconds))),
    validActionRate: actions ? Math.round((validActions / actions) * 1000) / 1000 : 0,
    actions,
    validActions,
    allWithinBounds: results.every((r) => r.withinBounds),
    promptTokens: results.reduce((n, r) => n + r.promptTokens, 0),
    completionTokens: results.reduce((n, r) => n + r.completionTokens, 0),
    totalSeconds: r2(results.reduce((n, r) => n + r.seconds + r.setupSeconds + r.checkSeconds, 0)),
  };
}

/** A plain-text table of the results and a totals line (no colours; the CLI may add them). */
export function formatTable(results: TaskResult[], summary: EvalSummary): string {
  const header = ['task', 'lang', 'kind', 'result', 'steps', 'runs', 'tokens in/out', 'time', 'valid', 'reason'];
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
    r.passed ? '' : (r.reason ?? '').slice(0, 70),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  const total =
    `passed ${summary.passed}/${summary.tasks} (${Math.round(summary.passRate * 100)}%), ` +
    `median runs ${summary.medianAttempts}, median time ${summary.medianSeconds.toFixed(1)}s, ` +
    `valid actions ${summary.validActions}/${summary.actions} (${summary.validActionRate}), ` +
    `tokens ${summary.promptTokens}/${summary.completionTokens}, ` +
    `${summary.allWithinBounds ? 'all within bounds' : 'SOME TASKS EXCEEDED THEIR BOUNDS'}`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', total].join('\n');
}
