/**
 * Runs a local process for the bwrap and `none` backends: own process group, output captured and
 * capped, a timeout and an abort that kill the whole group with SIGKILL.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { CappedOutput } from './output.ts';
import type { RunResult } from './sandbox.ts';

export interface ProcessRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  outputLimitBytes: number;
  signal?: AbortSignal;
  /** Written to the process's stdin, which is then closed (no stdin at all when absent). */
  input?: Buffer;
}

export interface ProcessRunOutcome {
  exitCode: number | null;
  /** Signal that ended the process (when it did not exit). */
  exitSignal: NodeJS.Signals | null;
  stdout: CappedOutput;
  stderr: CappedOutput;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

/** Spawns `argv` and waits for it and every process of its group to be gone or killed. */
export function runProcess(argv: string[], options: ProcessRunOptions): Promise<ProcessRunOutcome> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(Object.assign(new Error('the run was cancelled'), { name: 'AbortError' }));
      return;
    }
    const stdout = new CappedOutput(options.outputLimitBytes);
    const stderr = new CappedOutput(options.outputLimitBytes);
    const started = performance.now();
    let timedOut = false;
    let aborted = false;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    if (options.input && child.stdin) {
      // A process that exits without reading all of it (EPIPE) shows that in its own exit code and stderr.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (c: Buffer) => stdout.write(c));
    child.stderr!.on('data', (c: Buffer) => stderr.write(c));
    child.once('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    // 'close' waits for the pipes too: a background process still holding them keeps the run open
    // until it ends or the timeout kills the group.
    child.once('close', (code, exitSignal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      killGroup(); // leftovers in the group (background jobs) never outlive the run
      resolve({ exitCode: code, exitSignal, stdout, stderr, timedOut, aborted, durationMs: Math.round(performance.now() - started) });
    });
  });
}

/**
 * The RunResult of a finished local run: a timeout gives no exit code and a note on stderr, a
 * signal death the shell's 128+N. `stderrPrefix` goes before the process's own stderr.
 */
export function toRunResult(outcome: ProcessRunOutcome, command: string, notes: { timeout: string; stderrPrefix?: string }): RunResult {
  let stderr = (notes.stderrPrefix ?? '') + outcome.stderr.text();
  if (outcome.timedOut) stderr += `\n[assist: ${notes.timeout}]\n`;
  const signalled = outcome.exitSignal ? 128 + (os.constants.signals[outcome.exitSignal] ?? 0) : null;
  return {
    exitCode: outcome.timedOut ? null : (outcome.exitCode ?? signalled),
    stdout: outcome.stdout.text(),
    stderr,
    timedOut: outcome.timedOut,
    truncated: outcome.stdout.truncated || outcome.stderr.truncated,
    durationMs: outcome.durationMs,
    command,
  };
}
