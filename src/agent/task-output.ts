/**
 * The folder `assist run` leaves behind: `output/task_<timestamp>/` with `final_code.<ext>`,
 * `execution_log.txt` (every step, readable) and `debug_history.json` (every attempt).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TurnResult } from './agent.ts';
import type { AgentEvent } from './events.ts';
import { describeEvent } from './event-text.ts';

const extensions: Record<string, string> = {
  python: 'py', python3: 'py', py: 'py',
  javascript: 'js', js: 'js', node: 'js', nodejs: 'js',
  typescript: 'ts', ts: 'ts',
  bash: 'sh', sh: 'sh', shell: 'sh',
  go: 'go', golang: 'go', rust: 'rs', rs: 'rs', ruby: 'rb', rb: 'rb',
  c: 'c', cpp: 'cpp', 'c++': 'cpp', java: 'java', php: 'php', 'c#': 'cs', csharp: 'cs',
};

/** The file extension for a language name (`txt` when unknown). */
export function extensionFor(language: string | undefined): string {
  return (language && extensions[language.toLowerCase()]) || 'txt';
}

function commentPrefix(ext: string): string {
  return ['py', 'sh', 'rb', 'txt'].includes(ext) ? '#' : '//';
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

/** Writes the three files (each atomically) and returns the task folder. */
export function writeTaskOutput(input: TaskOutputInput): string {
  mkdirSync(input.outputDir, { recursive: true });
  const dir = path.join(input.outputDir, taskDirName(input.outputDir, input.startedAt));
  mkdirSync(dir);
  const { result } = input;
  const best = result.best;
  const language = input.language ?? best?.language;
  const code = best?.code ?? input.fallbackCode;
  const fallbackExt = best?.code === undefined && input.fallbackPath ? path.extname(input.fallbackPath).slice(1).toLowerCase() : '';
  const ext = language ? extensionFor(language) : /^[a-z0-9]{1,8}$/.test(fallbackExt) ? fallbackExt : 'txt';
  const finalFile = `final_code.${ext}`;
  const finalText = code ?? `${commentPrefix(ext)} No code was produced: ${result.status}. See execution_log.txt.\n`;
  write(path.join(dir, finalFile), finalText.endsWith('\n') ? finalText : `${finalText}\n`);

  const lines = [
    `task: ${input.task}`,
    `model: ${input.model}`,
    `started: ${input.startedAt.toISOString()}`,
    `language: ${language ?? 'unknown'}`,
    '',
    ...input.events.map((e) => describeEvent(e, true)).filter((l): l is string => l !== undefined),
    '',
    `outcome: ${input.success ? 'success' : 'failure'} (${result.status}), ${result.attempts.length} runs, best attempt: ${best ? `#${best.attempt}${best.passed ? ' (passed)' : ' (failed)'}` : 'none'}`,
    `tokens: ${result.usage.promptTokens} prompt, ${result.usage.completionTokens} generated`,
  ];
  write(path.join(dir, 'execution_log.txt'), lines.join('\n') + '\n');

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
  write(path.join(dir, 'debug_history.json'), JSON.stringify(history, null, 2) + '\n');
  return dir;
}

function write(file: string, text: string): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}
