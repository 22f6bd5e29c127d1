/**
 * Process-wide registry of what live sandboxes hold (containers, temp dirs) so that they are
 * removed on exit, Ctrl-C and SIGTERM as well as on `dispose()`.
 */

/** Something a sandbox must release before the process ends. */
export interface Releasable {
  /** Async release (normal path). */
  release(): Promise<void>;
  /** Best-effort synchronous release for the `exit` event, where no promise can run. */
  releaseSync(): void;
}

const live = new Set<Releasable>();

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
 * Installs the exit cleanup the CLI calls once at start: on `exit`, every sandbox container and
 * temp dir of this process is removed synchronously; on SIGTERM/SIGHUP/SIGINT (unless the CLI
 * handles that signal itself, e.g. Ctrl-C cancelling a turn) they are removed and the process
 * exits with 128+signal. Returns an uninstaller. Installing twice is harmless.
 */
export function installSandboxExitCleanup(options: { signals?: CleanupSignal[] } = {}): () => void {
  const signals = options.signals ?? (['SIGINT', 'SIGTERM', 'SIGHUP'] as CleanupSignal[]);
  const onExit = (): void => releaseAllSync();
  const handlers = new Map<CleanupSignal, () => void>();
  process.on('exit', onExit);
  for (const signal of signals) {
    const handler = (): void => {
      // Another listener (the REPL's Ctrl-C handling) owns this signal: leave the decision to it;
      // the `exit` hook still cleans up when the process ends.
      if (process.listenerCount(signal) > 1) return;
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
