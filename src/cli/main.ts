import { Command, CommanderError } from 'commander';
import chalk from 'chalk';
import { ConfigError } from '../config/load.ts';
import { ModelSetupError } from '../model/language-model.ts';
import { SessionLogError } from '../agent/session-log.ts';
import { registerAskCommand } from './commands/ask.ts';
import { registerConfigCommand } from './commands/config.ts';
import { registerEvalCommand } from './commands/eval.ts';
import { registerMapCommand } from './commands/map.ts';
import { registerModelsCommand } from './commands/models.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerSessionCommand } from './commands/session.ts';
import { registerSandboxCommand } from './commands/sandbox.ts';
import { UserError } from './user-error.ts';

/**
 * Builds the `assist` command line. Each command lives in `commands/` and registers itself here.
 */
export function buildProgram(): Command {
  const program = new Command('assist')
    .description('An offline coding agent for the terminal.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerConfigCommand(program);
  registerEvalCommand(program);
  registerMapCommand(program);
  registerModelsCommand(program);
  registerRunCommand(program);
  registerAskCommand(program);
  registerSessionCommand(program);
  registerSandboxCommand(program);
  return program;
}

/** Runs the CLI and returns the exit code. Expected failures print one clear message, not a stack. */
export async function main(argv: string[]): Promise<number> {
  if (process.env.NO_COLOR) chalk.level = 0;
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError || error instanceof UserError || error instanceof SessionLogError || error instanceof ModelSetupError) {
      process.stderr.write(`${chalk.red('error:')} ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`${chalk.red('internal error:')} ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
