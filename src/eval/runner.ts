/**
 * `runEval`: runs tasks of a suite one after another, each in a fresh temp copy of its workspace,
 * with a full-auto session (no questions asked), then runs the task's hidden check. Writes
 * `results.json` and, per task, the session log, the check's output and the finished files.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { Config } from '../config/schema.ts';
import type { AgentEvent, Approver } from '../agent/events.ts';
import { openSession } from '../agent/open-session.ts';
import { buildActionSchema } from '../model/action-schema.ts';
import type { LanguageModel } from '../model/language-model.ts';
import { builtinTools } from '../../tools/index.ts';
import { checkReport, runCheck, type CheckOutcome } from './check.ts';
import { summarize, type EvalSummary, type TaskResult } from './results.ts';
import { copyWorkspace, type EvalTask } from './suite.ts';
import { reportingCutOffs, TaskTally } from './tally.ts';
import { refuseSecretWithoutPerson } from '../workspace/approval.ts';

/** A task's turn is cancelled after this long unless the run says otherwise (stop reason `task time limit`). */
export const defaultTaskTimeoutMs = 15 * 60_000;

export interface RunEvalOptions {
  tasks: EvalTask[];
  /** Settings for every session; approval is forced to `full-auto`. */
  config: Config;
  /** The model every task uses (the caller opens and disposes it). */
  model: LanguageModel;
  /** For tests: a model per task instead of the shared one. */
  modelForTask?: (task: EvalTask) => LanguageModel;
  /** Where results go (created). */
  outDir: string;
  /** Default bounds; a task's own `maxSteps`/`maxAttempts` win. */
  maxSteps?: number;
  maxAttempts?: number;
  /** A task's turn is cancelled after this long (default `defaultTaskTimeoutMs`, 15 minutes). */
  taskTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (event: EvalProgress) => void;
}

/** What the runner reports while it works. */
export type EvalProgress =
  | { type: 'task-start'; task: EvalTask; index: number; total: number }
  | { type: 'agent'; task: EvalTask; event: AgentEvent }
  | { type: 'task-end'; result: TaskResult; index: number; total: number };

/** The settings every task of a run used (a task's own maxSteps/maxAttempts win; see its result). */
export interface EvalRunSettings {
  /** Tokens of context the model actually has. */
  contextSize: number;
  maxTokens: number;
  temperature: number;
  /** model.threads as set; 0: chosen before each step from the cores other work leaves free. */
  threads: number;
  maxSteps: number;
  maxAttempts: number;
  taskTimeoutSeconds: number;
  /** How the model wrote actions: agent.actionFormat, or json when the model takes no grammar. */
  actionFormat: 'text' | 'json';
}

/** The whole run: per-task results, totals, and where they were written. */
export interface EvalRun {
  model: string;
  backend: string;
  startedAt: string;
  suite: string;
  settings: EvalRunSettings;
  results: TaskResult[];
  summary: EvalSummary;
  outDir: string;
  resultsFile: string;
}

/** The eval cannot run at all (e.g. no sandbox for the checks); the message says what to do. */
export class EvalSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalSetupError';
  }
}

/** Approves everything full-auto may ask (a defensive answer keeps a turn from hanging), but never a secret's reading: no one is there to ask. */
const approveAll: Approver = async (request) => (request.kind === 'read-secret' ? refuseSecretWithoutPerson(request, 'the eval') : { answer: 'yes' });

/** A folder name for this run: `eval_20261121-051200`. */
export function evalRunName(now = new Date()): string {
  return `eval_${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}

/** Runs the tasks in order and writes `results.json` to `outDir`. */
export async function runEval(options: RunEvalOptions): Promise<EvalRun> {
  const startedAt = new Date().toISOString();
  await fs.mkdir(options.outDir, { recursive: true });
  const validate = new Ajv({ strict: false, allErrors: false }).compile(buildActionSchema(builtinTools) as object);
  const validateAction = (action: unknown) => validate(action);
  const results: TaskResult[] = [];
  const total = options.tasks.length;
  const resultsFile = path.join(options.outDir, 'results.json');
  for (const [index, task] of options.tasks.entries()) {
    if (options.signal?.aborted) break;
    options.onProgress?.({ type: 'task-start', task, index, total });
    const result = await runTask(task, options, validateAction);
    results.push(result);
    // Written after every task, so a run that is stopped (or dies) still leaves what it measured.
    await fs.writeFile(resultsFile, JSON.stringify(evalRun(options, startedAt, results, resultsFile), null, 2) + '\n');
    options.onProgress?.({ type: 'task-end', result, index, total });
  }
  const run = evalRun(options, startedAt, results, resultsFile);
  await fs.writeFile(run.resultsFile, JSON.stringify(run, null, 2) + '\n');
  return run;
}

function evalRun(options: RunEvalOptions, startedAt: string, results: TaskResult[], resultsFile: string): EvalRun {
  return {
    model: options.model.info.name,
    backend: options.model.info.backend,
    startedAt,
    suite: options.tasks[0] ? path.dirname(options.tasks[0].dir) : '',
    settings: {
      contextSize: options.model.info.contextSize,
      maxTokens: options.config.model.maxTokens,
      temperature: options.config.model.temperature,
      threads: options.config.model.threads,
      maxSteps: options.maxSteps ?? options.config.agent.maxSteps,
      maxAttempts: options.maxAttempts ?? options.config.agent.maxAttempts,
      taskTimeoutSeconds: (options.taskTimeoutMs ?? defaultTaskTimeoutMs) / 1000,
      actionFormat: options.config.agent.actionFormat === 'text' && options.model.info.grammar ? 'text' : 'json',
    },
    results,
    summary: summarize(results),
    outDir: options.outDir,
    resultsFile,
  };
}

async function runTask(task: EvalTask, options: RunEvalOptions, validateAction: (action: unknown) => boolean): Promise<TaskResult> {
  const maxSteps = task.maxSteps ?? options.maxSteps ?? options.config.agent.maxSteps;
  const maxAttempts = task.maxAttempts ?? options.maxAttempts ?? options.config.agent.maxAttempts;
  const config: Config = structuredClone(options.config);
  config.agent = { ...config.agent, approvalMode: 'full-auto', maxSteps, maxAttempts };
  const taskDir = path.join(options.outDir, 'tasks', task.id);
  await fs.mkdir(taskDir, { recursive: true });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), `assist-eval-${task.id}-`));
  const started = Date.now();
  const tally = new TaskTally(validateAction);
  const onEvent = (event: AgentEvent): void => {
    tally.onEvent(event);
    if (event.type !== 'token') options.onProgress?.({ type: 'agent', task, event });
  };
  const model = reportingCutOffs(options.modelForTask?.(task) ?? options.model, (message) => tally.cutOff(message));

  const base = {
    id: task.id,
    language: task.language,
    kind: task.kind,
    maxSteps,
    maxAttempts,
  };
  // A timer of our own, not AbortSignal.timeout (unref'd): a step that hangs without holding the event loop still ends at the limit.
  const limit = new AbortController();
  const limitTimer = setTimeout(
    () => limit.abort(new DOMException('The task time limit was reached.', 'TimeoutError')),
    options.taskTimeoutMs ?? defaultTaskTimeoutMs,
  );
  const timeout = limit.signal;
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let session: Awaited<ReturnType<typeof openSession>> | undefined;
  try {
    await copyWorkspace(task, work);
    session = await openSession({ root: work, config, approver: approveAll, onEvent, model });
    if (task.check && !session.sandbox) throw new EvalSetupError(`Cannot run the checks without a sandbox: ${session.sandboxReason}`);
    await session.indexReady;
    const turnStarted = Date.now();
    const turn = await session.agent.runTurn(task.prompt, signal);
    clearTimeout(limitTimer);
    const turnSeconds = (Date.now() - turnStarted) / 1000;
    const setupSeconds = (turnStarted - started) / 1000;
    const checkStarted = Date.now();
    let check: CheckOutcome;
    try {
      check = await runCheck(task, work, turn.text, session.sandbox, options.signal);
    } catch (error) {
      check = { passed: false, reason: `check could not run: ${(error as Error)?.message ?? String(error)}` };
    }
    const checkSeconds = (Date.now() - checkStarted) / 1000;
    const failedRuns = turn.attempts.filter((a) => !a.passed).length;
    const timedOut = timeout.aborted && !options.signal?.aborted;
    const stopReason = timedOut ? 'task time limit' : turn.status;
    const withinBounds = turn.steps <= maxSteps && failedRuns <= maxAttempts && !timedOut;
    const statusNote = turn.status === 'answered' ? '' : `${stopReason}${turn.status === 'model_error' ? ` (${turn.text.slice(0, 160)})` : ''}; `;
    const result: TaskResult = {
      ...base,
      passed: check.passed,
      status: turn.status,
      stopReason,
      ...(check.passed ? {} : { reason: `${statusNote}${check.reason ?? 'check failed'}` }),
      steps: turn.steps,
      attempts: turn.attempts.length,
      failedRuns,
      promptTokens: turn.usage.promptTokens,
      completionTokens: turn.usage.completionTokens,
      seconds: round(turnSeconds),
      setupSeconds: round(setupSeconds),
      checkSeconds: round(checkSeconds),
      ...tally.counts(),
      withinBounds,
      answer: turn.text.slice(0, 2000),
      sessionLog: path.join('tasks', task.id, 'session.jsonl'),
    };
    await writeArtifacts(taskDir, work, session.log.path, task, check);
    return result;
  } catch (error) {
    if (error instanceof EvalSetupError) throw error;
    if (session) await fs.copyFile(session.log.path, path.join(taskDir, 'session.jsonl')).catch(() => {});
    return {
      ...base,
      passed: false,
      status: 'error',
      stopReason: 'error',
      reason: `run failed: ${(error as Error)?.message ?? String(error)}`,
      steps: tally.actionCount,
      attempts: 0,
      failedRuns: 0,
      promptTokens: 0,
      completionTokens: 0,
      seconds: round((Date.now() - started) / 1000),
      setupSeconds: 0,
      checkSeconds: 0,
      ...tally.counts(),
      withinBounds: false,
      answer: '',
      sessionLog: path.join('tasks', task.id, 'session.jsonl'),
    };
  } finally {
    clearTimeout(limitTimer);
    await session?.dispose().catch(() => {});
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Keeps what a person needs to see why a task passed or failed. */
async function writeArtifacts(taskDir: string, work: string, logPath: string, task: EvalTask, check: CheckOutcome): Promise<void> {
  await fs.copyFile(logPath, path.join(taskDir, 'session.jsonl'));
  await fs.writeFile(path.join(taskDir, 'check.txt'), checkReport(task, check));
  await fs.cp(work, path.join(taskDir, 'workspace'), { recursive: true, filter: (src) => !src.split(path.sep).includes('.assist') });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
