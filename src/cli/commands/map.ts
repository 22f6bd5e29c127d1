/**
 * `assist map [--budget N] [--focus FILE...] [--ident NAME...]`: builds or refreshes the index and
 * prints the repo map, so a user sees what the model sees.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { settings } from '../../config/schema.ts';
import { positiveIntegerOption } from '../positive-integer.ts';
import type { ChalkInstance } from 'chalk';
import type { IndexProgress } from '../../index/repo-index.ts';
import { loadProjectConfig } from '../project.ts';
import { UserError } from '../user-error.ts';
import { defaultMapTokens } from '../../agent/project-context.ts';

/** Options of `assist map`. */
export interface MapCommandOptions {
  budget?: number;
  focus?: string[];
  ident?: string[];
}

/** The budget when neither `--budget` nor `index.mapTokens` gives one: the agent's. */
const defaultBudget = defaultMapTokens;

export function registerMapCommand(program: Command): void {
  program
    .command('map')
    .description('print the repo map: the most relevant files and their definitions, within a token budget')
    .option('--budget <tokens>', `token budget (default: index.mapTokens, else ${defaultBudget})`, positiveIntegerOption(settings.index.mapTokens.max))
    .option('--focus <file...>', 'files to rank the map towards (as if they were in the conversation)')
    .option('--ident <name...>', 'identifiers to rank the map towards')
    .action(async (options: MapCommandOptions) => {
      process.stdout.write(await buildMap(options));
    });
}

/** Indexes the project of the current directory (progress on stderr) and returns the map text. */
export async function buildMap(options: MapCommandOptions, cwd: string = process.cwd()): Promise<string> {
  const { root, config } = await loadProjectConfig(undefined, cwd);
  const [{ default: chalk }, { openIndex }] = await Promise.all([import('chalk'), import('../../index/open-index.ts')]);
  const index = openIndex(root, config);
  const progress = progressLine(chalk);
  let result;
  try {
    result = await index.update(progress.update);
  } finally {
    progress.done();
  }
  const indexed = new Set(index.files());
  const focusFiles = (options.focus ?? []).map((f) => {
    const rel = path.relative(root, path.resolve(cwd, f)).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UserError(`--focus ${f} is outside the project (${root}).`);
    if (!indexed.has(rel)) throw new UserError(`--focus ${f}: no such file in the index (missing, or ignored by .gitignore/.assistignore).`);
    return rel;
  });
  const notes = index.notes?.() ?? [];
  const skipped = notes.filter((n) => n.note.startsWith('skipped'));
  process.stderr.write(
    chalk.dim(
      `${result.files} files indexed (${result.parsed} parsed now, ${result.removed} ` +
        `removed)${skipped.length ? `; ${skipped.length} listed without symbols (too large, binary, generated or minified)` : ''}\n`,
    ),
  );
  const budget = options.budget ?? (config.index.mapTokens > 0 ? config.index.mapTokens : defaultBudget);
  const map = index.repoMap({ focusFiles, focusIdents: options.ident ?? [], tokenBudget: budget });
  if (!map) return result.files === 0 ? '(no files to map)\n' : `(nothing fits in ${budget} tokens; raise --budget)\n`;
  return map;
}

function progressLine(chalk: ChalkInstance): { update: (p: IndexProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY;
  let shown = false;
  let last = 0;
  return {
    update: ({ done, total }) => {
      const now = Date.now();
      if (!tty) {
        if (!shown) process.stderr.write(`indexing ${total} files...\n`);
        shown = true;
        return;
      }
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      process.stderr.write(`\r${chalk.dim(`indexing ${done}/${total} files`)}`);
    },
    done: () => {
      if (tty && shown) process.stderr.write('\r\x1b[K');
    },
  };
}
