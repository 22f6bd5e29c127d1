/**
 * `npm run e2e`: the end-to-end tier on a REAL small model (Qwen2.5-Coder-0.5B-Instruct by default,
 * `ASSIST_REAL_MODEL` picks another; see REAL_MODEL.md).
 *
 * 1. Fetches the model (cached) and runs `assist eval` on it as a user would (a child process of
 *    bin/assist.js), on a bounded subset of the suite.
 * 2. Runs a few tasks through the `openai` backend against a loopback server that speaks the
 *    OpenAI chat-completions protocol with streaming, backed by the same real model.
 * Asserts, for both: every step a valid action, every task within its bounds, artifacts and session
 * logs complete. Prints the pass rates as figures (not assertions). Exits non-zero on a problem.
 *
 * Environment: ASSIST_E2E_TASKS (comma-separated ids, or `all`), ASSIST_E2E_MAX_STEPS,
 * ASSIST_E2E_MAX_TOKENS, ASSIST_E2E_CACHE (model cache folder), ASSIST_E2E_KEEP=1 keeps the output.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaults } from '../../src/config/schema.ts';
import type { EvalRun } from '../../src/eval/runner.ts';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import { ensureRealModel } from './real-model.ts';
import { startLlamaBackedServer } from './llama-backed-openai-server.ts';
import { verifyEvalRun } from './verify-run.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The CI subset: cheap tasks over four languages and three kinds (the full suite is `bench -- eval`). */
const e2eTasks = ['py-hello', 'py-fibonacci', 'rust-add', 'js-fizzbuzz', 'go-question-port', 'py-fix-discount'];
const openaiTasks = ['py-hello', 'go-question-port'];

const maxSteps = Number(process.env.ASSIST_E2E_MAX_STEPS ?? 4);
const maxTokens = Number(process.env.ASSIST_E2E_MAX_TOKENS ?? 1024);
const contextSize = 4096;

/** Runs `assist eval --json` in a child process and returns the parsed run. */
async function assistEval(args: string[], configFile: string, cwd: string): Promise<EvalRun> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'assist.js'), 'eval', '--json', ...args], {
    cwd,
    env: { ...process.env, ASSIST_CONFIG: configFile, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`assist eval exited with ${code}`);
  return JSON.parse(out) as EvalRun;
}

function report(label: string, run: EvalRun): void {
  const s = run.summary;
  console.log(
    `${label}: passed ${s.passed}/${s.tasks} (pass rate ${s.passRate}), median runs ${s.medianAttempts}, median ${s.medianSeconds}s per task, ` +
      `valid actions ${s.validActions}/${s.actions}, tokens ${s.promptTokens}/${s.completionTokens}, results ${run.resultsFile}`,
  );
  for (const r of run.results)
    console.log(`  ${r.passed ? 'PASS' : 'fail'} ${r.id} (${r.status}, ${r.steps} steps, ${r.seconds}s)${r.passed ? '' : ` ${r.reason}`}`);
}

async function cancelledLongPromptLeavesModelUsable(modelPath: string): Promise<string[]> {
  const { EmbeddedModel } = await import('../../src/model/embedded.ts');
  const { ModelError } = await import('../../src/model/language-model.ts');
  const { buildActionSchema } = await import('../../src/model/action-schema.ts');
  const { builtinTools } = await import('../../tools/index.ts');
  // one thread, a prompt of ~3,000 tokens: seconds to read, far past the moment of the cancel
  const model = await EmbeddedModel.load({ path: modelPath, gpu: false, contextSize, threads: 1, kvCacheDir: false });
  try {
    const schema = buildActionSchema(builtinTools);
    const long = [{ role: 'user' as const, content: `Summarise this log:\n${'GET /api/items 200 12ms user=ada\n'.repeat(200)}` }];
    const cancel = AbortSignal.timeout(1000);
    const started = Date.now();
    const first = await model.next(long, schema, { signal: cancel }).then(
      () => 'finished',
      (e: unknown) => (e instanceof ModelError ? e.code : String(e)),
    );
    // room for a whole action (at 64 tokens a sampled thought was sometimes cut off: that is the model, not the engine)
    const next = await model.next([{ role: 'user', content: 'Answer: hello.' }], schema, { maxTokens: 256, temperature: 0 }).then(
      (r) => `an action (${r.action.tool})`,
      (e: unknown) => `${e instanceof ModelError ? e.code : 'error'}: ${(e as Error).message}`,
    );
    console.log(`\ncancelled long prompt: first step ${first}, the next step gave ${next} after ${Math.round((Date.now() - started) / 1000)}s`);
    return next.startsWith('an action') ? [] : [`after a step cancelled during a long prompt the next step failed: ${next}`];
  } finally {
    await model.dispose();
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const requested = process.env.ASSIST_E2E_TASKS;
  const { loadSuite } = await import('../../src/eval/suite.ts');
  const tasks = requested === 'all' ? (await loadSuite()).map((t) => t.id) : requested ? requested.split(',').map((s) => s.trim()) : e2eTasks;

  const modelPath = await ensureRealModel();
  console.log(`real model: ${modelPath}`);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-e2e-'));
  const probe = await openSandbox(structuredClone(defaults), { root: work });
  await probe.sandbox?.dispose();
  if (!probe.sandbox) {
    console.error(`e2e needs a sandbox to run the checks: ${probe.reason}`);
    return 1;
  }
  console.log(`sandbox: ${probe.reason}`);

  const problems: string[] = [];
  const settings = {
    model: { backend: 'embedded', contextSize, threads: 0, gpu: false, maxTokens, temperature: 0.2, timeoutMs: 120_000 },
    agent: { maxSteps, maxAttempts: 2 },
  };
  try {
    // 1. The embedded backend, through the real CLI.
    const embeddedConfig = path.join(work, 'embedded.json');
    await fs.writeFile(embeddedConfig, JSON.stringify(settings));
    const embedded = await assistEval(['--model', modelPath, '--tasks', tasks.join(','), '--out', path.join(work, 'embedded')], embeddedConfig, work);
    report('embedded', embedded);
    problems.push(...verifyEvalRun(embedded, tasks).map((p) => `embedded: ${p}`));

    // 2. A step cancelled while the engine reads a long prompt leaves the model usable: the next
    //    step waits for that prompt to be read (node-llama-cpp checks the signal between tokens),
    //    instead of finding the engine "stuck" (seen when the eval's task time limit fired).
    problems.push(...(await cancelledLongPromptLeavesModelUsable(modelPath)));

    // 3. The openai backend against a loopback server backed by the same model.
    const server = await startLlamaBackedServer({ modelPath, contextSize, name: 'real-model-loopback' });
    try {
      const openaiConfig = path.join(work, 'openai.json');
      await fs.writeFile(
        openaiConfig,
        JSON.stringify({
          ...settings,
          model: { ...settings.model, backend: 'openai' },
          openai: { baseUrl: server.baseUrl, model: server.modelName, timeoutMs: 120_000, retries: 0 },
        }),
      );
      const viaHttp = await assistEval(['--tasks', openaiTasks.join(','), '--out', path.join(work, 'openai')], openaiConfig, work);
      report('openai (loopback, real model)', viaHttp);
      problems.push(...verifyEvalRun(viaHttp, openaiTasks).map((p) => `openai: ${p}`));
      if (viaHttp.backend !== 'openai') problems.push(`openai: the run used backend ${viaHttp.backend}`);
      // a completion cut off at max_tokens (finish_reason "length") is a step without an action
      if (server.stats.streamed !== viaHttp.summary.actions + server.stats.cutOff) {
        problems.push(`openai: server streamed ${server.stats.streamed} completions for ${viaHttp.summary.actions} actions and ${server.stats.cutOff} cut off`);
      }
      if (server.stats.errors) problems.push(`openai: the server answered ${server.stats.errors} request(s) with an error`);
    } finally {
      await server.close();
    }
  } catch (error) {
    problems.push((error as Error)?.stack ?? String(error));
  } finally {
    if (process.env.ASSIST_E2E_KEEP) console.log(`kept: ${work}`);
    else await fs.rm(work, { recursive: true, force: true });
  }
  console.log(`e2e finished in ${Math.round((Date.now() - started) / 1000)}s`);
  if (problems.length) {
    console.error(`\ne2e FAILED (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  console.log('e2e: every step was a valid action, every task ended within its bounds, artifacts complete.');
  console.log('1 passed, 0 failed');
  return 0;
}

process.exitCode = await main();
