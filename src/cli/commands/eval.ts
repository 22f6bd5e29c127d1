import type { CliDeps } from '../cli-deps.ts';
import path from 'node:path';
import type { Command } from 'commander';
import type { ChalkInstance } from 'chalk';
import { modelBackends, type Config } from '../../config/schema.ts';
import type { EvalProgress } from '../../eval/runner.ts';
import { loadProjectConfig } from '../project.ts';
import { UserError } from '../user-error.ts';
import { serverText } from '../render/model-line.ts';

interface EvalFlags {
  suite?: string;
  model?: string;
  backend?: string;
  contextSize?: string;
  maxAttempts?: string;
  maxSteps?: string;
  maxTokens?: string;
  tasks?: string;
  kinds?: string;
  limit?: string;
  repeat?: string;
  taskTimeout?: string;
  actionFormat?: string;
  out?: string;
  json?: boolean;
  compare?: string[];
}

/**
 * `assist eval`: runs a suite of tasks (default: the one shipped in test/eval/tasks) with full-auto
 * sessions and hidden checks, with the user's settings (defaults, user file, project file) and the
 * flags on top, prints a table (or JSON with `--json`) and writes results.json. `--compare A B`
 * instead prints the task-by-task differences of two runs.
 */
export function registerEvalCommand(program: Command, deps: CliDeps = {}): void {
  program
    .command('eval')
    .description('run the evaluation suite: each task in a fresh copy of its workspace, then its hidden check')
    .option('--suite <dir>', 'folder of task folders (default: the suite shipped with assist, test/eval/tasks)')
    .option('--model <name>', 'model to use (catalog name, file in the models folder, or a GGUF path)')
    .option('--backend <backend>', `model backend (${modelBackends.join(' | ')})`)
    .option('--context-size <n>', "context size in tokens (0: the model's own, capped to memory; default: model.contextSize)")
    .option('--max-attempts <n>', 'failed runs allowed per task (a task may set its own; default: agent.maxAttempts)')
    .option('--max-steps <n>', 'model steps allowed per task (a task may set its own; default: agent.maxSteps)')
    .option('--max-tokens <n>', 'generated tokens allowed per model step (default: model.maxTokens)')
    .option('--tasks <ids>', 'comma-separated task ids to run, in this order')
    .option('--kinds <kinds>', 'comma-separated task kinds to run, e.g. fix,refactor')
    .option('--limit <n>', 'run only the first N of the chosen tasks')
    .option('--repeat <n>', 'run each chosen task N times (the model samples: one run cannot tell a change from luck)')
    .option('--task-timeout <seconds>', "cancel a task's turn after this many seconds (default: 900, 15 minutes)")
    .option('--action-format <format>', 'how the model writes actions: text (a JSON line and raw code blocks) or json; default: agent.actionFormat')
    .option('--out <dir>', 'where results go (default: output/eval_<timestamp>)')
    .option('--json', 'print the results as JSON instead of a table')
    .option('--compare <runs...>', 'compare two runs (results.json files or run folders) task by task instead of running')
    .action(async (flags: EvalFlags) => {
      if (flags.compare) return compare(flags.compare, flags.json === true);
      if (flags.backend && !(modelBackends as readonly string[]).includes(flags.backend)) {
        throw new UserError(`--backend must be one of ${modelBackends.join(', ')}, not "${flags.backend}".`);
      }
      const { parseEvalFlags, EvalFlagError } = await import('../../eval/settings.ts');
      let plan;
      try {
        plan = parseEvalFlags(flags);
      } catch (error) {
        if (error instanceof EvalFlagError) throw new UserError(error.message);
        throw error;
      }
      const { overrides, selection, taskTimeoutMs } = plan;
      overrides.model = {
        ...overrides.model,
        ...(flags.model ? { name: flags.model } : {}),
        ...(flags.backend ? { backend: flags.backend as Config['model']['backend'] } : {}),
      };
      const { config } = await loadProjectConfig(overrides);
      const [
        { default: chalk },
        { openModel },
        { formatTable },
        { evalRunName, EvalSetupError, runEval },
        { defaultSuiteDir, loadSuite, selectTasks, SuiteError },
        { installSandboxExitCleanup },
      ] = await Promise.all([
        import('chalk'),
        import('../../model/open-model.ts'),
        import('../../eval/results.ts'),
        import('../../eval/runner.ts'),
        import('../../eval/suite.ts'),
        import('../../sandbox/open-sandbox.ts'),
      ]);
      // Ctrl-C is this command's own (it cancels the task and writes the results so far); on
      // SIGTERM, SIGHUP or exit every task container is removed.
      installSandboxExitCleanup({ signals: ['SIGTERM', 'SIGHUP'] });

      let tasks;
      try {
        tasks = selectTasks(await loadSuite(path.resolve(flags.suite ?? defaultSuiteDir)), selection);
      } catch (error) {
        if (error instanceof SuiteError) throw new UserError(error.message);
        throw error;
      }

      const log = (text: string) => process.stderr.write(text);
      const controller = new AbortController();
      const onSigint = () => {
        log('\nCancelling the eval (the current task stops, results so far are written)...\n');
        controller.abort();
      };
      process.once('SIGINT', onSigint);
      const model = await (deps.openModel ?? openModel)(config, { signal: controller.signal }).catch((error: Error) => {
        process.off('SIGINT', onSigint);
        throw new UserError(error.message);
      });
      try {
        const { model: m, agent } = config;
        log(
          `${chalk.bold('eval')} ${tasks.length} task(s) with ${model.info.name} (${model.info.backend}): context ${model.info.contextSize}, ` +
            `maxTokens ${m.maxTokens}, maxSteps ${agent.maxSteps}, maxAttempts ${agent.maxAttempts}, threads ${m.threads || 'auto'}, ` +
            `${taskTimeoutMs / 1000} s per task\n`,
        );
        const server = serverText(model.info);
        if (server) log(`${chalk.dim('server')} ${server}\n`);
        const run = await runEval({
          tasks,
          config,
          model,
          outDir: path.resolve(flags.out ?? path.join('output', evalRunName())),
          taskTimeoutMs,
          signal: controller.signal,
          onProgress: (event) => log(progressLine(event, chalk)),
        });
        if (flags.json) process.stdout.write(JSON.stringify(run, null, 2) + '\n');
        else process.stdout.write(`\n${formatTable(run.results, run.summary)}\n\nresults: ${run.resultsFile}\n`);
      } catch (error) {
        if (error instanceof EvalSetupError) throw new UserError(error.message);
        throw error;
      } finally {
        process.off('SIGINT', onSigint);
        await model.dispose().catch(() => {});
      }
    });
}

/** `--compare A B`: prints the differences of two runs (no model, no sandbox). */
async function compare(runs: string[], json: boolean): Promise<void> {
  if (runs.length !== 2)
    throw new UserError(`--compare takes two runs (results.json files or run folders), not ${runs.length}: assist eval --compare RUN_A RUN_B`);
  const { compareRuns, CompareError, formatComparison, loadComparedRun } = await import('../../eval/compare.ts');
  let comparison;
  try {
    comparison = compareRuns(await loadComparedRun(runs[0]), await loadComparedRun(runs[1]));
  } catch (error) {
    if (error instanceof CompareError) throw new UserError(error.message);
    throw error;
  }
  process.stdout.write(json ? JSON.stringify(comparison, null, 2) + '\n' : formatComparison(comparison) + '\n');
}

function progressLine(event: EvalProgress, chalk: ChalkInstance): string {
  switch (event.type) {
    case 'task-start':
      return `[${event.index + 1}/${event.total}] ${event.task.id} `;
    case 'agent':
      return event.event.type === 'action' ? '.' : '';
    case 'task-end': {
      const r = event.result;
      const verdict = r.passed ? chalk.green('PASS') : chalk.red('FAIL');
      return ` ${verdict} ${r.steps} steps, ${r.seconds.toFixed(1)}s${r.passed ? '' : chalk.dim(` - ${r.reason ?? ''}`.slice(0, 120))}\n`;
    }
    default:
      return event satisfies never;
  }
}
