/**
 * Guards every embedded generation against node-llama-cpp's known failure mode (FACTS.md): a
 * grammar that reaches an impossible state can leave the generation promise pending forever while
 * the error surfaces only as an unhandled rejection. A process-level `unhandledRejection` listener
 * routes such engine errors to the generations in flight, which then fail with a ModelError.
 */
import path from 'node:path';

type Failure = (error: Error) => void;

const inFlight = new Set<Failure>();
let installed = false;

/** True for errors thrown from inside node-llama-cpp (grammar and evaluation failures). */
export function isEngineError(reason: unknown): reason is Error {
  if (!(reason instanceof Error)) return false;
  const stack = reason.stack ?? '';
  return stack.includes(`${path.sep}node-llama-cpp${path.sep}`) || /grammar|llama/i.test(reason.message);
}

function onUnhandledRejection(reason: unknown): void {
  if (isEngineError(reason)) {
    for (const fail of [...inFlight]) fail(reason);
    return;
  }
  // Not ours: keep Node's default (crash with the error) unless someone else handles it.
  if (process.listenerCount('unhandledRejection') === 1) {
    setImmediate(() => {
      throw reason;
    });
  }
}

/**
 * Registers a generation in flight; `fail` is called if an engine error surfaces as an unhandled
 * rejection meanwhile. Returns the function that unregisters it.
 */
export function watchGeneration(fail: Failure): () => void {
  if (!installed) {
    process.on('unhandledRejection', onUnhandledRejection);
    installed = true;
  }
  inFlight.add(fail);
  return () => inFlight.delete(fail);
}
