/**
 * `assist run` and `assist ask` end to end: the real CLI in a child process, a scripted model
 * through the ASSIST_TEST_SCRIPTED_MODEL hook, the real tools and the real sandbox.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Action } from '../../src/model/language-model.ts';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import { defaults } from '../../src/config/schema.ts';
import { mountSmallDisk } from '../support/small-disk.ts';

// The real command line; with ASSIST_TEST_SCRIPTED_MODEL set, the model is a scripted one injected from the test side.
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'scripted-assist.mjs');
const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: '', tool, args });
const python = (code: string) => act('run_in_sandbox', { language: 'python', code, command: null });

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function project(
  t: import('node:test').TestContext,
  script: Action[],
  files: Record<string, string> = {},
): Promise<{ root: string; env: NodeJS.ProcessEnv }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-cli-run-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  await fs.writeFile(path.join(root, '.assistrc.json'), JSON.stringify({ sandbox: { timeoutMs: 30_000 } }));
  for (const [rel, text] of Object.entries(files)) await fs.writeFile(path.join(root, rel), text);
  const scriptFile = path.join(root, '.assist-test-script.json');
  await fs.writeFile(scriptFile, JSON.stringify(script));
  return { root, env: { ...process.env, ASSIST_TEST_SCRIPTED_MODEL: scriptFile, ASSIST_CONFIG: path.join(root, 'no-user-config.json'), NO_COLOR: '1' } };
}

function assist(args: string[], cwd: string, env: NodeJS.ProcessEnv, onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Skips locally (fails under CI) when no sandbox backend works on this machine. */
async function needSandbox(t: import('node:test').TestContext): Promise<boolean> {
  const opened = await openSandbox(defaults, { root: os.tmpdir() });
  await opened.sandbox?.dispose();
  if (opened.sandbox) return true;
  if (process.env.CI) throw new Error(`assist run needs a sandbox under CI: ${opened.reason}`);
  t.skip(`no sandbox: ${opened.reason}`);
  return false;
}

async function taskDir(root: string): Promise<string> {
  const dirs = await fs.readdir(path.join(root, 'output'));
  assert.equal(dirs.length, 1, `one task folder: ${dirs}`);
  assert.match(dirs[0], /^task_\d{8}_\d{6}$/);
  return path.join(root, 'output', dirs[0]);
}

test('assist run: fails, fixes, passes; exit 0 and the output folder holds the passing code and every attempt', async (t) => {
  if (!(await needSandbox(t))) return;
  const fixed = 'def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\nassert fib(10) == 55\nprint([fib(i) for i in range(10)])\n';
  const { root, env } = await project(t, [python('print(fib(10))\n'), python(fixed), act('answer', { text: 'fib works.' })]);
  const run = await assist(['run', 'print the first ten Fibonacci numbers', '--lang', 'python', '--max-attempts', '3'], root, env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /fib works\./);
  assert.match(run.stdout, /Success/);
  const dir = await taskDir(root);
  assert.equal(await fs.readFile(path.join(dir, 'final_code.py'), 'utf8'), fixed);
  const history = JSON.parse(await fs.readFile(path.join(dir, 'debug_history.json'), 'utf8'));
  assert.equal(history.success, true);
  assert.equal(history.attempts.length, 2);
  assert.match(history.attempts[0].error, /NameError/);
  assert.equal(history.attempts[1].output.trim(), '[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]');
  assert.equal(history.bestAttempt, 2);
  const log = await fs.readFile(path.join(dir, 'execution_log.txt'), 'utf8');
  assert.match(log, /attempt 1 failed \(exit 1\)/);
  assert.match(log, /attempt 2 passed/);
  assert.match(log, /outcome: success/);
});

test('assist run --json: one JSON event per line, ending with done; exit 1 when the attempts run out', async (t) => {
  if (!(await needSandbox(t))) return;
  const { root, env } = await project(t, [python('raise SystemExit(3)\n'), python('import sys\nsys.exit("still broken")\n'), python('print(1)\n')]);
  const run = await assist(['run', 'exit cleanly', '--max-attempts', '2', '--json'], root, env);
  assert.equal(run.code, 1, run.stderr);
  const events = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.ok(events.every((e) => typeof e.type === 'string'));
  assert.ok(!events.some((e) => e.type === 'token'), 'tokens are left out');
  const done = events.at(-1);
  assert.equal(done.type, 'done');
  assert.equal(done.success, false);
  assert.equal(done.exitCode, 1);
  const result = events.find((e) => e.type === 'result');
  assert.equal(result.status, 'max_attempts');
  assert.deepEqual(
    events.filter((e) => e.type === 'attempt').map((e) => e.passed),
    [false, false],
  );
  assert.ok(events.some((e) => e.type === 'action') && events.some((e) => e.type === 'observation') && events.some((e) => e.type === 'approval'));
  assert.equal(done.outputDir, await taskDir(root));
  const history = JSON.parse(await fs.readFile(path.join(done.outputDir, 'debug_history.json'), 'utf8'));
  assert.equal(history.status, 'max_attempts');
  assert.equal(history.attempts.length, 2);
});

test("assist run refuses a task on the project's files without --auto-edit, before loading anything, and says how", async (t) => {
  const { root, env } = await project(t, [act('write_file', { path: 'app.py', content: 'print("changed")\n' }), act('answer', { text: 'could not edit' })], {
    'app.py': 'print("original")\n',
  });
  const run = await assist(['run', 'change app.py'], root, env);
  assert.equal(run.code, 2, 'a usage error, not a failed run');
  assert.match(run.stderr, /--auto-edit/);
  assert.equal(await fs.readFile(path.join(root, 'app.py'), 'utf8'), 'print("original")\n');
});

test('assist run writes a new program in a project without --auto-edit, and is told why if it tries to edit', async (t) => {
  if (!(await needSandbox(t))) return;
  const script = [
    act('read_file', { path: 'app.py', startLine: null, endLine: null }),
    act('write_file', { path: 'app.py', content: 'print("changed")\n' }),
    act('answer', { text: 'could not edit' }),
  ];
  const { root, env } = await project(t, script, { 'app.py': 'print("original")\n' });
  const run = await assist(['run', 'print the first ten primes'], root, env);
  assert.equal(run.code, 1, 'no passing run');
  assert.equal(await fs.readFile(path.join(root, 'app.py'), 'utf8'), 'print("original")\n');
  const [session] = await fs.readdir(path.join(root, '.assist', 'sessions'));
  const entries = (await fs.readFile(path.join(root, '.assist', 'sessions', session), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const observation = entries.find((e) => e.type === 'observation' && e.tool === 'write_file');
  assert.match(observation.modelText, /without --auto-edit or --full-auto/);
});

test('assist run --auto-edit may change project files; the changed file becomes final_code', async (t) => {
  if (!(await needSandbox(t))) return;
  const script = [
    act('write_file', { path: 'app.py', content: 'print("changed")\n' }),
    act('run_in_sandbox', { language: null, code: null, command: 'python3 app.py' }),
    act('answer', { text: 'app.py now prints changed.' }),
  ];
  const { root, env } = await project(t, script, { 'app.py': 'print("original")\n' });
  const run = await assist(['run', 'make app.py print changed', '--auto-edit'], root, env);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(await fs.readFile(path.join(root, 'app.py'), 'utf8'), 'print("changed")\n');
  assert.equal(await fs.readFile(path.join(await taskDir(root), 'final_code.py'), 'utf8'), 'print("changed")\n');
});

test("assist run on a full disk (real tmpfs): the edit is refused as disk_full, the output problem is said plainly, and the exit code is the run's", async (t) => {
  if (!(await needSandbox(t))) return;
  const disk = mountSmallDisk(t, 1024 * 1024);
  if (!disk) return;
  const root = path.join(disk.dir, 'project');
  await fs.mkdir(root);
  await fs.writeFile(path.join(root, '.assistrc.json'), JSON.stringify({ sandbox: { timeoutMs: 30_000 } }));
  await fs.writeFile(path.join(root, 'app.py'), 'print("original")\n');
  const scriptDir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-cli-run-script-'));
  t.after(() => fs.rm(scriptDir, { recursive: true, force: true }));
  const script = [
    act('read_file', { path: 'app.py', startLine: null, endLine: null }),
    act('write_file', { path: 'app.py', content: `# ${'x'.repeat(90_000)}\nprint("changed")\n` }),
    python('print(1)\n'),
    act('answer', { text: 'printed 1' }),
  ];
  await fs.writeFile(path.join(scriptDir, 'script.json'), JSON.stringify(script));
  const env = {
    ...process.env,
    ASSIST_TEST_SCRIPTED_MODEL: path.join(scriptDir, 'script.json'),
    ASSIST_CONFIG: path.join(scriptDir, 'no-user-config.json'),
    NO_COLOR: '1',
  };
  disk.fill(16 * 1024);

  const run = await assist(['run', 'print 1', '--auto-edit', '--json'], root, env);
  assert.doesNotMatch(run.stderr, /internal error|ENOSPC/, run.stderr);
  assert.equal(run.code, 0, `the run passed, so it exits 0: ${run.stderr}`);
  const events = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const edit = events.find((e) => e.type === 'observation' && e.tool === 'write_file');
  assert.equal(edit?.result?.error?.code, 'disk_full', JSON.stringify(edit));
  assert.match(edit.result.error.message, /^Not applied: the disk is full \(\d+ bytes needed\)/);
  assert.equal(await fs.readFile(path.join(root, 'app.py'), 'utf8'), 'print("original")\n');
  const problem = events.find((e) => e.type === 'notice' && /output was not saved/.test(e.message));
  assert.match(problem?.message ?? '', /^The run's output was not saved completely: .*the disk is full \(\d+ bytes needed\)/);
  assert.deepEqual(events.at(-1), { ...events.at(-1), type: 'done', exitCode: 0, success: true });
});

test('assist run: Ctrl-C stops the run, still writes the output folder, exits 130', async (t) => {
  if (!(await needSandbox(t))) return;
  const { root, env } = await project(t, [python('import time\ntime.sleep(600)\n'), act('answer', { text: 'never' })]);
  let sent = false;
  const run = await assist(['run', 'wait a long time', '--json'], root, env, (stdout, child) => {
    if (!sent && stdout.includes('"type":"approval"')) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  assert.ok(sent);
  assert.equal(run.code, 130, run.stderr);
  const done = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  assert.equal(done.type, 'done');
  const history = JSON.parse(await fs.readFile(path.join(await taskDir(root), 'debug_history.json'), 'utf8'));
  assert.equal(history.status, 'aborted');
  const containers = spawnSync('docker', ['ps', '-aq', '--filter', `label=assist.session=${done.sessionId}`], { encoding: 'utf8' });
  if (containers.status === 0) assert.equal(containers.stdout.trim(), '', 'the sandbox container was removed');
});

test('assist run and ask explain bad input without a stack trace', async (t) => {
  const { root, env } = await project(t, []);
  const both = await assist(['run', 'x', '--auto-edit', '--full-auto'], root, env);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /either --auto-edit or --full-auto/);
  const empty = await assist(['ask', '  '], root, env);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /The question is empty/);
  const badN = await assist(['run', 'x', '--max-attempts', 'zero'], root, env);
  assert.notEqual(badN.code, 0);
  assert.match(badN.stderr, /whole number/);
});

test('assist ask answers with read-only tools and prints the answer', async (t) => {
  const { root, env } = await project(t, [act('outline', { path: 'calc.py' }), act('answer', { text: 'add is defined at calc.py:1.' })], {
    'calc.py': 'def add(a, b):\n    return a + b\n',
  });
  const run = await assist(['ask', 'where is add defined?'], root, env);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'add is defined at calc.py:1.');
  const json = await assist(['ask', 'where is add defined?', '--json'], root, env);
  assert.equal(json.code, 0, json.stderr);
  const events = json.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    events.filter((e) => e.type === 'action').map((e) => e.action.tool),
    ['outline', 'answer'],
  );
  assert.match(events.find((e) => e.type === 'observation').result.forModel, /add/);
  assert.deepEqual([events.at(-1).type, events.at(-1).success], ['done', true]);
});
