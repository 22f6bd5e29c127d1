/**
 * `assist run "task"`: one-shot. The model writes code for the task, runs it in the sandbox, and
 * fixes it until it runs (or its tests pass), up to N failed attempts. Leaves
 * `output/task_<timestamp>/` (final_code.<ext>, execution_log.txt, debug_history.json).
 * Exit 0 when a run passed, 1 when none did, 130 when interrupted, 143 / 129 when ended by
 * SIGTERM / SIGHUP, 2 for bad input or setup.
 */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { TurnResult } from '../../agent/agent.ts';
import { describeEvent } from '../../agent/event-text.ts';
import type { AgentEvent } from '../../agent/events.ts';
import type { OpenSessionOptions, Session } from '../../agent/open-session.ts';
import { renderPrompt } from '../../agent/prompts.ts';
import { writeTaskOutput } from '../../agent/task-output.ts';
import type { DeepPartial } from '../../config/load.ts';
import type { ApprovalMode, Config } from '../../config/schema.ts';
import { ModelSetupError } from '../../model/language-model.ts';
import { commandSignals } from '../command-signals.ts';
import { jsonEventWriter } from '../json-events.ts';
import { nonInteractiveApprover } from '../non-interactive-approver.ts';
import { loadProjectConfig } from '../project.ts';
import { UserError } from '../user-error.ts';

export interface RunCommandOptions {
  lang?: string;
  maxAttempts?: number;
  maxSteps?: number;
  json?: boolean;
  autoEdit?: boolean;
  fullAuto?: boolean;
  output?: string;
}

/** Commander parser for a whole number ≥ 1. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return n;
}

/** The approval mode of a one-shot command: edits only with a flag, whatever the config says. */
export function oneShotApprovalMode(options: { autoEdit?: boolean; fullAuto?: boolean }): ApprovalMode {
  if (options.autoEdit && options.fullAuto) throw new UserError('Give either --auto-edit or --full-auto, not both.');
  return options.fullAuto ? 'full-auto' : options.autoEdit ? 'auto-edit' : 'suggest';
}

/**
 * Opens a session (loading the model, index and sandbox code only now, so other commands start
 * fast), turning "no model" and setup problems into a clear UserError. Sandbox containers are
 * removed at exit even if the process dies mid-run; the signals are the command's (see
 * command-signals.ts).
 */
export async function openOneShotSession(options: OpenSessionOptions): Promise<Session> {
  const [{ openSession }, { installSandboxExitCleanup }] = await Promise.all([import('../../agent/open-session.ts'), import('../../sandbox/open-sandbox.ts')]);
  installSandboxExitCleanup({ signals: [] });
  try {
    return await openSession(options);
  } catch (error) {
    if (error instanceof ModelSetupError) throw new UserError(error.message);
    throw error;
  }
}

/** Progress output: JSON lines on stdout with --json, else short lines on stderr. */
export function progressWriter(json: boolean | undefined): (event: AgentEvent) => void {
  if (json) return jsonEventWriter();
  return (event) => {
    if (event.type === 'result') return;
    const line = describeEvent(event);
    if (line) process.stderr.write(`${line}\n`);
  };
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('one-shot: write code for a task, run it in the sandbox, fix it until it passes; results in output/task_<timestamp>/')
    .argument('<task>', 'what the code should do')
    .option('--lang <language>', 'language to write it in (python, javascript, go, ...)')
    .option('--max-attempts <n>', 'failed runs allowed before giving up', positiveInteger)
    .option('--max-steps <n>', 'model steps allowed', positiveInteger)
    .option('--json', 'print newline-delimited JSON events on stdout')
    .option('--auto-edit', 'allow changing project files (runs stay in the sandbox)')
    .option('--full-auto', 'allow everything without asking, including runs outside the sandbox')
    .option('--output <dir>', 'where to put task_<timestamp>/ (default: output/ in the project)')
    .action(async (task: string, options: RunCommandOptions) => {
      process.exitCode = await runTask(task, options);
    });
}

/** The whole `assist run`; returns the exit code. */
export async function runTask(task: string, options: RunCommandOptions): Promise<number> {
  if (!task.trim()) throw new UserError('The task is empty. Say what the code should do: assist run "print the first 10 primes"');
  const approvalMode = oneShotApprovalMode(options);
  const flags: DeepPartial<Config> = { agent: { approvalMode, maxAttempts: options.maxAttempts, maxSteps: options.maxSteps } };
  const { root, config } = await loadProjectConfig(flags);
  const outputDir = path.resolve(options.output ?? path.join(root, 'output'));
  const startedAt = new Date();
  const events: AgentEvent[] = [];
  const show = progressWriter(options.json);
  const interrupt = commandSignals(() => process.stderr.write('\nInterrupted: stopping the run (Ctrl-C again to exit now).\n'));
  let session: Session | undefined;
  try {
    session = await openOneShotSession({
      root,
      config,
      approver: nonInteractiveApprover({ command: 'run', allowSandboxedRuns: true }),
      oneShot: true,
      onEvent: (event) => {
        if (event.type !== 'token') events.push(event);
        show(event);
      },
      signal: interrupt.signal,
    });
    if (!session.sandbox) throw new UserError(`assist run needs a sandbox to run code, and none is available: ${session.sandboxReason}`);
    if (!options.json) process.stderr.write(`model ${session.model.info.name} (context ${session.model.info.contextSize}), sandbox: ${session.sandboxReason}\n`);
    const language = options.lang ? `Language: ${options.lang}` : 'Language: choose one that suits the task (python if unsure).';
    const result = await session.agent.runTurn(renderPrompt('run', { task: task.trim(), language }), interrupt.signal);
    const success = result.best?.passed === true;
    const dir = writeTaskOutput({
      outputDir,
      task: task.trim(),
      language: options.lang,
      result,
      events,
      ...changedCode(session),
      model: session.model.info.name,
      startedAt,
      success,
    });
    const exitCode = interrupt.exitCode(result.status === 'aborted' ? 130 : success ? 0 : 1);
    report(result, dir, exitCode, options.json, session.id);
    return exitCode;
  } catch (error) {
    // Ended by SIGTERM/SIGHUP while opening (the aborted model load throws): not an error of the run.
    if (interrupt.endedBy) return interrupt.exitCode(1);
    throw error;
  } finally {
    await session?.dispose();
    interrupt.dispose();
  }
}

/** The files the run changed, for a best attempt that ran a command instead of code. */
function changedCode(session: Session): { fallbackCode?: string; fallbackPath?: string } {
  const latest = new Map<string, string>();
  for (const change of [...session.workspace.applied().flatMap((a) => a.changes), ...session.workspace.pending()]) {
    if (change.after === null) latest.delete(change.path);
    else latest.set(change.path, change.after);
  }
  const files = [...latest];
  if (files.length === 0) return {};
  if (files.length === 1) return { fallbackCode: files[0][1], fallbackPath: files[0][0] };
  return { fallbackCode: files.map(([file, text]) => `=== ${file} ===\n${text}`).join('\n') };
}

function report(result: TurnResult, dir: string, exitCode: number, json: boolean | undefined, sessionId: string): void {
  if (json) {
    jsonEventWriter()({ type: 'done', exitCode, success: exitCode === 0, outputDir: dir, sessionId });
    return;
  }
  const runs = result.attempts.length;
  const verdict = exitCode === 0 ? 'Success' : exitCode === 130 ? 'Interrupted' : 'No passing run';
  process.stdout.write(`${result.text.trim()}\n\n${verdict} (${result.status}, ${runs} run${runs === 1 ? '' : 's'}). Output: ${dir}\n`);
}
