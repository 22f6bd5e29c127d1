/**
 * `assist` with no subcommand: the interactive session in the current project.
 * `assist [--resume [id]] [--mode MODE] [--max-attempts N] [--max-steps N] [--model NAME]`
 */
import type { CliDeps } from '../cli-deps.ts';
import { InvalidArgumentError, type Command } from 'commander';
import { approvalModes, settings, type ApprovalMode } from '../../config/schema.ts';
import { positiveIntegerOption } from '../positive-integer.ts';
import { sessionFlags, type SessionCommandOptions } from '../session-flags.ts';
import { UserError } from '../user-error.ts';

/** The message (and exit code 2) when `assist` runs without a terminal. */
export const noTtyMessage =
  'The interactive session needs a terminal (stdin and stdout must be a TTY). For scripts and pipes use `assist run "task"` or `assist ask "question"`.';

function approvalMode(value: string): ApprovalMode {
  const mode = approvalModes.find((m) => m === value);
  if (!mode) throw new InvalidArgumentError(`expected one of ${approvalModes.join(', ')}.`);
  return mode;
}

/**
 * Registers the interactive session as the program's default action. Program options are made
 * positional so that subcommands (`run`, `ask`, …) own their options of the same names.
 */
export function registerSessionCommand(program: Command, deps: CliDeps = {}): void {
  program
    .enablePositionalOptions()
    .option('--resume [id]', 'continue the latest session, or the session with this id')
    .option('--mode <mode>', `approval mode: ${approvalModes.join(', ')}`, approvalMode)
    .option('--max-attempts <n>', 'failed runs allowed per turn', positiveIntegerOption(settings.agent.maxAttempts.max))
    .option('--max-steps <n>', 'model steps allowed per turn', positiveIntegerOption(settings.agent.maxSteps.max))
    .option('--model <name>', 'model to use (catalog name, file in the models dir, or path; for the openai backend, the server model)')
    .option('-y, --yes', 'with no model set up, download the recommended one without asking')
    .action(async (options: SessionCommandOptions) => {
      if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(`${noTtyMessage}${await missingModelNote(options)}`);
      const { runInteractiveSession } = await import('./interactive-session.ts');
      await runInteractiveSession(options, deps);
    });
}

/** For `assist` without a terminal: what to run to get a model too, when none is set up (else ''). */
async function missingModelNote(options: SessionCommandOptions): Promise<string> {
  try {
    const [{ loadProjectConfig }, { missingModelAdvice }] = await Promise.all([import('../project.ts'), import('../first-run.ts')]);
    const base = await loadProjectConfig();
    const { config } = await loadProjectConfig(sessionFlags(options, base.config.model.backend));
    const advice = missingModelAdvice(config);
    return advice ? `\n${advice}` : '';
  } catch {
    return ''; // a broken config is reported once there is a terminal; the missing terminal comes first
  }
}
