import { Command, CommanderError } from 'commander';
import { registerAskCommand } from './commands/ask.ts';
import { registerConfigCommand } from './commands/config.ts';
import { registerEvalCommand } from './commands/eval.ts';
import { registerMapCommand } from './commands/map.ts';
import { registerModelsCommand } from './commands/models.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerSessionCommand } from './commands/session.ts';
import { registerSandboxCommand } from './commands/sandbox.ts';
import { rejectUnknownCommands } from './unknown-command.ts';
import type { CliDeps } from './cli-deps.ts';
import { UserError } from './user-error.ts';

/**
 * Builds the `assist` command line. Each command lives in `commands/` and registers itself here.
 *
 * Launch time: everything imported while building the program loads on every launch, including
 * `assist --version`. A command module imports at its top only commander, types and small local
 * modules; the model engine, tree-sitter, dockerode, prompts, chalk and the config validator are
 * loaded with `await import()` inside the action that uses them (test/cli/launch.test.ts checks).
 */
export function buildProgram(deps: CliDeps = {}): Command {
  const program = new Command('assist')
    .description('An offline coding agent for the terminal.')
    .version('0.1.0')
    .showHelpAfterError()
    .helpCommand(true)
    .exitOverride();
  registerConfigCommand(program);
  registerEvalCommand(program, deps);
  registerMapCommand(program);
  registerModelsCommand(program);
  registerRunCommand(program, deps);
  registerAskCommand(program, deps);
  registerSessionCommand(program, deps);
  registerSandboxCommand(program);
  rejectUnknownCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code. Expected failures print one clear message, not a stack. */
export async function main(argv: string[], deps: CliDeps = {}): Promise<number> {
  if (process.env.NO_COLOR) (await import('chalk')).default.level = 0;
  const program = buildProgram(deps);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const { default: chalk } = await import('chalk');
    if (await isExpected(error)) {
      process.stderr.write(`${chalk.red('error:')} ${(error as Error).message}\n`);
      return error instanceof UserError ? error.exitCode : 2;
    }
    process.stderr.write(`${chalk.red('internal error:')} ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

/** Errors with a message written for the user (bad input, config, model setup), not bugs. */
async function isExpected(error: unknown): Promise<boolean> {
  if (error instanceof UserError) return true;
  const [{ ConfigError }, { ModelSetupError }, { SessionLogError }] = await Promise.all([
    import('../config/load.ts'),
    import('../model/language-model.ts'),
    import('../agent/session-log.ts'),
  ]);
  return error instanceof ConfigError || error instanceof SessionLogError || error instanceof ModelSetupError;
}
