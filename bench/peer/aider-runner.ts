/**
 * Runs aider on one eval task: a fresh copy of the task's starting workspace in a throwaway git
 * repository (so aider's repo map sees every file), the task's files as editable files, its prompt
 * as `--message`, and, where the workspace has a test command, `--auto-test` with that command run
 * in assist's sandbox (sandboxed-test.ts). Then the task's hidden check runs through the eval's
 * `runCheck`, in the sandbox, over the finished workspace. aider's stdout, chat history and the raw
 * model traffic stay in the task's log folder.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Config } from '../../src/config/schema.ts';
import { checkReport, runCheck, type CheckOutcome } from '../../src/eval/check.ts';
import { copyWorkspace, startingTree, type EvalTask } from '../../src/eval/suite.ts';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import { detectTestCommand } from '../../src/sandbox/test-command.ts';
import { testCommandNamedIn } from '../../src/agent/intake/task-kind.ts';
import { spawnTracked, stopGroup } from './child-processes.ts';
import type { EditFormat } from './args.ts';
import type { PythonTool } from './python-env.ts';
import { editableFiles } from './tasks.ts';

const execFileAsync = promisify(execFile);

/** What aider needs for every task of a run. */
export interface AiderSetup {
  aider: PythonTool;
  /** The model server's base URL (`http://127.0.0.1:PORT/v1`) and the model's name there. */
  baseUrl: string;
  alias: string;
  contextSize: number;
  temperature: number;
  editFormat: EditFormat;
  /** Settings for the sandbox that runs the hidden check. */
  config: Config;
  /** Where the model settings and metadata files are written (once per run). */
  runDir: string;
}

/** One task's outcome for aider. Times in seconds. */
export interface AiderTaskResult {
  id: string;
  kind: string;
  language: string;
  passed: boolean;
  /** Wall time of the aider process (the model already loaded in the server). */
  seconds: number;
  exitCode: number | null;
  timedOut: boolean;
  reason?: string;
  /** The files given to aider as editable, and its test command (absent: no `--auto-test`). */
  files: string[];
  testCommand?: string;
}

/** The longest reply aider may ask the server for (whole files fit; a looping reply stops). */
export const aiderMaxReplyTokens = 4096;

/** Writes aider's model settings and metadata for the served model; returns their paths. */
export async function writeAiderModelFiles(setup: AiderSetup): Promise<{ settings: string; metadata: string }> {
  const name = `openai/${setup.alias}`;
  const settings = path.join(setup.runDir, 'aider.model.settings.yml');
  const metadata = path.join(setup.runDir, 'aider.model.metadata.json');
  await fs.writeFile(
    settings,
    [
      `- name: ${name}`,
      `  edit_format: ${setup.editFormat}`,
      `  use_temperature: ${setup.temperature}`,
      `  use_repo_map: true`,
      `  extra_params:`,
      `    max_tokens: ${aiderMaxReplyTokens}`,
      '',
    ].join('\n'),
  );
  const info = {
    max_tokens: aiderMaxReplyTokens,
    max_input_tokens: setup.contextSize,
    max_output_tokens: aiderMaxReplyTokens,
    input_cost_per_token: 0,
    output_cost_per_token: 0,
    litellm_provider: 'openai',
    mode: 'chat',
  };
  await fs.writeFile(metadata, JSON.stringify({ [name]: info }, null, 2) + '\n');
  return { settings, metadata };
}

const sandboxedTestScript = fileURLToPath(new URL('./sandboxed-test.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

/** Quotes a string for POSIX sh. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command aider's `--auto-test` runs: as assist's run_tests takes it, the command the request
 * names, else the project's own (an exercise names its command only in the prompt, `ruby
 * version_test.rb`, and aider ran those without tests).
 */
export async function aiderTestCommand(prompt: string, root: string): Promise<string | undefined> {
  return testCommandNamedIn(prompt) ?? (await detectTestCommand({ root, overlay: new Map() }))?.command;
}

/** aider's command line for a task (after the `aider` executable). */
export function aiderArgs(options: {
  alias: string;
  modelFiles: { settings: string; metadata: string };
  editFormat: EditFormat;
  prompt: string;
  files: string[];
  testCommand?: string;
  logDir: string;
}): string[] {
  const args = [
    '--model',
    `openai/${options.alias}`,
    '--model-settings-file',
    options.modelFiles.settings,
    '--model-metadata-file',
    options.modelFiles.metadata,
    '--edit-format',
    options.editFormat,
    '--yes-always',
    '--no-detect-urls',
    '--analytics-disable',
    '--no-check-update',
    '--no-show-release-notes',
    '--no-show-model-warnings',
    '--no-auto-lint',
    '--no-suggest-shell-commands',
    '--no-auto-commits',
    '--no-dirty-commits',
    '--no-gitignore',
    '--no-browser',
    '--no-fancy-input',
    '--no-pretty',
    '--no-restore-chat-history',
    '--encoding',
    'utf-8',
    '--chat-history-file',
    path.join(options.logDir, 'chat.history.md'),
    '--input-history-file',
    path.join(options.logDir, 'input.history'),
    '--llm-history-file',
    path.join(options.logDir, 'llm.history.txt'),
  ];
  if (options.testCommand) {
    const wrapped = [process.execPath, '--import', tsxLoader, sandboxedTestScript, options.testCommand].map(shellQuote).join(' ');
    args.push('--auto-test', '--test-cmd', wrapped);
  }
  args.push('--message', options.prompt, ...options.files);
  return args;
}

/** Runs aider on `task` with at most `timeLimitMs`, then the task's hidden check. */
export async function runAiderTask(
  task: EvalTask,
  setup: AiderSetup,
  modelFiles: { settings: string; metadata: string },
  logDir: string,
  timeLimitMs: number,
): Promise<AiderTaskResult> {
  await fs.mkdir(logDir, { recursive: true });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), `assist-peer-${task.id}-`));
  const base = { id: task.id, kind: task.kind, language: task.language };
  try {
    await copyWorkspace(task, work);
    const files = editableFiles(task, await startingTree(task));
    const testCommand = await aiderTestCommand(task.prompt, work);
    await throwawayRepo(work);
    const args = aiderArgs({ alias: setup.alias, modelFiles, editFormat: setup.editFormat, prompt: task.prompt, files, testCommand, logDir });
    const log = createWriteStream(path.join(logDir, 'aider.log'));
    log.write(`$ aider ${args.map(shellQuote).join(' ')}\n\n`);
    const started = Date.now();
    const child = spawnTracked(setup.aider.bin('aider'), args, {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        OPENAI_API_BASE: setup.baseUrl,
        OPENAI_API_KEY: 'local-no-key',
        LITELLM_LOCAL_MODEL_COST_MAP: 'True',
        NO_COLOR: '1',
        TERM: 'dumb',
        PYTHONUNBUFFERED: '1',
      },
    });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void stopGroup(child);
    }, timeLimitMs);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.on('error', () => resolve(null));
      child.on('close', (code) => resolve(code));
    });
    clearTimeout(timer);
    await stopGroup(child);
    const seconds = Math.round((Date.now() - started) / 10) / 100;
    await new Promise((resolve) => log.end(resolve));

    await removeAiderState(work);
    await fs.cp(work, path.join(logDir, 'workspace'), { recursive: true });
    const check = await hiddenCheck(task, work, setup.config);
    await writeCheck(path.join(logDir, 'check.txt'), task, check);
    const note = timedOut ? 'task time limit; ' : exitCode !== 0 ? `aider exited ${exitCode}; ` : '';
    return {
      ...base,
      passed: check.passed,
      seconds,
      exitCode,
      timedOut,
      ...(check.passed ? {} : { reason: `${note}${check.reason ?? 'check failed'}` }),
      files,
      ...(testCommand ? { testCommand } : {}),
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** A git repository with the starting files committed: aider's repo map lists tracked files. */
async function throwawayRepo(dir: string): Promise<void> {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'peer bench',
    GIT_AUTHOR_EMAIL: 'peer@localhost',
    GIT_COMMITTER_NAME: 'peer bench',
    GIT_COMMITTER_EMAIL: 'peer@localhost',
  };
  await execFileAsync('git', ['init', '-q'], { cwd: dir, env });
  await execFileAsync('git', ['add', '-A'], { cwd: dir, env });
  await execFileAsync('git', ['commit', '-q', '--allow-empty', '--no-verify', '-m', 'starting workspace'], { cwd: dir, env });
}

/** Removes the git repository and aider's caches so the check sees only the task's files. */
async function removeAiderState(dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    if (name === '.git' || name.startsWith('.aider')) await fs.rm(path.join(dir, name), { recursive: true, force: true });
  }
}

async function hiddenCheck(task: EvalTask, work: string, config: Config): Promise<CheckOutcome> {
  const { sandbox, reason } = await openSandbox(config, { root: work });
  try {
    return await runCheck(task, work, '', sandbox);
  } catch (error) {
    return { passed: false, reason: `check could not run: ${(error as Error).message}${sandbox ? '' : ` (${reason})`}` };
  } finally {
    await sandbox?.dispose();
  }
}

async function writeCheck(file: string, task: EvalTask, check: CheckOutcome): Promise<void> {
  await fs.writeFile(file, checkReport(task, check));
}
