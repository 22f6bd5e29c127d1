import type { Command } from 'commander';
import { loadProjectConfig } from '../project.ts';

/** `assist config`: the effective settings and where each value came from. */
export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('print the effective configuration and where each value came from')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const { config, sources, files, root } = await loadProjectConfig();
      if (options.json) {
        process.stdout.write(JSON.stringify({ root, files, config, sources }, null, 2) + '\n');
        return;
      }
      const { default: chalk } = await import('chalk');
      process.stdout.write(`${chalk.bold('project')} ${root}\n${chalk.dim(`user config:    ${files.user}\nproject config: ${files.project}`)}\n`);
      for (const [section, values] of Object.entries(config)) {
        process.stdout.write(`\n${chalk.bold(section)}\n`);
        for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
          const src = sources[`${section}.${key}`];
          const from = src.file ? `${src.source} (${src.file})` : src.source;
          process.stdout.write(`  ${key.padEnd(18)} ${JSON.stringify(value).padEnd(28)} ${chalk.dim(from)}\n`);
        }
      }
    });
}
