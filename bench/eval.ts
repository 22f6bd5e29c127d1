/**
 * `npm run bench -- eval [--tasks ID,ID | --limit N] [--max-steps N] [--max-tokens N]`: runs the
 * eval suite with a real model (test/e2e/REAL_MODEL.md; the catalog's default Qwen2.5-Coder-1.5B
 * unless ASSIST_REAL_MODEL names another) and prints, last,
 * {"bench":"eval","model":...,"tasks":T,"passed":P,"medianAttempts":A,"medianSeconds":S,"validActionRate":V}.
 * V must be 1.0: every model step a valid action. Results and logs go to output/eval_<timestamp>/.
 */
import os from 'node:os';
import path from 'node:path';
import { defaults, type Config } from '../src/config/schema.ts';
import { formatTable } from '../src/eval/results.ts';
import { evalRunName, runEval } from '../src/eval/runner.ts';
import { loadSuite, selectTasks } from '../src/eval/suite.ts';
import { openModel } from '../src/model/open-model.ts';
import { ensureRealModel } from '../test/e2e/real-model.ts';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export default async function bench(args: string[]): Promise<void> {
  // the catalog's recommended model: how often assist finishes a task as a user would run it
  const modelPath = await ensureRealModel(process.env.ASSIST_REAL_MODEL ?? 'qwen2.5-coder-1.5b');
  const maxSteps = Number(flag(args, '--max-steps') ?? 10);
  const maxTokens = Number(flag(args, '--max-tokens') ?? 1024);
  const limit = flag(args, '--limit');
  const ids = flag(args, '--tasks')?.split(',');
  const config: Config = structuredClone(defaults);
  config.model = { ...config.model, backend: 'embedded', name: modelPath, contextSize: 4096, threads: 0, gpu: false, maxTokens, temperature: 0.2, timeoutMs: 120_000 };
  config.agent = { ...config.agent, maxSteps, maxAttempts: 3 };
  const tasks = selectTasks(await loadSuite(), { ids, ...(limit ? { limit: Number(limit) } : {}) });
  const model = await openModel(config);
  try {
    console.log(`eval bench: ${tasks.length} tasks, model ${model.info.name}, ${os.availableParallelism()} cores, maxSteps ${maxSteps}, maxTokens ${maxTokens}`);
    const run = await runEval({
      tasks,
      config,
      model,
      outDir: path.resolve('output', evalRunName()),
      taskTimeoutMs: 10 * 60_000,
      onProgress: (e) => {
        if (e.type === 'task-end') console.log(`[${e.index + 1}/${e.total}] ${e.result.id}: ${e.result.passed ? 'PASS' : 'fail'} (${e.result.status}, ${e.result.steps} steps, ${e.result.seconds}s)${e.result.passed ? '' : ` ${e.result.reason}`}`);
      },
    });
    console.log(`\n${formatTable(run.results, run.summary)}\n\nresults: ${run.resultsFile}`);
    const s = run.summary;
    console.log(JSON.stringify({ bench: 'eval', model: run.model, tasks: s.tasks, passed: s.passed, medianAttempts: s.medianAttempts, medianSeconds: s.medianSeconds, validActionRate: s.validActionRate }));
  } finally {
    await model.dispose();
  }
}
