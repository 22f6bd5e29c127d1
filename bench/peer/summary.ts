/**
 * The peer bench's results: one row per task with both tools' outcomes, totals per kind, the
 * table printed at the end and the JSON line printed last.
 */
import { median } from '../../src/eval/results.ts';
import type { PeerTool } from './args.ts';

/** One tool's outcome on one task. Seconds: the tool's own wall time, the model already loaded. */
export interface ToolOutcome {
  passed: boolean;
  seconds: number;
  reason?: string;
}

/** One task, both tools (a tool left out with `--only` is absent). */
export interface PeerRow {
  id: string;
  kind: string;
  language: string;
  assist?: ToolOutcome;
  aider?: ToolOutcome;
}

/** One tool's totals. */
export interface ToolTotals {
  passed: number;
  medianSeconds: number;
}

/** The JSON line printed last. A tool that did not run is `null`. */
export interface PeerSummary {
  bench: 'peer';
  model: string;
  tasks: number;
  assist: ToolTotals | null;
  aider: ToolTotals | null;
  /** Per kind: tasks, and tasks passed by each tool that ran. */
  byKind: Record<string, { tasks: number; assist?: number; aider?: number }>;
  /** What the run used, so two runs can be compared. */
  settings: PeerSettings;
}

export interface PeerSettings {
  contextSize: number;
  threads: number;
  temperature: number;
  maxSteps: number;
  maxAttempts: number;
  maxTokens: number;
  timeLimitSeconds: number;
  aiderEditFormat: string;
  aiderVersion: string;
  server: string;
}

function totals(rows: PeerRow[], tool: PeerTool): ToolTotals | null {
  const outcomes = rows.map((r) => r[tool]).filter((o): o is ToolOutcome => o !== undefined);
  if (outcomes.length === 0) return null;
  return { passed: outcomes.filter((o) => o.passed).length, medianSeconds: Math.round(median(outcomes.map((o) => o.seconds)) * 10) / 10 };
}

/** Totals over the rows. */
export function summarizePeer(model: string, rows: PeerRow[], settings: PeerSettings): PeerSummary {
  const byKind: PeerSummary['byKind'] = {};
  for (const row of rows) {
    const k = (byKind[row.kind] ??= { tasks: 0 });
    k.tasks++;
    for (const tool of ['assist', 'aider'] as const) {
      const outcome = row[tool];
      if (outcome) k[tool] = (k[tool] ?? 0) + (outcome.passed ? 1 : 0);
    }
  }
  return { bench: 'peer', model, tasks: rows.length, assist: totals(rows, 'assist'), aider: totals(rows, 'aider'), byKind, settings };
}

/** The per-task table, then one line per kind and the totals. */
export function formatPeerTable(rows: PeerRow[], summary: PeerSummary): string {
  const cell = (o: ToolOutcome | undefined) => (o ? `${o.passed ? 'PASS' : 'fail'} ${o.seconds.toFixed(1)}s` : '-');
  const header = ['task', 'kind', 'language', 'assist', 'aider'];
  const body = rows.map((r) => [r.id, r.kind, r.language, cell(r.assist), cell(r.aider)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const count = (n: number | undefined, of: number) => (n === undefined ? '-' : `${n}/${of}`);
  const kinds = Object.entries(summary.byKind).map(([kind, k]) => `${kind.padEnd(10)} assist ${count(k.assist, k.tasks)}  aider ${count(k.aider, k.tasks)}`);
  const total = (name: string, t: ToolTotals | null) => (t ? `${name} passed ${t.passed}/${summary.tasks}, median ${t.medianSeconds}s` : `${name} not run`);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    ...kinds,
    '',
    `${total('assist', summary.assist)}; ${total('aider', summary.aider)}`,
  ].join('\n');
}
