/**
 * The interactive session once `assist` (no subcommand) has its flags and a terminal: opens the
 * session (model, index, sandbox), shows the banner, runs the read-eval loop, and disposes it all
 * on every way out.
 */
import type { CliDeps } from '../cli-deps.ts';
import chalk from 'chalk';
import type { Session } from '../../agent/open-session.ts';
import { ModelSetupError } from '../../model/language-model.ts';
import { createApprovalPrompt } from '../approval-prompt.ts';
import { endGraceMs, endSignals, exitAfter, leaveDeadTerminalAlone, signalExitCodes, type EndSignal } from '../command-signals.ts';
import { assistCommand, openWithFirstRun } from '../first-run.ts';
import { loadProjectConfig } from '../project.ts';
import { formatBanner } from '../render/banner.ts';
import { EventRenderer } from '../render/event-renderer.ts';
import { ProgressLine } from '../render/progress-line.ts';
import { runSessionLoop } from '../repl/session-loop.ts';
import { TurnControl } from '../repl/turn-control.ts';
import { UserError } from '../user-error.ts';
import { sessionFlags, type SessionCommandOptions } from '../session-flags.ts';

/** Runs the interactive session to its end; the session is disposed on every way out. */
export async function runInteractiveSession(options: SessionCommandOptions, deps: CliDeps = {}): Promise<void> {
  try {
    await runSession(options, deps);
  } finally {
    exitSoonIfStuck();
  }
}

/**
 * Once the session is over (everything disposed), the process must end even if some library left
 * a handle open: an unref'd timer that exits with the code already set. With ASSIST_DEBUG_EXIT
 * set, it first names what was still open.
 */
function exitSoonIfStuck(): void {
  setTimeout(() => {
    if (process.env.ASSIST_DEBUG_EXIT) process.stderr.write(`assist: forcing exit; still open: ${process.getActiveResourcesInfo().join(', ')}\n`);
    process.exit();
  }, 5000).unref();
}

async function runSession(options: SessionCommandOptions, deps: CliDeps): Promise<void> {
  const base = await loadProjectConfig();
  const { config, root } = await loadProjectConfig(sessionFlags(options, base.config.model.backend));

  const renderer = new EventRenderer(process.stdout, process.stderr, { indexNote: chalk.dim('(Ctrl-C: start without waiting)') });
  const turns = new TurnControl(() => {
    renderer.endThought();
    process.stdout.write(chalk.yellow('Cancelling…') + '\n');
  });
  const approver = createApprovalPrompt({ onInterrupt: () => turns.cancel() });

  const opening = new AbortController();
  const cancelOpening = () => opening.abort(new Error('Cancelled with Ctrl-C.'));
  let endedWhileOpening: EndSignal | undefined;
  const endOpening = (signal: EndSignal) => {
    endedWhileOpening ??= signal;
    exitAfter(endGraceMs, signalExitCodes[signal]);
    opening.abort(new Error(`Ended by ${signal}.`));
  };
  process.on('SIGINT', cancelOpening);
  for (const s of endSignals) process.on(s, endOpening);
  const loading = new ProgressLine(process.stderr, chalk.dim('loading model'));
  let session: Session;
  try {
    // Loaded here, not at startup: the other commands need none of the model, index or sandbox code.
    const [{ openSession }, { installSandboxExitCleanup }] = await Promise.all([
      import('../../agent/open-session.ts'),
      import('../../sandbox/open-sandbox.ts'),
    ]);
    // A safety net for crashes: containers still tracked at process exit are removed synchronously.
    installSandboxExitCleanup({ signals: [] });
    session = await openWithFirstRun(
      () =>
        openSession({
          root,
          config,
          approver,
          onEvent: renderer.handle,
          ...(deps.openModel ? { openModel: deps.openModel } : {}),
          ...(options.resume !== undefined ? { resumeId: options.resume === true ? '' : options.resume } : {}),
          onModelProgress: (fraction) => loading.update(Math.round(fraction * 100), 100),
          signal: opening.signal,
        }),
      { config, yes: options.yes === true, interactive: true, signal: opening.signal, rerun: assistCommand() },
    );
  } catch (error) {
    loading.clear();
    if (endedWhileOpening) {
      process.exitCode = signalExitCodes[endedWhileOpening];
      return;
    }
    if (error instanceof UserError) throw error;
    if (opening.signal.aborted) throw new UserError('Cancelled while opening the session.');
    if (error instanceof ModelSetupError) throw new UserError(error.message);
    throw error;
  } finally {
    process.removeListener('SIGINT', cancelOpening);
    for (const s of endSignals) process.removeListener(s, endOpening);
  }
  loading.clear();
  if (endedWhileOpening) {
    await session.dispose();
    process.exitCode = signalExitCodes[endedWhileOpening];
    return;
  }

  // Ctrl-C never kills the session outright: at the prompt readline handles it, during a turn it
  // cancels the turn; anywhere else (a slow slash command) it is ignored rather than lost.
  const ignoreSigint = () => turns.cancel();
  process.on('SIGINT', ignoreSigint);
  // SIGTERM / SIGHUP end the session: the turn is cancelled and recorded, the session disposed
  // (containers, temp dirs, the log), then exit 143 / 129; at the latest after endGraceMs.
  let ending: Promise<void> | undefined;
  const endOnSignal = (signal: EndSignal) => {
    const code = signalExitCodes[signal];
    if (ending) process.exit(code);
    if (signal === 'SIGHUP') leaveDeadTerminalAlone();
    exitAfter(endGraceMs, code);
    turns.cancel();
    ending = turns
      .idle()
      .then(() => session.dispose())
      .finally(() => process.exit(code));
  };
  for (const s of endSignals) process.on(s, endOnSignal);
  try {
    const settings = session.agent.settings();
    process.stdout.write(
      formatBanner({
        root,
        sessionId: session.id,
        resumed: options.resume !== undefined,
        model: session.model.info,
        ...(session.sandbox ? { sandbox: session.sandbox.kind } : {}),
        sandboxReason: session.sandboxReason,
        approvalMode: settings.approvalMode,
        maxAttempts: settings.maxAttempts,
        maxSteps: settings.maxSteps,
        indexStatus: renderer.indexStatus(),
        ...(session.git ? { git: { summary: session.git.summary() } } : session.gitProblem ? { git: { problem: session.gitProblem } } : {}),
      }),
    );
    if (session.resumedTurns > 0)
      process.stdout.write(chalk.dim(`Resumed with ${session.resumedTurns} earlier turn${session.resumedTurns === 1 ? '' : 's'}; /history lists them.`) + '\n');
    await waitForIndex(session, renderer);
    await runSessionLoop({ session, config, root, renderer, turns, input: process.stdin, output: process.stdout });
  } finally {
    process.removeListener('SIGINT', ignoreSigint);
    for (const s of endSignals) process.removeListener(s, endOnSignal);
    await (ending ?? session.dispose());
    process.stdin.pause();
  }
}

/** Shows the index progress bar until the first build settles; Ctrl-C stops waiting (it goes on in the background). */
async function waitForIndex(session: Session, renderer: EventRenderer): Promise<void> {
  if (!session.index || renderer.indexing === 'ready' || renderer.indexing === 'failed' || renderer.indexing === 'disabled') return;
  let skip!: () => void;
  const skipped = new Promise<void>((resolve) => (skip = resolve));
  process.on('SIGINT', skip);
  try {
    await Promise.race([session.indexReady, skipped]);
  } finally {
    process.removeListener('SIGINT', skip);
  }
  if (renderer.indexing === 'progress') process.stderr.write(`\r\x1b[2K${chalk.dim('indexing continues in the background')}\n`);
}
