/**
 * The `roombook` command line: finds the subcommand, parses its options, runs it, and turns errors
 * into messages and exit codes (0 success, 1 failure, 2 wrong usage).
 */
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { AppError, ValidationError } from '../domain/errors.ts';
import { createLogger } from '../log/logger.ts';
import { closeContext, createContext, type AppContext } from '../services/context.ts';
import { formatOptions, parseArgs, UsageError, type OptionSpecs } from './args.ts';
import type { CliIo, Command, CommandEnv } from './command.ts';
import { configCommand, migrateCommand } from './commands/admin.ts';
import { agenda, book, cancel, free } from './commands/bookings.ts';
import { roomsAdd, roomsChange, roomsList, roomsRemove } from './commands/rooms.ts';
import { serve } from './commands/serve.ts';

/** The version printed by `--version`. */
export const version = '1.4.0';

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly Command[] = [serve, roomsList, roomsAdd, roomsChange, roomsRemove, book, cancel, agenda, free, migrateCommand, configCommand];

/** Options every command accepts. */
export const globalOptions: OptionSpecs = {
  config: { type: 'string', description: 'config file (default: $ROOMBOOK_CONFIG or ./roombook.config.json)', valueName: 'FILE' },
  db: { type: 'string', description: 'database file (overrides the config)', valueName: 'FILE' },
  json: { type: 'boolean', description: 'print JSON instead of tables' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

/**
 * Runs the command line.
 *
 * @param argv Arguments without the program name, e.g. `['rooms', 'add', 'Aurora', '-c', '8']`.
 * @returns The exit code.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(mainHelp());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.stdout(`roombook ${version}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`roombook: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${mainHelp()}`);
    return 2;
  }
  const { command, rest } = found;
  const specs = { ...globalOptions, ...command.options };
  let ctx: AppContext | undefined;
  try {
    const args = parseArgs(rest, specs);
    if (args.options.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    let config: Config | undefined;
    const env: CommandEnv = {
      io,
      args,
      json: args.options.json === true,
      config: () => (config ??= loadCliConfig(io, args.options, command)),
      context: () =>
        (ctx ??= createContext(env.config(), {
          now: io.now,
          logger: createLogger({ ...env.config().log, write: (line) => io.stderr(line), now: io.now }),
        })),
    };
    return await command.run(env);
  } catch (error) {
    return reportError(io, command, error);
  } finally {
    if (ctx) closeContext(ctx);
  }
}

function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  const two = commands.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = commands.find((c) => c.name === argv[0]);
  if (one) return { command: one, rest: argv.slice(1) };
  return undefined;
}

function loadCliConfig(io: CliIo, options: Record<string, unknown>, command: Command): Config {
  const overrides: Record<string, Record<string, unknown>> = {};
  if (typeof options.db === 'string') overrides.database = { path: options.db };
  if (command === serve) {
    overrides.server = { port: options.port, host: options.host };
  }
  return loadConfig({ cwd: io.cwd, env: io.env, file: typeof options.config === 'string' ? options.config : undefined, overrides }).config;
}

function reportError(io: CliIo, command: Command, error: unknown): number {
  if (error instanceof UsageError) {
    io.stderr(`roombook ${command.name}: ${error.message}\nusage: roombook ${command.name} ${command.usage}\n`);
    return 2;
  }
  if (error instanceof ValidationError) {
    io.stderr(`roombook ${command.name}: invalid input\n${error.problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}\n`);
    return 1;
  }
  if (error instanceof AppError) {
    io.stderr(`roombook ${command.name}: ${error.message}\n`);
    return 1;
  }
  io.stderr(`roombook ${command.name}: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

/** The overview printed by `roombook --help`. */
export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'roombook - book meeting rooms',
    '',
    'usage: roombook <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options for every command:',
    formatOptions(globalOptions),
    '',
    'Run `roombook <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/** The help of one command: usage line and options. */
export function commandHelp(command: Command): string {
  const own = Object.keys(command.options).length ? `options:\n${formatOptions(command.options)}\n\n` : '';
  return `usage: roombook ${command.name} ${command.usage}\n\n${command.summary}\n\n${own}global options:\n${formatOptions(globalOptions)}\n`;
}
