/**
 * The `none` backend: NO isolation. Runs on this machine as the current user, in a temp copy of
 * the workspace, with only a timeout and an output cap. Exists only when the user sets
 * `sandbox.backend: "none"` explicitly, and every description and result says so.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import type { RunRequest, RunResult, Sandbox } from './sandbox.ts';
import { TrackedTempDirs } from './cleanup.ts';
import { runProcess, toRunResult } from './process-run.ts';
import { snapshotFiles, writeFiles } from './snapshot.ts';
import { abortError, resolveRun } from './run-common.ts';

/** The warning every `none` result carries (first line of stderr). */
export const unsandboxedWarning = '[assist: NOT SANDBOXED - this ran directly on the host as the current user (sandbox.backend is "none")]';

export class HostSandbox implements Sandbox {
  readonly kind = 'none' as const;
  private readonly dirs = new TrackedTempDirs();

  constructor(private readonly options: { config: Config['sandbox'] }) {}

  describe(): string {
    return (
      `NONE - NOT SANDBOXED: code runs directly on this machine as ${os.userInfo().username}, with network and access to your files (only a ` +
      `${Math.round(this.options.config.timeoutMs / 1000)} s timeout applies)`
    );
  }

  async run(request: RunRequest, signal?: AbortSignal): Promise<RunResult> {
    if (signal?.aborted) throw abortError();
    const cfg = this.options.config;
    const { command, extra } = resolveRun(request);
    const timeoutMs = request.timeoutMs ?? cfg.timeoutMs;
    const dir = await this.dirs.create('assist-host-');
    try {
      const work = path.join(dir, 'work');
      const tmp = path.join(dir, 'tmp');
      await fs.mkdir(work);
      await fs.mkdir(tmp);
      await writeFiles(work, await snapshotFiles(request.files, extra, signal));
      const root = request.files?.root;
      if (root) {
        // Dependencies are used in place (read and write: there is no sandbox).
        for (const name of ['node_modules', '.venv', 'venv']) {
          const abs = path.join(root, name);
          if ((await fs.stat(abs).catch(() => undefined))?.isDirectory()) await fs.symlink(abs, path.join(work, name)).catch(() => undefined);
        }
      }
      const env = { ...process.env, TMPDIR: tmp, ASSIST_CMD: command };
      const outcome = await runProcess(['sh', '-c', 'exec sh -c "$ASSIST_CMD" </dev/null'], {
        cwd: work,
        env,
        timeoutMs,
        outputLimitBytes: cfg.outputLimitBytes,
        signal,
      });
      if (outcome.aborted) throw abortError();
      return toRunResult(outcome, command, {
        timeout: `timed out after ${timeoutMs} ms; the process group was killed`,
        stderrPrefix: `${unsandboxedWarning}\n`,
      });
    } finally {
      await this.dirs.remove(dir);
    }
  }

  async dispose(): Promise<void> {
    await this.dirs.dispose();
  }
}
