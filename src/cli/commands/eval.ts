import path from 'node:path';
import type { Command } from 'commander';
import type { ChalkInstance } from 'chalk';
import type { DeepPartial } from '../../config/load.ts';
import { modelBackends, settings, type Config } from '../../config/schema.ts';
import type { EvalProgress } from '../../eval/runner.ts';
import { parsePositiveInteger, positiveIntegerRange } from '../positive-integer.ts';
import { loadProjectConfig } from '../project.ts';
import { UserError } from '../user-error.ts';

interface EvalFlags {
  suite?: string;
  model?: string;
  backend?: string;
  maxAttempts?: string;
  maxSteps?: string;
  maxTokens?: string;
  tasks?: string;
  limit?: string;
  taskTimeout?: string;
  out?: string;
  json?: boolean;
}

function positiveInt(flag: string, value: string | undefined, max?: number): number | undefined {
  if (value === undefined) return undefined;
  const n = parsePositiveInteger(value, max);
  if (n === undefined) throw new UserError(`${flag} must be ${positiveIntegerRange(max)}, not "${value}".`);
  return n;
}

/**
 * `assist eval`: runs a suite of tasks (default: the one shipped in test/eval/tasks) with full-auto
 * sessions and hidden checks, prints a table (or JSON with `--json`) and writes results.json.
 */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('run the evaluation suite: each task in a fresh copy of its workspace, then its hidden check')
    .option('--suite <dir>', 'folder of task folders (default: the suite shipped with assist, test/eval/tasks)')
    .option('--model <name>', 'model to use (catalog name, file in the models folder, or a GGUF path)')
    .option('--backend <backend>', `model backend (${modelBackends.join(' | ')})`)
    .option('--max-attempts <n>', 'failed runs allowed per task (a task may set its own)')
    .option('--max-steps <n>', 'model steps allowed per task (a task may set its own)')
    .option('--max-tokens <n>', 'generated tokens allowed per model step')
    .option('--tasks <ids>', 'comma-separated task ids to run, in this order')
    .option('--limit <n>', 'run only the first N tasks')
    .option('--task-timeout <seconds>', 'cancel a task\'s turn after this many seconds', '900')
    .option('--out <dir>', 'where results go (default: output/eval_<timestamp>)')
    .option('--json', 'print the results as JSON instead of a table')
    .action(async (flags: EvalFlags) => {
      if (flags.tasks && flags.limit) throw new UserError('Use either --tasks or --limit, not both.');
      if (flags.backend && !(modelBackends as readonly string[]).includes(flags.backend)) {
        throw new UserError(`--backend must be one of ${modelBackends.join(', ')}, not "${flags.backend}".`);
      }
      const maxAttempts = positiveInt('--max-attempts', flags.maxAttempts, settings.agent.maxAttempts.max);
      const maxSteps = positiveInt('--max-steps', flags.maxSteps, settings.agent.maxSteps.max);
      const maxTokens = positiveInt('--max-tokens', flags.maxTokens, settings.model.maxTokens.max);
      const limit = positiveInt('--limit', flags.limit);
      const taskTimeoutSeconds = positiveInt('--task-timeout', flags.taskTimeout, 24 * 60 * 60) ?? 900;
      const overrides: DeepPartial<Config> = {
        model: { ...(flags.model ? { name: flags.model } : {}), ...(flags.backend ? { backend: flags.backend as Config['model']['backend'] } : {}), ...(maxTokens ? { maxTokens } : {}) },
      };
      const { config } = await loadProjectConfig(overrides);
      const [{ default: chalk }, { openModel }, { scriptedModelFromEnv }, { formatTable }, { evalRunName, EvalSetupError, runEval }, { defaultSuiteDir, loadSuite, selectTasks, SuiteError }] =
        await Promise.all([
          import('chalk'),
          import('../../model/open-model.ts'),
          import('../../agent/open-session.ts'),
          import('../../eval/results.ts'),
          import('../../eval/runner.ts'),
          import('../../eval/suite.ts'),
        ]);

      let tasks;
      try {
        const all = await loadSuite(path.resolve(flags.suite ?? defaultSuiteDir));
        tasks = selectTasks(all, { ids: flags.tasks?.split(',').map((s) => s.trim()).filter(Boolean), limit });
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
      const model =
        scriptedModelFromEnv() ??
        (await openModel(config, { signal: controller.signal }).catch((error: Error) => {
          process.off('SIGINT', onSigint);
          throw new UserError(error.message);
        }));
      try {
        log(`${chalk.bold('eval')} ${tasks.length} task(s) with ${model.info.name} (${model.info.backend})\n`);
        const run = await runEval({
          tasks,
          config,
          model,
          outDir: path.resolve(flags.out ?? path.join('output', evalRunName())),
          ...(maxSteps ? { maxSteps } : {}),
          ...(maxAttempts ? { maxAttempts } : {}),
          taskTimeoutMs: taskTimeoutSeconds * 1000,
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
