/**
 * `npm run bench -- eval [--tasks ID,ID] [--kinds fix,refactor] [--limit N] [--repeat N] [--context-size N]
 * [--max-tokens N] [--max-steps N] [--max-attempts N] [--task-timeout SECONDS]`: runs the eval
 * suite as a user runs assist. The model is the catalog's default, Qwen2.5-Coder-1.5B
 * (test/e2e/REAL_MODEL.md; ASSIST_REAL_MODEL names another); every other setting is what `assist`
 * itself loads with no settings file (src/config/schema.ts defaults: the model's own context capped
 * to memory, maxTokens, temperature, threads chosen per step, maxSteps, maxAttempts), unless a flag
 * says otherwise. A task's turn is cancelled after 15 minutes (`--task-timeout`). Prints, last,
 * {"bench":"eval","model":…,"tasks":T,"passed":P,"medianAttempts":A,"medianSeconds":S,
 * "validActionRate":V,"editMisses":E,"cutOffs":C,"byKind":{kind:{tasks,passed}},"byLanguage":{…},
 * "contextSize":…,"maxTokens":…,"maxSteps":…,"maxAttempts":…,"threads":…,"taskTimeoutSeconds":…}.
 * V must be 1.0: every model step a valid action. Results and logs go to output/eval_<timestamp>/.
 */
import os from 'node:os';
import path from 'node:path';
import { formatTable, type GroupSummary } from '../src/eval/results.ts';
import { evalRunName, runEval } from '../src/eval/runner.ts';
import { benchEvalSettings } from '../src/eval/settings.ts';
import { loadSuite, selectTasks } from '../src/eval/suite.ts';
import { EmbeddedModel } from '../src/model/embedded.ts';
import { openModel } from '../src/model/open-model.ts';
import { installSandboxExitCleanup } from '../src/sandbox/open-sandbox.ts';
import { ensureRealModel } from '../test/e2e/real-model.ts';

/** The catalog's default model, the one a new user is pointed to. */
const catalogDefault = 'qwen2.5-coder-1.5b';

const passes = (groups: Record<string, GroupSummary>) => Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, { tasks: g.tasks, passed: g.passed }]));

export default async function bench(args: string[]): Promise<void> {
  // A bench stopped by Ctrl-C or kill leaves no task container running.
  installSandboxExitCleanup();
  const modelPath = await ensureRealModel(process.env.ASSIST_REAL_MODEL ?? catalogDefault);
  const { config, selection, taskTimeoutMs } = benchEvalSettings(args, modelPath);
  const tasks = selectTasks(await loadSuite(), selection);
  const model = await openModel(config);
  // threads 0 (the default): chosen before each step from the cores other work leaves free
  const threadsUsed = new Set<number>();
  try {
    const { model: m, agent } = config;
    console.log(
      `eval bench: ${tasks.length} tasks, model ${model.info.name}, ${os.availableParallelism()} cores, context ${model.info.contextSize}, ` +
        `maxTokens ${m.maxTokens}, temperature ${m.temperature}, threads ${m.threads || 'auto'}, maxSteps ${agent.maxSteps}, maxAttempts ` +
        `${agent.maxAttempts}, ` +
        `${taskTimeoutMs / 1000} s per task`,
    );
    const run = await runEval({
      tasks,
      config,
      model,
      outDir: path.resolve('output', evalRunName()),
      taskTimeoutMs,
      onProgress: (e) => {
        if (e.type === 'agent' && e.event.type === 'action' && model instanceof EmbeddedModel) threadsUsed.add(model.threads);
        if (e.type === 'task-end')
          console.log(
            `[${e.index + 1}/${e.total}] ${e.result.id}: ${e.result.passed ? 'PASS' : 'fail'} (${e.result.stopReason}, ${e.result.steps} steps, ` +
              `${e.result.seconds}s)${e.result.passed ? '' : ` ${e.result.reason}`}`,
          );
      },
    });
    console.log(`\n${formatTable(run.results, run.summary)}\n\nresults: ${run.resultsFile}`);
    const s = run.summary;
    const used = [...threadsUsed].sort((a, b) => a - b);
    const threads = m.threads || (used.length ? `auto (${used[0] === used.at(-1) ? used[0] : `${used[0]}-${used.at(-1)}`} per step)` : 'auto');
    console.log(
      JSON.stringify({
        bench: 'eval',
        model: run.model,
        tasks: s.tasks,
        passed: s.passed,
        medianAttempts: s.medianAttempts,
        medianSeconds: s.medianSeconds,
        validActionRate: s.validActionRate,
        editMisses: s.editMisses,
        editActions: s.editActions,
        cutOffs: s.cutOffs,
        byKind: passes(s.byKind),
        byLanguage: passes(s.byLanguage),
        contextSize: run.settings.contextSize,
        maxTokens: run.settings.maxTokens,
        maxSteps: run.settings.maxSteps,
        maxAttempts: run.settings.maxAttempts,
        threads,
        taskTimeoutSeconds: run.settings.taskTimeoutSeconds,
        ...(selection.repeat ? { repeat: selection.repeat } : {}),
        actionFormat: run.settings.actionFormat,
      }),
    );
  } finally {
    await model.dispose();
  }
}
