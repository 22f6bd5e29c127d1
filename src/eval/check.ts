/**
 * The hidden check of a task: run after the agent has finished, never shown to it. A task passes
 * when its answer pattern (if any) matches the final answer AND its check command (if any) exits 0
 * in the sandbox, run over the finished workspace with the task's `check/` files laid on top.
 */
import path from 'node:path';
import type { RunResult, Sandbox } from '../sandbox/sandbox.ts';
import { readTree, type EvalTask } from './suite.ts';

/** The outcome of a task's check. */
export interface CheckOutcome {
  passed: boolean;
  /** Why it failed, in one line; absent when it passed. */
  reason?: string;
  /** The check command's run, when there is one and it ran. */
  run?: RunResult;
}

/** Default time limit of a check command. */
export const defaultCheckTimeoutMs = 120_000;

/**
 * Runs the hidden check of `task` against the finished workspace in `workDir` and the agent's final
 * `answer` text. The workspace on disk is not changed: the check files reach the sandbox as an
 * overlay.
 */
export async function runCheck(task: EvalTask, workDir: string, answer: string, sandbox: Sandbox | undefined, signal?: AbortSignal): Promise<CheckOutcome> {
  if (task.answer) {
    const re = new RegExp(task.answer.pattern, task.answer.flags);
    if (!re.test(answer)) {
      const shown = answer.trim().replace(/\s+/g, ' ').slice(0, 120);
      return { passed: false, reason: `answer ${shown ? `"${shown}"` : '(empty)'} does not match /${task.answer.pattern}/${task.answer.flags ?? ''}` };
    }
  }
  if (!task.check) return { passed: true };
  if (!sandbox) return { passed: false, reason: 'no sandbox available to run the check' };
  const overlay = new Map<string, string | null>(await readTree(path.join(task.dir, 'check')));
  const run = await sandbox.run({ command: task.check, files: { root: workDir, overlay }, timeoutMs: task.checkTimeoutMs ?? defaultCheckTimeoutMs }, signal);
  if (run.timedOut) return { passed: false, reason: `check timed out: ${task.check}`, run };
  if (run.exitCode !== 0) {
    const tail = lastLine(run.stderr) || lastLine(run.stdout);
    return { passed: false, reason: `check exited ${run.exitCode}${tail ? `: ${tail}` : ''}`, run };
  }
  return { passed: true, run };
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 160);
}

/** The readable record of a check (check.txt next to a task's results). */
export function checkReport(task: EvalTask, check: CheckOutcome): string {
  const lines = [
    `task: ${task.id}`,
    `passed: ${check.passed}`,
    ...(check.reason ? [`reason: ${check.reason}`] : []),
    ...(check.run
      ? [
          `command: ${task.check}`,
          `exit: ${check.run.exitCode}${check.run.timedOut ? ' (timed out)' : ''}`,
          '--- stdout',
          check.run.stdout,
          '--- stderr',
          check.run.stderr,
        ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}
