/**
 * `assist run "task"`: one-shot, in one of two modes chosen from the folder and the task:
 *
 * - a new program (an empty folder, or a task about none of its files): the model writes the
 *   program, runs it in the sandbox and fixes it until it runs; success is a passing run;
 * - work on the project (the task names its files, or asks to fix or test code that is there):
 *   the model reads, edits and runs the project's tests like a session; success is a passing run
 *   that checks the changed code (the project's tests, or a run of a changed file) after the last
 *   change, never an unrelated snippet that happens to pass. Changing files needs --auto-edit or
 *   --full-auto.
 *
 * Leaves `output/task_<timestamp>/` (final_code.<ext>, execution_log.txt, debug_history.json).
 * Exit 0 on success, 1 when none, 130 when interrupted, 143 / 129 when ended by SIGTERM / SIGHUP,
 * 2 for bad input or setup.
 */
import type { CliDeps } from '../cli-deps.ts';
import path from 'node:path';
import type { Command } from 'commander';
import type { TurnResult } from '../../agent/agent.ts';
import { describeEvent } from '../../agent/event-text.ts';
import type { AgentEvent } from '../../agent/events.ts';
import type { OpenSessionOptions, Session } from '../../agent/open-session.ts';
import { renderPrompt } from '../../agent/prompts.ts';
import { TaskOutputError, writeTaskOutput } from '../../agent/task-output.ts';
import type { DeepPartial } from '../../config/load.ts';
import { settings, type ApprovalMode, type Config } from '../../config/schema.ts';
import { ModelSetupError } from '../../model/language-model.ts';
import { wantsTestsFirst } from '../../agent/intake/task-kind.ts';
import { filesNamedIn } from '../../agent/intake/task-files.ts';
import { walkFiles } from '../../index/file-walk.ts';
import { commandSignals } from '../command-signals.ts';
import { jsonEventWriter } from '../json-events.ts';
import { nonInteractiveApprover } from '../non-interactive-approver.ts';
import { positiveIntegerOption } from '../positive-integer.ts';
import { loadProjectConfig } from '../project.ts';
import { UserError } from '../user-error.ts';
import { modelSummary } from '../render/model-line.ts';

export interface RunCommandOptions {
  lang?: string;
  maxAttempts?: number;
  maxSteps?: number;
  json?: boolean;
  autoEdit?: boolean;
  fullAuto?: boolean;
  output?: string;
  /** With no model set up, download the recommended one without asking. */
  yes?: boolean;
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
export async function openOneShotSession(options: OpenSessionOptions & { yes?: boolean }): Promise<Session> {
  const [{ openSession }, { installSandboxExitCleanup }, { openWithFirstRun }] = await Promise.all([
    import('../../agent/open-session.ts'),
    import('../../sandbox/open-sandbox.ts'),
    import('../first-run.ts'),
  ]);
  installSandboxExitCleanup({ signals: [] });
  const { yes, ...open } = options;
  try {
    return await openWithFirstRun(() => openSession(open), {
      config: options.config,
      yes: yes === true,
      interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
      signal: options.signal ?? new AbortController().signal,
    });
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

export function registerRunCommand(program: Command, deps: CliDeps = {}): void {
  program
    .command('run')
    .description('one-shot: write code for a task, run it in the sandbox, fix it until it passes; results in output/task_<timestamp>/')
    .argument('<task>', 'what the code should do')
    .option('--lang <language>', 'language to write it in (python, javascript, go, ...)')
    .option('--max-attempts <n>', 'failed runs allowed before giving up', positiveIntegerOption(settings.agent.maxAttempts.max))
    .option('--max-steps <n>', 'model steps allowed', positiveIntegerOption(settings.agent.maxSteps.max))
    .option('--json', 'print newline-delimited JSON events on stdout')
    .option('--auto-edit', 'allow changing project files (runs stay in the sandbox)')
    .option('--full-auto', 'allow everything without asking, including runs outside the sandbox')
    .option('--output <dir>', 'where to put task_<timestamp>/ (default: output/ in the project)')
    .option('-y, --yes', 'with no model set up, download the recommended one without asking')
    .action(async (task: string, options: RunCommandOptions, command: Command) => {
      process.exitCode = await runTask(task, { ...options, yes: command.optsWithGlobals<{ yes?: boolean }>().yes }, deps);
    });
}

/** How `assist run` works on a task: write a new program, or work on the project's own files. */
export type RunMode = 'new-program' | 'project';

/**
 * `project` when the task is about code that is there: it names one of the project's files (by
 * path or a unique file name), or the folder holds code and the task is about fixing or testing it.
 * `outputDir` (where runs leave their folders) does not count as code.
 */
export async function runModeFor(task: string, root: string, outputDir: string): Promise<RunMode> {
  let files: string[];
  try {
    files = await walkFiles(root);
  } catch {
    return 'new-program';
  }
  const output = path.relative(root, outputDir).split(path.sep).join('/');
  files = files.filter((f) => !(output && !output.startsWith('..') && (f === output || f.startsWith(`${output}/`))));
  if (files.length === 0) return 'new-program';
  const byBase = new Map<string, number>();
  for (const f of files) byBase.set(f.split('/').pop()!, (byBase.get(f.split('/').pop()!) ?? 0) + 1);
  const named = filesNamedIn(task).some((name) => files.includes(name.replace(/^\.\//, '')) || byBase.get(name) === 1);
  if (named) return 'project';
  return wantsTestsFirst(task) ? 'project' : 'new-program';
}

/** The whole `assist run`; returns the exit code. */
export async function runTask(task: string, options: RunCommandOptions, deps: CliDeps = {}): Promise<number> {
  if (!task.trim()) throw new UserError('The task is empty. Say what the code should do: assist run "print the first 10 primes"');
  const approvalMode = oneShotApprovalMode(options);
  const flags: DeepPartial<Config> = { agent: { approvalMode, maxAttempts: options.maxAttempts, maxSteps: options.maxSteps } };
  const { root, config } = await loadProjectConfig(flags);
  const outputDir = path.resolve(options.output ?? path.join(root, 'output'));
  const mode = await runModeFor(task, root, outputDir);
  if (mode === 'project' && approvalMode === 'suggest') {
    throw new UserError(
      "This task is about the project's own files, and `assist run` changes files only when you allow it: " +
        'add --auto-edit (edits applied, runs stay in the sandbox) or --full-auto. To try it without changes, use `assist` and approve each diff.',
    );
  }
  const startedAt = new Date();
  const events: AgentEvent[] = [];
  const show = progressWriter(options.json);
  const interrupt = commandSignals(() => process.stderr.write('\nInterrupted: stopping the run (Ctrl-C again to exit now).\n'));
  let session: Session | undefined;
  try {
    session = await openOneShotSession({
      ...(deps.openModel ? { openModel: deps.openModel } : {}),
      root,
      config,
      yes: options.yes,
      approver: nonInteractiveApprover({ command: 'run', allowSandboxedRuns: true }),
      oneShot: mode === 'new-program',
      autoTest: config.agent.autoTest !== 'off',
      onEvent: (event) => {
        if (event.type !== 'token') events.push(event);
        show(event);
      },
      signal: interrupt.signal,
    });
    if (!session.sandbox) throw new UserError(`assist run needs a sandbox to run code, and none is available: ${session.sandboxReason}`);
    if (!options.json) process.stderr.write(`model ${modelSummary(session.model.info)}, sandbox: ${session.sandboxReason}\n`);
    if (!options.json) process.stderr.write(`mode: ${mode === 'project' ? "work on the project's files" : 'write a new program'}\n`);
    if (!options.json && (session.git || session.gitProblem))
      process.stderr.write(`git: ${session.git ? session.git.summary() : `unavailable - ${session.gitProblem}`}\n`);
    session.git?.noteRequest(task);
    const language = options.lang ? `Language: ${options.lang}` : 'Language: choose one that suits the task (python if unsure).';
    const prompt = mode === 'project' ? `${task.trim()}${options.lang ? `\n(${language})` : ''}` : renderPrompt('run', { task: task.trim(), language });
    if (mode === 'project') await session.indexReady;
    const result = await session.agent.runTurn(prompt, interrupt.signal);
    const success = mode === 'project' ? result.verified : result.best?.passed === true;
    let dir: string | undefined;
    let outputProblem: string | undefined;
    try {
      dir = writeTaskOutput({
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
    } catch (error) {
      if (!(error instanceof TaskOutputError)) throw error;
      dir = error.dir;
      outputProblem = `The run's output was not saved completely: ${error.message}`;
    }
    const exitCode = interrupt.exitCode(result.status === 'aborted' ? 130 : success ? 0 : 1);
    report(result, { dir, problem: outputProblem }, exitCode, options.json, session.id, mode);
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

/** The outcome; `output.problem` says what of the output folder could not be written (the exit code stays the run's). */
function report(
  result: TurnResult,
  output: { dir?: string; problem?: string },
  exitCode: number,
  json: boolean | undefined,
  sessionId: string,
  mode: RunMode,
): void {
  if (json) {
    const write = jsonEventWriter();
    if (output.problem) write({ type: 'notice', level: 'warn', message: output.problem });
    write({ type: 'done', exitCode, success: exitCode === 0, ...(output.dir ? { outputDir: output.dir } : {}), sessionId });
    return;
  }
  if (output.problem) process.stderr.write(`${output.problem}\n`);
  const runs = result.attempts.length;
  const failed =
    mode === 'project'
      ? result.changed.length
        ? 'Not verified: no passing run checked the changed code after the last change'
        : 'No change was made'
      : 'No passing run';
  const verdict = exitCode === 0 ? 'Success' : exitCode === 130 ? 'Interrupted' : failed;
  const where = output.problem ? (output.dir ? `Output (incomplete): ${output.dir}` : 'Output: not saved') : `Output: ${output.dir}`;
  process.stdout.write(`${result.text.trim()}\n\n${verdict} (${result.status}, ${runs} run${runs === 1 ? '' : 's'}). ${where}\n`);
}
