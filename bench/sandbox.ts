/**
 * `npm run bench -- sandbox [warmRuns]`: per-run overhead of `run_in_sandbox` for a trivial
 * command (`true`) on the warm container, the first run of a session (container create + start),
 * and the anchor `docker run --rm --network none IMAGE true`, all in the same run. Medians.
 * Last line: {"bench":"sandbox","warmRunMs":A,"firstRunMs":B,"dockerRunMs":C,"warmRatioVsDockerRun":A/C}
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaults } from '../src/config/schema.ts';
import { DockerSandbox } from '../src/sandbox/docker-sandbox.ts';
import { probeDocker } from '../src/sandbox/docker-probe.ts';
import { openWorkspace } from '../src/workspace/open-workspace.ts';
import { runInSandboxTool } from '../tools/run_in_sandbox.ts';
import type { ToolContext } from '../tools/tool.ts';

const run = promisify(execFile);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number): number => Math.round(n * 10) / 10;

export default async function bench(args: string[]): Promise<void> {
  const warmRuns = Number(args[0] ?? 20);
  const sessions = 5;
  const config = defaults;
  const probe = await probeDocker(config.sandbox.image);
  if (!probe.ok) throw new Error(`cannot bench the sandbox: ${probe.reason}`);
  // A small project, so the measured run includes copying a real (if tiny) workspace.
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-bench-sandbox-'));
  await fs.writeFile(path.join(root, 'main.py'), 'print("hello")\n');
  await fs.writeFile(path.join(root, 'README.md'), '# bench\n');
  const ctx = (sandbox: DockerSandbox): ToolContext => ({
    root,
    config,
    workspace: openWorkspace(root),
    sandbox,
    signal: new AbortController().signal,
    approve: async () => ({ answer: 'yes' }),
  });
  const timedRun = async (sandbox: DockerSandbox): Promise<number> => {
    const c = ctx(sandbox);
    const start = performance.now();
    const result = await runInSandboxTool.execute({ language: null, code: null, command: 'true' }, c);
    const ms = performance.now() - start;
    if (result.run?.exitCode !== 0) throw new Error(`the trivial run failed: ${result.forModel}`);
    return ms;
  };
  const dockerRun = async (): Promise<number> => {
    const start = performance.now();
    await run('docker', ['run', '--rm', '--network', 'none', config.sandbox.image, 'true']);
    return performance.now() - start;
  };

  try {
    await dockerRun(); // warm the engine's caches for the anchor too
    const first: number[] = [];
    const warm: number[] = [];
    const anchor: number[] = [];
    for (let s = 0; s < sessions; s++) {
      const sandbox = new DockerSandbox({ config: config.sandbox, root, sessionId: `bench-${process.pid}-${s}`, docker: probe.docker });
      try {
        first.push(await timedRun(sandbox));
        const perSession = Math.ceil(warmRuns / sessions);
        for (let i = 0; i < perSession; i++) {
          warm.push(await timedRun(sandbox));
          if (i % 2 === 0) anchor.push(await dockerRun());
        }
      } finally {
        await sandbox.dispose();
      }
      console.error(
        `session ${s + 1}/${sessions}: first ${round(first.at(-1)!)} ms, warm median so far ${round(median(warm))} ms, docker run median so far ` +
          `${round(median(anchor))} ms`,
      );
    }
    const warmRunMs = round(median(warm));
    const firstRunMs = round(median(first));
    const dockerRunMs = round(median(anchor));
    console.log(
      JSON.stringify({ bench: 'sandbox', warmRunMs, firstRunMs, dockerRunMs, warmRatioVsDockerRun: Math.round((warmRunMs / dockerRunMs) * 1000) / 1000 }),
    );
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
