import type { Command } from 'commander';
import { loadProjectConfig } from '../project.ts';

/** `assist config`: the effective settings, where each value came from, and the project settings ignored. */
export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('print the effective configuration and where each value came from')
    .option('--json', 'print as JSON')
    .option('--doc', 'print the documentation of every setting (a Markdown table)')
    .action(async (options: { json?: boolean; doc?: boolean }) => {
      if (options.doc) {
        const { renderConfigDoc } = await import('../../config/doc.ts');
        process.stdout.write(renderConfigDoc());
        return;
      }
      const loaded = await loadProjectConfig(undefined, undefined, { warn: () => {} });
      const { sources, files, root } = loaded;
      const { withEnvHidden } = await import('../../config/mcp-servers.ts');
      const config = { ...loaded.config, mcpServers: withEnvHidden(loaded.config.mcpServers) };
      const ignored = loaded.ignored.map((item) =>
        item.key === 'mcpServers' ? { ...item, value: withEnvHidden(item.value as typeof config.mcpServers) } : item,
      );
      if (options.json) {
        process.stdout.write(JSON.stringify({ root, files, config, sources, ignored }, null, 2) + '\n');
        return;
      }
      const { default: chalk } = await import('chalk');
      process.stdout.write(`${chalk.bold('project')} ${root}\n${chalk.dim(`user config:    ${files.user}\nproject config: ${files.project}`)}\n`);
      const fromText = (src: { source: string; file?: string }) => (src.file ? `${src.source} (${src.file})` : src.source);
      for (const [section, values] of Object.entries(config)) {
        const whole = sources[section];
        if (whole) {
          // a top-level setting (mcpServers): one value, one source
          const entries = Object.entries(values as Record<string, unknown>);
          process.stdout.write(`\n${chalk.bold(section)} ${chalk.dim(fromText(whole))}\n`);
          for (const [name, value] of entries) process.stdout.write(`  ${name.padEnd(18)} ${JSON.stringify(value)}\n`);
          if (entries.length === 0) process.stdout.write(chalk.dim('  (none)\n'));
          continue;
        }
        process.stdout.write(`\n${chalk.bold(section)}\n`);
        for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
          process.stdout.write(`  ${key.padEnd(18)} ${JSON.stringify(value).padEnd(28)} ${chalk.dim(fromText(sources[`${section}.${key}`]))}\n`);
        }
      }
      if (ignored.length > 0) {
        process.stdout.write(`\n${chalk.yellow.bold('ignored from the project file')} ${chalk.dim('(a project may not weaken safety)')}\n`);
        for (const item of ignored) {
          process.stdout.write(`  ${item.key.padEnd(25)} ${JSON.stringify(item.value).padEnd(21)} ${chalk.dim(item.reason)}\n`);
        }
      }
    });
}
