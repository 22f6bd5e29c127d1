import { test } from 'node:test';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { aiderArgs, aiderTestCommand, shellQuote } from '../../bench/peer/aider-runner.ts';
import { parsePeerArgs, PeerArgsError } from '../../bench/peer/args.ts';
import { serverArgs } from '../../bench/peer/llama-server.ts';
import { formatPeerTable, summarizePeer, type PeerRow, type PeerSettings } from '../../bench/peer/summary.ts';
import { editableFiles, selectPeerTasks, whyNotForAider } from '../../bench/peer/tasks.ts';
import { loadSuite, SuiteError, type EvalTask } from '../../src/eval/suite.ts';

function task(over: Partial<EvalTask>): EvalTask {
  return { id: 't', prompt: 'do it', language: 'python', kind: 'write', check: 'true', dir: '/suite/t', ...over };
}

const suite = [
  task({ id: 'a-fix', kind: 'fix' }),
  task({ id: 'b-question', kind: 'question', check: undefined, answer: { pattern: '42' } }),
  task({ id: 'c-write', kind: 'write' }),
  task({ id: 'd-exercise', kind: 'exercise' }),
  task({ id: 'e-refactor', kind: 'refactor' }),
  task({ id: 'f-add-test', kind: 'add-test' }),
  task({ id: 'g-write-answer', kind: 'write', answer: { pattern: 'x' } }),
];

test('defaults: whole edit format, 10 minutes a task, both tools, every task', () => {
  assert.deepEqual(parsePeerArgs([]), { timeLimitSeconds: 600, editFormat: 'whole' });
});

test('every flag is read', () => {
  assert.deepEqual(
    parsePeerArgs([
      '--tasks',
      'a,b',
      '--kinds',
      'exercise,fix',
      '--limit',
      '8',
      '--time-limit',
      '300',
      '--edit-format',
      'diff',
      '--threads',
      '2',
      '--only',
      'aider',
    ]),
    { ids: ['a', 'b'], kinds: ['exercise', 'fix'], limit: 8, timeLimitSeconds: 300, editFormat: 'diff', threads: 2, only: 'aider' },
  );
});

test('bad arguments are errors that name the flag', () => {
  assert.throws(
    () => parsePeerArgs(['--limit', '0']),
    (e: unknown) => e instanceof PeerArgsError && /--limit needs a whole number/.test(e.message),
  );
  assert.throws(() => parsePeerArgs(['--limit']), /--limit needs a value/);
  assert.throws(() => parsePeerArgs(['--kinds', 'question']), /aider cannot do "question"/);
  assert.throws(() => parsePeerArgs(['--edit-format', 'udiff']), /--edit-format is whole or diff/);
  assert.throws(() => parsePeerArgs(['--only', 'codex']), /--only is aider or assist/);
  assert.throws(() => parsePeerArgs(['--fast']), /unknown argument "--fast"/);
});

test('aider does every kind that changes files, judged by a check command alone', () => {
  assert.deepEqual(
    selectPeerTasks(suite, {}).map((t) => t.id),
    ['a-fix', 'c-write', 'd-exercise', 'e-refactor', 'f-add-test'],
  );
  assert.match(whyNotForAider(suite[1]) ?? '', /question task/);
  assert.match(whyNotForAider(suite[6]) ?? '', /answer text/);
  assert.match(whyNotForAider(task({ check: undefined, answer: { pattern: 'x' } })) ?? '', /no check command/);
});

test('kinds, ids and limit narrow the selection in that order', () => {
  assert.deepEqual(
    selectPeerTasks(suite, { kinds: ['exercise', 'fix'] }).map((t) => t.id),
    ['a-fix', 'd-exercise'],
  );
  assert.deepEqual(
    selectPeerTasks(suite, { ids: ['e-refactor', 'a-fix'] }).map((t) => t.id),
    ['e-refactor', 'a-fix'],
  );
  assert.deepEqual(
    selectPeerTasks(suite, { kinds: ['write', 'refactor', 'add-test'], limit: 2 }).map((t) => t.id),
    ['c-write', 'e-refactor'],
  );
  assert.throws(
    () => selectPeerTasks(suite, { ids: ['b-question'] }),
    (e: unknown) => e instanceof SuiteError && /aider cannot do b-question \(it is a question task/.test(e.message),
  );
  assert.throws(() => selectPeerTasks(suite, { ids: ['zz'] }), /unknown task id/);
});

test('the shipped suite has tasks for aider and none of them is a question', async () => {
  const chosen = selectPeerTasks(await loadSuite(), {});
  assert.ok(chosen.length > 0);
  assert.ok(chosen.every((t) => t.kind !== 'question' && t.check));
});

test('a small workspace gives aider every text file; a big one the files the prompt names', () => {
  const small = new Map([
    ['src/median.js', 'x'],
    ['test/median.test.js', 'y'],
    ['package.json', '{}'],
    ['logo.bin', 'a\u0000b'],
  ]);
  assert.deepEqual(editableFiles(task({}), small), ['package.json', 'src/median.js', 'test/median.test.js']);

  const big = new Map<string, string>();
  for (let i = 0; i < 30; i++) big.set(`app/module${i}.py`, 'pass');
  big.set('app/routes/users.py', 'x');
  big.set('app/db/users.py', 'y');
  big.set('app/config.py', 'z');
  const prompt = 'The port in app/config.py is wrong; fix it, and make module3.py use it (see users.py). Not module30.pyc.';
  assert.deepEqual(editableFiles(task({ prompt }), big), ['app/config.py', 'app/module3.py']);
  assert.deepEqual(
    editableFiles(
      task({ prompt: 'Fix `module1.py`.', base: '../../codebases/py' }),
      new Map([
        ['app/module1.py', ''],
        ['app/x.py', ''],
      ]),
    ),
    ['app/module1.py'],
  );
});

test("aider's command line keeps it offline, unlinted, and runs the tests through the sandbox wrapper", () => {
  const args = aiderArgs({
    alias: 'qwen',
    modelFiles: { settings: '/run/s.yml', metadata: '/run/m.json' },
    editFormat: 'whole',
    prompt: 'Fix it',
    files: ['a.py', 'test_a.py'],
    testCommand: "python3 -m pytest -q -k 'x'",
    logDir: '/run/aider/t',
  });
  for (const flag of [
    '--no-detect-urls',
    '--analytics-disable',
    '--no-check-update',
    '--no-show-release-notes',
    '--yes-always',
    '--no-auto-lint',
    '--no-suggest-shell-commands',
    '--no-auto-commits',
    '--auto-test',
  ]) {
    assert.ok(args.includes(flag), flag);
  }
  assert.equal(args[args.indexOf('--model') + 1], 'openai/qwen');
  assert.equal(args[args.indexOf('--edit-format') + 1], 'whole');
  const testCmd = args[args.indexOf('--test-cmd') + 1];
  assert.match(testCmd, /sandboxed-test\.ts' 'python3 -m pytest -q -k '\\''x'\\'''$/);
  assert.deepEqual(args.slice(-4), ['--message', 'Fix it', 'a.py', 'test_a.py']);
  const noTests = aiderArgs({ alias: 'qwen', modelFiles: { settings: 's', metadata: 'm' }, editFormat: 'diff', prompt: 'p', files: [], logDir: '/l' });
  assert.ok(!noTests.includes('--auto-test') && !noTests.includes('--test-cmd'));
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

test('the model server gets the same context and threads, on loopback only', () => {
  const args = serverArgs({ modelPath: '/m/q.gguf', alias: 'q', contextSize: 32768, threads: 2 }, 4242);
  const value = (flag: string) => args[args.indexOf(flag) + 1];
  assert.equal(value('--n_ctx'), '32768');
  assert.equal(value('--n_threads'), '2');
  assert.equal(value('--n_threads_batch'), '2');
  assert.equal(value('--host'), '127.0.0.1');
  assert.equal(value('--port'), '4242');
});

const settings: PeerSettings = {
  contextSize: 32768,
  threads: 2,
  temperature: 0.2,
  maxSteps: 30,
  maxAttempts: 5,
  maxTokens: 1024,
  timeLimitSeconds: 600,
  aiderEditFormat: 'whole',
  aiderVersion: '0.86.2',
  server: 'llama-cpp-python 0.3.36',
};

test('the summary line has the agreed shape: totals per tool and passes per kind', () => {
  const rows: PeerRow[] = [
    { id: 'a', kind: 'fix', language: 'python', assist: { passed: true, seconds: 10 }, aider: { passed: false, seconds: 30, reason: 'check exited 1' } },
    { id: 'b', kind: 'fix', language: 'go', assist: { passed: false, seconds: 50 }, aider: { passed: true, seconds: 20 } },
    { id: 'c', kind: 'exercise', language: 'python', assist: { passed: true, seconds: 40 }, aider: { passed: true, seconds: 10 } },
  ];
  const s = summarizePeer('Qwen2.5-Coder-1.5B', rows, settings);
  assert.deepEqual(Object.keys(s).slice(0, 6), ['bench', 'model', 'tasks', 'assist', 'aider', 'byKind']);
  assert.deepEqual(s.assist, { passed: 2, medianSeconds: 40 });
  assert.deepEqual(s.aider, { passed: 2, medianSeconds: 20 });
  assert.deepEqual(s.byKind, { fix: { tasks: 2, assist: 1, aider: 1 }, exercise: { tasks: 1, assist: 1, aider: 1 } });
  assert.equal(s.tasks, 3);
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  const table = formatPeerTable(rows, s).split('\n');
  assert.match(table[0], /^task\s+kind\s+language\s+assist\s+aider$/);
  assert.match(table[2], /^a\s+fix\s+python\s+PASS 10\.0s\s+fail 30\.0s$/);
  assert.ok(table.some((l) => /^fix\s+assist 1\/2\s+aider 1\/2$/.test(l)));
});

test('a tool left out with --only is null in the summary and "-" in the table', () => {
  const rows: PeerRow[] = [{ id: 'a', kind: 'fix', language: 'python', aider: { passed: true, seconds: 5 } }];
  const s = summarizePeer('m', rows, settings);
  assert.equal(s.assist, null);
  assert.deepEqual(s.byKind, { fix: { tasks: 1, aider: 1 } });
  assert.match(formatPeerTable(rows, s), /assist -\s+aider 1\/1/);
});

test("aider's tests are assist's: the command the prompt names, else the project's own, else none", async (t) => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'peer-tests-'));
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  await fs.writeFile(path.join(root, 'version_test.rb'), "require 'minitest/autorun'\n");
  assert.equal(await aiderTestCommand('Implement version.rb. Run the tests with `ruby version_test.rb`.', root), 'ruby version_test.rb');
  assert.equal(await aiderTestCommand('Implement version.rb.', root), undefined, 'a lone Ruby test file names no command');
  await fs.writeFile(path.join(root, 'test_calc.py'), 'def test_x():\n    assert True\n');
  assert.match((await aiderTestCommand('Fix calc.py.', root)) ?? '', /pytest/);
});
