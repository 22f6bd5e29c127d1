/**
 * What makes a small model's changes land (issue 13), through the real tools, a real temp repo
 * and the real sandbox, with a scripted model so the loop is deterministic: task intake, the
 * tests after every applied change, a change request answered in prose, success that means the
 * changed code was checked, repeats that are not attempts, and whole-file writes that would lose
 * what the model never read.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { checksChangedCode, firstFailureLine, plansAhead, restates } from '../../src/agent/turn-ledger.ts';
import { guardsTests } from '../../src/agent/checks/test-guard.ts';
import { AttemptTracker } from '../../src/agent/attempts.ts';
import { codeUnderTest, likeliestDefinition, linesCalled, linesOfTests, taskFiles } from '../../src/agent/intake/intake.ts';
import { likeliestFiles, phrasePieces, searchTermsIn, tellingTerms } from '../../src/agent/intake/intake-search.ts';
import { testedName } from '../../src/languages/test-files.ts';
import { asksForChange, isQuestion, onlyAsks, testCommandNamedIn, wantsTestsFirst } from '../../src/agent/intake/task-kind.ts';
import type { Action } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import { runModeFor } from '../../src/cli/commands/run.ts';
import { builtinTools } from '../../tools/index.ts';
import { lastPromptText, makeRepo, startSession, testConfig } from './harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });
const calc = 'def add(a, b):\n    return a - b\n';
const calcTest = 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n';
const fixCalc = act('edit_file', { path: 'calc.py', edits: [{ find: '    return a - b\n', replace: '    return a + b\n' }] });
const run = (command: string, exitCode = 0, code?: string) => ({
  command,
  exitCode,
  timedOut: false,
  stdout: '',
  stderr: '',
  durationMs: 1,
  ...(code ? { code } : {}),
});

test('requests are told apart: questions, change requests, and tasks about failing tests', () => {
  assert.ok(isQuestion('Where is the port set?'));
  assert.ok(isQuestion('what does parse_minutes return'));
  assert.ok(!isQuestion('Fix the failing test in test_calc.py'));
  assert.ok(asksForChange('Fix the failing test in test_calc.py'));
  assert.ok(asksForChange('Rename calc_total to compute_total everywhere.'));
  assert.ok(asksForChange('Implement the functions in wordy.rb so that the tests pass.'));
  assert.ok(asksForChange('The discount is applied twice, a bug in shop/pricing.py.'));
  assert.ok(!asksForChange('Which function loads the users?'));
  assert.ok(wantsTestsFirst('The tests in test_cart.py fail: the total is wrong.'));
  assert.ok(wantsTestsFirst('Make the tests pass without changing them.'));
  assert.ok(!wantsTestsFirst('Rename calc_total to compute_total.'));
  assert.ok(!wantsTestsFirst('Why does test_add fail?'), 'a question is answered, not fixed');
  assert.ok(isQuestion('If a client asks for 100000 entries and no tally.toml is set, how many come back? Answer with the number.'));
  assert.ok(!isQuestion('Fix the parser. Why did it accept 1.2? It must not.'), 'a change asked first stays a change');
});

test('a bug report that ends with its request asks for a change, however it is worded', () => {
  // these were read as not asking for a change: no reminder to change, no test guard, no repair
  const reports = [
    'Booking a room right after another meeting is refused with 409. Meetings that only touch should be allowed. Please fix it.',
    'The server stops with "server.host: is missing" when the file sets only the port. Can you fix that?',
    'Listings lose their first entries. Find out why and fix it.',
    'The suite shows it too:\n\n```\nFAILED tests/test_config.py::test_env\n```\n\nFix it so settings are applied in order.',
    'In this Rust crate, write a public function `add` in src/lib.rs.',
    'The gap logic is inline. I want it reusable: pull it out into `findGaps`. Then make `freeSlots` use it.',
  ];
  for (const report of reports) {
    assert.ok(asksForChange(report), report);
    assert.ok(!onlyAsks(report), report);
  }
  assert.ok(wantsTestsFirst(reports[1]), 'a bug report asked as a question still runs the tests first');
  // questions stay questions, a clause after a comma included
  for (const question of [
    'If a client asks for 100 entries, how many come back?',
    'Where is the port set, and which file reads it?',
    'Why does test_add fail?',
  ]) {
    assert.ok(!asksForChange(question), question);
    assert.ok(onlyAsks(question), question);
  }
});

test('the test command a request names in backticks wins; other code spans are not commands', () => {
  assert.equal(testCommandNamedIn('Implement version.rb. Do not change the tests. Run them with `ruby version_test.rb`.'), 'ruby version_test.rb');
  assert.equal(testCommandNamedIn('Find the bug in `shop` and fix it so `python3 -m pytest` passes.'), 'python3 -m pytest');
  assert.equal(testCommandNamedIn('Rename `getUserName` to `displayName`. `node --test` must still pass.'), 'node --test');
  assert.equal(testCommandNamedIn('Make `go test ./...` pass.'), 'go test ./...');
  assert.equal(testCommandNamedIn('Rename `test_helper` to `helper`.'), undefined, 'an identifier is not a command');
  assert.equal(testCommandNamedIn('Run `python3 main.py` and fix it.'), undefined, 'not a test run');
});

test('a test command named in the request is the one intake and run_tests run, and an answer while it fails goes back', async (t) => {
  const checks = 'from calc import add\nassert add(2, 3) == 5, "add(2, 3) should be 5"\nprint("ok")\n';
  const repo = await makeRepo({ 'calc.py': calc, 'tests_main.py': checks });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'Use +.' }), act('answer', { text: 'It works.' }), act('answer', { text: 'I could not fix it.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Fix add in calc.py so that `python3 tests_main.py` passes.');
  assert.match(
    result.text,
    /^I could not fix it\.\n\n\(assist: the last run of the tests failed: .*add\(2, 3\) should be 5/,
    'the answer that stands says the tests fail',
  );
  const first = model.prompts[0].map((m) => m.content).join('\n');
  assert.match(first, /Observation \(run_tests\):\ntests FAILED[^]*command: python3 tests_main.py \(named in the request\)/);
  assert.match(model.prompts[1].at(-1)!.content, /no file was changed/);
  assert.match(model.prompts[2].at(-1)!.content, /Not yet: the last run of the tests failed \(.*add\(2, 3\) should be 5/);
});

test('an answer that says what the model will do, or says back what it was told, while its change still fails, goes back twice', async (t) => {
  assert.ok(plansAhead('I need to work out from the code what it returns, correct the test, then run the tests again.'));
  assert.ok(plansAhead('Let me fix the range check.'));
  assert.ok(!plansAhead('I changed the range check to include the end date; the tests pass.'));
  assert.ok(!plansAhead('The function needs a guard for empty lists.'), 'a finding, not a plan');
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    act('edit_file', { path: 'calc.py', edits: [{ find: '    return a - b\n', replace: '    return a * b\n' }] }),
    act('answer', { text: 'It works.' }),
    act('answer', { text: 'Read the failure, fix the code it points at, and run the tests again.' }),
    act('answer', { text: 'I need to make add return a + b, then run the tests again.' }),
    act('answer', { text: 'I will fix add.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('The test in test_calc.py fails. Fix the bug.');
  assert.match(model.prompts[2].at(-1)!.content, /Not yet: the last run of the tests failed/);
  assert.match(model.prompts[3].at(-1)!.content, /Not yet: your answer repeats what you were told \("Read the failure, fix the code/);
  assert.match(model.prompts[4].at(-1)!.content, /Not yet: your answer says what you will do \("I need to make add return a \+ b[^]*Do it now with a tool/);
  assert.match(result.text, /^I will fix add\.\n\n\(assist: the last run of the tests failed/, 'the third stands (the step and time limits hold the rest)');
});

test('the files a task is about: named paths, unique file names, and symbols the index defines; missing ones left out', () => {
  const exists = (f: string) => ['src/billing/totals.py', 'report.py', 'src/cart.py'].includes(f);
  const index = {
    files: () => ['src/billing/totals.py', 'report.py', 'src/cart.py'],
    symbols: (name: string) => ({
      defs:
        name === 'calc_total' || name === 'main'
          ? [{ name, kind: 'function' as const, path: name === 'main' ? 'src/cart.py' : 'src/billing/totals.py', line: 1, endLine: 2, signature: '' }]
          : [],
      refs: [],
    }),
    update: async () => ({ parsed: 0, removed: 0, files: 0 }),
    outline: () => undefined,
    repoMap: () => '',
  };
  assert.deepEqual(taskFiles('Fix report.py and cart.py; also see missing.py', exists, index), ['report.py', 'src/cart.py']);
  assert.deepEqual(taskFiles('Rename `calc_total` to compute_total.', exists, index), ['src/billing/totals.py']);
  assert.deepEqual(taskFiles('a b c', exists, index), []);
  assert.deepEqual(taskFiles('Which class contains the `main` method?', exists, index), ['src/cart.py'], 'a plain word written as code');
  assert.deepEqual(taskFiles('What does the main loop do?', exists, index), [], 'the same word in prose');
});

test('of several files defining a name, the one the task or the files read import is taken, else the first that is not a test', () => {
  const both = ['tally/cli/commands.py', 'tally/db/entries.py'];
  assert.equal(likeliestDefinition(both, 'from tally.db.entries import (\n    list_entries,\n)'), 'tally/db/entries.py');
  assert.equal(likeliestDefinition(['src/a/index.ts', 'src/b/view.ts'], "import { render } from './src/b/view'"), 'src/b/view.ts');
  assert.equal(likeliestDefinition(['tests/test_x.py', 'x/y.py'], 'nothing'), 'x/y.py');
  assert.equal(likeliestDefinition(['a.py', 'b.py'], 'a b'), 'a.py', 'bare module names are too common to go by');
});

test('the code under test: files a failure names, else the files defining most of the names the failure and the tests use; never a test file', () => {
  const files = ['shop/cart.py', 'shop/money.py', 'shop/util.py', 'test_cart.py', 'a.py', 'b.py', 'c.py', 'd.py'];
  const defined: Record<string, string[]> = {
    Cart: ['shop/cart.py'],
    total: ['shop/cart.py'],
    round_cents: ['shop/money.py'],
    test_total: ['test_cart.py'],
    helper: ['a.py', 'b.py', 'c.py', 'd.py'],
  };
  const index = {
    files: () => files,
    symbols: (name: string) => ({
      defs: (defined[name] ?? []).map((p) => ({ name, kind: 'function' as const, path: p, line: 1, endLine: 2, signature: '' })),
      refs: [],
    }),
    update: async () => ({ parsed: 0, removed: 0, files: 0 }),
    outline: () => undefined,
    repoMap: () => '',
  };
  const exists = (f: string) => files.includes(f);
  const pytest = '    def test_total():\n        cart = Cart()\n>       assert cart.total(10) == 18.0\nE       assert -180.0 == 18.0\n';
  assert.deepEqual(codeUnderTest({ output: pytest, tests: 'from shop.cart import Cart\nhelper()' }, ['test_cart.py'], exists, index), ['shop/cart.py']);
  const traceback = 'File "shop/money.py", line 4, in round_cents\nTypeError: ...\ntest_cart.py:9: in test_total';
  assert.deepEqual(codeUnderTest({ output: traceback, tests: '' }, [], exists, index), ['shop/money.py'], 'a named file first; round_cents adds no other');
  assert.deepEqual(codeUnderTest({ output: pytest, tests: '' }, ['shop/cart.py'], exists, index), [], 'files already read are not read again');
  assert.deepEqual(codeUnderTest({ output: pytest, tests: '' }, [], exists), [], 'no index, no names to follow');
  // with the failing tests' bodies known, their names count, and an import they never use is not read
  const imports = 'from shop.cart import Cart\nfrom shop.money import round_cents\n';
  assert.deepEqual(
    codeUnderTest({ output: pytest, tests: imports, failing: 'def test_total():\n    assert Cart().total(10) == 18.0' }, ['test_cart.py'], exists, index),
    ['shop/cart.py'],
  );
  assert.deepEqual(
    codeUnderTest({ output: pytest, tests: imports, failing: 'def test_total():\n    assert Cart().total(10) == 18.0' }, ['shop/cart.py'], exists, index),
    [],
    'shop/money.py is imported for another test: not read',
  );
  const locals = {
    ...index,
    symbols: (name: string) => ({
      defs: name === 'Cart' ? [{ name, kind: 'variable' as const, path: 'shop/money.py', line: 1, endLine: 1, signature: '' }] : [],
      refs: [],
    }),
  };
  assert.deepEqual(codeUnderTest({ output: pytest, tests: '' }, [], exists, locals), [], 'a variable of that name is a local, not the code under test');
});

test('a long test file is read at the failing tests the request quotes; a short one, or one where they are most of it, whole', () => {
  const lines = Array.from({ length: 150 }, (_, i) => `# line ${i + 1}`);
  lines[59] = 'def test_range_is_inclusive(conn):';
  lines[60] = '    assert listing(conn) == [1, 2]';
  lines[62] = 'def test_other(conn):';
  const text = lines.join('\n');
  assert.deepEqual(linesOfTests(text, ['test_range_is_inclusive', 'listing']), { from: 59, to: 63 });
  assert.equal(linesOfTests(text, ['listing']), undefined, 'no test of that name');
  assert.equal(linesOfTests(lines.slice(0, 90).join('\n'), ['test_range_is_inclusive']), undefined, 'a short file is read whole');
});

test('the last failing line of a test run is quoted when the model answers while they fail', () => {
  assert.equal(firstFailureLine('collected 2 items\n.F\nE       assert -180.0 == 18.0\n1 failed'), 'E       assert -180.0 == 18.0');
  assert.equal(firstFailureLine('ok\n'), '');
  assert.ok(guardsTests('The tests in test_cart.py fail: the total is wrong. Fix the bug.'));
  assert.ok(guardsTests('Implement wordy.rb so that the tests pass without changing them.'));
  assert.ok(!guardsTests('Add a test for parse_duration and fix what fails.'), 'a request to write tests may change them');
  assert.ok(!guardsTests('Update the tests for the new signature.'));
  assert.ok(!guardsTests('Why do the tests fail?'));
});

/** A session on `repo` (needs the sandbox) whose model only answers, after the turn "the tests in test_cart.py fail … Fix the bug." */
async function cartFixTurn(t: TestContext, repo: Awaited<ReturnType<typeof makeRepo>>) {
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'Seen.' }), act('answer', { text: 'Seen.' }), act('answer', { text: 'Seen.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return undefined;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('The tests in test_cart.py fail: the discounted total is wrong. Fix the bug.');
  return { s, model };
}

test('intake follows the failing test one call down: the class it tests, then the helper that class calls', async (t) => {
  const repo = await makeRepo({
    'shop/__init__.py': '',
    'shop/pricing.py': 'def apply_discount(amount, percent):\n    return amount - amount * percent\n',
    'shop/cart.py':
      'from shop.pricing import apply_discount\n\n\nclass Cart:\n    def __init__(self):\n        self.items = []\n\n' +
      '    def total(self, percent=0):\n        return apply_discount(sum(self.items), percent)\n',
    'test_cart.py': 'from shop.cart import Cart\n\n\ndef test_total():\n    cart = Cart()\n    cart.items.append(20.0)\n    assert cart.total(10) == 18.0\n',
  });
  const turn = await cartFixTurn(t, repo);
  if (!turn) return;
  const { s, model } = turn;
  const looks = s.events.flatMap((e) => (e.type === 'intake' ? [[e.action.tool, (e.action.args as { path?: string }).path ?? null]] : []));
  assert.deepEqual(looks, [
    ['read_file', 'test_cart.py'],
    ['run_tests', null],
    ['read_file', 'shop/cart.py'],
    ['read_file', 'shop/pricing.py'],
  ]);
  assert.match(
    lastPromptText(model.prompts, 0),
    /shop\/pricing\.py \(2 lines\)[^]*\nNext: the failing run and the code it runs are above\. Find the line that is wrong and fix it \(edit_file, or write_file to fill in a stub\); read another file only if the fault is not in these\.$/,
    'the last look says what comes next',
  );
});

test('the lines of a long file a failing test calls into: the functions it calls and what they call in the file, else the whole file', () => {
  const lines = Array.from({ length: 150 }, (_, i) => `# line ${i + 1}`);
  const put = (line: number, text: string) => (lines[line - 1] = text);
  put(10, 'def listing(f):');
  put(11, '    return run(query(f))');
  put(40, 'def query(f):');
  put(41, '    return f');
  put(120, 'def other():');
  put(121, '    return 1');
  const defs = [
    { name: 'listing', line: 10, endLine: 11 },
    { name: 'query', line: 40, endLine: 41 },
    { name: 'other', line: 120, endLine: 121 },
  ].map((d) => ({ ...d, kind: 'function' as const, path: 'repo.py', signature: '' }));
  const index = {
    files: () => ['repo.py'],
    symbols: () => ({ defs: [], refs: [] }),
    update: async () => ({ parsed: 0, removed: 0, files: 0 }),
    outline: () => defs,
    repoMap: () => '',
  };
  const text = lines.join('\n');
  assert.deepEqual(linesCalled(index, 'repo.py', text, ['listing']), { from: 9, to: 42 }, 'listing and the query it calls');
  assert.deepEqual(linesCalled(index, 'repo.py', text, ['query']), { from: 39, to: 42 });
  assert.equal(linesCalled(index, 'repo.py', text, ['listing', 'other']), undefined, 'most of the file: read whole');
  assert.equal(linesCalled(index, 'repo.py', text, ['run']), undefined, 'nothing called is defined here');
  assert.equal(linesCalled(index, 'repo.py', lines.slice(0, 60).join('\n'), ['listing']), undefined, 'a short file is read whole');
});

test('a long file the failing test calls into is read where it calls, and the map leaves out what the intake showed whole', async (t) => {
  // 20 helpers above and 20 below the function the test calls: 124 lines in all
  const helpers = (from: number) => Array.from({ length: 20 }, (_, i) => `def helper_${from + i}(x):\n    return x + ${from + i}\n\n`).join('');
  const cart = `${helpers(0)}def total(items, percent=0):\n    return sum(items) - sum(items) * percent\n\n\n${helpers(20)}`;
  const repo = await makeRepo({
    'shop/__init__.py': '',
    'shop/cart.py': cart,
    'test_cart.py': 'from shop.cart import total\n\n\ndef test_total():\n    assert total([20.0], 10) == 18.0\n',
  });
  const turn = await cartFixTurn(t, repo);
  if (!turn) return;
  const { s, model } = turn;
  const reads = s.events.flatMap((e) => (e.type === 'intake' && e.action.tool === 'read_file' ? [e.action.args] : []));
  const line = cart.split('\n').indexOf('def total(items, percent=0):') + 1;
  assert.deepEqual(reads, [
    { path: 'test_cart.py', startLine: null, endLine: null },
    { path: 'shop/cart.py', startLine: line - 1, endLine: line + 2 },
  ]);
  const shown = s.events.flatMap((e) => (e.type === 'intake' && e.action.tool === 'read_file' ? [e.result.forModel] : [])).at(-1) ?? '';
  assert.match(shown, /^shop\/cart\.py \(lines \d+-\d+ of \d+\)[^]*def total\(items, percent=0\):/);
  assert.doesNotMatch(shown, /helper_0\b|helper_39\b/, "only the lines around the function the failing test calls are shown (read_file's least: 40)");
  assert.ok(lastPromptText(model.prompts, 0).includes(shown));
  const map = /Repository map[^]*?\n\n/.exec(model.prompts[0][0].content)?.[0] ?? '';
  assert.match(map, /shop\/cart\.py/, 'the file shown in part stays in the map');
  assert.doesNotMatch(map, /test_cart\.py/, 'the file shown whole is left out of it');
});

test('a fix task: an edit to the failing test is held back, the code is fixed instead, and an answer while tests fail is sent back', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const bendTest = act('edit_file', { path: 'test_calc.py', edits: [{ find: '    assert add(2, 3) == 5\n', replace: '    assert add(2, 3) == -1\n' }] });
  const model = new ScriptedModel([
    bendTest,
    act('edit_file', { path: 'calc.py', edits: [{ find: '    return a - b\n', replace: '    return a * b\n' }] }),
    act('answer', { text: 'The tests pass.' }),
    act('edit_file', { path: 'calc.py', edits: [{ find: '    return a * b\n', replace: '    return a + b\n' }] }),
    act('answer', { text: 'add adds now.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('The test in test_calc.py fails. Fix the bug.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(result.text, 'add adds now.');
  assert.match(model.prompts[1].at(-1)!.content, /Not applied: test_calc.py is a test file[^]*Change the code they test instead/);
  assert.equal(await fs.readFile(path.join(repo.root, 'test_calc.py'), 'utf8'), calcTest, 'the test was left as it was');
  assert.match(model.prompts[3].at(-1)!.content, /Not yet: the last run of the tests failed \(.*assert.*\)/, 'the answer after a failing run went back');
  assert.deepEqual(result.changed, ['calc.py']);
  assert.equal(result.verified, true);

  // made again, it is held again: a small model offered a way through took it (c-fix-strlen)
  const insist = new ScriptedModel([bendTest, bendTest, act('answer', { text: 'The test looks wrong.' }), act('answer', { text: 'The test looks wrong.' })]);
  const again = await startSession(t, { root: repo.root, config: testConfig(), model: insist, tools: builtinTools, needsSandbox: true });
  if (!again) return;
  t.after(() => again.session.dispose());
  await fs.writeFile(path.join(repo.root, 'calc.py'), calc);
  await again.session.agent.runTurn('The test in test_calc.py fails. Fix the bug.');
  assert.match(insist.prompts[2].at(-1)!.content, /Not applied: test_calc.py is a test file[^]*If a test itself looks wrong, say so in your answer/);
  assert.equal(await fs.readFile(path.join(repo.root, 'test_calc.py'), 'utf8'), calcTest, 'the same change made again is not applied');
});

test('intake: the named test file is read and the tests run before the first step; a fix then lands with the tests run after it', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('read_file', { path: 'calc.py', startLine: null, endLine: null }), fixCalc, act('answer', { text: 'add adds now.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('The test in test_calc.py fails. Fix the bug.');
  assert.equal(result.status, 'answered', result.text);
  const first = model.prompts[0].map((m) => m.content).join('\n');
  assert.match(first, /Observation \(read_file\):\ntest_calc.py \(5 lines\)/, 'the named file was read for the model');
  assert.match(first, /Observation \(run_tests\):\ntests FAILED/, 'and the tests ran first');
  assert.match(first, /assert add\(2, 3\) == 5|assert -1 == 5/, 'showing the failure');
  const intake = s.events.filter((e) => e.type === 'intake');
  assert.deepEqual(
    intake.map((e) => e.type === 'intake' && [e.action.tool, (e.action.args as { path?: string }).path ?? null]),
    [
      ['read_file', 'test_calc.py'],
      ['run_tests', null],
      ['read_file', 'calc.py'],
    ],
    'the code under test (it defines `add`, which the failing test uses) is read after the failing run',
  );
  assert.match(first, /Observation \(read_file\):\ncalc.py \(2 lines\)/);
  assert.equal(result.attempts.length, 1, 'the intake run is not an attempt; the run after the fix is');
  assert.equal(result.attempts[0].passed, true);
  const afterFix = model.prompts[2].at(-1)!.content;
  assert.match(afterFix, /Applied: calc.py[^]*Then the tests ran \(python3 -m pytest -q\):\ntests PASSED/, 'the tests ran after the change, with its result');
  assert.deepEqual(result.changed, ['calc.py']);
  assert.equal(result.verified, true);
  assert.equal(await fs.readFile(path.join(repo.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n');
});

test('a change request answered without a change is sent back once; the second answer stands', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'Change a - b to a + b.' }), act('answer', { text: 'Nothing to change.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Fix add in calc.py so it adds.');
  assert.equal(result.status, 'answered');
  assert.equal(result.text, 'Nothing to change.');
  assert.match(model.prompts[1].at(-1)!.content, /Not yet: the request asks for a change to the project, and no file was changed/);
  assert.equal(result.verified, false);
  const question = new ScriptedModel([act('answer', { text: 'It subtracts.' })]);
  const q = await startSession(t, { root: repo.root, config: testConfig(), model: question, tools: builtinTools });
  if (!q) return;
  t.after(() => q.session.dispose());
  assert.equal((await q.session.agent.runTurn('What does add in calc.py do?')).text, 'It subtracts.', 'a question is never sent back');
});

test('a question answered with a question goes back once; a second question to the person stands', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    { thought: 'add returns a - b.', tool: 'answer', args: { text: 'What should add in calc.py return for 2 and 3? ' } },
    act('answer', { text: 'Do you mean add or sub?' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('What does add in calc.py do?');
  assert.equal(result.text, 'Do you mean add or sub?');
  assert.match(
    model.prompts[1].at(-1)!.content,
    /^\[Not yet: your answer is a question\.[^]*Your thought was: "add returns a - b\."; if that answers it, answer with it\./,
  );
  assert.ok(s.events.some((e) => e.type === 'notice' && /answered the question with a question/.test(e.message)));
});

test('an answer that repeats the note it was sent goes back; a thought cut at its bound that the answer reads on from is part of the answer', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const question = 'How many functions does calc.py define? Answer with just the number.';
  const model = new ScriptedModel([
    act('answer', { text: 'It defines a few.' }),
    act('answer', { text: 'The question asks for a number, and your answer' }),
    act('answer', { text: '1' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn(question);
  assert.equal(result.text, '1');
  assert.match(model.prompts[1].at(-1)!.content, /^\[Not yet: the question asks for the number, and your answer "It defines a few\." gives none\./);
  assert.match(model.prompts[2].at(-1)!.content, /^\[Not yet: your answer repeats the note you were sent\. Answer the question/);

  // an answer in the words of the code just read is no note said back
  const quoting = new ScriptedModel([act('answer', { text: 'def add(a, b): return a - b' })]);
  const s3 = await startSession(t, { root: repo.root, config: testConfig(), model: quoting, tools: builtinTools });
  if (!s3) return;
  t.after(() => s3.session.dispose());
  assert.equal((await s3.session.agent.runTurn('What does add in calc.py return?')).text, 'def add(a, b): return a - b');

  const thought = 'The chain ends in add in calc.py, which returns a + b. The change is';
  const runOn = new ScriptedModel([act('answer', { text: 'not needed.' }, thought), act('answer', { text: 'add.' }, 'Short.')]);
  const s2 = await startSession(t, {
    root: repo.root,
    config: testConfig(),
    model: runOn,
    tools: builtinTools,
    actionSchema: { maxThoughtLength: thought.length },
  });
  if (!s2) return;
  t.after(() => s2.session.dispose());
  assert.equal((await s2.session.agent.runTurn('Which function adds two numbers?')).text, `${thought} not needed.`);
  assert.equal((await s2.session.agent.runTurn('Which function adds two numbers?')).text, 'add.', 'a short thought: the answer as given');
});

test("an answer that repeats the person's question goes back twice; then it stands", async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const question = 'What does add in calc.py return for 2 and 3, and which line computes it?';
  const echo = act('answer', { text: question });
  const said = act('answer', { text: `${question.slice(0, -1)}.` });
  const model = new ScriptedModel([echo, said, said]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn(question);
  assert.equal(result.text, said.args.text, 'asked twice, the third stands: the step limit and the person decide');
  for (const i of [1, 2]) assert.match(model.prompts[i].at(-1)!.content, /^\[Not yet: your answer repeats the user's question\. Answer the question/);
  assert.ok(
    restates(
      'How many entries can one response contain at most, and which function applies that limit?',
      `If a client asks for \`GET /entries?per_page=100000\`, how many entries can one response contain at most, and which function applies that limit? Answer with the number and the function name.`,
    ),
  );
  assert.ok(
    !restates(
      'At most 200 entries: page_params caps per_page at max_page_size.',
      'How many entries can one response contain at most, and which function applies that limit?',
    ),
  );
  assert.ok(!restates('add returns 5.', 'What does add return?'), 'a short answer in the question words is an answer');
});

test("an answer that names the faulty function without fixing it is sent back with that function's lines", async (t) => {
  const pages = 'def page_count(total, size):\n    return max(1, total // size)\n';
  const repo = await makeRepo({ 'shop/__init__.py': '', 'shop/pages.py': pages, 'calc.py': calc });
  t.after(repo.cleanup);
  const diagnosis = 'The bug is in shop/pages.py, in the `page_count` function: it should round up.';
  const model = new ScriptedModel([act('answer', { text: diagnosis }), act('answer', { text: 'Nothing to change.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('30 items at 25 a page say there is 1 page. Fix the bug.');
  assert.match(
    model.prompts[1].at(-1)!.content,
    /no file was changed[^]*\nYour answer names `page_count` \(shop\/pages\.py:1-2\):\n1\| def page_count\(total, size\):\n2\|     return max\(1, total \/\/ size\)\nIf the fault is there, fix it now with edit_file/,
  );
});

test("the same failure again with nothing changed (also the intake's) is recorded but not counted as an attempt, and not shown again", async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const runTests = act('run_tests', { command: null });
  const model = new ScriptedModel([runTests, runTests, fixCalc, runTests, act('answer', { text: 'done' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ maxAttempts: 2 }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Run the tests and fix what fails.');
  assert.equal(result.status, 'answered', 'one real failure is within maxAttempts 2: the repeat did not count as a second');
  assert.deepEqual(
    result.attempts.map((a) => [a.passed, a.repeat ?? false]),
    [
      [false, true],
      [false, true],
      [true, false],
    ],
    'the intake ran the tests first, so both runs before the fix repeat its failure',
  );
  const repeated = model.prompts[2].at(-1)!.content;
  assert.match(
    repeated,
    /^Observation \(run_tests\):\ntests FAILED[^\n]*\n\[The same failure as the last run above, word for word \(>\s+assert add\(2, 3\) == 5\)/,
  );
  assert.match(repeated, /this run does not count as an attempt/);
  assert.doesNotMatch(repeated, /assert -1 == 5|test_calc.py:\d/, 'its output is above already and is not shown again');
  assert.match(lastPromptText(model.prompts, 0), /assert -1 == 5|test_calc.py:\d/, 'as the intake showed it');
  const tracker = new AttemptTracker();
  tracker.add(run('x', 1));
  tracker.add(run('x', 1), { repeat: true });
  assert.equal(tracker.failures(), 1);
});

test('a passing run counts as checking the task only if it runs the tests or names a changed file', () => {
  assert.ok(checksChangedCode(run('python3 -m pytest -q'), ['calc.py'], 'python3 -m pytest -q'));
  assert.ok(checksChangedCode(run('python3 calc.py'), ['calc.py'], undefined));
  assert.ok(
    checksChangedCode(run('python3 assist_snippet.py', 0, 'from calc import add\nprint(add(2, 3))\n'), ['src/calc.py'], undefined),
    'a snippet that imports the changed module',
  );
  assert.ok(
    !checksChangedCode(run('python3 assist_snippet.py', 0, 'def add(a, b):\n    return a + b\nprint(add(2, 3))\n'), ['wordy.py'], 'python3 -m pytest -q'),
    'an unrelated snippet checks nothing',
  );
  assert.ok(!checksChangedCode(run('echo ok'), [], undefined));
});

test('write_file refuses to empty a file or to replace one the model has not read; after a read it may', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const whole = act('write_file', { path: 'calc.py', content: 'def add(a, b):\n    return a + b\n' });
  const model = new ScriptedModel([
    whole,
    act('read_file', { path: 'calc.py', startLine: null, endLine: null }),
    act('write_file', { path: 'calc.py', content: '' }),
    whole,
    act('answer', { text: 'done' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  // (words the code does not hold: the intake reads nothing for the model)
  await s.session.agent.runTurn('Make it right.');
  const observations = s.events.filter((e) => e.type === 'observation').map((e) => (e.type === 'observation' ? e.result.forModel : ''));
  assert.match(observations[0], /calc.py already exists \(2 lines\) and you have not read it; nothing was written/);
  assert.match(observations[2], /This would empty calc.py \(2 lines\); nothing was written/);
  assert.match(observations[3], /^Applied: calc.py/);
  assert.equal(await fs.readFile(path.join(repo.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n');
});

test('assist run works on the project when the task is about its files or its failing tests, and writes a new program otherwise', async (t) => {
  const repo = await makeRepo({ 'app.py': 'print(1)\n', 'output/task_1/final_code.py': 'x\n' });
  t.after(repo.cleanup);
  const out = path.join(repo.root, 'output');
  assert.equal(await runModeFor('Change app.py to print 2', repo.root, out), 'project');
  assert.equal(await runModeFor('The tests fail; fix the bug', repo.root, out), 'project');
  assert.equal(await runModeFor('Write a program that prints the first 10 primes', repo.root, out), 'new-program');
  const empty = await makeRepo({ 'output/task_1/final_code.py': 'x\n' });
  t.after(empty.cleanup);
  assert.equal(
    await runModeFor('fix the bug in final_code.py', empty.root, path.join(empty.root, 'output')),
    'new-program',
    'the output folder is not the project',
  );
});

test('the text protocol: the model reads its past actions as a JSON line and raw blocks, and the code-block guide is in the prompt', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('read_file', { path: 'calc.py', startLine: null, endLine: null }), fixCalc, act('answer', { text: 'done' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ actionFormat: 'text' }), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Fix add in calc.py.');
  const system = model.prompts[0][0].content;
  assert.match(system, /Code blocks:\n- write_file: after the JSON line, the content in a ``` block/);
  assert.match(system, /<<<<<<< SEARCH\n    return f"Hello \{name\}!"\n=======/);
  const history = model.prompts[2].map((m) => m.content).join('\n');
  assert.match(
    history,
    /\{"thought": "", "tool": "edit_file", "args": \{"path": "calc.py"\}\}\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a \+ b\n>>>>>>> REPLACE/,
  );
});

test('a read of a file the conversation shows whole and unchanged gets a reminder, not the lines again; a changed file reads again', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'notes.txt': 'a\nb\n' });
  t.after(repo.cleanup);
  const readCalc = act('read_file', { path: 'calc.py', startLine: null, endLine: null });
  const model = new ScriptedModel([
    readCalc,
    fixCalc,
    readCalc,
    act('read_file', { path: 'calc.py', startLine: 1, endLine: 1 }),
    act('answer', { text: 'add adds now.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Fix add in calc.py: it subtracts.');
  assert.equal(result.status, 'answered', result.text);
  const observation = (step: number) => model.prompts[step].at(-1)!.content;
  assert.match(model.prompts[0].map((m) => m.content).join('\n'), /calc.py \(2 lines\)\n1\| def add/, 'the intake showed calc.py whole');
  assert.match(observation(1), /calc.py has not changed since the intake showed all 2 lines of it[^]*change it now with edit_file/);
  assert.doesNotMatch(observation(1), /1\| def add/, 'its lines were not shown again');
  assert.match(observation(3), /calc.py \(2 lines\)\n1\| def add\(a, b\):\n2\|     return a \+ b/, 'after the edit, a read shows the new text');
  assert.match(
    observation(4),
    /^Observation \(read_file\):\ncalc.py \(lines 1-2 of 2\)|^Observation \(read_file\):\ncalc.py \(2 lines\)/,
    'a line range reads again',
  );
  const rereads = s.events.filter((e) => e.type === 'notice' && e.level === 'warn');
  assert.equal(rereads.length, 0, 'a reminder is not a repeat');
});

test('in the text protocol read_file may still name a file shown whole (no other path is forced on it), and the re-read gets a reminder; with every file shown it is not offered', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'notes.txt': 'a\nb\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('read_file', { path: 'calc.py', startLine: null, endLine: null }), fixCalc, act('answer', { text: 'Fixed.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ actionFormat: 'text' }), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Fix add in calc.py: it subtracts.');
  /** The files read_file may name in a step's grammar: the literals of the path rule its `path` takes. */
  const readable = (grammar: string): string => {
    const rule = (name: string) => grammar.split('\n').find((l) => l.startsWith(`${name} ::=`)) ?? '';
    const pathString = /tool-read-file-\d+ ::= .*?"\\"path\\": " (path-string-\d+)/.exec(grammar)?.[1] ?? '';
    return rule(/"\\"" (path-\d+) "\\""/.exec(rule(pathString))?.[1] ?? '');
  };
  assert.match(readable(model.grammars[0]), /notes\.txt/);
  // (left out, a path the model had begun was steered to another file mid-word: pyapp-test-router read and edited
  // tally/api/reports.py, its thought naming tally/api/routing.py)
  assert.match(readable(model.grammars[0]), /calc\.py/, 'the intake showed calc.py whole, and the path stays nameable');
  assert.match(model.prompts[1].at(-1)!.content, /calc\.py has not changed since/, 'the re-read is answered with a reminder, not the lines again');

  const alone = await makeRepo({ 'calc.py': calc });
  t.after(alone.cleanup);
  const only = new ScriptedModel([fixCalc, act('answer', { text: 'Fixed.' })]);
  const s2 = await startSession(t, { root: alone.root, config: testConfig({ actionFormat: 'text' }), model: only, tools: builtinTools });
  if (!s2) return;
  t.after(() => s2.session.dispose());
  await s2.session.agent.runTurn('Fix add in calc.py: it subtracts.');
  assert.doesNotMatch(only.grammars[0], /tool-read-file-\d+/, 'every file is shown: nothing is left to read');
  assert.match(only.grammars[0], /tool-edit-file-\d+/);
});

test('a request that names no file is searched for what it quotes or names: messages, JSON keys, routes, code names', () => {
  const terms = (task: string) => searchTermsIn(task).map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(terms('A booking for 10:00 is refused with 409 "already booked". Please fix it.'), ['phrase:already booked']);
  assert.deepEqual(
    terms("Bug: \"We have 30 entries. `GET /entries?page=2` answers 404 'page 2 is out of range (there are 1)'. The rest can't be reached.\""),
    ['name:/entries', 'phrase:page 2 is out of range (there are 1)'],
    "a message quoted inside the reporter's words; the reporter's sentence is not a message",
  );
  assert.deepEqual(terms('Sending {"roomId": 3, "capacity": 7.5} is accepted.'), ['name:roomId', 'name:capacity']);
  assert.deepEqual(terms('Which function reads round_to_minutes, and where is pageSize set? See MAX_ROWS.'), [
    'name:round_to_minutes',
    'name:pageSize',
    'name:MAX_ROWS',
  ]);
  assert.deepEqual(terms("Fix the parser in parser.py; it doesn't handle tabs."), [], 'file names are for the file intake; apostrophes are not quotes');
  assert.deepEqual(['test/bookings-repo.test.ts', 'tests/test_cart.py', 'CartTest.java', 'stack_test.go', 'spec/slug_spec.rb'].map(testedName), [
    'bookings-repo',
    'cart',
    'Cart',
    'stack',
    'slug',
  ]);
  assert.deepEqual(phrasePieces('page 2 is out of range (there are 1)'), ['is out of range', 'there are'], "a template's literal pieces, longest first");
  const hits = [
    { term: { text: 'already booked', kind: 'phrase' as const }, files: ['src/booking.ts'] },
    { term: { text: 'capacity', kind: 'name' as const }, files: ['src/rooms.ts', 'src/booking.ts', 'src/validate.ts'] },
    { term: { text: 'id', kind: 'name' as const }, files: Array.from({ length: 12 }, (_, i) => `src/f${i}.ts`) },
  ];
  assert.deepEqual(likeliestFiles(hits), ['src/booking.ts', 'src/rooms.ts', 'src/validate.ts'], 'a rare term weighs more; one in 12 files says nothing');
  assert.deepEqual(
    tellingTerms(hits).map((h) => h.term.text),
    ['already booked', 'capacity'],
  );
});

test('intake greps what a bug report quotes, reads the file it points at, and follows a failing test file to the code it imports', async (t) => {
  const repo = await makeRepo({
    'src/booking.js':
      "export function book(slots, slot) {\n  if (slots.some((s) => s.start <= slot.end && slot.start <= s.end)) throw new Error('already booked');\n  return [...slots, slot];\n}\n",
    'src/rooms.js': 'export const rooms = ["Aurora"];\n',
    'README.md': 'Bookings are refused when the room is already booked.\n',
    'server.pem': '-----BEGIN PRIVATE KEY----- already booked\n',
  });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'The overlap test counts touching meetings.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Where does a booking get refused with "already booked"?');
  const looks = s.events.flatMap((e) =>
    e.type === 'intake' ? [[e.action.tool, (e.action.args as { query?: string; path?: string }).query ?? (e.action.args as { path?: string }).path]] : [],
  );
  assert.deepEqual(
    looks,
    [
      ['search_code', 'already booked'],
      ['read_file', 'src/booking.js'],
    ],
    'the code the message is in, not the README that mentions it, nor a key file',
  );
  assert.match(lastPromptText(model.prompts, 0), /src\/booking.js:2:.*already booked/);
  const imports = "import { test } from 'node:test';\nimport { open } from '../src/db.js';\nimport { book } from '../src/booking.js';\ntest('x', () => {});\n";
  const index = {
    files: () => ['src/db.js', 'src/booking.js', 'src/rooms.js', 'test/booking.test.js'],
    symbols: () => ({ defs: [], refs: [] }),
    update: async () => ({ parsed: 0, removed: 0, files: 0 }),
    outline: () => undefined,
    repoMap: () => '',
  };
  const output = "not ok 1 - x\n  location: '/work/test/booking.test.js:3:1'\n  stack: |-\n    inTransaction (file:///work/src/db.js:10:5)\n";
  assert.deepEqual(
    codeUnderTest(
      { output, tests: '' },
      [],
      () => true,
      index,
      2,
      (f) => (f === 'test/booking.test.js' ? imports : undefined),
    ),
    ['src/booking.js', 'src/db.js'],
    "the test file the output names (by the sandbox's path) imports the code under test; the file it is named for comes before a frame of a wrapper",
  );
});

test('a bug report whose words are each in many files: the intake reads the code file that holds most of them', async (t) => {
  // capacity and attendees are everywhere; the validation code is where they meet with reject and room
  const repo = await makeRepo({
    'src/validation.js':
      "export function readRoom(body) {\n  const capacity = integer(body.capacity);\n  if (capacity === undefined) rejectField('capacity');\n  return { capacity };\n}\n" +
      "export function readBooking(body) {\n  const attendees = integer(body.attendees);\n  if (attendees === undefined) rejectField('attendees');\n  return { attendees };\n}\n" +
      'function integer(value) {\n  return typeof value === "number" ? value : undefined;\n}\n',
    'src/rooms.js': 'export function roomLine(room) {\n  return `${room.name}: ${room.capacity} seats`;\n}\n',
    'src/bookings.js': 'export function bookingLine(b) {\n  return `${b.title}: ${b.attendees} people`;\n}\n',
    'src/report.js': 'export function summary(rooms, bookings) {\n  return rooms.map((r) => r.capacity).concat(bookings.map((b) => b.attendees));\n}\n',
    'README.md': 'Rooms have a capacity; bookings have attendees. Invalid input is rejected.\n',
  });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'Seen.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('A room with capacity 7.5 was accepted, and a booking with 2.5 attendees too. Those should be rejected. Please fix it.');
  const reads = s.events.flatMap((e) => (e.type === 'intake' && e.action.tool === 'read_file' ? [(e.action.args as { path: string }).path] : []));
  assert.deepEqual(reads, ['src/validation.js']);
  assert.match(lastPromptText(model.prompts, 0), /the code whose words match the request best/);
});

/**
 * A scripted turn on calc.py ("Fix add ... it subtracts") that ends with an answer after `steps`;
 * `offers(i, tool)`: whether step i's grammar offered `tool`. Undefined when no session could start.
 */
async function fixCalcTurn(t: TestContext, root: string, steps: Action[]) {
  const model = new ScriptedModel([...steps, act('answer', { text: 'Fixed.' })]);
  const s = await startSession(t, { root, config: testConfig(), model, tools: builtinTools });
  if (!s) return undefined;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Fix add in calc.py: it subtracts.');
  assert.equal(result.status, 'answered', result.text);
  return { model, offers: (i: number, tool: string) => JSON.stringify(model.schemas[i]).includes(`"${tool}"`) };
}

test('a failing action repeated word for word benches its tool for the next step (every edit tool, for an edit); then it is offered again', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const same = act('edit_file', { path: 'calc.py', edits: [{ find: '    return a - b\n', replace: '    return a - b\n' }] });
  const turn = await fixCalcTurn(t, repo.root, [same, same, act('read_file', { path: 'calc.py', startLine: 1, endLine: 2 }), fixCalc]);
  if (!turn) return;
  const { model, offers } = turn;
  assert.ok(offers(1, 'edit_file'), 'after one refusal the edit tools stay');
  assert.ok(!offers(2, 'edit_file') && !offers(2, 'edit_files') && !offers(2, 'write_file'), 'after the repeat no edit tool is in the grammar');
  assert.ok(offers(2, 'read_file') && offers(2, 'run_tests'), 'the rest is');
  assert.match(model.prompts[2].at(-1)!.content, /Your next step cannot use a tool that changes files \(write_file, edit_file, [^)]*\): look again first/);
  assert.ok(offers(3, 'edit_file'), 'one step later they are back');
  assert.equal(await fs.readFile(path.join(repo.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n');
});

test('the same look-up a third time despite the reminder benches every look-up tool for a step', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const look = act('read_file', { path: 'calc.py', startLine: 1, endLine: 2 });
  const turn = await fixCalcTurn(t, repo.root, [look, look, look, fixCalc]);
  if (!turn) return;
  const { model, offers } = turn;
  assert.ok(offers(2, 'read_file'), 'a look-up repeated once only earns its reminder');
  assert.ok(!offers(3, 'read_file') && !offers(3, 'search_code') && !offers(3, 'find_symbol'), 'after the third, no look-up tool is in the grammar');
  assert.ok(offers(3, 'edit_file') && offers(3, 'run_tests'), 'the rest is');
  assert.match(model.prompts[3].at(-1)!.content, /Your next step cannot look again \(read_file, [^)]*\): use what is above/);
  assert.ok(offers(4, 'read_file'), 'one step later they are back');
});

test('three look-ups in a row in a turn that has changed nothing bench the look-ups for a step', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'util.py': 'def twice(x):\n    return 2 * x\n', 'notes.py': 'NOTE = 1\n' });
  t.after(repo.cleanup);
  const turn = await fixCalcTurn(t, repo.root, [
    act('read_file', { path: 'util.py', startLine: null, endLine: null }),
    act('search_code', { query: 'return', regex: false, caseSensitive: false, glob: null, contextLines: null, maxResults: null }),
    act('read_file', { path: 'notes.py', startLine: null, endLine: null }),
    fixCalc,
  ]);
  if (!turn) return;
  const { model, offers } = turn;
  assert.ok(offers(2, 'read_file'), 'two look-ups in a row are fine');
  assert.ok(!offers(3, 'read_file') && !offers(3, 'search_code'), 'after the third, no look-up tool is in the grammar');
  assert.ok(offers(3, 'edit_file') && offers(3, 'run_tests'), 'the rest is');
  assert.match(
    model.prompts[3].at(-1)!.content,
    /You have looked 3 times in a row and changed nothing yet[^]*make the change now with what you have read \(edit_file/,
  );
  assert.ok(offers(4, 'read_file'), 'one step later they are back');
});

test('a question is answered, not acted on: no tool that changes files is offered, and a re-read is not pointed at an edit', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('read_file', { path: 'calc.py', startLine: null, endLine: null }), act('answer', { text: 'It subtracts.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('What does add in calc.py return?');
  assert.equal(result.status, 'answered', result.text);
  for (const schema of model.schemas) {
    const offered = JSON.stringify(schema);
    assert.ok(offered.includes('"read_file"') && !offered.includes('"edit_file"') && !offered.includes('"write_file"'), offered.slice(0, 200));
  }
  assert.match(
    lastPromptText(model.prompts, 0),
    /Observation \(read_file\):\ncalc\.py \(2 lines\)[^]*\nNext: if calc\.py above answers the question, call answer now with the answer itself \(what the question asks for, not the question\)/,
    'the intake read the file the question names, and says it may hold the answer',
  );
  const reminder = model.prompts[1].at(-1)!.content;
  assert.match(reminder, /calc.py has not changed since the intake showed all 2 lines[^]*answer from them/);
  assert.doesNotMatch(reminder, /edit_file/);
  assert.ok(onlyAsks('Which environment variable would change that number?'));
  assert.ok(onlyAsks('Can you explain what add returns?'));
  assert.ok(!onlyAsks('Can you add a test for add?'), 'a question that asks for a change keeps its edit tools');
  assert.ok(!onlyAsks('Fix the parser. Why did it accept 1.2?'));
  assert.ok(!onlyAsks('The total is wrong. Could you please correct it?'));
});

test('the same passing run again with nothing changed ends the turn: the change is checked', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const runTests = act('run_tests', { command: null });
  const model = new ScriptedModel([fixCalc, runTests, runTests, act('answer', { text: 'never reached' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('The test in test_calc.py fails. Fix the bug.');
  assert.equal(result.status, 'answered');
  assert.match(result.text, /^Done: .*pytest.* passes with the changes to calc\.py \(it passed twice with nothing changed in between/);
  assert.equal(model.remaining(), 1, 'the answer step was not needed');
});

test('the project-wide rename is offered only when the request asks for a new name', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc });
  t.after(repo.cleanup);
  const model = new ScriptedModel([1, 2, 3, 4].map(() => act('answer', { text: 'Seen.' })));
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('The page count is wrong for an empty list. Please fix it.');
  const offered = (i: number) => JSON.stringify(model.schemas[i]).includes('"rename_symbol"');
  assert.ok(!offered(0), 'a bug fix needs no new names (the 1.5B model renamed `items` in every file)');
  const before = model.schemas.length;
  await s.session.agent.runTurn('Rename add to plus everywhere.');
  assert.ok(offered(before), 'a rename is offered it');
});

test('a document to be written from the code: the intake reads the code as well as the document it names', async (t) => {
  const repo = await makeRepo({
    'README.md': '# Shop\n\nA small shop.\n\n## Usage\n\nRun it.\n',
    'shop/settings.py': 'DEFAULTS = {"currency": "EUR", "tax_rate": 21}\nENV_VARS = {"SHOP_CURRENCY": "currency", "SHOP_TAX_RATE": "tax_rate"}\n',
    'shop/cart.py': 'def total(prices):\n    return sum(prices)\n',
  });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'Seen.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn(
    'Add a section to README.md listing every setting: its default, and the environment variable that sets it. Take them from the code.',
  );
  const reads = s.events.flatMap((e) => (e.type === 'intake' && e.action.tool === 'read_file' ? [(e.action.args as { path: string }).path] : []));
  assert.deepEqual(reads, ['README.md', 'shop/settings.py']);
});
