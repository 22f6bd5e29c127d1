/**
 * Process-wide registry of what live sandboxes hold (containers, temp dirs) so that they are
 * removed on exit, Ctrl-C and SIGTERM as well as on `dispose()`.
 */
import { promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Something a sandbox must release before the process ends. */
export interface Releasable {
  /** Async release (normal path). */
  release(): Promise<void>;
  /** Best-effort synchronous release for the `exit` event, where no promise can run. */
  releaseSync(): void;
}

const live = new Set<Releasable>();

/**
 * Temp dirs of a local backend's runs, removed by `dispose()` or at exit. Tracked from creation
 * until `dispose()`.
 */
export class TrackedTempDirs implements Releasable {
  private readonly dirs = new Set<string>();

  constructor() {
    track(this);
  }

  /** Creates a temp dir under the OS temp folder whose name starts with `prefix`. */
  async create(prefix: string): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    this.dirs.add(dir);
    return dir;
  }

  /** Removes one dir now (a run is over). */
  async remove(dir: string): Promise<void> {
    this.dirs.delete(dir);
    await fs.rm(dir, { recursive: true, force: true });
  }

  async release(): Promise<void> {
    await Promise.all([...this.dirs].map((d) => fs.rm(d, { recursive: true, force: true })));
    this.dirs.clear();
  }

  releaseSync(): void {
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
    this.dirs.clear();
  }

  async dispose(): Promise<void> {
    untrack(this);
    await this.release();
  }
}

/** Tracks a resource until `untrack` is called. */
export function track(resource: Releasable): void {
  live.add(resource);
}

export function untrack(resource: Releasable): void {
  live.delete(resource);
}

/** Releases every tracked resource (all sandboxes of this process). */
export async function releaseAll(): Promise<void> {
  const all = [...live];
  live.clear();
  await Promise.allSettled(all.map((r) => r.release()));
}

function releaseAllSync(): void {
  const all = [...live];
  live.clear();
  for (const r of all) {
    try {
      r.releaseSync();
    } catch {
      // best effort while exiting
    }
  }
}

const signalExitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type CleanupSignal = keyof typeof signalExitCodes;

/**
 * Installs the exit cleanup: on `exit`, every sandbox container and temp dir of this process is
 * removed synchronously. For each of `signals` (default SIGINT, SIGTERM, SIGHUP) they are removed
 * and the process exits with 128+signal. A program that handles a signal itself (the CLI ends a
 * session on SIGTERM, cancels a turn on Ctrl-C) leaves it out: a listed signal always ends the
 * process, whoever else listens (libraries such as signal-exit listen to them too). Returns an
 * uninstaller.
 */
export function installSandboxExitCleanup(options: { signals?: CleanupSignal[] } = {}): () => void {
  const signals = options.signals ?? (['SIGINT', 'SIGTERM', 'SIGHUP'] as CleanupSignal[]);
  const onExit = (): void => releaseAllSync();
  const handlers = new Map<CleanupSignal, () => void>();
  process.on('exit', onExit);
  for (const signal of signals) {
    const handler = (): void => {
      void releaseAll().finally(() => process.exit(signalExitCodes[signal]));
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    process.off('exit', onExit);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
