/**
 * What the signals do to a command that holds a session (a model, a sandbox container, temp dirs,
 * the session log). Ctrl-C (SIGINT) in a one-shot command aborts the running turn: the command
 * still writes what it has, frees the sandbox and exits 130; a second Ctrl-C exits at once.
 * SIGTERM and SIGHUP end the command: the turn is aborted the same way, the session is disposed
 * (containers removed, temp dirs swept, the log closed), and the process exits 143 / 129. If that
 * takes longer than `endGraceMs`, or a second such signal comes, it exits at once; the `exit` hook
 * of the sandbox cleanup (installSandboxExitCleanup) still removes what is left, synchronously.
 */
import { closeSync } from 'node:fs';
import { isatty } from 'node:tty';

/** Exit code of a command ended by each signal (128 + its number). */
export const signalExitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** The signals that end a command, as opposed to Ctrl-C, which cancels a turn. */
export type EndSignal = 'SIGTERM' | 'SIGHUP';
export const endSignals: readonly EndSignal[] = ['SIGTERM', 'SIGHUP'];

/** How long an ending command may take to clean up before it exits anyway. */
export const endGraceMs = 1500;

/** Exits with `code` after `ms` unless the process has ended by then (the timer does not keep it alive). */
export function exitAfter(ms: number, code: number): void {
  setTimeout(() => {
    process.stderr.write(`assist: cleanup took longer than ${ms} ms; exiting now.\n`);
    process.exit(code);
  }, ms).unref();
}

/**
 * After a hangup the terminal is gone: writing to it fails (EIO), and so does restoring its mode,
 * which Node does at exit and, when that fails, aborts the process instead of exiting with its code
 * (node.cc ResetStdio). From now on output errors are ignored (there is nowhere to show output), and
 * at exit the descriptors of a terminal that has hung up are closed, which Node then skips.
 * A terminal that is still there (SIGHUP sent by hand) is left alone and restored as usual.
 */
export function leaveDeadTerminalAlone(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.removeAllListeners('error');
    stream.on('error', () => undefined);
  }
  process.on('exit', () => {
    for (const fd of [0, 1, 2]) {
      // A terminal at start that is no terminal now: it hung up (tcgetattr fails with EIO).
      if (!startedOnTerminal[fd] || isatty(fd)) continue;
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  });
}

/** Which of stdin, stdout, stderr were a terminal when the process started. */
const startedOnTerminal = [0, 1, 2].map((fd) => isatty(fd));

/** The signal handling of a one-shot command (`assist run`, `assist ask`). */
export interface CommandSignals {
  /** Aborted by Ctrl-C, SIGTERM or SIGHUP: pass it to the session and the turn. */
  signal: AbortSignal;
  /** SIGTERM or SIGHUP, once one arrived. */
  readonly endedBy: EndSignal | undefined;
  /** The code to exit with: 143 / 129 after SIGTERM / SIGHUP, else `normal`. */
  exitCode(normal: number): number;
  /** Stops listening (call after the session is disposed). */
  dispose(): void;
}

/** Starts handling SIGINT, SIGTERM and SIGHUP for a one-shot command. `onInterrupt` hears the first Ctrl-C. */
export function commandSignals(onInterrupt?: () => void): CommandSignals {
  const controller = new AbortController();
  let endedBy: EndSignal | undefined;
  const onSigint = (): void => {
    if (controller.signal.aborted) {
      process.stderr.write('\nInterrupted again: exiting now.\n');
      process.exit(endedBy ? signalExitCodes[endedBy] : signalExitCodes.SIGINT);
    }
    onInterrupt?.();
    controller.abort();
  };
  const onEnd = (signal: EndSignal): void => {
    if (endedBy) process.exit(signalExitCodes[endedBy]);
    endedBy = signal;
    if (signal === 'SIGHUP') leaveDeadTerminalAlone();
    process.stderr.write(`\n${signal}: stopping and cleaning up.\n`);
    exitAfter(endGraceMs, signalExitCodes[signal]);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  for (const s of endSignals) process.on(s, onEnd);
  return {
    signal: controller.signal,
    get endedBy() {
      return endedBy;
    },
    exitCode: (normal) => (endedBy ? signalExitCodes[endedBy] : normal),
    dispose() {
      process.off('SIGINT', onSigint);
      for (const s of endSignals) process.off(s, onEnd);
    },
  };
}
