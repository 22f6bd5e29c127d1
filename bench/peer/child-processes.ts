/**
 * Child processes of the peer bench (the model server, aider and what aider starts), each in a
 * process group of its own so that stopping one stops everything it started. Every live group is
 * killed when the bench exits, on Ctrl-C or SIGTERM as well as on an error: no process outlives it.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { releaseAll } from '../../src/sandbox/cleanup.ts';

/** Process group ids started here and not yet stopped (a group may outlive its leader). */
const live = new Set<number>();
let installed = false;

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}

function installExitHooks(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const pgid of live) killGroup(pgid, 'SIGKILL');
  });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      process.stderr.write(`\npeer bench: ${signal}, stopping the model server, aider and sandboxes\n`);
      for (const pgid of live) killGroup(pgid, 'SIGKILL');
      void releaseAll().finally(() => process.exit(code));
    });
  }
}

/** Starts `command` in a new process group, tracked until it exits. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  installExitHooks();
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) live.add(child.pid);
  return child;
}

/** Resolves when `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * Stops the child's whole process group: SIGTERM, then SIGKILL after `graceMs`; then SIGKILL to
 * whatever the leader started that is still in the group. Call it after a normal exit too.
 */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const done = exited(child);
  if (child.exitCode === null && child.signalCode === null) killGroup(pgid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
  killGroup(pgid, 'SIGKILL');
  live.delete(pgid);
}
