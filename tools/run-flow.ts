/**
 * What the two run tools share: ask approval, run in the session's sandbox honouring the turn's
 * signal, map failures to tool errors, and shorten output for the model.
 */
import type { ToolContext, ToolResult } from './tool.ts';
import { toolError } from './tool.ts';
import type { RunRequest, RunResult } from '../src/sandbox/sandbox.ts';
import { isAbortError, SandboxError } from '../src/sandbox/run-common.ts';

/** Characters of each stream the model sees (head and tail kept). */
export const modelStreamChars = 4000;

/** Runs `request` after approval; returns the result or the tool error to report. */
export async function approvedRun(ctx: ToolContext, request: RunRequest, shownCommand: string): Promise<{ result: RunResult } | { error: ToolResult }> {
  const sandbox = ctx.sandbox;
  if (!sandbox) return { error: toolError('unavailable', 'no sandbox is available in this session, so nothing can be run (see `assist sandbox status`)') };
  if (ctx.signal.aborted) return { error: toolError('aborted', 'the turn was cancelled') };
  const answer = await ctx.approve({ kind: 'exec', command: shownCommand, sandbox: sandbox.kind });
  let effective = request;
  switch (answer.answer) {
    case 'yes':
    case 'always':
      break;
    case 'no':
      return { error: toolError('rejected', `the user declined this run${answer.reason ? `: ${answer.reason}` : ''}`) };
    case 'edit': {
      const edited = answer.edited.command;
      if (edited !== undefined) effective = { ...request, command: edited };
      break;
    }
    default:
      return answer satisfies never;
  }
  try {
    const files = ctx.workspace.snapshot();
    return { result: await sandbox.run({ ...effective, files }, ctx.signal) };
  } catch (error) {
    if (isAbortError(error) || ctx.signal.aborted) return { error: toolError('aborted', 'the run was cancelled; every process of it was killed') };
    if (error instanceof SandboxError) return { error: toolError('unavailable', error.message) };
    return { error: toolError('failed', `the sandbox failed: ${(error as Error).message}`) };
  }
}

/** `text` cut to `max` characters, keeping the head and the tail with a note between. */
export function clip(text: string, max = modelStreamChars): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.4);
  const tail = max - head;
  return `${text.slice(0, head)}\n[... ${text.length - max} characters cut ...]\n${text.slice(text.length - tail)}`;
}

/** The `run` record of a ToolResult (what the agent counts as an attempt). */
export function runRecord(result: RunResult, extra: { code?: string; language?: string } = {}): NonNullable<ToolResult['run']> {
  return {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    command: result.command,
    ...(extra.code !== undefined ? { code: extra.code } : {}),
    ...(extra.language !== undefined ? { language: extra.language } : {}),
    stdout: result.stdout,
    stderr: result.stderr,
    durationMs: result.durationMs,
  };
}

/**
 * What a run that was killed at the time limit means, for the model: a small model read "timed out"
 * as a wrong test command and wrote `npm test` into the script under test (bash-normpath). Empty
 * when the run finished. `commandKnown`: the command is the one the request named or the config
 * sets, so the command is not what is wrong.
 */
export function hangNote(result: RunResult, timeoutMs: number, what: 'tests' | 'program', commandKnown = false): string {
  if (!result.timedOut) return '';
  const seconds = Math.round(timeoutMs / 1000);
  if (what === 'program')
    return `The program did not finish within ${seconds} s and was killed: it most likely loops forever, or waits for input that never comes (its stdin is empty).`;
  return [
    `The tests did not finish within ${seconds} s and were killed: the code they test most likely never ends for some input`,
    '(a loop whose condition never changes, a recursion without a base case, a read of input that never comes).',
    commandKnown ? 'The test command is right; do not change it.' : '',
    'The output stops where the hang began: the test after the last one reported is the one that hangs;',
    'find the loop its input takes in the code and make it end.',
  ]
    .filter(Boolean)
    .join(' ');
}

/** One-line status: exit code / timeout. */
export function statusLine(result: RunResult, timeoutMs: number): string {
  if (result.timedOut) return `timed out after ${timeoutMs} ms (killed)`;
  if (result.exitCode === 0) return 'exit code 0 (success)';
  return `exit code ${result.exitCode ?? 'unknown'} (failed)`;
}
