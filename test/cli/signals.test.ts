/**
 * SIGTERM and SIGHUP end `assist run`, `assist ask`, `assist eval` and the interactive session (issue 14, item
 * 4): the real CLI in a child process (the REPL in tmux), a scripted model through the
 * ASSIST_TEST_SCRIPTED_MODEL test hook or a model server that never answers, the real sandbox.
 * Each is signalled while it holds what it must give back (a container, a turn in progress), then
 * must exit 143 / 129 by itself (not killed by the signal), with no container of its process left,
 * no temp dir left, and the session log ending with the cancelled turn's result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { Action } from '../../src/model/language-model.ts';
import { bwrapUnavailable, dockerUnavailable, processesWith } from '../sandbox/helpers.ts';
import { assistEntry, assistBin, scriptedAssistBin, TmuxAssist } from './session-tmux.ts';

const docker = new Docker();
const sandboxRun = (command: string): Action => ({ thought: 'Run it.', tool: 'run_in_sandbox', args: { language: null, code: null, command } });
const answer = (text: string): Action => ({ thought: 'Done.', tool: 'answer', args: { text } });

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temp project, a user config (the sandbox backend is the user's choice) and a private TMPDIR. */
async function setup(t: import('node:test').TestContext, userConfig: object, script?: Action[]) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-signals-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  const home = path.join(root, 'home');
  const tmp = path.join(root, 'tmp');
  const project = path.join(root, 'project');
  for (const dir of [home, tmp, project]) await fs.mkdir(dir);
  await fs.writeFile(path.join(home, 'config.json'), JSON.stringify(userConfig));
  await fs.writeFile(path.join(project, 'main.py'), 'print("hi")\n');
  const env: Record<string, string> = {
    ASSIST_CONFIG: path.join(home, 'config.json'),
    ASSIST_MODELS_DIR: path.join(home, 'models'),
    NO_COLOR: '1',
    TMPDIR: tmp,
  };
  if (script) {
    await fs.writeFile(path.join(home, 'script.json'), JSON.stringify(script));
    env.ASSIST_TEST_SCRIPTED_MODEL = path.join(home, 'script.json');
  }
  return { project, tmp, env };
}

/** Where a signalled assist is awaited: past this guard it is killed and the test fails (a safety net, not a timing check). */
const exitGuardMs = 60_000;

function startAssist(args: string[], cwd: string, env: Record<string, string>): { pid: number; exited: Promise<Exit>; exit(): Promise<Exit> } {
  const child = spawn(process.execPath, [assistEntry(env), ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const exit = async (): Promise<Exit> => {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`assist did not exit within ${exitGuardMs / 1000} s of the signal. stderr:\n${stderr}`));
      }, exitGuardMs);
    });
    try {
      return await Promise.race([exited, guard]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { pid: child.pid!, exited, exit };
}

/** Polls `check` until it holds; fails if `exited` settles first or the (generous) guard passes. */
async function waitUntil(what: string, check: () => boolean | Promise<boolean>, exited: Promise<unknown>, guardMs = 120_000): Promise<void> {
  let done = false;
  void exited.then(
    () => (done = true),
    () => (done = true),
  );
  const until = Date.now() + guardMs;
  for (;;) {
    if (await check()) return;
    if (done) throw new Error(`assist exited before ${what}: ${JSON.stringify(await exited)}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function containersOf(pid: number): Promise<string[]> {
  return (await docker.listContainers({ all: true, filters: { label: [`assist.pid=${pid}`] } })).map((c) => c.Id);
}

/** After a failed test: the assist process `pid` (ours) and its containers are gone. */
async function reap(pid: number): Promise<void> {
  try {
    if ([assistBin, scriptedAssistBin].some((bin) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(bin))) process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
  for (const id of await containersOf(pid).catch(() => []))
    await docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
}

/** The last entry of the project's only session log. */
function lastLogEntry(project: string): Record<string, unknown> {
  const dir = path.join(project, '.assist', 'sessions');
  const logs = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  assert.equal(logs.length, 1, `one session log: ${logs}`);
  const text = readFileSync(path.join(dir, logs[0]!), 'utf8');
  assert.ok(text.endsWith('\n'), 'the log ends with a whole line');
  return JSON.parse(text.trimEnd().split('\n').at(-1)!) as Record<string, unknown>;
}

/** Entries of the private TMPDIR that assist made (a launch through tsx may leave its own cache there). */
function assistTemps(tmp: string): string[] {
  return readdirSync(tmp).filter((n) => n.startsWith('assist-'));
}

for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  test(`assist run: ${signal} while the Docker sandbox runs ends it: exit ${code}, container removed, log complete`, async (t) => {
    const why = await dockerUnavailable();
    if (why) return t.skip(why);
    const marker = `signal-marker-${signal}-${process.pid}`;
    const { project, tmp, env } = await setup(t, { sandbox: { backend: 'docker', timeoutMs: 300_000 } }, [
      sandboxRun(`sleep 600 # ${marker}`),
      answer('never'),
    ]);
    const run = startAssist(['run', 'wait a long time', '--json'], project, env);
    t.after(() => reap(run.pid));
    await waitUntil('the sandbox run started', async () => processesWith(marker).length > 0 && (await containersOf(run.pid)).length > 0, run.exited);
    const sent = performance.now();
    process.kill(run.pid, signal);
    const exit = await run.exit();
    t.diagnostic(`exited ${Math.round(performance.now() - sent)} ms after ${signal}`);
    assert.deepEqual([exit.code, exit.signal], [code, null], exit.stderr);
    assert.deepEqual(await containersOf(run.pid), [], 'the sandbox container was removed');
    assert.deepEqual(processesWith(marker), []);
    assert.deepEqual(assistTemps(tmp), []);
    assert.deepEqual([lastLogEntry(project).type, lastLogEntry(project).status], ['result', 'aborted']);
    assert.equal(JSON.parse(exit.stdout.trim().split('\n').at(-1)!).exitCode, code, 'the done event carries the exit code');
  });
}

test('assist run: SIGTERM while the bubblewrap sandbox runs ends it: exit 143, temp dirs swept, log complete', async (t) => {
  const why = await bwrapUnavailable();
  if (why) return t.skip(why);
  const marker = `signal-marker-bwrap-${process.pid}`;
  const { project, tmp, env } = await setup(t, { sandbox: { backend: 'bwrap', timeoutMs: 300_000 } }, [sandboxRun(`sleep 600 # ${marker}`), answer('never')]);
  const run = startAssist(['run', 'wait a long time'], project, env);
  t.after(() => reap(run.pid));
  await waitUntil('the sandbox run started', () => processesWith(marker).length > 0, run.exited);
  assert.notDeepEqual(assistTemps(tmp), [], 'the sandbox holds a temp dir while it runs');
  const sent = performance.now();
  process.kill(run.pid, 'SIGTERM');
  const exit = await run.exit();
  t.diagnostic(`exited ${Math.round(performance.now() - sent)} ms after SIGTERM`);
  assert.deepEqual([exit.code, exit.signal], [143, null], exit.stderr);
  assert.deepEqual(processesWith(marker), []);
  assert.deepEqual(assistTemps(tmp), [], 'temp dirs were swept');
  assert.deepEqual([lastLogEntry(project).type, lastLogEntry(project).status], ['result', 'aborted']);
});

test('assist ask: SIGTERM while the model server is answering ends it: exit 143, log complete', async (t) => {
  let requests = 0;
  const server = http.createServer((req, res) => {
    if (req.url?.endsWith('/chat/completions')) {
      requests++;
      return; // never answers
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  const { project, env } = await setup(t, {
    model: { backend: 'openai' },
    openai: { baseUrl: `http://127.0.0.1:${port}/v1`, model: 'hung', retries: 0, constraint: 'json_schema' },
  });
  const ask = startAssist(['ask', 'where is main?'], project, env);
  t.after(() => reap(ask.pid));
  await waitUntil('the model request', () => requests > 0, ask.exited);
  const sent = performance.now();
  process.kill(ask.pid, 'SIGTERM');
  const exit = await ask.exit();
  t.diagnostic(`exited ${Math.round(performance.now() - sent)} ms after SIGTERM`);
  assert.deepEqual([exit.code, exit.signal], [143, null], exit.stderr);
  assert.deepEqual([lastLogEntry(project).type, lastLogEntry(project).status], ['result', 'aborted']);
});

test('the interactive session: SIGTERM during a sandbox run ends it: exit 143, container removed, log complete', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const marker = `signal-marker-repl-${process.pid}`;
  const { project, env } = await setup(t, { sandbox: { backend: 'docker', timeoutMs: 300_000 } }, [sandboxRun(`sleep 600 # ${marker}`), answer('never')]);
  const term = TmuxAssist.start({ cwd: project, env: { ...env, TERM: 'xterm-256color' }, args: ['--mode', 'full-auto'] });
  const pid = term.pid();
  t.after(() => reap(pid));
  try {
    await term.waitFor('› ');
    term.type('run something long');
    term.keys('Enter');
    const running = new Promise<never>(() => undefined);
    await waitUntil('the sandbox run started', async () => processesWith(marker).length > 0 && (await containersOf(pid)).length > 0, running);
    process.kill(pid, 'SIGTERM');
    assert.equal(await term.waitForExit(exitGuardMs, (m) => t.diagnostic(m)), 143);
    assert.equal(term.deadSignal(), undefined, 'assist exited by itself, it was not killed by the signal');
    assert.deepEqual(await containersOf(pid), [], 'the sandbox container was removed');
    assert.deepEqual(processesWith(marker), []);
    assert.deepEqual([lastLogEntry(project).type, lastLogEntry(project).status], ['result', 'aborted']);
  } finally {
    term.close();
  }
});

test('the interactive session: SIGHUP at the prompt with a warm container ends it: exit 129, container removed', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const { project, env } = await setup(t, { sandbox: { backend: 'docker' } }, [sandboxRun('echo warm'), answer('The run printed warm.')]);
  const term = TmuxAssist.start({ cwd: project, env: { ...env, TERM: 'xterm-256color' }, args: ['--mode', 'full-auto'] });
  const pid = term.pid();
  t.after(() => reap(pid));
  try {
    await term.waitFor('› ');
    term.type('run echo');
    term.keys('Enter');
    await term.waitFor('The run printed warm.');
    await term.waitFor(/›\s*$/);
    assert.equal((await containersOf(pid)).length, 1, 'the warm container is kept between turns');
    process.kill(pid, 'SIGHUP');
    assert.equal(await term.waitForExit(exitGuardMs, (m) => t.diagnostic(m)), 129);
    assert.equal(term.deadSignal(), undefined, 'assist exited by itself, it was not killed by the signal');
    assert.deepEqual(await containersOf(pid), [], 'the sandbox container was removed');
    assert.deepEqual([lastLogEntry(project).type, lastLogEntry(project).status], ['result', 'answered']);
    assert.equal(existsSync(path.join(project, '.assist', 'sessions')), true);
  } finally {
    term.close();
  }
});

test('the interactive session: the terminal closing during a sandbox run (SIGHUP, output fails) ends it: exit 129, container removed, log complete', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const marker = `signal-marker-hangup-${process.pid}`;
  const { project, tmp, env } = await setup(t, { sandbox: { backend: 'docker', timeoutMs: 300_000 } }, [sandboxRun(`sleep 600 # ${marker}`), answer('never')]);
  const statusFile = path.join(tmp, 'status');
  const term = TmuxAssist.start({ cwd: project, env: { ...env, TERM: 'xterm-256color' }, args: ['--mode', 'full-auto'], statusFile });
  let pid = 0;
  try {
    await term.waitFor('› ');
    pid = term.assistPid();
    t.after(() => reap(pid));
    term.type('run something long');
    term.keys('Enter');
    await waitUntil(
      'the sandbox run started',
      async () => processesWith(marker).length > 0 && (await containersOf(pid)).length > 0,
      new Promise<never>(() => undefined),
    );
  } finally {
    term.close(); // the terminal goes away: SIGHUP, and writing to it fails from now on
  }
  await waitUntil(
    'the exit status',
    () => existsSync(statusFile) && readFileSync(statusFile, 'utf8').endsWith('\n'),
    new Promise<never>(() => undefined),
    exitGuardMs,
  );
  assert.equal(readFileSync(statusFile, 'utf8'), '129\n');
  assert.deepEqual(await containersOf(pid), [], 'the sandbox container was removed');
  assert.deepEqual(processesWith(marker), []);
  assert.deepEqual([lastLogEntry(project).type, lastLogEntry(project).status], ['result', 'aborted']);
});

test('assist eval: SIGTERM while a task runs in the Docker sandbox ends it: exit 143, container removed', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const marker = `signal-marker-eval-${process.pid}`;
  const { project, env } = await setup(t, { sandbox: { backend: 'docker', timeoutMs: 300_000 } }, [sandboxRun(`sleep 600 # ${marker}`), answer('never')]);
  const task = path.join(project, 'suite', 'wait-long');
  await fs.mkdir(path.join(task, 'workspace'), { recursive: true });
  await fs.writeFile(path.join(task, 'workspace', 'main.py'), 'print("hi")\n');
  await fs.writeFile(
    path.join(task, 'task.json'),
    JSON.stringify({ id: 'wait-long', language: 'python', kind: 'question', prompt: 'Wait a long time.', answer: { pattern: 'never' } }),
  );
  const run = startAssist(['eval', '--suite', path.join(project, 'suite')], project, env);
  t.after(() => reap(run.pid));
  await waitUntil('the sandbox run started', async () => processesWith(marker).length > 0 && (await containersOf(run.pid)).length > 0, run.exited);
  process.kill(run.pid, 'SIGTERM');
  const exit = await run.exit();
  assert.deepEqual([exit.code, exit.signal], [143, null], exit.stderr);
  assert.deepEqual(await containersOf(run.pid), [], 'the task container was removed');
  assert.deepEqual(processesWith(marker), []);
});
