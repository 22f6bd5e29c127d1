import type { Command } from 'commander';
import { loadProjectConfig } from '../project.ts';
import { UserError } from '../user-error.ts';

/** `assist sandbox status|build`: which backend and image are in use and why; build the image offline. */
export function registerSandboxCommand(program: Command): void {
  const sandbox = program.command('sandbox').description('the sandbox where code and tests run (Docker or bubblewrap)');

  sandbox
    .command('status')
    .description('show which sandbox backend and image are in use, and why')
    .action(async () => {
      const { config, root } = await loadProjectConfig();
      const [{ default: chalk }, { openSandbox }, { probeDocker }, { probeBwrap }, { inspectImage }] = await Promise.all([
        import('chalk'),
        import('../../sandbox/open-sandbox.ts'),
        import('../../sandbox/docker-probe.ts'),
        import('../../sandbox/bwrap-sandbox.ts'),
        import('../../sandbox/image.ts'),
      ]);
      const { sandbox: opened, reason } = await openSandbox(config, { root });
      try {
        const out = (label: string, text: string): boolean => process.stdout.write(`${chalk.bold(label.padEnd(9))} ${text}\n`);
        out('backend', opened ? (opened.kind === 'none' ? chalk.red(opened.describe()) : opened.describe()) : chalk.red('none available'));
        out('why', reason);
        out('config', `sandbox.backend = "${config.sandbox.backend}", sandbox.image = "${config.sandbox.image}"`);
        const docker = await probeDocker(config.sandbox.image);
        out('docker', docker.ok ? chalk.green(`usable (engine ${docker.serverVersion})`) : chalk.yellow(docker.reason));
        const image = docker.ok || docker.engineUp ? await inspectImage(config.sandbox.image) : undefined;
        out(
          'image',
          image
            ? `${config.sandbox.image} ${image.id.slice(7, 19)}, built ${image.created.slice(0, 19).replace('T', ' ')}, ` +
                `${(image.sizeBytes / 1e9).toFixed(2)} GB`
            : chalk.yellow(`${config.sandbox.image} not present (assist sandbox build)`),
        );
        const bwrap = await probeBwrap();
        out('bwrap', bwrap.ok ? chalk.green('usable') : chalk.yellow(bwrap.reason));
        if (!opened) process.exitCode = 1;
      } finally {
        await opened?.dispose();
      }
    });

  sandbox
    .command('build')
    .description('build the sandbox image offline (debootstrap + docker import, no registry), or load a saved one')
    .option('--from-tar <file>', 'load a saved image tarball (docker save) instead of building')
    .option('--image <name>', 'image name (default: sandbox.image from the config)')
    .option('--rebuild-base', 'make the Debian base again even if it exists')
    .action(async (options: { fromTar?: string; image?: string; rebuildBase?: boolean }) => {
      const { config } = await loadProjectConfig();
      const [{ default: chalk }, { probeDocker }, { buildImage }] = await Promise.all([
        import('chalk'),
        import('../../sandbox/docker-probe.ts'),
        import('../../sandbox/image.ts'),
      ]);
      const image = options.image ?? config.sandbox.image;
      const code = await buildImage({ image, fromTar: options.fromTar, rebuildBase: options.rebuildBase });
      if (code !== 0) throw new UserError(`building the sandbox image failed (exit ${code}); the reason is printed above`);
      const probe = await probeDocker(image);
      if (!probe.ok) throw new UserError(`the build finished but the image is not usable: ${probe.reason}`);
      process.stdout.write(`${chalk.green('ready:')} ${image} (${probe.imageId.slice(7, 19)})\n`);
    });
}
