/**
 * `npm run bench -- startup [--model PATH] [--runs N] [--no-index]`: how long `assist` takes from
 * launch to its first action, and how much memory it holds, against the raw engine in the same run.
 *
 * Each round launches, in fresh processes and interleaved (assist, then raw):
 * - assist: bench/_startup-assist.mjs, then .ts (plain node with tsx registered in-process, like
 *   bin/assist.js) — `openSession` with the default config (temperature 0) on a real temp project
 *   (a copy of this repository's src/ and tools/), sandbox `auto`, index enabled, then one trivial
 *   turn until the first action (`--no-index`: without the index, for comparison);
 * - raw: bench/_startup-raw.mjs (plain node) — node-llama-cpp getLlama + loadModel + createContext
 *   on the same GGUF, same context size and threads, then one generation of the same prompt and
 *   output length as that round's assist run's first action (greedy, so normally the same each round).
 * One untimed warm-up round comes first.
 * "ready" is measured by the parent from spawn to the child's ready message. Peak RSS is each
 * child's own VmHWM. CPU time (user + system, all threads, up to ready) is reported too: on a
 * shared machine it varies far less than wall time. Reported: medians over the rounds.
 * Last line: {"bench":"startup","model":...,"loadMs":L,"rawLoadMs":RL,"loadRatioVsRaw":...,
 * "firstStepMs":F,"readyMs":R,"rawReadyMs":RR,"readyRatioVsRaw":...,"peakRssMb":M,"rawPeakRssMb":RM,"rssRatioVsRaw":...}
 */
import { fork } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssistStartupResult, RawStartupResult, StartupMessage } from './_startup-protocol.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const MB = 1024 * 1024;
/** A child that has not reported within this long is killed and the bench fails. */
const childTimeoutMs = 10 * 60_000;
/** After its result, a child should exit by itself; after this long it is killed (and that is reported). */
const exitGraceMs = 30_000;

interface ChildRun<R> {
  result: R;
  /** Parent clock, ms after spawn, when each mark arrived. */
  marks: Record<string, number>;
  /** ms from the result to the process exit; NaN when it had to be killed. */
  exitAfterResultMs: number;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function modelPath(args: string[]): Promise<string> {
  const given = option(args, '--model');
  if (given) return path.resolve(given);
  const { ensureRealModel } = (await import('../test/e2e/real-model.ts')) as { ensureRealModel(): Promise<string> };
  return ensureRealModel();
}

/** A real project to open: this repository's src/ and tools/, a package.json and a README. */
async function makeProject(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-bench-startup-'));
  await fs.cp(path.join(repo, 'src'), path.join(dir, 'src'), { recursive: true });
  await fs.cp(path.join(repo, 'tools'), path.join(dir, 'tools'), { recursive: true });
  await fs.writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'startup-bench-project', type: 'module', scripts: { test: 'node --test' } }, null, 2),
  );
  await fs.writeFile(path.join(dir, 'README.md'), '# startup bench project\n\nA copy of assist sources, opened by `npm run bench -- startup`.\n');
  return dir;
}

/** Forks `script`, collects its marks and result, waits for it to exit (killing it after a grace period). */
export function runChild<R>(script: string, args: string[], execArgv: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildRun<R>> {
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.now();
    const child = fork(path.join(here, script), args, { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const marks: Record<string, number> = {};
    let result: R | undefined;
    let resultAt = NaN;
    let failure: Error | undefined;
    let killed = false;
    const kill = (why: string) => {
      killed = true;
      failure ??= result === undefined ? new Error(`${script}: ${why}`) : undefined;
      child.kill('SIGKILL');
    };
    const overall = setTimeout(() => kill(`no result within ${childTimeoutMs / 1000} s`), childTimeoutMs);
    let grace: NodeJS.Timeout | undefined;
    child.on('message', (raw) => {
      const message = raw as StartupMessage;
      const now = performance.now() - spawnedAt;
      if (message.type === 'mark') marks[message.name] = now;
      else if (message.type === 'error') failure = new Error(`${script} failed:\n${message.message}`);
      else if (message.type === 'result') {
        result = message as R;
        resultAt = now;
        clearTimeout(overall);
        grace = setTimeout(() => kill('did not exit'), exitGraceMs);
      }
    });
    child.on('error', (error) => (failure ??= error));
    child.on('exit', (code, signal) => {
      clearTimeout(overall);
      clearTimeout(grace);
      if (failure) return reject(failure);
      if (result === undefined) return reject(new Error(`${script} exited (${signal ?? code}) without a result`));
      const exitAfterResultMs = killed ? NaN : performance.now() - spawnedAt - resultAt;
      resolve({ result, marks, exitAfterResultMs });
    });
  });
}

async function runAssist(model: string, extra: string[]): Promise<ChildRun<AssistStartupResult>> {
  const project = await makeProject();
  try {
    return await runChild<AssistStartupResult>('_startup-assist.mjs', ['--model', model, '--project', project, ...extra], []);
  } finally {
    await fs.rm(project, { recursive: true, force: true });
  }
}

function runRaw(
  model: string,
  shape: { contextSize: number; threads: number; promptTokens: number; completionTokens: number },
): Promise<ChildRun<RawStartupResult>> {
  const args = ['--model', model, '--context', String(shape.contextSize), '--threads', String(shape.threads)];
  args.push('--prompt-tokens', String(shape.promptTokens), '--gen-tokens', String(Math.max(1, shape.completionTokens)));
  return runChild<RawStartupResult>('_startup-raw.mjs', args, []);
}

export const median = (values: number[]) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;
const mb = (x: number) => `${(x / MB).toFixed(0)} MB`;

function describeAssist(run: ChildRun<AssistStartupResult>): string {
  const r = run.result;
  const s = r.firstStep;
  const stepText = r.steps
    .map((t) => {
      const head =
        `step ${t.step}: context ${ms(t.contextAt - t.startAt)}, ${t.promptTokens} prompt tokens, first token after ` +
        `${ms(t.firstTokenAt - t.contextAt)}, done after ${ms(t.endAt - t.contextAt)}`;
      return `${head} -> ${t.outcome.length > 120 ? `${t.outcome.slice(0, 120)}...` : t.outcome}`;
    })
    .join('; ');
  return (
    `assist: ready ${ms(run.marks.ready)}, CPU ${ms(r.readyCpuMs)} (node+tsx+imports ${ms(r.importedAt)}, openSession ` +
    `${ms(r.openEndAt - r.openStartAt)} of which model load ${ms(r.loadMs)}; ` +
    `turn ${ms(r.actionAt - r.turnStartAt)} (${r.threads} thread(s)): ${stepText}; first action: ${s.tool}, ${s.promptTokens}+${s.completionTokens} ` +
    `tokens, step ${ms(s.totalMs)} ` +
    `(first token ${ms(s.firstTokenMs)}); index ${r.indexStatus} (${r.indexFiles} files) at ${ms(r.indexAt)}; ` +
    `peak RSS ${mb(r.peakRssAtReadyBytes)} at ready, ${mb(r.peakRssBytes)} at end; exit ` +
    `${Number.isNaN(run.exitAfterResultMs) ? 'KILLED (did not exit)' : ms(run.exitAfterResultMs)})`
  );
}

/** The raw generation that matches an assist run: the same context, threads, prompt and output length as its first action. */
function shapeOf(run: ChildRun<AssistStartupResult>) {
  const r = run.result;
  return { contextSize: r.contextSize, threads: r.threads, promptTokens: r.firstStep.promptTokens, completionTokens: r.firstStep.completionTokens };
}

function describeRaw(run: ChildRun<RawStartupResult>): string {
  const r = run.result;
  return (
    `raw:    ready ${ms(run.marks.ready)}, CPU ${ms(r.readyCpuMs)} (node+import ${ms(r.importedAt)}, load ${ms(r.loadMs)}, generation ` +
    `${ms(r.doneAt - r.loadedAt)} ` +
    `(first token ${ms(r.firstTokenAt - r.loadedAt)}, ${r.promptTokens}+${r.completionTokens} tokens, ${r.threads} thread(s)); peak RSS ` +
    `${mb(r.peakRssBytes)}; ` +
    `exit ${Number.isNaN(run.exitAfterResultMs) ? 'KILLED (did not exit)' : ms(run.exitAfterResultMs)})`
  );
}

export default async function startupBench(args: string[]): Promise<void> {
  const model = await modelPath(args);
  const runs = Number(option(args, '--runs') ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs expects a whole number of 1 or more.');
  console.error(
    `startup bench: ${path.basename(model)}, ${runs} round(s) after one warm-up round; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  const extra = args.includes('--no-index') ? ['--no-index'] : [];
  if (extra.length) console.error('index disabled (--no-index): for comparison only; the bench proper runs with the index.');
  // Warm-up (page cache, tsx cache), not counted.
  const warm = await runAssist(model, extra);
  console.error(`warm-up ${describeAssist(warm)}`);
  console.error(`  sandbox: ${warm.result.sandboxReason}`);
  console.error(`warm-up ${describeRaw(await runRaw(model, shapeOf(warm)))}`);

  // Each raw run generates the shape of the assist run of its round (the first action can differ
  // between runs when the index happens to be ready before the first step and adds the repo map).
  const assist: ChildRun<AssistStartupResult>[] = [];
  const raw: ChildRun<RawStartupResult>[] = [];
  for (let round = 1; round <= runs; round++) {
    const a = await runAssist(model, extra);
    assist.push(a);
    console.error(`round ${round} ${describeAssist(a)}`);
    const r = await runRaw(model, shapeOf(a));
    raw.push(r);
    console.error(`round ${round} ${describeRaw(r)}`);
  }
  const shape = shapeOf(assist[Math.floor(assist.length / 2)]);

  const loadMs = median(assist.map((r) => r.result.loadMs));
  const rawLoadMs = median(raw.map((r) => r.result.loadMs));
  const readyMs = median(assist.map((r) => r.marks.ready));
  const rawReadyMs = median(raw.map((r) => r.marks.ready));
  const readyCpuMs = median(assist.map((r) => r.result.readyCpuMs));
  const rawReadyCpuMs = median(raw.map((r) => r.result.readyCpuMs));
  const peakRssMb = median(assist.map((r) => r.result.peakRssBytes)) / MB;
  const rawPeakRssMb = median(raw.map((r) => r.result.peakRssBytes)) / MB;
  const round2 = (x: number) => Math.round(x * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'startup',
      model: path.basename(model),
      loadMs: Math.round(loadMs),
      rawLoadMs: Math.round(rawLoadMs),
      loadRatioVsRaw: round2(loadMs / rawLoadMs),
      firstStepMs: Math.round(median(assist.map((r) => r.result.firstStep.totalMs))),
      firstTokenMs: Math.round(median(assist.map((r) => r.result.firstStep.firstTokenMs))),
      readyMs: Math.round(readyMs),
      rawReadyMs: Math.round(rawReadyMs),
      readyRatioVsRaw: round2(readyMs / rawReadyMs),
      readyCpuMs: Math.round(readyCpuMs),
      rawReadyCpuMs: Math.round(rawReadyCpuMs),
      readyCpuRatioVsRaw: round2(readyCpuMs / rawReadyCpuMs),
      peakRssMb: Math.round(peakRssMb),
      rawPeakRssMb: Math.round(rawPeakRssMb),
      rssRatioVsRaw: round2(peakRssMb / rawPeakRssMb),
      importMs: Math.round(median(assist.map((r) => r.result.importedAt))),
      rawImportMs: Math.round(median(raw.map((r) => r.result.importedAt))),
      openSessionMs: Math.round(median(assist.map((r) => r.result.openEndAt - r.result.openStartAt))),
      stepsToFirstAction: median(assist.map((r) => r.result.steps.length)),
      promptTokens: median(assist.map((r) => r.result.firstStep.promptTokens)),
      completionTokens: median(assist.map((r) => r.result.firstStep.completionTokens)),
      contextSize: shape.contextSize,
      threads: median(assist.map((r) => r.result.threads)),
      index: extra.length === 0,
      runs,
    }),
  );
}
