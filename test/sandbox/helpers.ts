/**
 * Shared helpers of the sandbox tests: small-limit configs, temp workspaces, backend
 * availability (FAILS rather than skips under CI), and waiting for a run's process to appear.
 */
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaults, type Config } from '../../src/config/schema.ts';
import type { WorkspaceSnapshot } from '../../src/workspace/workspace.ts';
import { probeDocker } from '../../src/sandbox/docker-probe.ts';
import { probeBwrap } from '../../src/sandbox/bwrap-sandbox.ts';

/** Sandbox settings with small limits so the tests stay fast. */
export function smallConfig(overrides: Partial<Config['sandbox']> = {}): Config {
  return {
    ...defaults,
    sandbox: { ...defaults.sandbox, timeoutMs: 20_000, memoryMb: 128, cpus: 1, pids: 64, outputLimitBytes: 16 * 1024, ...overrides },
  };
}

/** A temp project dir with `files`; returns its snapshot (with `overlay`) and a cleanup. */
export async function tempProject(
  files: Record<string, string>,
  overlay: Record<string, string | null> = {},
): Promise<{ root: string; snapshot: WorkspaceSnapshot; cleanup: () => Promise<void> }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-sbx-test-'));
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), content);
  }
  return { root, snapshot: { root, overlay: new Map(Object.entries(overlay)) }, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

/** Why Docker cannot be tested here, or undefined when it can. Under CI a missing engine/image is a failure. */
export async function dockerUnavailable(image = defaults.sandbox.image): Promise<string | undefined> {
  const probe = await probeDocker(image);
  if (probe.ok) return undefined;
  const message = `${probe.reason}${probe.engineUp ? ' (.ci/run builds the image with sandbox/build-offline.sh; locally run it once)' : ''}`;
  if (process.env.CI) throw new Error(`Docker sandbox tests cannot run under CI: ${message}`);
  return message;
}

/** Why bwrap cannot be tested here (CI: throws). */
export async function bwrapUnavailable(): Promise<string | undefined> {
  const probe = await probeBwrap();
  if (probe.ok) return undefined;
  if (process.env.CI) throw new Error(`bubblewrap sandbox tests cannot run under CI: ${probe.reason}`);
  return probe.reason;
}

/** Host pids whose command line contains `marker` (processes inside containers are visible too). */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(marker)) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** Resolves once a process with `marker` in its command line exists (polls /proc). */
export async function waitForProcess(marker: string, until: Promise<unknown>): Promise<void> {
  let settled = false;
  void until.finally(() => (settled = true)).catch(() => undefined);
  while (!settled) {
    if (processesWith(marker).length > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the run ended before a process with '${marker}' appeared`);
}
