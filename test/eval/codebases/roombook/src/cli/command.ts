/**
 * What a subcommand of the `roombook` command line is, and what it is given to run.
 */
import type { Config } from '../config/types.ts';
import type { AppContext } from '../services/context.ts';
import type { OptionSpecs, ParsedArgs } from './args.ts';

/** The outside world of the command line, passed in so tests can replace it. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Clock (epoch milliseconds); the real one when absent. */
  now?: () => number;
  /** Ends long-running commands (`serve`); the process's SIGINT/SIGTERM in `main.ts`. */
  signal?: AbortSignal;
}

/** What a command's `run` gets. */
export interface CommandEnv {
  io: CliIo;
  args: ParsedArgs;
  /** Whether `--json` was given: print machine-readable JSON instead of tables. */
  json: boolean;
  /** Loads the configuration (once), honouring `--config` and `--db`. */
  config(): Config;
  /** Loads the configuration and opens the database (once). The runner closes it afterwards. */
  context(): AppContext;
}

/** One subcommand, e.g. `rooms add`. */
export interface Command {
  /** One or two words: `serve`, `rooms add`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Arguments after the name, for the usage line, e.g. `<room> --start ISO --end ISO`. */
  usage: string;
  options: OptionSpecs;
  /** Runs the command; resolves to the exit code. */
  run(env: CommandEnv): number | Promise<number>;
}

/** Prints `value` as indented JSON. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
