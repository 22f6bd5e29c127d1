/**
 * The folder `assist run` leaves behind: `output/task_<timestamp>/` with `final_code.<ext>`,
 * `execution_log.txt` (every step, readable) and `debug_history.json` (every attempt). Each file
 * is written completely or not at all (full-write.ts); what cannot be written (a full disk) is a
 * `TaskOutputError` that names the files, the bytes needed and what was kept.
 */
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { languageNamed, languageNames, languageRow } from '../languages/languages.ts';
import { diskFullReason, isDiskFull, replaceFileFully } from '../workspace/full-write.ts';
import type { TurnResult } from './agent.ts';
import type { AgentEvent } from './events.ts';
import { describeEvent } from './event-text.ts';

/** Some or all of a run's output files could not be written; the run itself is not affected. */
export class TaskOutputError extends Error {
  constructor(
    message: string,
    /** The task folder, when it was created (it holds the files that could be written). */
    readonly dir: string | undefined,
  ) {
    super(message);
    this.name = 'TaskOutputError';
  }
}

/** The file extension for a language name or alias (from the language table; `txt` when unknown). */
export function extensionFor(language: string | undefined): string {
  const name = language ? languageNamed(language) : undefined;
  return name ? languageRow(name).outputExtension : 'txt';
}

/** What starts a line comment in a file with extension `ext` (`#` in a .txt). */
function commentPrefix(ext: string): string {
  if (ext === 'txt') return '#';
  const name = languageNames.find((n) => languageRow(n).outputExtension === ext);
  return name ? languageRow(name).lineComment : '//';
}

/** `task_20261121_051200` (UTC), with `_2`, `_3` ... when it already exists. */
export function taskDirName(base: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  let name = `task_${stamp}`;
  for (let i = 2; existsSync(path.join(base, name)); i++) name = `task_${stamp}_${i}`;
  return name;
}

export interface TaskOutputInput {
  /** The `output/` folder; the task folder is created inside it. */
  outputDir: string;
  task: string;
  /** `--lang`, if given. */
  language?: string;
  result: TurnResult;
  /** Every event of the run, in order. */
  events: AgentEvent[];
  /** Code to keep when the best attempt ran a command rather than code (e.g. the files it changed). */
  fallbackCode?: string;
  /** The file `fallbackCode` came from (its extension names the final file when nothing else does). */
  fallbackPath?: string;
  model: string;
  startedAt: Date;
  success: boolean;
}

/**
 * Writes the three files (each atomically, each complete) and returns the task folder. Throws
 * `TaskOutputError` when the folder or any file cannot be written, after writing what it can.
 */
export function writeTaskOutput(input: TaskOutputInput): string {
  const { result } = input;
  const best = result.best;
  const language = input.language ?? best?.language;
  const code = best?.code ?? input.fallbackCode;
  const fallbackExt = best?.code === undefined && input.fallbackPath ? path.extname(input.fallbackPath).slice(1).toLowerCase() : '';
  const ext = language ? extensionFor(language) : /^[a-z0-9]{1,8}$/.test(fallbackExt) ? fallbackExt : 'txt';
  const finalFile = `final_code.${ext}`;
  const finalText = code ?? `${commentPrefix(ext)} No code was produced: ${result.status}. See execution_log.txt.\n`;

  const lines = [
    `task: ${input.task}`,
    `model: ${input.model}`,
    `started: ${input.startedAt.toISOString()}`,
    `language: ${language ?? 'unknown'}`,
    '',
    ...input.events.map((e) => describeEvent(e, true)).filter((l): l is string => l !== undefined),
    '',
    `outcome: ${input.success ? 'success' : 'failure'} (${result.status}), ${result.attempts.length} runs, best attempt: ` +
      `${best ? `#${best.attempt}${best.passed ? ' (passed)' : ' (failed)'}` : 'none'}`,
    `tokens: ${result.usage.promptTokens} prompt, ${result.usage.completionTokens} generated`,
  ];

  const history = {
    task: input.task,
    language: language ?? null,
    model: input.model,
    startedAt: input.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    status: result.status,
    success: input.success,
    steps: result.steps,
    bestAttempt: best?.attempt ?? null,
    finalCode: finalFile,
    summary: result.text,
    attempts: result.attempts.map((a) => ({
      attempt: a.attempt,
      code: a.code ?? null,
      language: a.language ?? null,
      command: a.command,
      output: a.stdout,
      error: a.stderr,
      exitCode: a.exitCode,
      timedOut: a.timedOut,
      passed: a.passed,
      durationMs: a.durationMs,
    })),
    usage: result.usage,
  };
  const files: Array<[name: string, bytes: Buffer]> = [
    [finalFile, Buffer.from(finalText.endsWith('\n') ? finalText : `${finalText}\n`)],
    ['execution_log.txt', Buffer.from(lines.join('\n') + '\n')],
    ['debug_history.json', Buffer.from(JSON.stringify(history, null, 2) + '\n')],
  ];
  const total = files.reduce((sum, [, bytes]) => sum + bytes.length, 0);
  let dir: string;
  try {
    mkdirSync(input.outputDir, { recursive: true });
    dir = path.join(input.outputDir, taskDirName(input.outputDir, input.startedAt));
    mkdirSync(dir);
  } catch (error) {
    throw new TaskOutputError(`The output folder could not be created in ${input.outputDir}: ${why(error, total)}.`, undefined);
  }
  const kept: string[] = [];
  const failed: string[] = [];
  let needed = 0;
  let firstError: unknown;
  for (const [name, bytes] of files) {
    try {
      replaceFileFully(path.join(dir, name), bytes);
      kept.push(name);
    } catch (error) {
      failed.push(name);
      needed += bytes.length;
      firstError ??= error;
    }
  }
  if (failed.length > 0) {
    if (kept.length === 0) {
      try {
        rmdirSync(dir);
      } catch {
        // keep it then
      }
    }
    throw new TaskOutputError(
      `${failed.join(', ')} could not be written in ${dir}: ${why(firstError, needed)}.${kept.length > 0 ? ` Written: ${kept.join(', ')}.` : ''}`,
      kept.length > 0 ? dir : undefined,
    );
  }
  return dir;
}

function why(error: unknown, bytesNeeded: number): string {
  return isDiskFull(error) ? diskFullReason(bytesNeeded) : ((error as Error)?.message ?? String(error));
}
