/**
 * Picks the sandbox backend per `config.sandbox.backend`: `auto` tries Docker, then bubblewrap;
 * `none` (running on the host) only when configured explicitly. `reason` says which backend is
 * used and why, and when none is available, what to do.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { Sandbox } from './sandbox.ts';
import { DockerSandbox, reapStaleContainers } from './docker-sandbox.ts';
import { probeDocker } from './docker-probe.ts';
import { BwrapSandbox, probeBwrap } from './bwrap-sandbox.ts';
import { HostSandbox } from './host-sandbox.ts';

export { installSandboxExitCleanup } from './cleanup.ts';

/** Opens the sandbox of a session. Never throws for an unavailable backend: `sandbox` is then absent. */
export async function openSandbox(config: Config, options: { root: string; sessionId?: string }): Promise<{ sandbox?: Sandbox; reason: string }> {
  const cfg = config.sandbox;
  const sessionId = options.sessionId ?? `${process.pid}-${randomBytes(3).toString('hex')}`;
  const backend = cfg.backend;
  switch (backend) {
    case 'none': {
      const sandbox = new HostSandbox({ config: cfg });
      return {
        sandbox,
        reason:
          `WARNING: sandbox.backend is "none": code and tests run directly on this machine with NO isolation. Set sandbox.backend to "auto" to ` +
          `use Docker or bubblewrap.`,
      };
    }
    case 'docker': {
      const docker = await openDocker(config, options.root, sessionId);
      if (docker.sandbox) return docker;
      return { reason: `no sandbox: ${docker.reason}. No fallback because sandbox.backend is "docker"; set it to "auto" to fall back to bubblewrap.` };
    }
    case 'bwrap': {
      const probe = await probeBwrap();
      if (probe.ok) return { sandbox: new BwrapSandbox({ config: cfg, root: options.root }), reason: 'bubblewrap (sandbox.backend is "bwrap")' };
      return { reason: `no sandbox: ${probe.reason}. Set sandbox.backend to "auto" to use Docker instead.` };
    }
    case 'auto': {
      const docker = await openDocker(config, options.root, sessionId);
      if (docker.sandbox) return docker;
      const probe = await probeBwrap();
      if (probe.ok)
        return { sandbox: new BwrapSandbox({ config: cfg, root: options.root }), reason: `bubblewrap, because Docker is not usable: ${docker.reason}` };
      return {
        reason:
          `no sandbox, so code cannot be run: Docker: ${docker.reason}; bubblewrap: ${probe.reason}. Fix one of these, or set sandbox.backend ` +
          `to "none" to run on the host WITHOUT isolation.`,
      };
    }
    default:
      return backend satisfies never;
  }
}

async function openDocker(config: Config, root: string, sessionId: string): Promise<{ sandbox?: Sandbox; reason: string }> {
  const probe = await probeDocker(config.sandbox.image);
  if (!probe.ok) return { reason: probe.reason };
  const reaped = await reapStaleContainers(probe.docker).catch(() => 0);
  const sandbox = new DockerSandbox({ config: config.sandbox, root, sessionId, docker: probe.docker });
  const note = reaped > 0 ? `; removed ${reaped} container(s) left by crashed sessions` : '';
  return { sandbox, reason: `docker (engine ${probe.serverVersion}, image ${config.sandbox.image})${note}` };
}
