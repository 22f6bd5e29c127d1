/**
 * The interactive session driven as a person would, in a real terminal (tmux): start `assist` in
 * a temp project with a scripted model (the ASSIST_TEST_SCRIPTED_MODEL test hook), type a task,
 * approve the diff, run slash commands, cancel a turn with Ctrl-C, exit; the process ends and no
 * sandbox container is left. Also: no TTY -> exit 2 with advice. Without a model: first-run.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { probeDocker } from '../../src/sandbox/docker-probe.ts';
import { defaults } from '../../src/config/schema.ts';
import { assistBin, TmuxAssist } from './session-tmux.ts';

/** Docker when it is usable, else bubblewrap; in CI, Docker must be usable. */
async function availableSandbox(): Promise<'docker' | 'bwrap'> {
  const probe = await probeDocker(defaults.sandbox.image);
  if (probe.ok) return 'docker';
  if (process.env.CI) assert.fail(`Docker is required in CI: ${probe.reason}`);
  return 'bwrap';
}

async function containersOf(pid: number): Promise<string[]> {
  const list = await new Docker().listContainers({ all: true, filters: { label: [`assist.pid=${pid}`] } });
  return list.map((c) => c.Id);
}

/** A temp project with a script for the model and a user config naming the sandbox. */
async function project(script: object[], backend: string, extraConfig: object = {}) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'assist-session-'));
  const home = await mkdtemp(path.join(os.tmpdir(), 'assist-home-'));
  // the sandbox backend is the user's choice (a project file may not pick a weaker one)
  await writeFile(path.join(home, 'config.json'), JSON.stringify({ sandbox: { backend }, ...extraConfig }));
  await writeFile(path.join(root, 'main.py'), 'def greet(name):\n    return "hi " + name\n');
  const scriptFile = path.join(home, 'script.json');
  await writeFile(scriptFile, JSON.stringify(script));
  const env = {
    ASSIST_TEST_SCRIPTED_MODEL: scriptFile,
    ASSIST_CONFIG: path.join(home, 'config.json'),
    ASSIST_MODELS_DIR: path.join(home, 'models'),
    HOME: home,
    TERM: 'xterm-256color',
  };
  return { root, home, env, cleanup: () => Promise.all([rm(root, { recursive: true, force: true }), rm(home, { recursive: true, force: true })]) };
}

const answer = (text: string) => ({ thought: 'Done.', tool: 'answer', args: { text } });

test('a session: task, diff approval, run approval, slash commands, /exit, then --resume', async (t) => {
  const backend = await availableSandbox();
  const p = await project(
    [
      { thought: 'I will create hello.txt with a greeting.', tool: 'write_file', args: { path: 'hello.txt', content: 'hello from the session\n' } },
      { thought: 'Check it in the sandbox.', tool: 'run_in_sandbox', args: { language: null, code: null, command: 'cat hello.txt' } },
      answer('Created hello.txt; it reads "hello from the session".'),
    ],
    backend,
  );
  let term: TmuxAssist | undefined;
  try {
    term = TmuxAssist.start({ cwd: p.root, env: p.env });
    const pid = term.pid();
    await term.waitFor(/approval\s+suggest/);
    await term.waitFor('› ');
    term.type('create hello.txt');
    term.keys('Enter');
    await term.waitFor('I will create hello.txt');
    await term.waitFor('+hello from the session');
    await term.waitFor('Apply this change to hello.txt?');
    assert.equal(existsSync(path.join(p.root, 'hello.txt')), false, 'nothing is written before approval');
    term.keys('y');
    term.keys('Enter');
    await term.waitFor('Run it?');
    assert.equal(await readFile(path.join(p.root, 'hello.txt'), 'utf8'), 'hello from the session\n');
    term.keys('y');
    term.keys('Enter');
    await term.waitFor('Created hello.txt; it reads');
    await term.waitFor(/›\s*$/);

    term.type('/diff');
    term.keys('Enter');
    await term.waitFor("Changed in this session: 1 file, against the session's start");
    term.type('/help');
    term.keys('Enter');
    await term.waitFor('/attempts N');
    term.type('/bogus');
    term.keys('Enter');
    await term.waitFor('Unknown command /bogus');
    term.type('/exit');
    term.keys('Enter');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
    term.close();
    if (backend === 'docker') assert.deepEqual(await containersOf(pid), [], 'no sandbox container is left');
    assert.match(await readFile(path.join(p.root, '.assist', 'input_history'), 'utf8'), /^create hello\.txt\n\/diff\n\/help\n\/bogus\n\/exit\n$/);
    const sessions = await readdir(path.join(p.root, '.assist', 'sessions'));
    assert.equal(sessions.length, 1);

    await writeFile(p.env.ASSIST_TEST_SCRIPTED_MODEL, JSON.stringify([answer('resumed answer')]));
    term = TmuxAssist.start({ cwd: p.root, env: p.env, args: ['--resume'] });
    await term.waitFor('Resumed with 1 earlier turn');
    await term.waitFor('› ');
    term.type('/history');
    term.keys('Enter');
    await term.waitFor(/1\. create hello\.txt \[answered, 3 steps\]/);
    term.keys('Up', 'Up'); // history from the first session: /history, then /exit
    await term.waitFor(/›\s*\/exit\s*$/);
    term.keys('C-u');
    term.keys('C-d');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
  } finally {
    term?.close();
    await p.cleanup();
  }
});

test('Ctrl-C cancels a running turn, then twice at the prompt exits; nothing is left running', async (t) => {
  const backend = await availableSandbox();
  const p = await project(
    [{ thought: 'A long run.', tool: 'run_in_sandbox', args: { language: null, code: null, command: 'sleep 60' } }, answer('never reached')],
    backend,
  );
  const term = TmuxAssist.start({ cwd: p.root, env: p.env, args: ['--mode', 'full-auto'] });
  try {
    const pid = term.pid();
    await term.waitFor('› ');
    term.type('run something long');
    term.keys('Enter');
    await term.waitFor('→ run_in_sandbox command="sleep 60"');
    term.keys('C-c');
    await term.waitFor(/Cancell?ed.*\(1 step\)/);
    await term.waitFor(/›\s*$/);
    term.keys('C-c');
    await term.waitFor('press Ctrl-C again to exit');
    term.keys('C-c');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
    if (backend === 'docker') assert.deepEqual(await containersOf(pid), [], 'no sandbox container is left');
  } finally {
    term.close();
    await p.cleanup();
  }
});

test('Ctrl-C at an approval prompt cancels the turn and writes nothing', async (t) => {
  const backend = await availableSandbox();
  const p = await project([{ thought: 'Write it.', tool: 'write_file', args: { path: 'late.txt', content: 'no\n' } }, answer('never reached')], backend);
  const term = TmuxAssist.start({ cwd: p.root, env: { ...p.env, NO_COLOR: '1' } });
  try {
    await term.waitFor('› ');
    term.type('write late.txt');
    term.keys('Enter');
    await term.waitFor('Apply this change to late.txt?');
    const raw = term.screen({ escapes: true });
    assert.match(raw, /^\+no$/m, 'NO_COLOR: the diff is not coloured');
    assert.match(raw, /^→ write_file path=late\.txt content=<1 line>$/m, 'NO_COLOR: the tool line is not coloured');
    term.keys('C-c');
    await term.waitFor(/Cancell?ed.*\(1 step\)/);
    await term.waitFor(/›\s*$/);
    assert.equal(existsSync(path.join(p.root, 'late.txt')), false);
    term.type('/exit');
    term.keys('Enter');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
  } finally {
    term.close();
    await p.cleanup();
  }
});

test('keys typed without waiting for the prompt are not lost', async (t) => {
  const p = await project([answer('unused')], 'bwrap');
  const term = TmuxAssist.start({ cwd: p.root, env: p.env });
  try {
    await term.waitFor('› ');
    for (let n = 1; n <= 20; n++) {
      term.type(`/steps ${n}`);
      term.keys('Enter');
    }
    await term.waitFor('Model steps allowed per turn: 20');
    const screen = term.screen();
    for (let n = 1; n <= 20; n++) assert.ok(screen.includes(`Model steps allowed per turn: ${n}\n`), `/steps ${n} was lost. Screen:\n${screen}`);
    term.type('/history');
    term.keys('Enter', 'Up', 'C-u', 'C-d');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
  } finally {
    term.close();
    await p.cleanup();
  }
});

test('a multi-line paste at the prompt is one input (bracketed paste), sent with Enter', async (t) => {
  const p = await project([answer('Read both lines.')], 'bwrap');
  const term = TmuxAssist.start({ cwd: p.root, env: p.env });
  try {
    await term.waitFor('› ');
    term.paste('first line of the task\nsecond line of the task');
    await term.waitFor('first line of the task\u2424second line of the task');
    term.keys('Enter');
    await term.waitFor('Read both lines.');
    await term.waitFor(/›\s*$/);
    term.type('/exit');
    term.keys('Enter');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
    assert.equal(
      await readFile(path.join(p.root, '.assist', 'input_history'), 'utf8'),
      'first line of the task\u2424second line of the task\n/exit\n',
      'one input, not two',
    );
  } finally {
    term.close();
    await p.cleanup();
  }
});

test('without a terminal, assist refuses and points to run/ask (exit 2)', () => {
  const result = spawnSync(process.execPath, [assistBin], { cwd: os.tmpdir(), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /needs a terminal.*assist run "task".*assist ask "question"/s);
  assert.equal(result.stdout, '');
});
