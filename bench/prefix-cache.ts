/**
 * `npm run bench -- prefix-cache [--model PATH] [--runs N]`: the first step of a new session in a
 * real project, with the persistent KV cache of the prompt's stable prefix filled by sessions that
 * asked something else, against the same first step with the cache off, in the same run.
 *
 * The project is a copy of the eval's Python codebase (test/eval/codebases/tally: 50 files, an
 * index, a repo map that follows the request). Every session is a fresh process
 * (bench/_startup-assist.mjs: the default config at temperature 0, the catalog's default model),
 * run until its first action. A warm-up session with a request of its own fills the cache first.
 * Then round i asks request i twice: with `ASSIST_KV_CACHE_DIR=off` (the anchor: the whole prompt
 * evaluated), and with the cache, which holds only what sessions of other requests saved: their
 * repo maps differ, so what can be restored is the part every session shares (system prompt, tool
 * descriptions, instructions). Reported: medians over the rounds.
 * Last line: {"bench":"prefix-cache","model":…,"runs":N,"firstStepMs":W,"noCacheFirstStepMs":C,
 * "ratioVsNoCache":W/C,"restoredTokens":R,"promptTokens":P}
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssistStartupResult } from './_startup-protocol.ts';
import { median, runChild } from './startup.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Questions a newcomer asks about tally; the warm-up's first. Written for this bench, not eval tasks. */
const requests = [
  'Give me a short overview of how this project is organised.',
  'Which function turns a duration such as "1h30m" into minutes, and who calls it?',
  'Where does the command line read its settings from?',
  'How are entries written to the database?',
  'What does the HTTP server answer for a route it does not know?',
];

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function firstStep(model: string, project: string, prompt: string, kvDir: string): Promise<AssistStartupResult['firstStep']> {
  const run = await runChild<AssistStartupResult>('_startup-assist.mjs', ['--model', model, '--project', project, '--prompt', prompt], [], {
    ...process.env,
    ASSIST_KV_CACHE_DIR: kvDir,
  });
  return run.result.firstStep;
}

export default async function prefixCacheBench(args: string[]): Promise<void> {
  const runs = Math.min(requests.length - 1, Math.max(1, Number(option(args, '--runs') ?? 3)));
  const given = option(args, '--model');
  const model = given
    ? path.resolve(given)
    : await ((await import('../test/e2e/real-model.ts')) as { ensureRealModel(name?: string): Promise<string> }).ensureRealModel('qwen2.5-coder-1.5b');
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-bench-prefix-'));
  const project = path.join(work, 'tally');
  const kvDir = path.join(work, 'kv');
  try {
    await fs.cp(path.join(repo, 'test', 'eval', 'codebases', 'tally'), project, { recursive: true });
    console.log(`prefix-cache bench: ${path.basename(model)}, ${runs} rounds, project tally (${project})`);
    const warm = await firstStep(model, project, requests[0], kvDir);
    console.log(`warm-up: first step ${warm.totalMs} ms, ${warm.promptTokens} prompt tokens, ${warm.cachedTokens} restored`);
    const cached: AssistStartupResult['firstStep'][] = [];
    const uncached: AssistStartupResult['firstStep'][] = [];
    for (let i = 1; i <= runs; i++) {
      const off = await firstStep(model, project, requests[i], 'off');
      const on = await firstStep(model, project, requests[i], kvDir);
      uncached.push(off);
      cached.push(on);
      console.log(
        `round ${i}: cache off ${off.totalMs} ms (${off.promptTokens} prompt tokens) · cache on ${on.totalMs} ms (${on.cachedTokens} restored) · same action: ${off.tool === on.tool}`,
      );
    }
    const firstStepMs = median(cached.map((s) => s.totalMs));
    const noCacheFirstStepMs = median(uncached.map((s) => s.totalMs));
    console.log(
      JSON.stringify({
        bench: 'prefix-cache',
        model: path.basename(model),
        runs,
        firstStepMs: Math.round(firstStepMs),
        noCacheFirstStepMs: Math.round(noCacheFirstStepMs),
        ratioVsNoCache: Math.round((firstStepMs / noCacheFirstStepMs) * 100) / 100,
        restoredTokens: median(cached.map((s) => s.cachedTokens)),
        noCacheRestoredTokens: median(uncached.map((s) => s.cachedTokens)),
        promptTokens: median(cached.map((s) => s.promptTokens)),
      }),
    );
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
