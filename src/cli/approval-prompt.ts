/**
 * The Approver for a person at a terminal: shows the proposed change (coloured diff), command or
 * MCP tool call and asks yes / no (with a reason for the model) / always / edit (in $VISUAL or $EDITOR). A
 * change set of several files can be approved as a whole or file by file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { input as inputPrompt, select } from '@inquirer/prompts';
import chalk from 'chalk';
import type { Approver } from '../agent/events.ts';
import type { ApprovalAnswer, ApprovalRequest, FileChange } from '../workspace/approval.ts';
import { colourDiff } from './render/colour-diff.ts';
import { describeRequest } from './render/event-renderer.ts';

export interface ApprovalPromptOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Editor command line; default `$VISUAL`, then `$EDITOR`, then `vi`. Run through the shell with the file path appended. */
  editor?: string;
  /** Ctrl-C at the prompt: the caller cancels the turn. The request is then answered `no`. */
  onInterrupt?: () => void;
}

/** What the person is offered for one request or one file. */
type Choice = 'yes' | 'no' | 'always' | 'edit' | 'each';

/** Thrown inside the prompt when the person pressed Ctrl-C or the turn was aborted. */
class PromptInterrupted extends Error {}

/** Builds the interactive Approver. */
export function createApprovalPrompt(options: ApprovalPromptOptions = {}): Approver {
  const output = options.output ?? process.stdout;
  // Each inquirer prompt ends its output stream when done; give it a pipe that never ends ours.
  const context = (signal: AbortSignal) => {
    const sink = new PassThrough();
    sink.pipe(output, { end: false });
    return { input: options.input ?? process.stdin, output: sink, signal };
  };

  const ask = async <T extends string>(message: string, choices: Array<{ value: T; name: string; description?: string }>, signal: AbortSignal): Promise<T> => {
    try {
      return await select<T>({ message, choices }, context(signal));
    } catch (error) {
      throw toInterrupt(error);
    }
  };

  const askReason = async (signal: AbortSignal): Promise<string> => {
    try {
      const reason = await inputPrompt({ message: 'Why not? (sent to the model; Enter to skip)' }, context(signal));
      return reason.trim() || 'The user declined without giving a reason.';
    } catch (error) {
      throw toInterrupt(error);
    }
  };

  const editFile = (change: FileChange): string | null => {
    const edited = openInEditor(change.after ?? '', change.path, options.editor ?? defaultEditor());
    if (edited.error) output.write(chalk.red(`${edited.error}\n`));
    return edited.text;
  };

  const approveEdit = async (changes: FileChange[], signal: AbortSignal): Promise<ApprovalAnswer> => {
    const single = changes.length === 1;
    for (;;) {
      const choice = await ask<Choice>(
        single ? `Apply this change to ${changes[0].path}?` : `Apply these changes to ${changes.length} files?`,
        [
          { value: 'yes', name: single ? 'yes' : `yes, all ${changes.length} files` },
          { value: 'no', name: 'no, and tell the model why' },
          { value: 'always', name: 'always (apply edits without asking for the rest of this session)' },
          ...(single
            ? changes[0].after !== null
              ? [{ value: 'edit' as const, name: 'edit it in your editor first' }]
              : []
            : [{ value: 'each' as const, name: 'file by file' }]),
        ],
        signal,
      );
      switch (choice) {
        case 'yes':
          return { answer: 'yes' };
        case 'always':
          return { answer: 'always' };
        case 'no':
          return { answer: 'no', reason: await askReason(signal) };
        case 'edit': {
          const text = editFile(changes[0]);
          if (text === null) continue;
          return text === changes[0].after ? { answer: 'yes' } : { answer: 'edit', edited: { [changes[0].path]: text } };
        }
        case 'each':
          return approveEachFile(changes, signal);
        default:
          return choice satisfies never;
      }
    }
  };

  const approveEachFile = async (changes: FileChange[], signal: AbortSignal): Promise<ApprovalAnswer> => {
    const accepted: string[] = [];
    const edited: Record<string, string> = {};
    for (const [i, change] of changes.entries()) {
      output.write(`\n${chalk.bold(`(${i + 1}/${changes.length}) ${change.path}`)}\n${colourDiff(change.diff.trimEnd())}\n`);
      for (;;) {
        const choice = await ask<'yes' | 'no' | 'edit'>(
          `Apply the change to ${change.path}?`,
          [
            { value: 'yes', name: 'yes' },
            { value: 'no', name: 'no' },
            ...(change.after !== null ? [{ value: 'edit' as const, name: 'edit it in your editor first' }] : []),
          ],
          signal,
        );
        if (choice === 'edit') {
          const text = editFile(change);
          if (text === null) continue;
          accepted.push(change.path);
          if (text !== change.after) edited[change.path] = text;
        } else if (choice === 'yes') accepted.push(change.path);
        break;
      }
    }
    if (accepted.length === 0) return { answer: 'no', reason: await askReason(signal) };
    if (Object.keys(edited).length === 0) return accepted.length === changes.length ? { answer: 'yes' } : { answer: 'yes', paths: accepted };
    return accepted.length === changes.length ? { answer: 'edit', edited } : { answer: 'edit', edited, paths: accepted };
  };

  const approveExec = async (request: Extract<ApprovalRequest, { kind: 'exec' }>, signal: AbortSignal): Promise<ApprovalAnswer> => {
    const choice = await ask<'yes' | 'no' | 'always'>(
      'Run it?',
      [
        { value: 'yes', name: 'yes' },
        { value: 'no', name: 'no, and tell the model why' },
        { value: 'always', name: 'always (run without asking for the rest of this session)' },
      ],
      signal,
    );
    return choice === 'no' ? { answer: 'no', reason: await askReason(signal) } : { answer: choice };
  };

  const approveSecretRead = async (request: Extract<ApprovalRequest, { kind: 'read-secret' }>, signal: AbortSignal): Promise<ApprovalAnswer> => {
    const choice = await ask<'yes' | 'no' | 'always'>(
      `Let the model read ${request.path}?`,
      [
        { value: 'no', name: 'no, and tell the model why' },
        { value: 'yes', name: 'yes, this once' },
        { value: 'always', name: `always (read ${request.path} without asking for the rest of this session)` },
      ],
      signal,
    );
    return choice === 'no' ? { answer: 'no', reason: await askReason(signal) } : { answer: choice };
  };

  const approveMcpCall = async (request: Extract<ApprovalRequest, { kind: 'mcp' }>, signal: AbortSignal): Promise<ApprovalAnswer> => {
    const choice = await ask<'yes' | 'no' | 'always'>(
      'Call it?',
      [
        { value: 'yes', name: 'yes' },
        { value: 'no', name: 'no, and tell the model why' },
        { value: 'always', name: `always (call ${request.server}'s ${request.tool} without asking for the rest of this session)` },
      ],
      signal,
    );
    return choice === 'no' ? { answer: 'no', reason: await askReason(signal) } : { answer: choice };
  };

  return async (request, signal) => {
    output.write(`\n${formatApprovalRequest(request)}\n`);
    try {
      switch (request.kind) {
        case 'edit':
          return await approveEdit(request.changes, signal);
        case 'exec':
          return await approveExec(request, signal);
        case 'read-secret':
          return await approveSecretRead(request, signal);
        case 'mcp':
          return await approveMcpCall(request, signal);
        default:
          return request satisfies never;
      }
    } catch (error) {
      if (!(error instanceof PromptInterrupted)) throw error;
      if (!signal.aborted) options.onInterrupt?.();
      return { answer: 'no', reason: 'The user cancelled the turn (Ctrl-C).' };
    }
  };
}

/**
 * The text shown above the question: what will change (coloured diffs), what will run where, which MCP tool would be
 * called with what, or which secret would be read and why it looks like one.
 */
export function formatApprovalRequest(request: ApprovalRequest): string {
  if (request.kind === 'read-secret') {
    return (
      `${chalk.bold('The model wants to read')} ${chalk.cyan(request.path)}
` +
      `${chalk.yellow.bold('It looks like it holds secrets:')} ${request.reason}.
` +
      chalk.dim('What the model reads enters its context and the session log, and may end up in what it writes or runs. This is asked in every approval mode.')
    );
  }
  if (request.kind === 'mcp') {
    const marked = request.readOnly ? chalk.dim(' (the server marks it read-only)') : '';
    return (
      `${chalk.bold('The model wants to call')} ${chalk.cyan(request.tool)} ${chalk.bold('of the MCP server')} ${chalk.cyan(request.server)}${marked}\n` +
      `${chalk.dim(mcpArgsText(request.args))}\n` +
      chalk.yellow('The server runs on this machine, outside the sandbox.')
    );
  }
  if (request.kind === 'exec') {
    const where = request.sandbox === 'none' ? chalk.yellow.bold('directly on this machine (no sandbox)') : `in the ${request.sandbox} sandbox (no network)`;
    return `${chalk.bold('The model wants to run')} ${chalk.cyan(request.command)}\n${where}`;
  }
  const header = chalk.bold(`The model wants to ${describeRequest(request)}`);
  return [header, ...request.changes.map((c) => colourDiff(c.diff.trimEnd()))].join('\n\n');
}

/** An MCP call's arguments as indented JSON, at most 20 lines. */
function mcpArgsText(args: Record<string, unknown>): string {
  const lines = JSON.stringify(args, null, 2).split('\n');
  const shown = lines.length > 20 ? [...lines.slice(0, 20), `... (${lines.length - 20} more lines)`] : lines;
  return shown.map((line) => `  ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`).join('\n');
}

function toInterrupt(error: unknown): unknown {
  const name = (error as Error | undefined)?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError' ? new PromptInterrupted(name) : error;
}

function defaultEditor(): string {
  return process.env.VISUAL || process.env.EDITOR || 'vi';
}

/**
 * Opens `text` in the editor as a temp file named like `filePath` (so the editor picks the
 * right syntax), waits for it to exit, and returns the saved text; `null` with an error when
 * the editor failed.
 */
export function openInEditor(text: string, filePath: string, editor: string): { text: string | null; error?: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'assist-edit-'));
  const file = path.join(dir, path.basename(filePath));
  try {
    writeFileSync(file, text);
    const result = spawnSync(`${editor} '${file.replaceAll("'", "'\\''")}'`, { shell: true, stdio: 'inherit' });
    if (result.error) return { text: null, error: `Could not start the editor "${editor}": ${result.error.message}. Set $VISUAL or $EDITOR.` };
    if (result.status !== 0)
      return { text: null, error: `The editor "${editor}" exited with ${result.status ?? result.signal}; the change was left as proposed.` };
    return { text: readFileSync(file, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
