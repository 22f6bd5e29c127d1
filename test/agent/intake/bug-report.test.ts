/**
 * A bug report says where the fault is and how to see it: the command it names is run before the
 * first step (and suggested again after a change, when the project has no tests), and when it
 * rules out changing the tests, a change to a test file is held back every time, not once.
 * The loop is under test, so the model is scripted; the runs are real (sandbox).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expectedOutputIn, judgeExpectedOutput } from '../../../src/agent/intake/expected-output.ts';
import { runCommandNamedIn } from '../../../src/agent/intake/task-kind.ts';
import { expectedScriptOutput } from '../../../src/agent/next-step.ts';
import {
  asksForTests,
  fixturesNamed,
  guardsTests,
  TestEditGuard,
  testDefinitions,
  testlessTestFile,
  testSubjectOf,
} from '../../../src/agent/checks/test-guard.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { lastPromptText, makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

test('the command a bug report says misbehaves; not the test command, not an identifier, not in a request for new code', () => {
  const java = 'Running `javac -d /tmp/out *.java && java -cp /tmp/out Main` prints a wrong word count. Fix the bug in WordCounter.java.';
  assert.equal(runCommandNamedIn(java), 'javac -d /tmp/out *.java && java -cp /tmp/out Main');
  assert.equal(runCommandNamedIn('`python3 main.py` crashes on an empty file. Fix it.'), 'python3 main.py');
  assert.equal(runCommandNamedIn('`go test ./...` fails: Pop returns the wrong element. Fix the bug in stack.go.'), undefined, 'the tests are run anyway');
  assert.equal(runCommandNamedIn('Fix the bug in `parse_args` so it accepts `-v`.'), undefined, 'code names are not commands');
  assert.equal(runCommandNamedIn('Write hello.py; check it with `python3 hello.py`.'), undefined, 'not about a failure');
  assert.equal(runCommandNamedIn('`python3 -m tally serve` still listens on the wrong port. Fix it.'), undefined, 'a server would run until the time limit');
  assert.equal(runCommandNamedIn('`npm run dev` crashes at start. Fix it.'), undefined);
});

test('a fix guards the tests unless the request is about the tests; a guarded turn holds every test change and every dropped test', () => {
  assert.ok(guardsTests('Implement ini_get.sh so that the tests in ini_get_test.sh pass. Do not change the tests.'), '"change the tests", negated');
  assert.ok(guardsTests('`make test` fails: my_strlen counts one character too many. Fix the bug.'));
  assert.ok(guardsTests('The tests in test_cart.py fail. Find the bug in the shop package and fix it.'));
  assert.ok(!guardsTests('There is a bug in test_parse.py: it checks the wrong field. Fix the test.'));
  assert.ok(!guardsTests('Change the tests to use the new fixture.'));
  assert.ok(!guardsTests('Why does the test fail?'), 'a question changes nothing');

  const guard = new TestEditGuard();
  const change = (file: string, before: string | null, after: string | null) => ({ path: file, before, after, diff: '' });
  assert.match(guard.hold([change('test_mystr.c', 'a', 'b')]) ?? '', /^Not applied: test_mystr\.c is a test file/);
  assert.match(guard.hold([change('test_mystr.c', 'a', 'b')]) ?? '', /test_mystr\.c is a test file/, 'held the second time too');
  const rust = 'pub fn f() -> i32 { 1 }\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn one() { assert_eq!(super::f(), 1); }\n}\n';
  const dropped = guard.hold([change('src/lib.rs', rust, 'pub fn f() -> i32 { 1 }\n')]);
  assert.match(
    dropped ?? '',
    /^Not applied: this change drops tests from src\/lib\.rs \(2 test lines before, 0 after\):\n {2}#\[cfg\(test\)\]\n {2}#\[test\]\n/,
  );
  assert.equal(guard.hold([change('src/lib.rs', rust, rust.replace('{ 1 }', '{ 2 }'))]), undefined, 'the code changes, the tests stay');
  assert.equal(guard.hold([change('calc.py', 'def add(a, b):\n    return a - b\n', 'def add(a, b):\n    return a + b\n')]), undefined);
  assert.deepEqual(testDefinitions('def test_a():\n  pass\nfunc TestB(t *testing.T) {}\n  it("works", () => {})\n@Test\n[Fact]\ndef helper():\n'), [
    'def test_a():',
    'func TestB(t *testing.T) {}',
    '  it("works", () => {})',
    '@Test',
    '[Fact]',
  ]);
});

test('a guarded turn holds a new file the tests name and do not find: they expect it missing', async (t) => {
  const tests = new Map([
    [
      'tests/ini_get_test.sh',
      'out=$(bash ini_get.sh "$dir/app.ini" server host)\nexpect "a missing file" 2 "" -- "$dir/nope.ini" server host\n. "../lib/x.sh"\n',
    ],
    ['test_calc.py', 'from calc import load\n\ndef test_missing():\n    load("data/missing.cfg")\n    load("calc.py")\n    load("helpers.py")\n'],
    ['test_calc.c', '#include "calc.h"\n'],
  ]);
  const fixtures = fixturesNamed(tests, (file) => file === 'calc.py' || file === 'tests/app.ini');
  assert.deepEqual(
    [...fixtures],
    [
      ['nope.ini', 'tests/ini_get_test.sh'],
      ['data/missing.cfg', 'test_calc.py'],
    ],
  );
  const guard = new TestEditGuard(fixtures);
  const change = (file: string, before: string | null, after: string | null) => ({ path: file, before, after, diff: '' });
  assert.match(
    guard.hold([change('nope.ini', null, '[a]\nb = 1\n')]) ?? '',
    /^Not applied: nope\.ini is a file tests\/ini_get_test\.sh names and does not find/,
  );
  assert.match(guard.hold([change('tests/nope.ini', null, '')]) ?? '', /^Not applied: tests\/nope\.ini/);
  assert.equal(guard.hold([change('ini_get.sh', null, 'echo\n')]), undefined, 'a file the tests do not name');
  assert.equal(guard.hold([change('nope.ini', '', 'x')]), undefined, 'one that is there already is no fixture');

  const repo = await makeRepo({
    'calc.py': 'def load(path):\n    return open(path + ".bak").read()\n',
    'test_calc.py':
      'import pytest\nfrom calc import load\n\n\ndef test_missing_file():\n    with pytest.raises(FileNotFoundError):\n        load("missing.cfg")\n\n\ndef test_reads():\n    assert load("calc.py").startswith("def")\n',
  });
  t.after(repo.cleanup);
  const fixture = act('write_file', { path: 'missing.cfg', content: 'x = 1\n' });
  const model = new ScriptedModel([fixture, act('answer', { text: 'Done.' }), act('answer', { text: 'Done.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Make the tests in test_calc.py pass. Do not change the tests.');
  assert.match(lastPromptText(model.prompts, 1), /Not applied: missing\.cfg is a file test_calc\.py names and does not find/);
  await assert.rejects(readFile(path.join(repo.root, 'missing.cfg'), 'utf8'), 'not written');

  // a request that names the file itself asks for it: made
  const asked = new ScriptedModel([fixture, act('answer', { text: 'Done.' }), act('answer', { text: 'Done.' })]);
  const s2 = await startSession(t, { root: repo.root, config: testConfig(), model: asked, tools: builtinTools, needsSandbox: true });
  if (!s2) return;
  t.after(() => s2.session.dispose());
  await s2.session.agent.runTurn('Make the tests in test_calc.py pass: create missing.cfg. Do not change the tests.');
  assert.equal(await readFile(path.join(repo.root, 'missing.cfg'), 'utf8'), 'x = 1\n');
});

test('intake runs the command a bug report names; after a fix the hint is to run it again, and its run checks the fix', async (t) => {
  const repo = await makeRepo({
    'count.py': 'def count(words):\n    out = {}\n    for w in words:\n        out[w] = 1\n    return out\n',
    'main.py': 'from count import count\nprint("the=%d" % count("the cat the".split())["the"])\n',
  });
  t.after(repo.cleanup);
  const fix = act('edit_file', { path: 'count.py', edits: [{ find: '        out[w] = 1\n', replace: '        out[w] = out.get(w, 0) + 1\n' }] });
  const runMain = act('run_in_sandbox', { language: null, code: null, command: 'python3 main.py' });
  const model = new ScriptedModel([fix, runMain, act('answer', { text: 'Fixed.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn(
    'Running `python3 main.py` prints a wrong count for repeated words. Fix the bug in count.py so it prints `the=2`.',
  );
  const looks = s.events.flatMap((e) => (e.type === 'intake' ? [e.action.tool] : []));
  assert.deepEqual(looks, ['read_file', 'read_file', 'run_in_sandbox'], 'the two files it names, then the command');
  const first = lastPromptText(model.prompts, 0);
  assert.match(first, /I run the command the task names to see what it does now[^]*command: python3 main\.py\nstdout:\nthe=1\n/);
  assert.match(lastPromptText(model.prompts, 1), /Next: check the change, run the command the task names: run_in_sandbox with .*"command":"python3 main\.py"/);
  assert.match(lastPromptText(model.prompts, 2), /stdout:\nthe=2\n/);
  assert.equal(result.verified, true, "the report's own command, passing after the change, checks it");
});

test('a fix holds every change to a failing test, not only the first', async (t) => {
  const repo = await makeRepo({
    'calc.py': 'def add(a, b):\n    return a - b\n',
    'test_calc.py': 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n',
  });
  t.after(repo.cleanup);
  const bendTest = act('edit_file', { path: 'test_calc.py', edits: [{ find: '    assert add(2, 3) == 5\n', replace: '    assert add(2, 3) == -1\n' }] });
  const readTest = act('read_file', { path: 'test_calc.py', startLine: null, endLine: null });
  const model = new ScriptedModel([readTest, bendTest, bendTest, act('answer', { text: 'Done.' }), act('answer', { text: 'Done.' })]);
  const s = await startSession(t, {
    root: repo.root,
    config: testConfig({ actionFormat: 'text' }),
    model,
    tools: builtinTools,
    needsSandbox: true,
  });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('`python3 -m pytest` fails: add returns the wrong sum. Fix the bug in calc.py.');
  assert.match(lastPromptText(model.prompts, 1), /test_calc\.py \(5 lines\)/, 'the model read the test');
  assert.match(lastPromptText(model.prompts, 2), /Not applied: test_calc\.py is a test file, and the task is to make the failing tests pass/);
  assert.match(lastPromptText(model.prompts, 3), /Not applied: test_calc\.py is a test file/, 'the same change again is held again');
  assert.match(await readFile(path.join(repo.root, 'test_calc.py'), 'utf8'), /== 5/, 'the test is as it was');
  // and in the text protocol the grammar offers no edit of it at all (the scripted model above bypasses the grammar)
  const grammar = model.grammars[1];
  assert.match(grammar, /edit_file[^\n]*\\"calc\.py\\"/, 'the code can be edited');
  assert.match(grammar, /at-calc-py/);
  assert.doesNotMatch(grammar, /at-test-calc-py|"test_calc\.py\\n"/, 'the test cannot: none of its lines is an anchor');
});

test('the output a bug report expects: in backticks or quotes after a verb of output, the last one named', () => {
  assert.equal(expectedOutputIn('Running `java -cp /tmp/out Main` prints a wrong count. Fix WordCounter.java so Main prints `the=2`.'), 'the=2');
  assert.equal(expectedOutputIn('`python3 main.py` should output "42" but crashes. Fix it.'), '42');
  assert.equal(expectedOutputIn('`./greet.sh Bob` must print exactly `Hello, Bob!`. Fix it.'), 'Hello, Bob!');
  assert.equal(expectedOutputIn('`python3 main.py` prints a wrong total. Fix it.'), undefined, 'no output named');
  assert.equal(expectedOutputIn('Fix the bug in `parse` so it returns `None` on empty input.'), undefined, 'a return value is not output');
  assert.equal(expectedOutputIn('Create a Python script hello.py that prints exactly: Hello, world!'), 'Hello, world!', 'unquoted after "exactly"');
  assert.equal(expectedOutputIn('Write a script that prints exactly: done.'), 'done', "the sentence's period is left out");
  assert.equal(expectedOutputIn('Write fib.py that prints the first 10 Fibonacci numbers.'), undefined);
  assert.deepEqual(expectedScriptOutput('Create a Python script hello.py that prints exactly: Hello, world!'), { file: 'hello.py', output: 'Hello, world!' });
  assert.equal(expectedScriptOutput('Write notes.txt that says exactly: hi'), undefined, 'a file the sandbox cannot run');
  assert.deepEqual(
    expectedScriptOutput('Write a bash script count.sh that prints the number of lines in the file given as its first argument (just the number).'),
    { file: 'count.sh', numberOnly: true },
  );
  assert.deepEqual(expectedScriptOutput('Write a Python script fib.py that prints the first 10 Fibonacci numbers, one per line.'), { file: 'fib.py' });
  assert.equal(expectedScriptOutput('Write wordcount.py with a function `word_count(text)` that returns a dict.'), undefined, 'not asked to print');
  assert.equal(expectedScriptOutput('Write greet.py with a function greet(name) that prints exactly: Hello'), undefined, 'a module: running it calls nothing');
});

/** A turn on a scripted model that writes `file` wrong, runs it, writes it right, runs it again and answers. */
async function scriptTurn(t: TestContext, file: string, wrong: string, right: string, request: string) {
  const repo = await makeRepo({ 'README.md': '# scripts\n' });
  t.after(repo.cleanup);
  const run = act('run_in_sandbox', { language: null, code: null, command: `python3 ${file}` });
  const model = new ScriptedModel([
    act('write_file', { path: file, content: wrong }),
    run,
    act('write_file', { path: file, content: right }),
    run,
    act('answer', { text: 'Done.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return undefined;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn(request);
  return { model, result, attempts: s.events.flatMap((e) => (e.type === 'attempt' ? [e.passed] : [])) };
}

test('a script asked for by what it prints: a run of it that prints something else is a failing run', async (t) => {
  const turn = await scriptTurn(
    t,
    'hello.py',
    'print("Hello")\n',
    'print("Hello, world!")\n',
    'Create a Python script hello.py that prints exactly: Hello, world!',
  );
  if (!turn) return;
  assert.match(
    lastPromptText(turn.model.prompts, 2),
    /The run exited 0, but the task expects hello\.py to print `Hello, world!` and it did not\. Make hello\.py print exactly that/,
  );
  assert.deepEqual(turn.attempts, [false, true]);
  assert.equal(turn.result.status, 'answered', turn.result.text);
  assert.equal(turn.result.verified, true);
});

test('a script asked to print that prints nothing is not done: that run fails, and one that prints passes', async (t) => {
  const body = 'def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        print(a)\n        a, b = b, a + b\n';
  const turn = await scriptTurn(t, 'fib.py', body, `${body}\n\nfib(10)\n`, 'Write a Python script fib.py that prints Fibonacci numbers, one per line.');
  if (!turn) return;
  // told when it is written (script-entry.ts); with no value in the request the call is described, with nothing to copy
  assert.match(
    lastPromptText(turn.model.prompts, 1),
    /fib\.py only defines fib: nothing at its top level calls it, so `python3 fib\.py` runs nothing and prints nothing\. Add a call of fib at the end of fib\.py, with the values the task asks for as its arguments \(n\)\.\nNext: write_file fib\.py whole, with the call at its end, then run it\.$/,
  );
  assert.match(lastPromptText(turn.model.prompts, 2), /The run exited 0 but printed nothing, and the task asks fib\.py to print/);
  assert.match(lastPromptText(turn.model.prompts, 2), /Next: write_file fib\.py whole, with the call at its end, then run it again\./);
  assert.doesNotMatch(turn.model.prompts[3].at(-1)!.content, /only defines/, 'the written call ends the notes');
  assert.deepEqual(turn.attempts, [false, true]);
  assert.equal(turn.result.status, 'answered', turn.result.text);
});

/** A turn of a scripted model (`script`) on a temp repo of `files`; undefined when the sandbox it needs is missing. */
async function scriptedTurn(t: TestContext, files: Record<string, string>, script: Action[], request: string, options: { sandbox?: boolean } = {}) {
  const repo = await makeRepo(files);
  t.after(repo.cleanup);
  const model = new ScriptedModel(script);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, ...(options.sandbox ? { needsSandbox: true } : {}) });
  if (!s) return undefined;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn(request);
  return { model, result, root: repo.root, events: s.events };
}

test('a one-parameter entry gets the one number the request names: the call is added by assist', async (t) => {
  const body = 'def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        print(a)\n        a, b = b, a + b\n';
  const turn = await scriptedTurn(
    t,
    { 'README.md': '# scripts\n' },
    [
      act('write_file', { path: 'fib.py', content: body }),
      act('run_in_sandbox', { language: null, code: null, command: 'python3 fib.py' }),
      act('answer', { text: 'Done.' }),
    ],
    'Write a Python script fib.py that prints the first 10 Fibonacci numbers (starting 0, 1), one per line.',
    { sandbox: true },
  );
  if (!turn) return;
  const { model, root, result } = turn;
  assert.equal(await readFile(path.join(root, 'fib.py'), 'utf8'), `${body}\n\nif __name__ == "__main__":\n    fib(10)\n`);
  assert.match(lastPromptText(model.prompts, 1), /assist added the call at its end \(10 from the request; change it if the task means another value\)/);
  assert.equal(result.status, 'answered', result.text);
  assert.equal(result.verified, true);
});

test('a script whose only function takes no arguments gets the call added by assist, and its run passes', async (t) => {
  const turn = await scriptedTurn(
    t,
    { 'README.md': '# scripts\n' },
    [
      act('write_file', { path: 'hello.py', content: 'def hello():\n    print("Hello, world!")\n' }),
      act('run_in_sandbox', { language: null, code: null, command: 'python3 hello.py' }),
      act('answer', { text: 'Done.' }),
    ],
    'Create a Python script hello.py that prints exactly: Hello, world!',
    { sandbox: true },
  );
  if (!turn) return;
  const { model, root, result } = turn;
  assert.equal(await readFile(path.join(root, 'hello.py'), 'utf8'), 'def hello():\n    print("Hello, world!")\n\n\nif __name__ == "__main__":\n    hello()\n');
  assert.match(
    lastPromptText(model.prompts, 1),
    /hello\.py only defined functions, so running it ran nothing: assist added the call at its end:\nif __name__ == "__main__":\n    hello\(\)\nNext: check the change, run it/,
  );
  assert.equal(result.status, 'answered', result.text);
  assert.equal(result.verified, true);
});

test('an answer right after the run of a changed script failed goes back once; the next one stands', async (t) => {
  // py-hello: the script printed nothing, and the model answered "Set the test command in .assistrc.json."
  const run = act('run_in_sandbox', { language: null, code: null, command: 'python3 hello.py' });
  const turn = await scriptedTurn(
    t,
    { 'README.md': '# scripts\n' },
    [
      act('write_file', { path: 'hello.py', content: 'print("Hello")\n' }),
      run,
      act('answer', { text: 'Set the test command in .assistrc.json.' }),
      act('answer', { text: 'It prints Hello.' }),
    ],
    'Create a Python script hello.py that prints exactly: Hello, world!',
    { sandbox: true },
  );
  if (!turn) return;
  const { model, result } = turn;
  assert.match(
    lastPromptText(model.prompts, 3),
    /\[Not yet: the last run of your change \(python3 hello\.py\) failed \(it did not print what the task expects\)\./,
  );
  assert.equal(result.status, 'answered');
  assert.equal(result.text, 'It prints Hello.');
});

test('a clean exit without the output the request expects is a failing run: for the model, for the attempts, and for the verdict', async (t) => {
  const repo = await makeRepo({
    'count.py': 'def count(words):\n    out = {}\n    for w in words:\n        out[w] = 1\n    return out\n',
    'main.py': 'from count import count\nprint("the=%d" % count("the cat the".split())["the"])\n',
  });
  t.after(repo.cleanup);
  const runMain = act('run_in_sandbox', { language: null, code: null, command: 'python3 main.py' });
  const model = new ScriptedModel([
    // a change beside the point, then the run: still `the=1`
    act('edit_file', { path: 'count.py', edits: [{ find: '    out = {}\n', replace: '    out = dict()\n' }] }),
    runMain,
    act('edit_file', { path: 'count.py', edits: [{ find: '        out[w] = 1\n', replace: '        out[w] = out.get(w, 0) + 1\n' }] }),
    runMain,
    act('answer', { text: 'Fixed.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn(
    'Running `python3 main.py` prints a wrong count for repeated words. Fix the bug in count.py so it prints `the=2`.',
  );
  assert.match(
    lastPromptText(model.prompts, 0),
    /The command exited 0, but the task expects it to print `the=2` and it did not: the bug is still there\.[^]*stdout:\nthe=1\n/,
    'the intake run says what is missing',
  );
  const attempts = s.events.flatMap((e) => (e.type === 'attempt' ? [e] : []));
  assert.deepEqual(
    attempts.map((a) => [a.passed, a.run.stdout]),
    [
      [false, 'the=1\n'],
      [true, 'the=2\n'],
    ],
  );
  assert.match(lastPromptText(model.prompts, 2), /The command exited 0, but the task expects it to print `the=2`[^]*\[Failed run 1 of at most/);
  assert.equal(result.status, 'answered', result.text);
  assert.equal(result.verified, true);
});

test('a module the request asks to export a function from gets the export it lacks, and the model is told', async (t) => {
  const body = 'function fizzbuzz(n) {\n  return [];\n}\n';
  const turn = await scriptedTurn(
    t,
    { 'README.md': '# fizz\n' },
    [act('write_file', { path: 'fizzbuzz.js', content: body }), act('answer', { text: 'Done.' })],
    'Write fizzbuzz.js, a CommonJS module exporting `fizzbuzz(n)` that returns an array of strings.',
  );
  if (!turn) return;
  const { model, root } = turn;
  assert.equal(await readFile(path.join(root, 'fizzbuzz.js'), 'utf8'), `${body}\nmodule.exports = { fizzbuzz };\n`);
  assert.match(
    lastPromptText(model.prompts, 1),
    /fizzbuzz\.js defined fizzbuzz without exporting it, which the task asks for: assist added `module\.exports = \{ fizzbuzz \};` at its end\./,
  );
});

test('a script asked to print just the number that prints more fails with what it printed; a bare number passes', () => {
  const expect = { file: 'count.sh', numberOnly: true };
  const run = (stdout: string) => ({
    forModel: 'exit code 0',
    run: { command: 'bash count.sh a.txt', exitCode: 0, timedOut: false, stdout, stderr: '', durationMs: 5 },
  });
  const judged = judgeExpectedOutput(run('4 a.txt\n'), expect);
  assert.equal(judged.run?.missingOutput, '(just a number)');
  assert.match(
    judged.forModel,
    /^The run exited 0, but the task asks count\.sh to print just the number, and it printed `4 a\.txt`\. Make it print only the number\./,
  );
  assert.equal(judgeExpectedOutput(run('4\n'), expect).run?.missingOutput, undefined);
  assert.equal(judgeExpectedOutput(run('  12.5 \n'), expect).run?.missingOutput, undefined);
});

test('in a request for tests, a test file with no test in it is refused; one with tests, or in a language whose tests are not known, is not', () => {
  assert.ok(asksForTests('Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py.'));
  assert.ok(!asksForTests('What do the tests of slug.py cover?'));
  // the run prompt's example code and its advice to include checks are not a request for tests
  assert.ok(
    !asksForTests('Task: print fib\nWrite a complete program, for example:\ndef add(a, b):\n    return a + b\nInclude a few checks (printed test cases).'),
  );
  const copy = 'import re\n\ndef slugify(title):\n    return "-".join(re.split("[^a-z0-9]+", title.lower()))\n';
  assert.match(
    testlessTestFile([{ path: 'test_slug.py', before: null, after: copy, diff: '' }], 'slugify') ?? '',
    /^Not applied: test_slug\.py would hold no test \(no test function or test case in it\)\. Write tests: each calls slugify/,
  );
  const tests = 'from slug import slugify\n\n\ndef test_spaces():\n    assert slugify("a b") == "a-b"\n';
  assert.equal(testlessTestFile([{ path: 'test_slug.py', before: null, after: tests, diff: '' }], 'slugify'), undefined);
  assert.equal(testlessTestFile([{ path: 'test_slug.sh', before: null, after: 'echo ok\n', diff: '' }], 'slugify'), undefined, 'shell tests are not known');
  assert.equal(testlessTestFile([{ path: 'slug.py', before: null, after: copy, diff: '' }], 'slugify'), undefined, 'not a test file');
  assert.equal(testlessTestFile([{ path: 'tests/__init__.py', before: null, after: '', diff: '' }], 'slugify'), undefined, 'a package marker');
  assert.equal(testlessTestFile([{ path: 'tests/helpers.py', before: null, after: copy, diff: '' }], 'slugify'), undefined, 'a helper');
  // minitest names its tests with no parentheses, RSpec with blocks: ruby-add-test-slug's tests were refused as "no test"
  const minitest =
    "require 'minitest/autorun'\nrequire 'slug'\n\nclass TestSlug < Minitest::Test\n  def test_slugify\n    assert_equal 'a-b', Slug.slugify('A b')\n  end\nend\n";
  assert.equal(testlessTestFile([{ path: 'test/test_slug.rb', before: null, after: minitest, diff: '' }], 'Slug.slugify'), undefined);
  const spec = "require 'slug'\n\nRSpec.describe Slug do\n  it 'joins words' do\n    expect(Slug.slugify('A b')).to eq('a-b')\n  end\nend\n";
  assert.deepEqual(testDefinitions(spec), ["  it 'joins words' do"]);
  assert.equal(testlessTestFile([{ path: 'spec/slug_spec.rb', before: null, after: spec, diff: '' }], 'Slug.slugify'), undefined);
  assert.match(
    testlessTestFile(
      [{ path: 'test/test_slug.rb', before: null, after: "require 'slug'\n\nmodule Slug\n  def self.slugify(t) = t\nend\n", diff: '' }],
      'Slug.slugify',
    ) ?? '',
    /would hold no test/,
  );
});

test('the subject of a request for tests is the name it gives, not the command it names', () => {
  assert.equal(testSubjectOf('Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py.'), 'slugify');
  assert.equal(testSubjectOf('Write tests for `median()` in src/median.js.'), 'median');
  assert.equal(
    testSubjectOf('Write minitest tests in test/test_slug.rb for Slug.slugify and Slug.unique. Run them with `ruby -Ilib -Itest test/test_slug.rb`.'),
    'Slug.slugify',
  );
  assert.equal(testSubjectOf('Add tests for the parser.'), 'the code');
});

test('a test file the turn writes into a project without tests: the next step runs the tests, now that they can be found', async (t) => {
  const tests = 'from slug import slugify\n\n\ndef test_spaces():\n    assert slugify("a b") == "a-b"\n';
  const turn = await scriptedTurn(
    t,
    { 'slug.py': 'def slugify(title):\n    return title.lower().replace(" ", "-")\n' },
    [act('write_file', { path: 'test_slug.py', content: tests }), act('answer', { text: 'Done.' })],
    'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py.',
  );
  if (!turn) return;
  const { model } = turn;
  assert.match(lastPromptText(model.prompts, 1), /Next: check the change, run the tests: run_tests with [^\n]*\(runs python3 -m pytest[^)]*\)\./);
});

test('in a request for a script that names it, a module beside it that only defines functions is left as it is', async (t) => {
  const utils = 'def greeting():\n    return "Hello"\n';
  const turn = await scriptedTurn(
    t,
    { 'README.md': '# tool\n' },
    [act('write_file', { path: 'utils.py', content: utils }), act('answer', { text: 'Done.' })],
    'Write a Python script main.py that prints the greeting from utils.py.',
  );
  if (!turn) return;
  const { model, root } = turn;
  assert.equal(await readFile(path.join(root, 'utils.py'), 'utf8'), utils);
  assert.doesNotMatch(lastPromptText(model.prompts, 1), /only defines|only defined/);
});

test('a refused write repeated while the file the request names is still missing: the advice does not start the write the next step cannot make', async (t) => {
  const copy = 'def slugify(title):\n    return title\n';
  const write = act('write_file', { path: 'test_slug.py', content: copy });
  const turn = await scriptedTurn(
    t,
    { 'slug.py': 'def slugify(title):\n    return title.lower().replace(" ", "-")\n' },
    [write, write, act('answer', { text: 'Done.' })],
    'Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py.',
  );
  if (!turn) return;
  const advice = turn.model.prompts[2].at(-1)!.content;
  assert.match(advice, /Your next step cannot use a tool that changes files/);
  assert.doesNotMatch(advice, /Create test_slug\.py with write_file|```/, 'no write begun for a step that cannot write');
});

test('two quotes of one message make one search in the intake, not the same search twice', async (t) => {
  const turn = await scriptedTurn(
    t,
    {
      'src/validate.ts':
        "export function check(value: unknown): string | undefined {\n  if (value === undefined) return 'is missing';\n  return undefined;\n}\n",
      'src/main.ts': "import { check } from './validate.ts';\nconsole.log(check(undefined));\n",
    },
    [act('answer', { text: 'Seen.' })],
    'It stops with "server.host: is missing", "server.port: is missing" and so on. Can you fix that?',
  );
  if (!turn) return;
  const searches = turn.events.flatMap((e) => (e.type === 'intake' && e.action.tool === 'search_code' ? [JSON.stringify(e.action.args)] : []));
  assert.ok(searches.length > 0, 'the quoted message is searched for');
  assert.equal(new Set(searches).size, searches.length, `each search once: ${searches.join(' ')}`);
});
