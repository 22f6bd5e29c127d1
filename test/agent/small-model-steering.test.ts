/**
 * What the agent does to get more out of a small model: tools in workflow order, a worked example
 * that only uses offered tools (and is itself a valid action sequence), a plain next step and a
 * hotter sample after a repeated failing look-up, and the one-shot tool subset of `assist run`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { createHint, exampleFor, loadPrompt } from '../../src/agent/prompts.ts';
import { repeatAdvice, repeatTemperature, repeatWarning } from '../../src/agent/repeat-detector.ts';
import { buildActionSchema } from '../../src/model/action-schema.ts';
import { ModelError, type Action, type ChatMessage, type NextOptions, type StepResult } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { builtinTools } from '../../tools/index.ts';
import { orderTools, type ToolResult } from '../../tools/tool.ts';
import { filesNamedIn, filesToCreate } from '../../src/agent/intake/task-files.ts';
import { RepeatDetector } from '../../src/agent/repeat-detector.ts';
import { afterIntakeHint, commandToCheck, nextStepHint } from '../../src/agent/next-step.ts';
import { onlyTestFiles } from '../../src/agent/checks/test-guard.ts';
import { makeRepo, startSession, testConfig } from './harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

/** A ScriptedModel that also records the temperature of every step. */
class RecordingModel extends ScriptedModel {
  readonly temperatures: Array<number | undefined> = [];
  override async next(messages: ChatMessage[], schema: GbnfJsonSchema, options: NextOptions = {}): Promise<StepResult> {
    this.temperatures.push(options.temperature);
    return super.next(messages, schema, options);
  }
}

const preferredToolOrder = [
  'write_file',
  'read_file',
  'edit_file',
  'run_in_sandbox',
  'run_tests',
  'list_files',
  'search_code',
  'find_symbol',
  'outline',
  'edit_files',
  'delete_file',
];
const oneShotToolNames = new Set(['write_file', 'edit_file', 'read_file', 'list_files', 'run_in_sandbox', 'run_tests']);
const tool = (name: string) => builtinTools.find((t) => t.name === name)!;

test('tools are offered in workflow order (write_file first); unknown tools keep their order, after the known ones', () => {
  const names = orderTools([{ name: 'zeta', order: 1000 }, ...builtinTools, { name: 'alpha', order: 1000 }]).map((t) => t.name);
  assert.equal(names[0], 'write_file');
  assert.deepEqual(names.slice(-2), ['zeta', 'alpha']);
  const known = names.filter((n) => (preferredToolOrder as readonly string[]).includes(n));
  assert.deepEqual(
    known,
    preferredToolOrder.filter((n) => builtinTools.some((t) => t.name === n)),
  );
  assert.equal(names.length, builtinTools.length + 2, 'no tool lost or doubled');
  assert.deepEqual(new Set(builtinTools.filter((t) => t.oneShot).map((t) => t.name)), oneShotToolNames, 'assist run offers these');
});

test('each worked example is made of valid actions using only the tools of its session', () => {
  const readOnly = builtinTools.filter((t) => t.effect === 'read');
  const cases = [{ tools: readOnly, example: loadPrompt('ask-example') }];
  for (const { tools, example } of cases) {
    const validate = new Ajv({ strict: false }).compile(buildActionSchema(tools) as object);
    const actions = example
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Action);
    assert.ok(actions.length >= 1);
    for (const action of actions) assert.ok(validate(action), `${JSON.stringify(action)}: ${JSON.stringify(validate.errors)}`);
  }
  assert.equal(exampleFor(readOnly), loadPrompt('ask-example'));
  assert.equal(exampleFor(builtinTools), '', 'no example in the prefix of a session that can write');
  assert.match(createHint(builtinTools, ['hello.py']), /^hello\.py does not exist yet: start by writing it with write_file/);
  const start = createHint(builtinTools, ['hello.py'])
    .split('\n')
    .find((line) => line.startsWith('{'))!;
  assert.equal(
    start,
    '{"thought":"I write hello.py with the complete code, then run it.","tool":"write_file","args":{"path":"hello.py","content":"',
    'the real path, the content left to the model',
  );
});

test('a repeated failing look-up gets a plain next step and a hotter sample, and never ends the turn by itself', async (t) => {
  const repo = await makeRepo({});
  t.after(repo.cleanup);
  const lookUp = act('read_file', { path: 'hello.py', startLine: null, endLine: null });
  const model = new RecordingModel([
    lookUp,
    lookUp,
    lookUp,
    act('write_file', { path: 'hello.py', content: 'print("hi")\n' }),
    act('answer', { text: 'written' }),
  ]);
  const config = testConfig({ maxSteps: 10 });
  config.model = { ...config.model, temperature: 0.2 };
  const s = await startSession(t, { root: repo.root, config, model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Create hello.py.');
  assert.equal(result.status, 'answered', 'a look repeated three times is answered with a reminder, not the end of the turn');
  assert.equal(result.steps, 5);
  assert.deepEqual(model.temperatures, [0.2, 0.2, repeatTemperature, repeatTemperature, 0.2]);
  const shown = model.prompts[2].at(-1)!.content;
  assert.match(shown, /hello\.py does not exist yet\. Create hello\.py with write_file/);
  assert.match(shown, /\n\{"thought":"I write hello\.py with the complete code, then run it\.","tool":"write_file","args":\{"path":"hello\.py","content":"$/);
  assert.doesNotMatch(model.prompts[1].at(-1)!.content, /Calling it again ends the turn/);
  assert.equal(repeatAdvice(tool('run_tests'), true, builtinTools), repeatWarning, 'a repeated failing run keeps the run advice');
  assert.match(
    repeatAdvice(tool('run_in_sandbox'), true, builtinTools, ['count.sh']),
    /Do not repeat it[^]*count\.sh does not exist yet[^]*"path":"count\.sh"/,
  );
});

test('the temperature goes back to the configured one once the model changes course', async (t) => {
  const repo = await makeRepo({});
  t.after(repo.cleanup);
  const lookUp = act('read_file', { path: 'hello.py', startLine: null, endLine: null });
  const model = new RecordingModel([
    lookUp,
    lookUp,
    act('list_files', { glob: null, dir: null }),
    act('write_file', { path: 'hello.py', content: 'print(1)\n' }),
    act('answer', { text: 'done' }),
  ]);
  const config = testConfig({ maxSteps: 10 });
  config.model = { ...config.model, temperature: 0.1 };
  const s = await startSession(t, { root: repo.root, config, model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Create hello.py.');
  assert.equal(result.status, 'answered');
  assert.deepEqual(model.temperatures, [0.1, 0.1, repeatTemperature, 0.1, 0.1]);
});

test('a one-shot session (assist run) offers only the write-run-fix tools, and no generic example', async (t) => {
  const repo = await makeRepo({});
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('find_symbol', { name: 'main' }), act('answer', { text: 'ok' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, oneShot: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Write a program.');
  assert.equal(result.status, 'answered');
  const system = model.prompts[0][0].content;
  const described = [...system.matchAll(/^- (\w+): .* Args: /gm)].map((m) => m[1]).filter((n) => n !== 'answer');
  assert.deepEqual(new Set(described), new Set(oneShotToolNames));
  assert.ok(!system.includes('"tool": "write_file"'));
  assert.equal(model.prompts[0].at(-1)!.content, 'Write a program.');
  assert.match(model.prompts[1].at(-1)!.content, /There is no tool "find_symbol"/);
});

test('a request naming a file that does not exist gets the create hint; a question about existing files does not', async (t) => {
  const repo = await makeRepo({ 'reader.c': '#define BUF_SIZE 4096\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    act('write_file', { path: 'hello.py', content: 'print("hi")\n' }),
    act('answer', { text: 'ok' }),
    act('answer', { text: '4096' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Create hello.py that prints hi.');
  await s.session.agent.runTurn('What is BUF_SIZE in reader.c?');
  const system = model.prompts[0][0].content;
  assert.ok(system.indexOf('- write_file:') < system.indexOf('- find_symbol:'), 'tools in workflow order');
  assert.ok(!system.includes('"tool": "write_file"'), 'no write example in the stable prefix');
  assert.equal(model.prompts[0].at(-1)!.content, `Create hello.py that prints hi.\n\n${createHint(builtinTools, ['hello.py'])}`);
  const question = model.prompts[2].find((m) => m.content.startsWith('What is BUF_SIZE'))!;
  assert.equal(question.content.split('\n\n')[0], 'What is BUF_SIZE in reader.c?', 'no create hint on a question');
  assert.match(
    model.prompts[2].at(-1)!.content,
    /Observation \(read_file\):\nreader\.c \(1 lines\)\n1\| #define BUF_SIZE 4096/,
    'the file the question names was read for the model first',
  );
  const stable = (text: string) => text.split('\n\nRepository map')[0];
  assert.equal(stable(model.prompts[2][0].content), stable(system), 'the prefix stays the same turn to turn (the map shows the new file)');
});

test('file names are read from a request; prose that only looks like one is not', () => {
  assert.deepEqual(filesNamedIn('Create a Python script hello.py that prints exactly: Hello, world!'), ['hello.py']);
  assert.deepEqual(filesNamedIn('In this crate, write `add` in src/lib.rs (see src/lib.rs and e.g. Cargo.toml).'), ['src/lib.rs', 'Cargo.toml']);
  assert.deepEqual(filesNamedIn('Write largest.hpp declaring int largest(const std::vector<int>& v); version 1.2 is fine.'), ['largest.hpp']);
  assert.deepEqual(filesNamedIn('Fix the bug, then answer.'), []);
  assert.deepEqual(
    filesNamedIn('Add test/median.test.js for src/median.js; see roombook.config.json and src/types.d.ts.'),
    ['test/median.test.js', 'src/median.js', 'roombook.config.json', 'src/types.d.ts'],
    'a name with more dots before its extension is one file',
  );
  assert.deepEqual(
    filesNamedIn('> assert [e.day.isoformat() for e in list_entries(conn)] == x and cart.total(10) fails in shop/cart.py.'),
    ['shop/cart.py'],
    'member access and calls in quoted code name no file',
  );
});

test('the files a request asks to be made are those a sentence asks for, not those quoted from output or only mentioned', () => {
  assert.deepEqual(filesToCreate('Create a Python script hello.py that prints exactly: Hello, world!'), ['hello.py']);
  assert.deepEqual(filesToCreate('Write pytest tests for it in a new file tests/test_export.py. Cover at least: export.'), ['tests/test_export.py']);
  assert.deepEqual(filesToCreate('Add a Go test file clamp_test.go with tests for `Clamp` in clamp.go.'), ['clamp_test.go', 'clamp.go']);
  assert.deepEqual(
    filesToCreate('Add a test file test/median.test.js using node:test and node:assert for `median` in src/median.js (odd and even length arrays).'),
    ['test/median.test.js', 'src/median.js'],
    'a test file named with .test. before its extension',
  );
  assert.deepEqual(
    filesToCreate('My roombook.config.json is just {"server": {"port": 9000}} and it stops with "server.host: is missing". Can you fix that?'),
    [],
    'a quoted message and a file only mentioned',
  );
  assert.deepEqual(
    filesToCreate(
      "TALLY_PORT=9100 is set, but the server still listens on the port from tally.toml.\n\n```\nE  assert 'from-file.db' == 'from-env.db'\n```\n\nFix it so settings are applied in the documented order.",
    ),
    [],
    'names in a fenced block are output',
  );
  assert.deepEqual(filesToCreate('Add a table with every setting (written as section.key) to README.md.'), ['README.md'], 'a dotted word is no file');
});

test('a look-up or a write repeated with the same result counts as a loop even when it succeeds', () => {
  const d = new RepeatDetector();
  const list = act('list_files', { glob: null, dir: null });
  const same = { forModel: 'No files.' };
  assert.equal(d.check(list, same), 'ok');
  assert.equal(d.check(list, same), 'warn');
  assert.equal(d.check(list, { forModel: 'hello.py' }), 'ok', 'a changed project is progress');
  assert.equal(d.check(list, same), 'stop');
  const write = act('write_file', { path: 'a.py', content: 'x' });
  assert.equal(d.check(write, { forModel: 'Applied: a.py (created, +1 -0).' }), 'ok');
  assert.equal(d.check(write, { forModel: 'No change: the file(s) already have exactly this content.' }), 'ok');
  assert.equal(d.check(write, { forModel: 'No change: the file(s) already have exactly this content.' }), 'warn');
  const run = act('run_tests', { command: null });
  const passed = { forModel: 'tests passed', run: { command: 'pytest', exitCode: 0, timedOut: false, stdout: '1 passed', stderr: '', durationMs: 5 } };
  for (let i = 0; i < 4; i++) assert.equal(d.check(run, passed), 'ok', 'a passing run repeated is harmless');
});

test('the repeat advice without a missing file still says what to do, and names no file', () => {
  const text = repeatAdvice(tool('find_symbol'), false, builtinTools, []);
  assert.match(text, /call write_file with its path and the complete content/);
  assert.match(
    repeatAdvice(tool('write_file'), false, builtinTools, []),
    /already has this content. Check it: run it with run_in_sandbox/,
    'a write that changes nothing leads to a run',
  );
  assert.doesNotMatch(text, /does not exist yet/);
});

test('each observation ends with the usual next step: run the tests or the file, answer after a pass, fix after a failure, read before re-editing', () => {
  const offered = builtinTools;
  const run = (exitCode: number) => ({ forModel: 'out', run: { command: 'pytest', exitCode, timedOut: false, stdout: '', stderr: '', durationMs: 1 } });
  const applied: ToolResult = { forModel: 'Applied: fib.py (created, +1 -0).', edit: { applied: ['fib.py'], deleted: [], unchanged: false } };
  const unchanged: ToolResult = { forModel: 'No change: the file(s) already have exactly this content.', edit: { applied: [], deleted: [], unchanged: true } };
  const write = { path: 'fib.py', content: 'print(0)\n' };
  assert.equal(
    nextStepHint(tool('write_file'), write, applied, { offered, testCommand: 'make test' }),
    'Next: check the change, run the tests: run_tests with "command": null (runs make test).',
  );
  assert.equal(
    nextStepHint(tool('write_file'), write, applied, { offered }),
    'Next: check the change, run it: run_in_sandbox with {"language":null,"code":null,"command":"python3 fib.py"}.',
    'no tests: the command that runs the file',
  );
  assert.match(
    nextStepHint(tool('edit_file'), { path: 'fib.py', edits: [] }, unchanged, { offered }),
    /already has this content; run it: run_in_sandbox with \{"language":null,"code":null,"command":"python3 fib\.py"\}, or call answer/,
  );
  assert.match(
    nextStepHint(tool('write_file'), { path: 'notes.txt', content: 'x' }, applied, { offered }),
    /run it with run_in_sandbox\.$/,
    'no known command: still says to run',
  );
  assert.match(nextStepHint(tool('run_tests'), null, run(0), { offered }), /call answer/);
  assert.match(
    afterIntakeHint(offered, ['shop/pricing.py']),
    /^Next: the failing run and the code it runs are above\. Find the line that is wrong and fix it \(edit_file/,
  );
  assert.equal(afterIntakeHint(offered, ['tests/test_cart.py']), '', 'only a test read: the code was not found');
  assert.equal(afterIntakeHint(offered, [undefined]), '', 'only the run');
  assert.match(
    afterIntakeHint(offered, ['tests/test_cart.py', undefined, 'shop/cart.py'], new Set(['shop/cart.py'])),
    /Find the line that is wrong, then write shop\/cart\.py whole with write_file: every line as it is, that one corrected/,
  );
  assert.match(
    afterIntakeHint(offered, ['shop/cart.py', 'shop/big.py'], new Set(['shop/cart.py'])),
    /and fix it: shop\/cart\.py whole with write_file \(every line as it is, that one corrected\), a longer file with edit_file/,
  );
  const request = 'Fix average in src/stats.rs: it loses the fraction\nand panics on an empty slice.';
  assert.match(
    nextStepHint(tool('run_tests'), null, run(0), { offered, request }),
    /call answer[^]*Check it against everything the task asks: "Fix average in src\/stats\.rs: it loses the fraction and panics on an empty slice\."\.$/,
    'a passing run of a change recalls the request, on one line',
  );
  assert.match(nextStepHint(tool('run_tests'), null, run(0), { offered, request: 'x'.repeat(500) }), /"x{297}\.\.\."\.$/);
  assert.match(
    nextStepHint(tool('run_in_sandbox'), null, run(0), { offered, runCommand: 'java -cp out Main' }),
    /call answer/,
    'a passing run needs no command',
  );
  assert.match(
    nextStepHint(tool('write_file'), write, applied, { offered, runCommand: 'java -cp out Main' }),
    /check the change, run the command the task names: run_in_sandbox with \{"language":null,"code":null,"command":"java -cp out Main"\}/,
  );
  assert.match(nextStepHint(tool('run_in_sandbox'), null, run(1), { offered }), /read the error above, fix its cause/);
  // new tests failing on an assertion, with the code under test unchanged: the test expects the wrong value
  const goFailure = {
    ...run(1),
    run: { ...run(1).run, stdout: '--- FAIL: TestClamp/below (0.00s)\n    clamp_test.go:26: Clamp(-1, -10, 10) = -1; want -10\n' },
  };
  assert.match(
    nextStepHint(tool('run_tests'), null, goFailure, { offered, newTests: true }),
    /^Next: these tests are new, and the code they test is to stay as it is/,
  );
  assert.match(nextStepHint(tool('run_tests'), null, goFailure, { offered }), /read the error above/, 'a fix: the code is wrong');
  const buildFailure = { ...run(1), run: { ...run(1).run, stderr: './clamp_test.go:6:12: undefined: Clamp\n' } };
  assert.match(nextStepHint(tool('run_tests'), null, buildFailure, { offered, newTests: true }), /read the error above/, 'not an assertion');
  assert.ok(onlyTestFiles(['test_slug.py', '.assistrc.json', 'README.md']));
  assert.ok(!onlyTestFiles(['test_slug.py', 'slug.py']), 'the code under test changed');
  assert.ok(!onlyTestFiles(['README.md']), 'no test');
  assert.match(nextStepHint(tool('edit_file'), null, { forModel: 'x', error: { code: 'ambiguous', message: 'x' } }, { offered }), /read_file that file/);
  assert.equal(nextStepHint(tool('read_file'), null, { forModel: '1: x' }, { offered }), '', 'a read needs no advice');
  assert.equal(nextStepHint(tool('write_file'), write, applied, { offered: [tool('write_file')] }), '', 'no run tool offered: nothing to suggest');
});

test('the command that checks one file depends on its language, and on a main for Go and C', () => {
  assert.equal(commandToCheck('src/app.js'), 'node src/app.js');
  assert.equal(commandToCheck('main.go', 'package main\nfunc main() {}\n'), 'go run main.go');
  assert.equal(commandToCheck('clamp.go', 'package clamp\n'), 'go vet clamp.go');
  assert.equal(commandToCheck('factorial.c', 'unsigned long long factorial(int n);\n'), 'gcc -Wall -c factorial.c -o /tmp/check.o');
  assert.equal(commandToCheck('hello.c', 'int main(void) { return 0; }\n'), 'gcc -Wall hello.c -o /tmp/check && /tmp/check');
  assert.equal(commandToCheck('largest.hpp'), 'g++ -Wall -std=c++17 -fsyntax-only largest.hpp');
  assert.equal(commandToCheck('my file.py'), "python3 'my file.py'", 'an odd name is quoted for sh');
  assert.equal(commandToCheck('src/lib.rs'), '', 'a Rust file needs its crate: no guess');
});

test('the agent appends the next step to the observation the model reads', async (t) => {
  const repo = await makeRepo({});
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('write_file', { path: 'a.py', content: 'print(1)\n' }), act('answer', { text: 'done' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Write a.py.');
  assert.match(
    model.prompts[1].at(-1)!.content,
    /Applied: a\.py \(created, \+1 -0\)\.\nNext: check the change, run it: run_in_sandbox with \{"language":null,"code":null,"command":"python3 a\.py"\}\.$/,
  );
});

test('the repo map of the next turn shows what the last turn wrote (the index is refreshed after edits)', async (t) => {
  const repo = await makeRepo({ 'app.py': 'def main():\n    return 1\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    act('write_file', { path: 'geometry.py', content: 'def triangle_area(base, height):\n    return base * height / 2\n' }),
    act('answer', { text: 'written' }),
    act('answer', { text: 'ok' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Write geometry.py with triangle_area.');
  const map = (prompt: number) => model.prompts[prompt].map((m) => m.content).find((c) => c.includes('Repository map')) ?? '';
  assert.match(map(0), /app\.py/);
  assert.doesNotMatch(map(0), /triangle_area/);
  await s.session.agent.runTurn('What does the project hold now?');
  assert.match(map(2), /geometry\.py[^]*def triangle_area\(base, height\)/);
});

test('the prompt names the test command run_tests runs by default, so the model need not invent one', async (t) => {
  const repo = await makeRepo({ Makefile: 'test:\n\t./run-tests\n', 'mystr.c': 'int x;\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'ok' }), act('answer', { text: 'ok' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Fix the bug.');
  assert.ok(
    model.prompts[0].some((m) => m.content.includes('Test command: make test (Makefile has a "test" target). run_tests with "command": null runs it.')),
  );
  const ask = new ScriptedModel([act('answer', { text: 'ok' })]);
  const readOnly = await startSession(t, { root: repo.root, config: testConfig(), model: ask, tools: builtinTools.filter((tool) => tool.effect === 'read') });
  if (!readOnly) return;
  t.after(() => readOnly.session.dispose());
  await readOnly.session.agent.runTurn('What does mystr.c hold?');
  assert.ok(!ask.prompts[0].some((m) => m.content.includes('Test command:')), 'not offered run_tests: not told about tests');
});

test('an answer right after an untested change is sent back once to run the tests; a second answer is taken', async (t) => {
  const repo = await makeRepo({
    'calc.py': 'def add(a, b):\n    return a - b\n',
    'test_calc.py': 'from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n',
  });
  t.after(repo.cleanup);
  const fix = act('edit_file', { path: 'calc.py', edits: [{ find: '    return a - b', replace: '    return a + b' }] });
  const model = new ScriptedModel([fix, act('answer', { text: 'Fixed; the tests pass.' }), act('answer', { text: 'Fixed.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Fix add in calc.py.');
  assert.equal(result.status, 'answered');
  assert.equal(result.text, 'Fixed.', 'the second answer ends the turn');
  assert.match(
    model.prompts[2].at(-1)!.content,
    /^\[Not yet: you changed files after the last run\. Run the tests first: run_tests with "command": null \(runs python3 -m pytest -q\)/,
  );
  assert.ok(s.events.some((e) => e.type === 'notice' && /without testing its change/.test(e.message)));

  const tested = new ScriptedModel([fix, act('run_tests', { command: null }), act('answer', { text: 'Fixed and tested.' })]);
  const repo2 = await makeRepo({
    'calc.py': 'def add(a, b):\n    return a - b\n',
    'test_calc.py': 'from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n',
  });
  t.after(repo2.cleanup);
  const s2 = await startSession(t, { root: repo2.root, config: testConfig(), model: tested, tools: builtinTools, needsSandbox: true });
  if (!s2) return;
  t.after(() => s2.session.dispose());
  const ran = await s2.session.agent.runTurn('Fix add in calc.py.');
  assert.equal(ran.status, 'answered');
  assert.equal(ran.steps, 3, 'after a run the answer is taken at once');
});

test('a step stopped for writing the same line over and over: the model is told which, and the next step runs warmer', async (t) => {
  const repo = await makeRepo({ 'slug.py': 'def slugify(title):\n    return title.lower()\n' });
  t.after(repo.cleanup);
  const loop = 'it wrote the line "assert slugify(\\"A B\\") == \\"a-b\\"" 12 times in a row';
  const model = new RecordingModel([
    () => {
      throw new ModelError('invalid_output', `The action was stopped before it was complete: ${loop}.`, { cutOff: true, looped: true, partial: 'x' });
    },
    act('answer', { text: 'Stopped.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Write tests for slugify in test_slug.py.');
  const note = model.prompts[1].at(-1)!.content;
  assert.match(note, /Your last action was stopped and nothing was done: it wrote the line .* 12 times in a row\. Write each line once/);
  assert.doesNotMatch(note, /token limit/);
  assert.equal(model.temperatures[0], testConfig().model.temperature);
  assert.equal(model.temperatures[1], Math.max(testConfig().model.temperature, repeatTemperature));
});
