import type { Command } from 'commander';
import { ModelSetupError } from '../../model/language-model.ts';
import { loadProjectConfig } from '../project.ts';
import { formatDownloadSize as gb } from '../model-download.ts';
import { UserError } from '../user-error.ts';

/** Runs a model-store action; setup errors become one clear line (UserError). */
async function friendly<T>(action: () => Promise<T> | T): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ModelSetupError) throw new UserError(error.message);
    throw error;
  }
}

/** What every action needs, loaded when one runs: the model store brings node-llama-cpp with it. */
async function load() {
  const [{ default: chalk }, store, { config }] = await Promise.all([import('chalk'), import('../../model/model-store.ts'), loadProjectConfig()]);
  return { chalk, store, options: { config } };
}

/** `assist models list | pull NAME|URL | import PATH | use NAME | rm NAME`. */
export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('list, download, import and choose GGUF models');

  models
    .command('list', { isDefault: true })
    .description('recommended models and the ones you have (* = current)')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const { chalk, store, options } = await load();
      const { dir, models: rows } = await friendly(() => store.listModels(options));
      if (flags.json) {
        process.stdout.write(JSON.stringify({ dir, models: rows }, null, 2) + '\n');
        return;
      }
      process.stdout.write(`${chalk.bold('models directory')} ${dir}\n\n`);
      for (const m of rows) {
        const mark = m.current ? chalk.green('*') : ' ';
        const status = m.installed
          ? chalk.green('installed')
          : m.partialBytes
            ? chalk.yellow(`partial ${gb(m.partialBytes)} (pull again to resume)`)
            : chalk.dim('not downloaded');
        const facts = m.entry
          ? `${gb(m.entry.sizeBytes).padStart(8)}  needs ${gb(m.entry.memoryBytes).padStart(8)}  ctx ${String(m.entry.contextSize).padStart(6)}  ` +
            `${m.entry.license.padEnd(10)}`
          : `${gb(m.sizeBytes).padStart(8)}  ${chalk.dim('imported')}`;
        process.stdout.write(`${mark} ${m.name.padEnd(22)} ${facts}  ${status}\n`);
        if (m.entry) process.stdout.write(`  ${chalk.dim(m.entry.description)}\n`);
      }
      if (!rows.some((m) => m.installed)) {
        process.stdout.write(
          `\nGet one: ${chalk.bold('assist models pull NAME')}, or ${chalk.bold('assist models import PATH')} for a GGUF you already have.\n`,
        );
      }
    });

  models
    .command('pull')
    .argument('<name-or-url>', 'a catalog name (see `assist models list`) or an https URL of a .gguf file')
    .description('download a model (resumes a broken download; verifies size and checksum)')
    .action(async (nameOrUrl: string) => {
      const [{ chalk, options }, { pullWithProgress }] = await Promise.all([load(), import('../model-download.ts')]);
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const result = await pullWithProgress(nameOrUrl, { config: options.config, signal: controller.signal, resumeHint: 'run the same command again' });
        const what = result.alreadyPresent ? 'already downloaded' : `downloaded ${gb(result.sizeBytes)}`;
        process.stdout.write(`${chalk.green('✓')} ${result.name}: ${what} → ${result.path}\n`);
        if (result.madeCurrent) process.stdout.write(`It is now the current model.\n`);
        else process.stdout.write(`Use it with ${chalk.bold(`assist models use ${result.name}`)}.\n`);
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });

  models
    .command('import')
    .argument('<path>', 'a .gguf file copied in by hand (air-gapped machines)')
    .description('copy a GGUF file into the models directory after checking it')
    .action(async (file: string) => {
      const { chalk, store, options } = await load();
      const result = await friendly(() => store.importModel(file, options));
      const what = `${result.summary.architecture}, ${gb(result.summary.sizeBytes)}`;
      process.stdout.write(`${chalk.green('✓')} imported ${result.name} (${what}) → ${result.path}\n`);
      process.stdout.write(result.madeCurrent ? 'It is now the current model.\n' : `Use it with ${chalk.bold(`assist models use ${result.name}`)}.\n`);
    });

  models
    .command('use')
    .argument('<name>', 'a downloaded catalog model or an imported file name')
    .description('make a model the default (when model.name is not set)')
    .action(async (name: string) => {
      const { chalk, store, options } = await load();
      const result = await friendly(() => store.useModel(name, options));
      process.stdout.write(`${chalk.green('✓')} using ${result.name} (${result.path})\n`);
      const configured = options.config.model.name;
      if (configured) process.stdout.write(chalk.yellow(`note: model.name is set to "${configured}" in your config, which takes precedence.\n`));
    });

  models
    .command('rm')
    .argument('<name>', 'a downloaded catalog model or an imported file name')
    .description('delete a model file')
    .action(async (name: string) => {
      const { chalk, store, options } = await load();
      const result = await friendly(() => store.removeModel(name, options));
      process.stdout.write(`${chalk.green('✓')} removed ${result.path}\n`);
      if (result.wasCurrent) process.stdout.write('It was the current model; choose another with `assist models use NAME`.\n');
    });
}
