/**
 * Ctrl-C for the one-shot commands: the first SIGINT aborts the running turn (the command still
 * writes what it has and frees the sandbox); a second one exits at once.
 */
export function abortOnSigint(onFirst?: () => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) {
      process.stderr.write('\nInterrupted again: exiting now.\n');
      process.exit(130);
    }
    onFirst?.();
    controller.abort();
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', handler) };
}
