/**
 * The loop driven by a ScriptedModel through the real tools, a real temp repo and the real sandbox.
 */
import { type TestContext, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import type { Action } from '../../src/model/language-model.ts';
import { builtinTools } from '../../tools/index.ts';
import { makeRepo, scriptedApprover, startSession, testConfig } from './harness.ts';

const calcTest = `import unittest
from calc import add

class TestAdd(unittest.TestCase):
    def test_small(self):
        self.assertEqual(add(2, 3), 5)

    def test_zero(self):
        self.assertEqual(add(0, 0), 0)

    def test_negative(self):
        self.assertEqual(add(-1, 1), 0)

if __name__ == '__main__':
    unittest.main()
`;

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });
const writeCalc = (body: string) => act('write_file', { path: 'calc.py', content: `def add(a, b):\n    return ${body}\n` });
const runTests = act('run_tests', { command: 'python3 -m unittest -q test_calc' });

test('a task that fails its tests twice and then passes: attempts counted, the passing run kept', async (t) => {
  const repo = await makeRepo({ 'calc.py': 'def add(a, b):\n    return a - b\n', 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const model = new ScriptedModel([runTests, writeCalc('a * b'), runTests, writeCalc('a + b'), runTests, act('answer', { text: 'Fixed add.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ maxAttempts: 3 }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Make the tests in test_calc.py pass by fixing calc.py.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(result.text, 'Fixed add.');
  assert.deepEqual(
    result.attempts.map((a) => a.passed),
    [false, false, true],
  );
  assert.equal(result.best?.attempt, 3);
  assert.equal(await fs.readFile(path.join(repo.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n');
  assert.deepEqual(
    s.events.filter((e) => e.type === 'attempt').map((e) => e.type === 'attempt' && e.attempt),
    [1, 2, 3],
  );
  assert.match(model.prompts[1].at(-1)!.content, /Failed run 1 of at most 3/);
  assert.equal(model.remaining(), 0);
});

test('a task that never passes stops at maxAttempts with the best attempt (fewest failures) kept', async (t) => {
  const repo = await makeRepo({});
  t.after(repo.cleanup);
  const program = (failures: number) =>
    act('run_in_sandbox', {
      language: 'python',
      command: null,
      code: `results = [True] * ${5 - failures} + [False] * ${failures}\nprint(f"{results.count(False)} failed, {results.count(True)} passed")\nraise SystemExit(1 if False in results else 0)\n`,
    });
  const model = new ScriptedModel([program(3), program(1), program(2), program(0), act('answer', { text: 'never reached' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ maxAttempts: 3 }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Write the program.');
  assert.equal(result.status, 'max_attempts');
  assert.equal(result.attempts.length, 3);
  assert.ok(result.attempts.every((a) => !a.passed));
  assert.equal(result.best?.attempt, 2, 'the run with 1 failure is the best');
  assert.match(result.best?.code ?? '', /\[False\] \* 1/);
  assert.match(result.text, /Stopped after 3 failed runs/);
  assert.match(result.text, /What was tried:\n {2}1\. .*exit 1/);
  assert.equal(model.remaining(), 2, 'the loop stopped at the bound');
});

test('a rejected edit leaves the file alone and its reason reaches the model', async (t) => {
  const repo = await makeRepo({ 'calc.py': 'def add(a, b):\n    return a - b\n' });
  t.after(repo.cleanup);
  const approver = scriptedApprover([{ answer: 'no', reason: 'keep the subtraction, rename the function instead' }]);
  const model = new ScriptedModel([writeCalc('a + b'), act('answer', { text: 'ok' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ approvalMode: 'suggest' }), model, approver, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Fix add in calc.py.');
  assert.equal(result.status, 'answered');
  assert.equal(approver.asked.length, 1);
  assert.equal(approver.asked[0].kind, 'edit');
  assert.equal(await fs.readFile(path.join(repo.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a - b\n');
  const seen = model.prompts[1].at(-1)!.content;
  assert.match(seen, /^Observation \(write_file\):/);
  assert.match(seen, /keep the subtraction, rename the function instead/);
  assert.deepEqual(s.session.workspace.pending(), []);
});

test('abort mid-run: the turn ends as aborted, nothing is half-written, and the session goes on', async (t) => {
  const repo = await makeRepo({ 'calc.py': 'def add(a, b):\n    return a - b\n' });
  t.after(repo.cleanup);
  const controller = new AbortController();
  const model = new ScriptedModel([
    writeCalc('a + b'),
    act('run_in_sandbox', { language: 'python', command: null, code: 'import time\nprint("working", flush=True)\ntime.sleep(600)\n' }),
    act('answer', { text: 'next turn works' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const sandbox = s.session.sandbox!;
  const realRun = sandbox.run.bind(sandbox);
  sandbox.run = (request, signal) => {
    const running = realRun(request, signal);
    controller.abort();
    return running;
  };
  const result = await s.session.agent.runTurn('Fix add in calc.py and check it.', controller.signal);
  sandbox.run = realRun;
  assert.equal(result.status, 'aborted');
  const observation = s.events.find((e) => e.type === 'observation' && e.tool === 'run_in_sandbox');
  assert.equal(observation?.type === 'observation' && observation.result.error?.code, 'aborted');
  assert.equal(await fs.readFile(path.join(repo.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n', 'the approved edit is whole');
  assert.deepEqual(s.session.workspace.pending(), []);
  const files = (await fs.readdir(repo.root)).filter((f) => !f.startsWith('.'));
  assert.deepEqual(files, ['calc.py'], 'no temp or snippet files left in the project');
  const next = await s.session.agent.runTurn('Still there?');
  assert.equal(next.status, 'answered');
  assert.equal(next.text, 'next turn works');
});

test('the same failing action repeated with the same result is caught: warned once, then stopped', async (t) => {
  const repo = await makeRepo({});
  t.after(repo.cleanup);
  const failing = act('run_in_sandbox', { language: 'python', command: null, code: 'print(undefined_name)\n' });
  const model = new ScriptedModel([failing, failing, failing, failing, act('answer', { text: 'never reached' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ maxAttempts: 10 }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Print something.');
  assert.equal(result.status, 'repeated_failure');
  assert.equal(result.attempts.length, 3);
  assert.match(model.prompts[2].at(-1)!.content, /Do not repeat it/);
  assert.doesNotMatch(model.prompts[1].at(-1)!.content, /Do not repeat it/);
  assert.equal(model.remaining(), 2);
});

/** A question turn whose model makes `run` three times, then answers `answer`: the turn's result, the scripted model and its events. */
async function questionAfterRuns(t: TestContext, files: Record<string, string>, run: Action, answer: string, question: string) {
  const repo = await makeRepo(files);
  t.after(repo.cleanup);
  const model = new ScriptedModel([run, run, run, act('answer', { text: answer })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ maxAttempts: 10 }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return undefined;
  t.after(() => s.session.dispose());
  return { result: await s.session.agent.runTurn(question), model, events: s.events };
}

test('a question whose run fails the same way three times is answered from what was read, not stopped', async (t) => {
  // (the 0.5B model, asked what reads the settings, ran `from src/settings.py import …` three times and the turn ended "Stopped")
  const turn = await questionAfterRuns(
    t,
    { 'app/settings.py': 'import configparser\n\n\ndef load_settings(path):\n    return configparser.ConfigParser().read(path)\n' },
    act('run_in_sandbox', { language: 'python', command: null, code: 'from src/settings.py import load_settings\n' }),
    'load_settings in app/settings.py reads it.',
    'Which function reads the settings file?',
  );
  if (!turn) return;
  assert.equal(turn.result.status, 'answered', turn.result.text);
  assert.match(turn.result.text, /^load_settings in app\/settings\.py reads it\./);
  const last = turn.model.prompts[3].map((m) => m.content).join('\n');
  assert.match(
    last,
    /Runs do not help with this question: answer it now from the code you have read above\.\]\nThe question: Which function reads the settings file\?/,
  );
  assert.match(last, /This is your last step, so call answer\./);
  assert.ok(turn.events.some((e) => e.type === 'notice' && /three times\. The question is answered from what was read\./.test(e.message)));
});

test('a question whose run passes with the same output three times is answered from what was read', async (t) => {
  // (the 0.5B model ran the same passing snippet 26 times, printing ('', '') each time, until the step limit)
  const turn = await questionAfterRuns(
    t,
    { 'config.go': 'package config\n\nconst DefaultPort = 8417\n' },
    act('run_in_sandbox', { language: 'python', command: null, code: "print(('', ''))\n" }),
    'The default port is 8417.',
    'What is the default port?',
  );
  if (!turn) return;
  assert.equal(turn.result.status, 'answered', turn.result.text);
  assert.equal(turn.result.text, 'The default port is 8417.');
  assert.match(turn.model.prompts[3].map((m) => m.content).join('\n'), /returned the same result three times\. Runs do not help with this question/);
});

test('abort while an edit waits for approval: the file is untouched and nothing stays pending', async (t) => {
  const repo = await makeRepo({ 'calc.py': 'def add(a, b):\n    return a - b\n' });
  t.after(repo.cleanup);
  const controller = new AbortController();
  let asked = false;
  const approver = (_request: unknown, signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      asked = true;
      controller.abort();
      signal.addEventListener('abort', () => reject(new Error('closed')), { once: true });
    });
  const model = new ScriptedModel([writeCalc('a + b'), act('answer', { text: 'never reached' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ approvalMode: 'suggest' }), model, approver, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Fix add in calc.py.', controller.signal);
  assert.ok(asked);
  assert.equal(result.status, 'aborted');
  assert.equal(await fs.readFile(path.join(repo.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a - b\n');
  assert.deepEqual(s.session.workspace.pending(), []);
  assert.deepEqual(s.session.workspace.applied(), []);
  assert.equal(model.remaining(), 1);
});
