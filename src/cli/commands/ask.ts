/**
 * `assist ask "question"`: answers about the codebase with read-only tools, citing path:line.
 * Exit 0 when answered, 1 when the turn ended otherwise, 130 when interrupted, 143 / 129 when
 * ended by SIGTERM / SIGHUP.
 */
import type { CliDeps } from '../cli-deps.ts';
import type { Command } from 'commander';
import type { DeepPartial } from '../../config/load.ts';
import { settings, type Config } from '../../config/schema.ts';
import type { Session } from '../../agent/open-session.ts';
import { commandSignals } from '../command-signals.ts';
import { jsonEventWriter } from '../json-events.ts';
import { nonInteractiveApprover } from '../non-interactive-approver.ts';
import { positiveIntegerOption } from '../positive-integer.ts';
import { loadProjectConfig } from '../project.ts';
import { UserError } from '../user-error.ts';
import { openOneShotSession, progressWriter } from './run.ts';

export interface AskCommandOptions {
  json?: boolean;
  maxSteps?: number;
  /** With no model set up, download the recommended one without asking. */
  yes?: boolean;
}

export function registerAskCommand(program: Command, deps: CliDeps = {}): void {
  program
    .command('ask')
    .description('answer a question about the codebase (read-only), citing path:line')
    .argument('<question>', 'what you want to know')
    .option('--json', 'print newline-delimited JSON events on stdout')
    .option('--max-steps <n>', 'model steps allowed', positiveIntegerOption(settings.agent.maxSteps.max))
    .option('-y, --yes', 'with no model set up, download the recommended one without asking')
    .action(async (question: string, options: AskCommandOptions, command: Command) => {
      process.exitCode = await askQuestion(question, { ...options, yes: command.optsWithGlobals<{ yes?: boolean }>().yes }, deps);
    });
}

/** The whole `assist ask`; returns the exit code. */
export async function askQuestion(question: string, options: AskCommandOptions, deps: CliDeps = {}): Promise<number> {
  if (!question.trim()) throw new UserError('The question is empty: assist ask "where is the config loaded?"');
  const flags: DeepPartial<Config> = { agent: { approvalMode: 'suggest', maxSteps: options.maxSteps } };
  const { root, config } = await loadProjectConfig(flags);
  const show = progressWriter(options.json);
  const interrupt = commandSignals(() => process.stderr.write('\nInterrupted: stopping (Ctrl-C again to exit now).\n'));
  let session: Session | undefined;
  try {
    session = await openOneShotSession({
      root,
      config,
      readOnly: true,
      yes: options.yes,
      ...(deps.openModel ? { openModel: deps.openModel } : {}),
      approver: nonInteractiveApprover({ command: 'ask', allowSandboxedRuns: false }),
      onEvent: show,
      signal: interrupt.signal,
    });
    await session.indexReady;
    const result = await session.agent.runTurn(question.trim(), interrupt.signal);
    const exitCode = interrupt.exitCode(result.status === 'aborted' ? 130 : result.status === 'answered' ? 0 : 1);
    if (options.json) jsonEventWriter()({ type: 'done', exitCode, success: exitCode === 0, sessionId: session.id });
    else process.stdout.write(`${result.text.trim()}\n`);
    return exitCode;
  } catch (error) {
    if (interrupt.endedBy) return interrupt.exitCode(1);
    throw error;
  } finally {
    await session?.dispose();
    interrupt.dispose();
  }
}
