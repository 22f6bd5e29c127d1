/**
 * Attempts: every sandboxed run (`run_tests`, `run_in_sandbox`) in a turn, which of them failed,
 * and which one is the best to keep when the turn stops.
 */
import type { ToolResult } from '../../tools/tool.ts';

/** Whether a run passed: it exited 0 in time, and printed what the task expects of it, if anything. */
export function runPassed(run: NonNullable<ToolResult['run']>): boolean {
  return run.exitCode === 0 && !run.timedOut && run.missingOutput === undefined;
}

/** One run the agent made in a turn. */
export interface AttemptRecord {
  /** 1-based, in order of the runs. */
  attempt: number;
  command: string;
  code?: string;
  language?: string;
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
  passed: boolean;
  /** The same failure as the run before with nothing changed in between: recorded, not counted toward maxAttempts. */
  repeat?: boolean;
  /** A clean exit without the output the task expects of the command. */
  missingOutput?: string;
}

/** The attempt record of a tool result's run. */
export function attemptFromRun(attempt: number, run: NonNullable<ToolResult['run']>): AttemptRecord {
  return {
    attempt,
    command: run.command,
    ...(run.code !== undefined ? { code: run.code } : {}),
    ...(run.language !== undefined ? { language: run.language } : {}),
    exitCode: run.exitCode,
    timedOut: run.timedOut,
    stdout: run.stdout,
    stderr: run.stderr,
    durationMs: run.durationMs,
    passed: runPassed(run),
    ...(run.missingOutput !== undefined ? { missingOutput: run.missingOutput } : {}),
  };
}

/**
 * How many tests failed, read from the summary lines of common runners (pytest, node:test, jest,
 * vitest, go test, cargo test, unittest, minitest, JUnit, "N test(s) failed"). `undefined` when no
 * summary is recognised.
 */
export function failureCount(output: string): number | undefined {
  const patterns = [
    /(\d+) failed/i, // pytest, jest, vitest
    /^# fail (\d+)/m, // node:test (tap)
    /^ℹ fail (\d+)/m, // node:test (spec)
    /test result: FAILED\. \d+ passed; (\d+) failed/, // cargo
    /FAILED \((?:failures|errors)=(\d+)/, // unittest
    /(\d+) tests? failed|(\d+) test\(s\) failed/i, // shell test scripts, many small runners
  ];
  let found: number | undefined;
  for (const pattern of patterns) {
    const match = pattern.exec(output);
    if (match) found = Math.max(found ?? 0, Number(match[1] ?? match[2]));
  }
  // failures and errors both count: minitest ("7 runs, 3 assertions, 1 failures, 4 errors"), JUnit ("Failures: 1, Errors: 2")
  for (const pattern of [/\d+ runs?, \d+ assertions?, (\d+) failures?, (\d+) errors?/, /Tests run: \d+, Failures: (\d+), Errors: (\d+)/]) {
    const match = pattern.exec(output);
    if (match) found = Math.max(found ?? 0, Number(match[1]) + Number(match[2]));
  }
  if (found === undefined && /^--- FAIL:/m.test(output)) found = output.match(/^--- FAIL:/gm)!.length; // go test
  // no summary: a line per failed test, as plain C, shell and TAP test programs print them
  if (found === undefined && /^(FAIL\b|not ok\b)/m.test(output)) found = output.match(/^(FAIL\b|not ok\b)/gm)!.length;
  return found;
}

/** Counts runs and failures in one turn and picks the best attempt. */
export class AttemptTracker {
  readonly records: AttemptRecord[] = [];

  /** Records a run; returns its record. */
  add(run: NonNullable<ToolResult['run']>, options: { repeat?: boolean } = {}): AttemptRecord {
    const record = { ...attemptFromRun(this.records.length + 1, run), ...(options.repeat ? { repeat: true } : {}) };
    this.records.push(record);
    return record;
  }

  /** Runs that failed (non-zero exit or timeout), not counting repeats of the failure before. */
  failures(): number {
    return this.records.filter((r) => !r.passed && !r.repeat).length;
  }

  /**
   * The attempt to keep: the last passing run; else the failed run with the fewest failing tests
   * (a finished run beats a timeout), the later one on a tie.
   */
  best(): AttemptRecord | undefined {
    const passed = this.records.filter((r) => r.passed);
    if (passed.length) return passed[passed.length - 1];
    let best: AttemptRecord | undefined;
    let bestScore = Infinity;
    for (const record of this.records) {
      const score = attemptScore(record);
      if (score <= bestScore) {
        best = record;
        bestScore = score;
      }
    }
    return best;
  }

  /** One line per attempt, for the summary the user sees when the turn stops at a bound. */
  summary(): string {
    return this.records
      .map((r) => {
        const outcome = r.passed
          ? 'passed'
          : r.timedOut
            ? 'timed out'
            : r.missingOutput !== undefined
              ? `exit 0 without the expected \`${oneLine(r.missingOutput, 40)}\``
              : `exit ${r.exitCode ?? '?'}`;
        const error = r.passed || r.missingOutput !== undefined ? '' : firstErrorLine(r.stderr || r.stdout);
        return `  ${r.attempt}. ${oneLine(r.command, 80)} → ${outcome}${error ? `: ${oneLine(error, 100)}` : ''}`;
      })
      .join('\n');
  }
}

function attemptScore(record: AttemptRecord): number {
  if (record.timedOut) return 1e9;
  return failureCount(`${record.stdout}\n${record.stderr}`) ?? 1e6;
}

/** The most telling line of a failed run's output: the last line that looks like an error. */
export function firstErrorLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const errorLine = [...lines].reverse().find((l) => /error|exception|assert|fail|traceback/i.test(l));
  return errorLine ?? lines[lines.length - 1] ?? '';
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
