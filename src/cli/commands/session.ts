/**
 * `assist` with no subcommand: the interactive session in the current project.
 * `assist [--resume [id]] [--mode MODE] [--max-attempts N] [--max-steps N] [--model NAME]`
 */
import { InvalidArgumentError, type Command } from 'commander';
import chalk from 'chalk';
import type { DeepPartial } from '../../config/load.ts';
import { approvalModes, type ApprovalMode, type Config } from '../../config/schema.ts';
import type { Session } from '../../agent/open-session.ts';
import { ModelSetupError } from '../../model/language-model.ts';
import { createApprovalPrompt } from '../approval-prompt.ts';
import { loadProjectConfig } from '../project.ts';
import { formatBanner } from '../render/banner.ts';
import { EventRenderer } from '../render/event-renderer.ts';
import { ProgressLine } from '../render/progress-line.ts';
import { runSessionLoop } from '../repl/session-loop.ts';
import { TurnControl } from '../repl/turn-control.ts';
import { UserError } from '../user-error.ts';

/** Flags of the interactive session. */
export interface SessionCommandOptions {
  resume?: string | true;
  mode?: ApprovalMode;
  maxAttempts?: number;
  maxSteps?: number;
  model?: string;
}

/** The message (and exit code 2) when `assist` runs without a terminal. */
export const noTtyMessage =
  'The interactive session needs a terminal (stdin and stdout must be a TTY). For scripts and pipes use `assist run "task"` or `assist ask "question"`.';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return n;
}

function approvalMode(value: string): ApprovalMode {
  const mode = approvalModes.find((m) => m === value);
  if (!mode) throw new InvalidArgumentError(`expected one of ${approvalModes.join(', ')}.`);
  return mode;
}

/**
 * Registers the interactive session as the program's default action. Program options are made
 * positional so that subcommands (`run`, `ask`, …) own their options of the same names.
 */
export function registerSessionCommand(program: Command): void {
  program
    .enablePositionalOptions()
    .option('--resume [id]', 'continue the latest session, or the session with this id')
    .option('--mode <mode>', `approval mode: ${approvalModes.join(', ')}`, approvalMode)
    .option('--max-attempts <n>', 'failed runs allowed per turn', positiveInt)
    .option('--max-steps <n>', 'model steps allowed per turn', positiveInt)
    .option('--model <name>', 'model to use (catalog name, file in the models dir, or path; for the openai backend, the server model)')
    .action(async (options: SessionCommandOptions) => {
      await runInteractiveSession(options);
    });
}

/** Turns the flags into the config layer they override. */
export function sessionFlags(options: SessionCommandOptions, backend: Config['model']['backend']): DeepPartial<Config> {
  const flags: DeepPartial<Config> = {};
  const agent: DeepPartial<Config['agent']> = {};
  if (options.mode) agent.approvalMode = options.mode;
  if (options.maxAttempts !== undefined) agent.maxAttempts = options.maxAttempts;
  if (options.maxSteps !== undefined) agent.maxSteps = options.maxSteps;
  if (Object.keys(agent).length) flags.agent = agent;
  if (options.model !== undefined) {
    if (backend === 'openai') flags.openai = { model: options.model };
    else flags.model = { name: options.model };
  }
  return flags;
}

/** Runs the interactive session to its end; the session is disposed on every way out. */
export async function runInteractiveSession(options: SessionCommandOptions): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(noTtyMessage);
  try {
    await runSession(options);
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

async function runSession(options: SessionCommandOptions): Promise<void> {
  const base = loadProjectConfig();
  const { config, root } = loadProjectConfig(sessionFlags(options, base.config.model.backend));

  const renderer = new EventRenderer(process.stdout, process.stderr, { indexNote: chalk.dim('(Ctrl-C: start without waiting)') });
  const turns = new TurnControl(() => {
    renderer.endThought();
    process.stdout.write(chalk.yellow('Cancelling…') + '\n');
  });
  const approver = createApprovalPrompt({ onInterrupt: () => turns.cancel() });

  const opening = new AbortController();
  const cancelOpening = () => opening.abort(new Error('Cancelled with Ctrl-C.'));
  process.on('SIGINT', cancelOpening);
  const loading = new ProgressLine(process.stderr, chalk.dim('loading model'));
  let session: Session;
  try {
    // Loaded here, not at startup: the other commands need none of the model, index or sandbox code.
    const [{ openSession }, { installSandboxExitCleanup }] = await Promise.all([import('../../agent/open-session.ts'), import('../../sandbox/open-sandbox.ts')]);
    // A safety net for crashes: containers still tracked at process exit are removed synchronously.
    installSandboxExitCleanup({ signals: [] });
    session = await openSession({
      root,
      config,
      approver,
      onEvent: renderer.handle,
      ...(options.resume !== undefined ? { resumeId: options.resume === true ? '' : options.resume } : {}),
      onModelProgress: (fraction) => loading.update(Math.round(fraction * 100), 100),
      signal: opening.signal,
    });
  } catch (error) {
    loading.clear();
    if (opening.signal.aborted) throw new UserError('Cancelled while opening the session.');
    if (error instanceof ModelSetupError) throw new UserError(error.message);
    throw error;
  } finally {
    process.removeListener('SIGINT', cancelOpening);
  }
  loading.clear();

  // Ctrl-C never kills the session outright: at the prompt readline handles it, during a turn it
  // cancels the turn; anywhere else (a slow slash command) it is ignored rather than lost.
  const ignoreSigint = () => turns.cancel();
  process.on('SIGINT', ignoreSigint);
  let ending: Promise<void> | undefined;
  const endOnSignal = (signal: NodeJS.Signals) => {
    turns.cancel();
    ending ??= session.dispose().finally(() => process.exit(signal === 'SIGHUP' ? 129 : 143));
  };
  process.once('SIGTERM', endOnSignal);
  process.once('SIGHUP', endOnSignal);
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
      }),
    );
    if (session.resumedTurns > 0) process.stdout.write(chalk.dim(`Resumed with ${session.resumedTurns} earlier turn${session.resumedTurns === 1 ? '' : 's'}; /history lists them.`) + '\n');
    await waitForIndex(session, renderer);
    await runSessionLoop({ session, config, root, renderer, turns, input: process.stdin, output: process.stdout });
  } finally {
    process.removeListener('SIGINT', ignoreSigint);
    process.removeListener('SIGTERM', endOnSignal);
    process.removeListener('SIGHUP', endOnSignal);
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
