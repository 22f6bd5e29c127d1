/**
 * Code completion as a first try at a fix, and as the way out of an edit that copies its lines:
 * the body of a function written afresh between its signature and its closing line. The loop is
 * under test, so the model is scripted (its actions and its fill-in-the-middle answers); the index,
 * the sandbox runs and the files are real. The engine's fill-in-the-middle is tested on the tiny
 * GGUF in test/model/infill.test.ts.
 */
import { type TestContext, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  changeSize,
  failingIn,
  failureSummary,
  looseStubRegion,
  repairCandidates,
  stubbedFailing,
  tryTimeoutMs,
  withoutWarnings,
} from '../../../src/agent/completion/infill-repair.ts';
import { linesNamed } from '../../../src/agent/checks/output-lines.ts';
import type { Action, InfillRequest } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { bodyOf, holdsCode, topLevelRegion } from '../../../tools/body-rewrite.ts';
import { builtinTools } from '../../../tools/index.ts';
import { lastPromptText, makeRepo, repairSession, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

const calc = 'def add(a, b):\n    """The sum of a and b."""\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n';
const calcTest = 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n';

/** The last signature line in what code completion read before the gap: the function whose body it writes (after the signature, its docstring). */
const signatureOf = (prefix: string) =>
  prefix
    .split('\n')
    .filter((line) => /^\s*(def|fn|func|function)\b/.test(line))
    .at(-1);

const shapeStubs =
  'def area(w, h):\n    """Width times height."""\n    raise NotImplementedError("not implemented")\n\n\n' +
  'def perimeter(w, h):\n    """Twice width plus height."""\n    raise NotImplementedError("not implemented")\n';
const shapeTests =
  'from shapes import area, perimeter\n\n\ndef test_area():\n    assert area(2, 3) == 6\n\n\ndef test_perimeter():\n    assert perimeter(2, 3) == 10\n';

test('the body in what code completion wrote: up to the code after the gap, a fence, or prose', () => {
  assert.equal(bodyOf('    return n;\n}\n\nvoid other(void) {\n', ''), '    return n;');
  assert.equal(bodyOf('    return amount * (1 - percent / 100)\n```\n\nThis function takes', ''), '    return amount * (1 - percent / 100)');
  assert.equal(bodyOf('      groups = {}\n\n      groups\n    end\n    def self.render', '    '), '      groups = {}\n\n      groups');
  assert.equal(bodyOf('return 1\n', '    '), '', 'not indented past the signature: not a body');
});

test('a failing fix: the named function is written afresh and kept because the tests pass with it, and that ends the turn', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const model = new ScriptedModel([], {
    infills: ['    """The sum of a and b."""\n    return a + b\n```\nThe function adds.'],
  });
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('`python3 -m pytest` fails: add returns the wrong sum. Fix the bug in calc.py.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(
    await readFile(path.join(repo.root, 'calc.py'), 'utf8'),
    calc.replace('    return a - b\n\n\ndef sub', '    return a + b\n\n\ndef sub'),
    'only the body of add changed',
  );
  const request = model.infillRequests[0];
  assert.equal(request.path, 'calc.py');
  assert.equal(
    request.prefix,
    '# Request: `python3 -m pytest` fails: add returns the wrong sum. Fix the bug in calc.py.\ndef add(a, b):\n    """The sum of a and b."""\n',
    'the signature and its docstring end the prefix, the request above it as a comment',
  );
  assert.equal(request.suffix, '\n\ndef sub(a, b):\n    return a - b\n', 'the code after the body starts the suffix');
  assert.deepEqual(
    request.files?.map((f) => f.path),
    ['TASK.md', 'test_calc.py'],
    'the request, then the test the intake read, are the context',
  );
  assert.match(request.files?.[0].text ?? '', /^`python3 -m pytest` fails: add returns the wrong sum/);
  assert.match(result.text, /^Fixed: the body of add in calc\.py was written afresh by code completion: .*pytest.* passes with it\. Changed: calc\.py\.$/);
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  const look = s.events.findLast((e) => e.type === 'intake');
  assert.equal(look?.type === 'intake' && look.action.tool, 'edit_file', 'the log has the change as the edit it is');
  assert.equal(result.verified, true, 'the repair is an attempt that passed');
  assert.deepEqual(result.changed, ['calc.py']);
});

test('a rewrite the tests fail with is not kept, and nothing is written; the model goes on from the failure', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'I could not.' }), act('answer', { text: 'I could not.' })], {
    // add still wrong, then sub's body the same as before (not even tried)
    infills: ['    """The sum of a and b."""\n    return a * b\n', '    return a - b\n'],
  });
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('`python3 -m pytest` fails: add returns the wrong sum. Fix the bug in calc.py.');
  assert.equal(await readFile(path.join(repo.root, 'calc.py'), 'utf8'), calc);
  const greedy = model.infillRequests.filter((r) => !r.temperature);
  assert.equal(greedy.length, 2, 'add, then the other function of the file');
  assert.ok(
    model.infillRequests.slice(2).every((r) => (r.temperature ?? 0) > 0),
    'then samples, which came back empty here',
  );
  assert.doesNotMatch(lastPromptText(model.prompts, 0), /afresh by code completion/);
  assert.equal(s.events.filter((e) => e.type === 'attempt').length, 0, 'a staged try is not an attempt');
});

test('when no greedy rewrite passes, the likeliest function is sampled, and a sample the tests pass with is kept', async (t) => {
  const model = new ScriptedModel([], {
    infills: [
      '    """The sum of a and b."""\n    return a * b\n', // add, greedy: still wrong
      '    return b - a\n', // sub, greedy: no test fails less with it
      (r) => (r.temperature && signatureOf(r.prefix) === 'def add(a, b):' ? '    """The sum of a and b."""\n    return b + a\n' : undefined),
    ],
  });
  const s = await repairSession(t, { 'calc.py': calc, 'test_calc.py': calcTest }, model);
  if (!s) return;
  const result = await s.session.agent.runTurn('`python3 -m pytest` fails: add returns the wrong sum. Fix the bug in calc.py.');
  assert.equal(result.status, 'answered', result.text);
  assert.match(await readFile(path.join(s.root, 'calc.py'), 'utf8'), /return b \+ a\n\n\ndef sub\(a, b\):\n    return a - b\n$/);
  const sample = model.infillRequests[2];
  assert.ok(sample.temperature && sample.temperature > 0 && sample.seed === 1, 'the third request is the first sample');
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  const tries = s.events.flatMap((e) => (e.type === 'notice' && e.message.startsWith('Code completion tried') ? [e.message] : []));
  assert.deepEqual(
    tries,
    [
      'Code completion tried add in calc.py (greedy): the tests fail (1 failing).',
      'Code completion tried sub in calc.py (greedy): the tests fail (1 failing).',
      'Code completion tried add in calc.py (sample 1): the tests pass.',
    ],
    'every try is told and logged, with how the tests went',
  );
});

test('a sample that comes back as a body tried before is not run again, and after two such its function is sampled no more', async (t) => {
  // add is always written the same wrong way; sub as it is
  const write = (r: InfillRequest) => (signatureOf(r.prefix) === 'def add(a, b):' ? '    """The sum of a and b."""\n    return a * b\n' : '    return a - b\n');
  const model = new ScriptedModel([act('answer', { text: 'I could not.' })], { infills: Array(20).fill(write) });
  const s = await repairSession(t, { 'calc.py': calc, 'test_calc.py': calcTest }, model);
  if (!s) return;
  await s.session.agent.runTurn('`python3 -m pytest` fails: add returns the wrong sum. Fix the bug in calc.py.');
  const tries = s.events.flatMap((e) => (e.type === 'notice' && e.message.startsWith('Code completion') && e.message.includes(' add ') ? [e.message] : []));
  assert.deepEqual(tries, [
    'Code completion tried add in calc.py (greedy): the tests fail (1 failing).',
    'Code completion wrote add in calc.py (sample 1) as it was tried before: not run again.',
    'Code completion wrote add in calc.py (sample 2) as it was tried before: not run again.',
  ]);
  assert.equal(model.infillRequests.filter((r) => signatureOf(r.prefix) === 'def add(a, b):').length, 3, 'add: greedy and two samples, then no more');
  assert.equal(await readFile(path.join(s.root, 'calc.py'), 'utf8'), calc);
});

test('with several tests failing, a rewrite that leaves fewer failing is kept as a step, and the repair goes on from its run', async (t) => {
  const twoBugs = 'def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a + b\n';
  const twoTests = 'from calc import add, mul\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\ndef test_mul():\n    assert mul(2, 3) == 6\n';
  // each function written right when asked; the first one tried fixes one of the two failing tests
  const write = (r: InfillRequest) => (signatureOf(r.prefix) === 'def add(a, b):' ? '    return a + b\n' : '    return a * b\n');
  const model = new ScriptedModel([], { infills: Array(10).fill(write) });
  const s = await repairSession(t, { 'calc.py': twoBugs, 'test_calc.py': twoTests }, model);
  if (!s) return;
  const result = await s.session.agent.runTurn('`python3 -m pytest` fails: add and mul return wrong results. Fix the bugs in calc.py.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(await readFile(path.join(s.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n');
  assert.match(
    result.text,
    /^Fixed: the body of (add|mul) in calc\.py was written afresh by code completion: tests still fail with it \(python3 -m pytest[^)]*\)\. Then the body of (add|mul) in calc\.py was written afresh by code completion: python3 -m pytest[^.]* passes with it\./,
  );
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  assert.deepEqual(
    model.infillRequests.slice(0, 2).map((r) => signatureOf(r.prefix)),
    ['def add(a, b):', 'def mul(a, b):'],
    "one rewrite each (then a test of the report's case), the second read with the first applied",
  );
  assert.match(model.infillRequests[1].prefix, /return a \+ b/);
  assert.equal(s.events.filter((e) => e.type === 'attempt').length, 2, 'the step and the passing run are attempts');
});

test('with several tests failing, a rewrite that leaves as many failing is no step: nothing is kept', async (t) => {
  // (one failing test could never make a step: fewer than one failing is a pass)
  const twoBugs = 'def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a + b\n';
  const twoTests = 'from calc import add, mul\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\ndef test_mul():\n    assert mul(2, 3) == 6\n';
  // each rewrite still fails its test (add written `a * b`, mul `a - b`): 2 failing with either, as before
  const write = (r: InfillRequest) => (signatureOf(r.prefix) === 'def add(a, b):' ? '    return a * b\n' : '    return a - b\n');
  const model = new ScriptedModel([act('answer', { text: 'I could not.' })], { infills: Array(20).fill(write) });
  const s = await repairSession(t, { 'calc.py': twoBugs, 'test_calc.py': twoTests }, model);
  if (!s) return;
  await s.session.agent.runTurn('`python3 -m pytest` fails: add and mul return wrong results. Fix the bugs in calc.py.');
  const tries = s.events.flatMap((e) => (e.type === 'notice' && e.message.startsWith('Code completion tried') ? [e.message] : []));
  assert.ok(
    tries.some((m) => /the tests fail \(2 failing\)/.test(m)),
    tries.join('\n'),
  );
  assert.equal(await readFile(path.join(s.root, 'calc.py'), 'utf8'), twoBugs);
  assert.equal(s.events.filter((e) => e.type === 'attempt').length, 0, 'no step was shown');
});

test('a function whose greedy rewrite made more tests fail than before is not sampled', async (t) => {
  const model = new ScriptedModel([act('answer', { text: 'I could not.' })], {
    infills: ['    """The sum of a and b."""\n    return a * b\n', '    return a * b\n', ...Array(12).fill(undefined)],
  });
  const tests = `${calcTest.replace('import add', 'import add, sub')}\n\ndef test_sub():\n    assert sub(5, 3) == 2\n`;
  const s = await repairSession(t, { 'calc.py': calc, 'test_calc.py': tests }, model);
  if (!s) return;
  await s.session.agent.runTurn('`python3 -m pytest` fails: add returns the wrong sum. Fix the bug in calc.py.');
  const sampledSub = model.infillRequests.filter((r) => (r.temperature ?? 0) > 0 && signatureOf(r.prefix) === 'def sub(a, b):');
  assert.equal(sampledSub.length, 0, 'sub made 2 fail where 1 did: left alone');
  assert.ok(
    model.infillRequests.some((r) => (r.temperature ?? 0) > 0 && signatureOf(r.prefix) === 'def add(a, b):'),
    'add is sampled',
  );
});

test('a fix whose first round finds nothing goes on in a later round, with new seeds, before the model steps in; a function made worse is still left alone', async (t) => {
  // add: greedy and the first round's six samples wrong (each other), right from seed 7; sub: worse
  const write = (r: InfillRequest) => {
    if (signatureOf(r.prefix) !== 'def add(a, b):') return '    return a * b\n';
    if (!r.temperature) return '    """The sum of a and b."""\n    return a * b\n';
    return (r.seed ?? 0) > 6 ? '    """The sum of a and b."""\n    return b + a\n' : `    """The sum of a and b."""\n    return a + b + ${r.seed}\n`;
  };
  const model = new ScriptedModel([act('answer', { text: 'I could not.' })], { infills: Array(40).fill(write) });
  const tests = `${calcTest.replace('import add', 'import add, sub')}\n\ndef test_sub():\n    assert sub(5, 3) == 2\n`;
  const s = await repairSession(t, { 'calc.py': calc, 'test_calc.py': tests }, model);
  if (!s) return;
  const result = await s.session.agent.runTurn('`python3 -m pytest` fails: add returns the wrong sum. Fix the bug in calc.py.');
  assert.equal(result.status, 'answered', result.text);
  assert.match(await readFile(path.join(s.root, 'calc.py'), 'utf8'), /return b \+ a\n/);
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  const seeds = model.infillRequests.filter((r) => r.temperature && signatureOf(r.prefix) === 'def add(a, b):').map((r) => r.seed);
  assert.deepEqual(seeds, [1, 2, 3, 4, 5, 6, 7], 'the second round goes on from the seeds the first used');
  const greedy = model.infillRequests.filter((r) => !r.temperature && r.path === 'calc.py').map((r) => signatureOf(r.prefix));
  assert.deepEqual(greedy, ['def add(a, b):', 'def sub(a, b):'], 'a body written in the first round is not written again');
  assert.equal(model.infillRequests.filter((r) => r.temperature && signatureOf(r.prefix) === 'def sub(a, b):').length, 0, 'sub made 2 fail where 1 did');
});

test('a rewrite that fails holds the fix beside lines written another way: each of its parts is tried alone, the rest as it was, and the one that passes is kept', async (t) => {
  const shape = 'def describe(w, h):\n    name = "rect"\n    kind = "shape"\n    size = w + h\n    return f"{name}:{size}"\n';
  const shapeTest = 'from shape import describe\n\n\ndef test_describe():\n    assert describe(2, 3) == "rect:6"\n';
  // greedy: the fix (w * h) and, apart from it, the name changed too (which breaks the test); no sample
  const model = new ScriptedModel([act('answer', { text: 'I could not.' })], {
    infills: ['    name = "box"\n    kind = "shape"\n    size = w * h\n    return f"{name}:{size}"\n', ...Array(20).fill(undefined)],
  });
  const s = await repairSession(t, { 'shape.py': shape, 'test_shape.py': shapeTest }, model);
  if (!s) return;
  const result = await s.session.agent.runTurn('`python3 -m pytest` fails: describe gets the size wrong. Fix the bug in shape.py.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(await readFile(path.join(s.root, 'shape.py'), 'utf8'), shape.replace('w + h', 'w * h'), 'only the part that fixes it');
  const tries = s.events.flatMap((e) => (e.type === 'notice' && e.message.startsWith('Code completion tried describe') ? [e.message] : []));
  assert.deepEqual(tries, [
    'Code completion tried describe in shape.py (greedy): the tests fail (1 failing).',
    'Code completion tried describe in shape.py (greedy, part 1 alone): the tests fail (1 failing).',
    'Code completion tried describe in shape.py (greedy, part 2 alone): the tests pass.',
  ]);
  assert.match(result.text, /^Fixed: part of the body of describe in shape\.py was written afresh by code completion/);
  assert.equal(model.prompts.length, 0, 'no model step was needed');
});

test('the functions tried: named by the task or the failure first, then what they call, then what the failing tests call, in code files only, four at most', async (t) => {
  const total =
    'from calc import add\n\n\ndef first():\n    return 1\n\n\ndef total(items):\n    return add(items[0], items[1])\n\n\n' +
    'def test_total():\n    assert total([2, 3]) == 5\n';
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest, 'cart.py': total });
  t.after(repo.cleanup);
  const model = new ScriptedModel([]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const index = s.session.index!;
  const names = (task: string, failure = '') => repairCandidates(index, ['test_calc.py', 'calc.py'], task, failure).map((c) => c.def.name);
  assert.deepEqual(names('Fix sub.'), ['sub', 'add']);
  assert.deepEqual(names('Fix it.', 'E   assert add(2, 3) == 5'), ['add', 'sub']);
  assert.deepEqual(names('Fix it.'), ['add', 'sub'], 'none named: in file order');
  const texts = new Map([
    ['cart.py', total],
    ['calc.py', calc],
  ]);
  assert.deepEqual(
    repairCandidates(index, ['cart.py', 'calc.py'], 'Fix it.', 'E  assert cart.total([2, 3]) == 5', texts).map((c) => `${c.path}:${c.def.name}`),
    ['cart.py:total', 'calc.py:add', 'cart.py:first', 'calc.py:sub'],
    'total is named; add is what it calls',
  );
  assert.deepEqual(
    repairCandidates(index, ['cart.py'], 'Fix it.', 'FAILED cart.py::test_total', texts).map((c) => c.def.name),
    ['first', 'total'],
    'a test in a code file is never rewritten, even when the failure names it',
  );
  assert.deepEqual(
    repairCandidates(index, ['cart.py', 'calc.py'], 'Fix it.', 'not ok 1 - totals add up', texts, [['add']]).map((c) => `${c.path}:${c.def.name}`),
    ['calc.py:add', 'cart.py:first', 'cart.py:total', 'calc.py:sub'],
    'none named: what the failing tests call comes first',
  );
  assert.deepEqual(
    repairCandidates(index, ['cart.py', 'calc.py'], 'Fix it.', 'E  assert cart.total([2, 3]) == 5', texts, [], 'calc.py:7:     return a - b').map(
      (c) => `${c.path}:${c.def.name}`,
    ),
    ['calc.py:sub', 'cart.py:total', 'calc.py:add', 'cart.py:first'],
    'where the pointers point first (a search of the request), then what the failure names',
  );
});

test('a plain word of the request names a function only weakly; of two functions of one name, the one the failing test imports comes first', async (t) => {
  const repo = await makeRepo({
    'tally/__init__.py': '',
    'tally/entries.py': 'def where(f):\n    return f\n\n\ndef list_entries(f):\n    return where(f)\n',
    'tally/cli.py': 'def say(text):\n    print(text)\n\n\ndef list_entries(f):\n    say(f)\n',
    'test_entries.py': 'from tally.entries import list_entries\n\n\ndef test_list():\n    assert list_entries(1) == 2\n',
  });
  t.after(repo.cleanup);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model: new ScriptedModel([]), tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const texts = new Map<string, string>();
  for (const file of ['tally/entries.py', 'tally/cli.py', 'test_entries.py']) texts.set(file, await readFile(path.join(repo.root, file), 'utf8'));
  const failure = '>       assert list_entries(1) == 2\nE       assert 1 == 2';
  const tried = repairCandidates(s.session.index!, ['tally/cli.py', 'tally/entries.py', 'test_entries.py'], 'Users say the listing is wrong.', failure, texts);
  assert.deepEqual(
    tried.map((c) => `${c.path}:${c.def.name}`),
    ['tally/entries.py:list_entries', 'tally/entries.py:where', 'tally/cli.py:list_entries', 'tally/cli.py:say'],
  );
  // the output also prints a fixture that calls where: what the failing line calls comes first all the same
  const printed = `def month():\n    where(1)\n${failure}`;
  assert.deepEqual(
    repairCandidates(s.session.index!, ['tally/cli.py', 'tally/entries.py', 'test_entries.py'], 'Fix it.', printed, texts).map(
      (c) => `${c.path}:${c.def.name}`,
    ),
    ['tally/entries.py:list_entries', 'tally/entries.py:where', 'tally/cli.py:list_entries', 'tally/cli.py:say'],
  );
});

/**
 * What repair would try in a real repo of the one code file `file` after `failure` was printed: a
 * function of what each failing test calls to the names of the functions; undefined when no session opens.
 */
async function candidatesIn(t: TestContext, file: string, text: string, failure: string) {
  const repo = await makeRepo({ [file]: text });
  t.after(repo.cleanup);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model: new ScriptedModel([]), tools: builtinTools });
  if (!s) return undefined;
  t.after(() => s.session.dispose());
  const texts = new Map([[file, text]]);
  return (perTest: string[][]) => repairCandidates(s.session.index!, [file], 'Fix it.', failure, texts, perTest).map((c) => c.def.name);
}

test('of what the failing tests call, what more of them reach is tried first; a function inside another is never tried', async (t) => {
  const tried = await candidatesIn(
    t,
    'repo.py',
    'def to_offset(page, size):\n    return page * size\n\n\ndef list_a(page):\n    def add(x):\n        return x\n\n    return add(to_offset(page, 10))\n\n\n' +
      'def list_b(page):\n    return to_offset(page, 5)\n\n\ndef unrelated():\n    return 0\n',
    'not ok 1 - lists',
  );
  if (!tried) return;
  // the first failing test calls its own helper add and list_a; the second calls list_b: both reach to_offset
  assert.deepEqual(tried([['add', 'list_a'], ['list_b']]), ['to_offset', 'list_a', 'list_b', 'unrelated']);
  assert.deepEqual(tried([['add', 'list_a']]), ['list_a', 'to_offset', 'list_b', 'unrelated'], 'one failing test: as called, then one call down');
});

test('what every one of several failing tests reaches comes before the functions a stack trace names (where an error was thrown, not made)', async (t) => {
  const tried = await candidatesIn(
    t,
    'booking.py',
    'def find_conflicts(rows, start, end):\n    return [r for r in rows if r[0] <= end and r[1] >= start]\n\n\n' +
      'def conflict_error(conflicts):\n    return ValueError(f"already booked: {conflicts}")\n\n\n' +
      'def book(rows, start, end):\n    conflicts = find_conflicts(rows, start, end)\n    if conflicts:\n        raise conflict_error(conflicts)\n    return (start, end)\n',
    'FAILED test_booking.py::test_back_to_back - ValueError: already booked\n    raise conflict_error(conflicts)\nbooking.py:12: in book',
  );
  if (!tried) return;
  // one failing test calls find_conflicts, the other book, which calls it
  assert.deepEqual(tried([['find_conflicts'], ['book']]), ['find_conflicts', 'conflict_error', 'book'], 'then those the trace names, in file order');
  assert.deepEqual(tried([['book']]), ['conflict_error', 'book', 'find_conflicts'], 'one failing test: the named first, as before');
});

test('an edit that copies its lines: the function around them is written afresh and goes through the change flow', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const lines = '    """The sum of a and b."""\n    return a - b\n';
  const copy = act('edit_file', { path: 'calc.py', edits: [{ find: lines, replace: lines }] });
  const model = new ScriptedModel([act('read_file', { path: 'calc.py', startLine: null, endLine: null }), copy, copy, act('answer', { text: 'Done.' })], {
    infills: ['    """The sum of a and b."""\n    return a + b\n', '    """The sum of a and b."""\n    return a + b\n'],
  });
  const s = await startSession(t, {
    root: repo.root,
    config: testConfig({ infillRepair: true }),
    model,
    tools: builtinTools,
    needsSandbox: true,
  });
  if (!s) return;
  t.after(() => s.session.dispose());
  // not a fix of failing tests: no repair first, only the rewrite of the copied lines
  await s.session.agent.runTurn('Make add return the sum in calc.py.');
  assert.match(
    lastPromptText(model.prompts, 2),
    /Your replacement was the same as the lines it replaces, so the body of add \(calc\.py:3\) was written afresh by code completion, from its signature, its comments and the code around it:\nApplied: calc\.py/,
  );
  assert.match(await readFile(path.join(repo.root, 'calc.py'), 'utf8'), /^def add\(a, b\):\n {4}"""The sum of a and b\."""\n {4}return a \+ b\n/);
  // the same copy again: the body comes back the same as the file now holds, so the refusal stands
  assert.match(lastPromptText(model.prompts, 3), /Nothing was changed: the replacement text is identical/);
});

test("an edit that copies a script's top-level lines: that code is written afresh, the request above it as a comment, kept when the tests (or the model's failing run) judge it", async (t) => {
  const script =
    '#!/bin/bash\n# Prints the number of lines in a file.\n\nif [ $# -ne 1 ]; then\n  echo "Usage: $0 <file>"\n  exit 1\nfi\n\nlines=$(wc -l "$1")\necho "$lines"\n';
  const tests = 'out=$(bash count.sh data.txt)\n[ "$out" = "2" ] || { echo "FAIL count: got $out"; exit 1; }\necho ok\n';
  const usage = 'if [ $# -ne 1 ]; then\n  echo "Usage: $0 <file>"\n  exit 1\nfi\n';
  const copy = act('edit_file', { path: 'count.sh', edits: [{ find: usage, replace: usage }] });
  const request = 'Make count.sh print just the number of lines of the file given as its first argument.';
  // the model writes the request's comment again: it is left out of the file
  const rewritten = (ask: string) => `# Request: ${ask}\n${usage}\nwc -l < "$1"\n`;
  const session = async (withTests: boolean, ranFirst = false, ask = request) => {
    const run = act('run_in_sandbox', { language: null, command: 'bash count.sh data.txt', code: null });
    const model = new ScriptedModel(
      [act('read_file', { path: 'count.sh', startLine: null, endLine: null }), ...(ranFirst ? [run] : []), copy, act('answer', { text: 'Done.' })],
      { infills: [ask === request ? rewritten(ask) : `${usage}\nwc -l < "$1"\n`] },
    );
    const config = testConfig({ infillRepair: true }, withTests ? { tests: { ...testConfig().tests, command: 'bash count_test.sh' } } : {});
    const s = await repairSession(t, { 'count.sh': script, 'count_test.sh': tests, 'data.txt': 'a\nb\n' }, model, config);
    if (!s) return undefined;
    await s.session.agent.runTurn(ask);
    return { model, root: s.root };
  };
  const judged = await session(true);
  if (!judged) return;
  const asked = judged.model.infillRequests[0];
  assert.equal(
    asked.prefix,
    `#!/bin/bash\n# Prints the number of lines in a file.\n\n# Request: ${request}\n`,
    'the head of the script, then the request as a comment',
  );
  assert.equal(asked.suffix, '', 'nothing after the code');
  assert.match(
    lastPromptText(judged.model.prompts, 2),
    /Your replacement was the same as the lines it replaces, so the top-level code of count\.sh \(lines 4-10\) was written afresh by code completion, from the comments and the code around it:\nApplied: count\.sh/,
  );
  assert.equal(await readFile(path.join(judged.root, 'count.sh'), 'utf8'), `#!/bin/bash\n# Prints the number of lines in a file.\n\n${usage}\nwc -l < "$1"\n`);

  // no tests to judge a script's new code: the refusal of the copied lines stands
  const unjudged = await session(false);
  if (!unjudged) return;
  assert.equal(await readFile(path.join(unjudged.root, 'count.sh'), 'utf8'), script);
  assert.match(lastPromptText(unjudged.model.prompts, 2), /Nothing was changed: the replacement text is identical/);

  // no tests, but the model's own run failed (the file's name printed with the count): that run judges, and passes with it
  const reran = await session(
    false,
    true,
    'Write a bash script count.sh that prints the number of lines in the file given as its first argument (just the number).',
  );
  if (!reran) return;
  assert.match(lastPromptText(reran.model.prompts, 2), /asks count\.sh to print just the number, and it printed `2 data\.txt`/);
  assert.match(lastPromptText(reran.model.prompts, 3), /the top-level code of count\.sh \(lines 4-10\) was written afresh by code completion/);
  assert.equal(await readFile(path.join(reran.root, 'count.sh'), 'utf8'), `#!/bin/bash\n# Prints the number of lines in a file.\n\n${usage}\nwc -l < "$1"\n`);
});

test("a script's top-level code written afresh reads how the model's last run failed above it, and is sampled when the most usual code is what was there", async (t) => {
  const script = '#!/bin/bash\n# Count lines.\n\necho "The number of lines in $1 is $(wc -l $1)"\n';
  const line = 'echo "The number of lines in $1 is $(wc -l $1)"\n';
  const run = act('run_in_sandbox', { language: null, command: 'bash count.sh data.txt', code: null });
  const copy = act('edit_file', { path: 'count.sh', edits: [{ find: line, replace: line }] });
  // the greedy lines are the old ones again; the first sample prints the number only
  const model = new ScriptedModel([run, copy, act('answer', { text: 'Done.' })], { infills: [line, 'wc -l < "$1"\n'] });
  const s = await repairSession(t, { 'count.sh': script, 'data.txt': 'a\nb\n' }, model, testConfig({ infillRepair: true }));
  if (!s) return;
  await s.session.agent.runTurn('Write a bash script count.sh that prints the number of lines in the file given as its first argument (just the number).');
  const [greedy, sample] = model.infillRequests;
  assert.match(
    greedy.prefix,
    /^#!\/bin\/bash\n# Count lines\.\n\n# Request: Write a bash script count\.sh [^\n]*\n(# [^\n]*\n)*# The last run failed: The run exited 0, but the task asks count\.sh to print just the number, and\n# it printed `The number of lines in data\.txt is 2 data\.txt`\. Make it print only the number\.\n$/,
  );
  assert.ok((sample?.temperature ?? 0) > 0, 'a sample after the same lines came back');
  assert.equal(await readFile(path.join(s.root, 'count.sh'), 'utf8'), '#!/bin/bash\n# Count lines.\n\nwc -l < "$1"\n');
});

test("a script's top-level code asked for again is sampled anew, each try opening with code: the seeds go on from the tries before", async (t) => {
  const script = '#!/bin/bash\n# Count lines.\n\necho "The number of lines in $1 is $(wc -l $1)"\n';
  const line = 'echo "The number of lines in $1 is $(wc -l $1)"\n';
  const run = act('run_in_sandbox', { language: null, command: 'bash count.sh data.txt', code: null });
  const copy = act('edit_file', { path: 'count.sh', edits: [{ find: line, replace: line }] });
  // three tries give the old line back each time the model copies it; the fourth prints the number only
  const model = new ScriptedModel([run, copy, copy, act('answer', { text: 'Done.' })], { infills: [line, line, line, 'wc -l < "$1"\n'] });
  const s = await repairSession(t, { 'count.sh': script, 'data.txt': 'a\nb\n' }, model, testConfig({ infillRepair: true }));
  if (!s) return;
  await s.session.agent.runTurn('Write a bash script count.sh that prints the number of lines in the file given as its first argument (just the number).');
  const asked = model.infillRequests;
  assert.deepEqual(
    asked.map((r) => r.seed ?? 0),
    [0, 1, 2, 3],
    'the second copy is answered with the next seed, not the three tried before',
  );
  assert.ok(
    asked.every((r) => r.codeFirst === '#'),
    'under the request and the failed run as comments, each try opens with code',
  );
  assert.equal(await readFile(path.join(s.root, 'count.sh'), 'utf8'), '#!/bin/bash\n# Count lines.\n\nwc -l < "$1"\n');
});

test('the top-level code around lines: past the head comments, up to the next function, none inside one', () => {
  const lines = ['#!/bin/bash', '# head', '', 'x=1', 'f() {', '  echo', '}', '', 'y=2', 'echo $y', '', ''];
  const functions = [{ line: 5, endLine: 7 }];
  assert.deepEqual(topLevelRegion(lines, { from: 3, to: 3 }, functions), { from: 4, to: 4 }, 'before the function');
  assert.deepEqual(topLevelRegion(lines, { from: 9, to: 9 }, functions), { from: 9, to: 10 }, 'after it, to the last code line');
  assert.equal(topLevelRegion(lines, { from: 5, to: 5 }, functions), undefined, 'a function holds it');
});

test('without fill-in-the-middle, or with it turned off, nothing is rewritten', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'No.' }), act('answer', { text: 'No.' })], { infills: ['    return a + b\n'] });
  const s = await startSession(t, { root: repo.root, config: testConfig({ infillRepair: false }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('`python3 -m pytest` fails: add returns the wrong sum. Fix the bug in calc.py.');
  assert.equal(model.infillRequests.length, 0);
  assert.equal(await readFile(path.join(repo.root, 'calc.py'), 'utf8'), calc);
});

test('"make the tests pass" without stubs is a fix; with stubs, every stubbed body is written, kept when fewer tests fail', async (t) => {
  const repo = await makeRepo({ 'calc.py': calc, 'test_calc.py': calcTest });
  t.after(repo.cleanup);
  const model = new ScriptedModel([], { infills: ['    """The sum of a and b."""\n    return a + b\n'] });
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const fixed = await s.session.agent.runTurn('Make the tests in test_calc.py pass.');
  assert.match(fixed.text, /^Fixed: the body of add in calc\.py was written afresh/);

  const ex = await makeRepo({ 'shapes.py': shapeStubs, 'test_shapes.py': shapeTests });
  t.after(ex.cleanup);
  // bottom up: perimeter (still wrong), then area
  const filler = new ScriptedModel([act('answer', { text: 'Half done.' }), act('answer', { text: 'Half done.' })], {
    infills: ['    """Twice width plus height."""\n    return w + h\n', '    """Width times height."""\n    return w * h\n'],
  });
  const e = await startSession(t, { root: ex.root, config: testConfig(), model: filler, tools: builtinTools, needsSandbox: true });
  if (!e) return;
  t.after(() => e.session.dispose());
  await e.session.agent.runTurn('Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.');
  // (the fill's, before the fix's: those have the request as "Request: …" above the function)
  const filled = filler.infillRequests.filter((r) => !r.prefix.includes('# Request:'));
  assert.deepEqual(
    filled.map((r) => signatureOf(r.prefix)),
    ['def perimeter(w, h):', 'def area(w, h):', ...filled.slice(2).map(() => 'def perimeter(w, h):')],
    'then samples (empty here) of perimeter only: the failing test calls it',
  );
  assert.ok(filled.length < filler.infillRequests.length, 'then the fix of what still fails');
  assert.ok(filler.infillRequests.length > 2);
  assert.doesNotMatch(filler.infillRequests[0].prefix, /def area|Width times height|NotImplementedError/, 'the other stub is not in what the model reads');
  assert.match(filler.infillRequests[1].suffix, /def perimeter\(w, h\):\n    """Twice width plus height."""\n    return w \+ h/, 'a body written is');
  const text = await readFile(path.join(ex.root, 'shapes.py'), 'utf8');
  assert.match(text, /return w \* h/);
  assert.match(text, /return w \+ h/);
  assert.doesNotMatch(text, /NotImplementedError/);
  assert.match(
    lastPromptText(filler.prompts, 0),
    /I write the stubbed bodies \(area, perimeter\) in shapes\.py afresh by code completion, then run the tests with it\.[^]*Then the tests ran with it \(python3 -m pytest[^)]*\): tests still fail with it \(1 failing\)\./,
    'one of two tests passes now: kept, and the model goes on from there',
  );
});

test('stubs: a sample of a body the failing tests call is kept when fewer tests fail, found where the bodies above moved it', async (t) => {
  const filler = new ScriptedModel([], {
    infills: [
      '    """Twice width plus height."""\n    return w + h\n', // perimeter, greedy: wrong
      '    """Width times height."""\n    product = w * h\n    return product\n', // area, one line longer
      '    """Twice width plus height."""\n    return 2 * (w + h)\n', // perimeter, sampled
    ],
  });
  const e = await repairSession(t, { 'shapes.py': shapeStubs, 'test_shapes.py': shapeTests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.');
  const sample = filler.infillRequests[2];
  assert.ok(sample.temperature && sample.temperature > 0);
  assert.equal(signatureOf(sample.prefix), 'def perimeter(w, h):', 'perimeter found one line lower, after area grew');
  assert.match(sample.prefix, /product = w \* h/, 'the sample is written on the file as it is now');
  assert.equal(
    await readFile(path.join(e.root, 'shapes.py'), 'utf8'),
    'def area(w, h):\n    """Width times height."""\n    product = w * h\n    return product\n\n\n' +
      'def perimeter(w, h):\n    """Twice width plus height."""\n    return 2 * (w + h)\n',
  );
  assert.match(result.text, /^Fixed: the stubbed bodies \(area, perimeter\) in shapes\.py were written afresh/);
  assert.equal(filler.prompts.length, 0, 'the tests pass: no model step was needed');
});

test('stubs filled that still fail are fixed from their failing run before the model steps in', async (t) => {
  let perimeters = 0;
  const write = (r: InfillRequest) => {
    if (r.temperature) return undefined; // no sample helps
    if (signatureOf(r.prefix) === 'def area(w, h):') return '    """Width times height."""\n    return w * h\n';
    perimeters++;
    // greedy in the fill: wrong; greedy again in the fix, with area written above it: right
    return perimeters === 1 ? '    """Twice width plus height."""\n    return w + h\n' : '    """Twice width plus height."""\n    return 2 * (w + h)\n';
  };
  const filler = new ScriptedModel([], { infills: Array.from({ length: 40 }, () => write) });
  const e = await repairSession(t, { 'shapes.py': shapeStubs, 'test_shapes.py': shapeTests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn(
    'Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.\n\n`area(w, h)` is w times h.\n\n`perimeter(w, h)` is twice w plus h.',
  );
  assert.equal(result.status, 'answered', result.text);
  assert.match(
    result.text,
    /^Fixed: the stubbed bodies \(area, perimeter\) in shapes\.py were written afresh by code completion: tests still fail with it \(python3 -m pytest[^)]*\)\. Then the body of perimeter in shapes\.py was written afresh by code completion: python3 -m pytest[^.]* passes with it\./,
  );
  assert.match(await readFile(path.join(e.root, 'shapes.py'), 'utf8'), /return w \* h\n[^]*return 2 \* \(w \+ h\)\n$/);
  assert.equal(filler.prompts.length, 0, 'no model step was needed');
  assert.match(
    filler.infillRequests[0].prefix,
    /\n# `perimeter\(w, h\)` is twice w plus h\.\ndef perimeter\(w, h\):\n/,
    'what the function must do, right above it (not the paragraph about the tests)',
  );
  const sample = filler.infillRequests.find((r) => r.temperature);
  assert.match(
    sample?.prefix ?? '',
    /# The tests failed with the code tried before:\n(# .*\n)*# +.*assert perimeter\(2, 3\) == 10\n[^]*def perimeter\(w, h\):\n/,
    'a sample is told how the try before failed',
  );
  const fixAsk = filler.infillRequests.findLast((r) => !r.temperature);
  assert.match(fixAsk?.prefix ?? '', /return w \* h/, 'the fix reads the filled file');
});

/**
 * Code completion of shapes.py, scripted: area right at once; perimeter wrong greedy and in the first
 * six samples, right from seed 7 (a later round), and the fix's greedy body of it ends the test run
 * (no count: worse than before, so the first round samples it not).
 */
function lateShapes(): (r: InfillRequest) => string {
  let greedyPerimeters = 0;
  return (r) => {
    if (signatureOf(r.prefix) === 'def area(w, h):') return '    """Width times height."""\n    return w * h\n';
    if (r.temperature && (r.seed ?? 0) > 6) return '    """Twice width plus height."""\n    return 2 * (w + h)\n';
    if (!r.temperature && greedyPerimeters++ > 0) return '    """Twice width plus height."""\n    import os\n    os._exit(1)\n';
    return r.temperature
      ? `    """Twice width plus height."""\n    return w + h + 100 * ${r.seed}\n`
      : '    """Twice width plus height."""\n    return w + h\n';
  };
}

test('stubs filled that still fail, whose fix finds nothing: sampled again with new seeds while time lasts (even a function whose greedy body did worse), before the model steps in', async (t) => {
  const write = lateShapes();
  const filler = new ScriptedModel([], { infills: Array.from({ length: 80 }, () => write) });
  const e = await repairSession(t, { 'shapes.py': shapeStubs, 'test_shapes.py': shapeTests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn(
    'Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.\n\n`area(w, h)` is w times h.\n\n`perimeter(w, h)` is twice w plus h.',
  );
  assert.equal(result.status, 'answered', result.text);
  assert.match(await readFile(path.join(e.root, 'shapes.py'), 'utf8'), /return w \* h\n[^]*return 2 \* \(w \+ h\)\n$/);
  assert.equal(filler.prompts.length, 0, 'no model step was needed');
  const seeds = filler.infillRequests.filter((r) => r.temperature && signatureOf(r.prefix) === 'def perimeter(w, h):').map((r) => r.seed);
  assert.ok(seeds.includes(7), `the second round goes on from the seeds the first used: ${seeds.join(', ')}`);
  assert.equal(Math.max(...seeds.map(Number)), 7, 'and stops at the one that passes');
  const tried = e.events.filter((x) => x.type === 'notice' && /^Code completion tried perimeter in shapes\.py \(sample 7\)/.test(x.message));
  assert.equal(tried.length, 1, 'the passing sample was run once');
});

test('stubs filled that still fail: a function whose samples keep coming back as before is left alone in later rounds, and the next likeliest is sampled', async (t) => {
  const stubs = `${shapeStubs}\n\ndef double(w):\n    """Twice w."""\n    raise NotImplementedError("not implemented")\n`;
  const tests = `${shapeTests.replace('import area, perimeter', 'import area, double, perimeter')}\n\ndef test_double():\n    assert double(4) == 8\n`;
  // area and double: right at once, and the model sure of them (every sample the same); the fix's
  // greedy perimeter ends the test run, so of the three it is the least likely
  const write = lateShapes();
  const filler = new ScriptedModel([], {
    infills: Array.from(
      { length: 80 },
      () => (r: InfillRequest) => (signatureOf(r.prefix) === 'def double(w):' ? '    """Twice w."""\n    return 2 * w\n' : write(r)),
    ),
  });
  const e = await repairSession(t, { 'shapes.py': stubs, 'test_shapes.py': tests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn(
    'Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.\n\n`area(w, h)` is w times h.\n\n`perimeter(w, h)` is twice w plus h.\n\n`double(w)` is twice w.',
  );
  assert.equal(result.status, 'answered', result.text);
  assert.match(await readFile(path.join(e.root, 'shapes.py'), 'utf8'), /return 2 \* \(w \+ h\)\n/);
  const later = (name: string) =>
    filler.infillRequests.filter((r) => r.temperature && (r.seed ?? 0) > 6 && signatureOf(r.prefix) === `def ${name}`).map((r) => r.seed);
  assert.deepEqual(later('perimeter(w, h):'), [7], 'the second round samples perimeter, and its first sample passes');
  assert.deepEqual([...later('area(w, h):'), ...later('double(w):')], [], 'not the functions whose samples came back as before');
});

test("a try's failing count: infinite when its run timed out, or when a function returning a value has no return (undefined behaviour), not for a missing return on some paths", () => {
  const run = (stdout: string, stderr = '', timedOut = false) => ({ exitCode: 2, timedOut, command: 'make test', stdout, stderr, durationMs: 10 });
  assert.equal(failingIn(run('FAIL line 31: r.size() == 1\n1 test(s) failed\n')), 1);
  assert.equal(failingIn(run('1 test(s) failed\n', '', true)), Number.POSITIVE_INFINITY);
  const gcc = 'vm.cpp:38:1: warning: no return statement in function returning non-void [-Wreturn-type]\n';
  assert.equal(failingIn(run('FAIL line 31: r.size() == 1\n1 test(s) failed\n', gcc)), Number.POSITIVE_INFINITY);
  const clang = 'vm.cpp:38:1: warning: non-void function does not return a value [-Wreturn-type]\n';
  assert.equal(failingIn(run('1 test(s) failed\n', clang)), Number.POSITIVE_INFINITY);
  const somePaths = 'vm.cpp:38:1: warning: non-void function does not return a value in all control paths [-Wreturn-type]\n';
  assert.equal(failingIn(run('1 test(s) failed\n', somePaths)), 1);
});

test('the bar for filled stubs: the failing count of their run, unless the run stopped at a stub', () => {
  assert.equal(stubbedFailing('FAIL unexpected exception: RangeSet::str is not implemented yet\n1 check(s) failed\n'), Number.POSITIVE_INFINITY);
  assert.equal(stubbedFailing('FAIL a missing key: expected status 1, got status 2\nok   a missing file\n2 test(s) failed\n'), 2);
  assert.equal(stubbedFailing('Segmentation fault\n'), Number.POSITIVE_INFINITY, 'no count');
});

test('stubs: code that fails no more tests than the stubs did is kept (a run that stopped at a stub counts as all failing); code that does not run is not', async (t) => {
  // the stubs' run names NotImplementedError: its count is no bar; both bodies wrong, both tests still fail
  const wrong = new ScriptedModel([act('answer', { text: 'Not yet.' })], {
    infills: Array.from({ length: 40 }, () => (r: InfillRequest) => {
      if (r.temperature || r.prefix.includes('# Request:')) return undefined;
      return signatureOf(r.prefix) === 'def area(w, h):'
        ? '    """Width times height."""\n    return w + h\n'
        : '    """Twice width plus height."""\n    return w + h\n';
    }),
  });
  const e = await repairSession(t, { 'shapes.py': shapeStubs, 'test_shapes.py': shapeTests }, wrong);
  if (!e) return;
  await e.session.agent.runTurn('Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.');
  assert.doesNotMatch(await readFile(path.join(e.root, 'shapes.py'), 'utf8'), /NotImplementedError/, 'code to go on from, where a stub is none');
  assert.match(lastPromptText(wrong.prompts, 0), /tests still fail with it \(2 failing\)/);

  const broken = new ScriptedModel([act('answer', { text: 'Not yet.' })], {
    infills: Array.from({ length: 40 }, () => (r: InfillRequest) => (r.temperature ? undefined : '    return (w +\n')),
  });
  const b = await repairSession(t, { 'shapes.py': shapeStubs, 'test_shapes.py': shapeTests }, broken);
  if (!b) return;
  await b.session.agent.runTurn('Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.');
  assert.equal(await readFile(path.join(b.root, 'shapes.py'), 'utf8'), shapeStubs, 'code that does not parse is not kept');
});

test("the lines of a file a compiler's errors point at: gcc, rustc, javac, go, tsc; not another file that ends the same", () => {
  assert.deepEqual(linesNamed("range_set.cpp:8:7: error: 'x' was not declared\nrange_set.cpp:20:1: warning: unused", 'range_set.cpp'), [8, 20]);
  assert.deepEqual(linesNamed('error[E0425]: cannot find value `key`\n  --> src/lib.rs:42:9\n', 'src/lib.rs'), [42]);
  assert.deepEqual(linesNamed("TextWrap.java:10: error: ';' expected", 'TextWrap.java'), [10]);
  assert.deepEqual(linesNamed('./stack.go:7:2: undefined: y', 'stack.go'), [7]);
  assert.deepEqual(linesNamed('src/x.ts(12,5): error TS2322', 'src/x.ts'), [12]);
  assert.deepEqual(linesNamed('my_range_set.cpp:3:1: error', 'range_set.cpp'), []);
});

test('a passing body that stops calling the function that did the work: that function is fixed instead, when the tests pass with it', async (t) => {
  const series =
    'def span(start, end):\n    """Integers from start to end, both inclusive."""\n    return list(range(start, end))\n\n\n' +
    'def span_sum(start, end):\n    return sum(span(start, end))\n';
  const model = new ScriptedModel([], {
    infills: [
      '    return sum(range(start, end + 1))\n', // span_sum: passes, but no longer calls span
      '    """Integers from start to end, both inclusive."""\n    return list(range(start, end + 1))\n', // span
    ],
  });
  const s = await repairSession(
    t,
    { 'series.py': series, 'test_series.py': 'from series import span_sum\n\n\ndef test_sum():\n    assert span_sum(1, 4) == 10\n' },
    model,
  );
  if (!s) return;
  const result = await s.session.agent.runTurn('`python3 -m pytest` fails: span_sum(1, 4) should be 10. Fix the bug.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(
    await readFile(path.join(s.root, 'series.py'), 'utf8'),
    series.replace('range(start, end))', 'range(start, end + 1))'),
    'span is fixed; span_sum still calls it',
  );
  assert.equal(signatureOf(model.infillRequests[1].prefix), 'def span(start, end):');
  assert.match(result.text, /the body of span in series\.py/);
});

test('stubs: when the greedy body is the stub again, a sample is written instead', async (t) => {
  const stub = 'def area(w, h):\n    """Width times height."""\n    raise NotImplementedError("not implemented")\n';
  const filler = new ScriptedModel([], {
    infills: ['    """Width times height."""\n    raise NotImplementedError("not implemented")\n', '    """Width times height."""\n    return w * h\n'],
  });
  const e = await repairSession(
    t,
    { 'shapes.py': stub, 'test_shapes.py': 'from shapes import area\n\n\ndef test_area():\n    assert area(2, 3) == 6\n' },
    filler,
  );
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.');
  assert.ok((filler.infillRequests[1]?.temperature ?? 0) > 0, 'the second request is a sample');
  assert.equal(filler.infillRequests[0].maxTokens, 768, 'a stub is a line; the body written for it is not');
  assert.match(await readFile(path.join(e.root, 'shapes.py'), 'utf8'), /return w \* h/);
  assert.match(result.text, /^Fixed: /);
  assert.ok(e.events.some((x) => x.type === 'notice' && /wrote no body for area in shapes\.py \(greedy\)/.test(x.message)));
});

test('stubs: a body that does not parse is written again (a sample) before the fill is run, so it does not spoil the bodies that do', async (t) => {
  const filler = new ScriptedModel([], {
    infills: [
      '    """Twice width plus height."""\n    return 2 * (w + h\n', // perimeter, greedy: a parenthesis left open
      '    """Twice width plus height."""\n    return 2 * (w + h)\n', // perimeter, sampled
      '    """Width times height."""\n    return w * h\n',
    ],
  });
  const e = await repairSession(t, { 'shapes.py': shapeStubs, 'test_shapes.py': shapeTests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.');
  assert.ok((filler.infillRequests[1]?.temperature ?? 0) > 0, 'the second request is a sample of perimeter');
  assert.equal(signatureOf(filler.infillRequests[1].prefix), 'def perimeter(w, h):');
  assert.ok(e.events.some((x) => x.type === 'notice' && /wrote no body for perimeter in shapes\.py \(greedy\): a body that does not parse/.test(x.message)));
  assert.match(result.text, /^Fixed: the stubbed bodies \(area, perimeter\) in shapes\.py were written afresh/);
  assert.match(await readFile(path.join(e.root, 'shapes.py'), 'utf8'), /return w \* h\n[^]*return 2 \* \(w \+ h\)\n$/);
  assert.equal(filler.prompts.length, 0, 'no model step was needed');
});

test('stubs the fill leaves as they were (no body it wrote parses) are written one function at a time, as a fix, before the model steps in', async (t) => {
  const write = (r: InfillRequest) => {
    const area = signatureOf(r.prefix) === 'def area(w, h):';
    // the fix's requests have the request as a comment above the function; the fill's have none
    if (!r.prefix.includes('# Request:'))
      return area ? '    """Width times height."""\n    return (w * h\n' : '    """Twice width plus height."""\n    return 2 * (w + h\n';
    return area ? '    """Width times height."""\n    return w * h\n' : '    """Twice width plus height."""\n    return 2 * (w + h)\n';
  };
  const filler = new ScriptedModel([], { infills: Array.from({ length: 40 }, () => write) });
  const e = await repairSession(t, { 'shapes.py': shapeStubs, 'test_shapes.py': shapeTests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement shapes.py so that the tests in test_shapes.py pass. Do not change the tests.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(filler.infillRequests.filter((r) => !r.prefix.includes('# Request:')).length, 6, 'the fill: three tries for each stub, none parsing');
  assert.match(
    result.text,
    /^Fixed: the body of (area|perimeter) in shapes\.py was written afresh by code completion: tests still fail with it[^]* Then the body of (area|perimeter) in shapes\.py was written afresh by code completion: python3 -m pytest[^.]* passes with it\./,
  );
  assert.match(await readFile(path.join(e.root, 'shapes.py'), 'utf8'), /return w \* h\n[^]*return 2 \* \(w \+ h\)\n$/);
  assert.equal(filler.prompts.length, 0, 'no model step was needed');
});

test('a script whose top-level code is the stub: those lines are written afresh, a sample when the greedy lines are the stub again', async (t) => {
  const script = '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\necho "hello.sh: not implemented yet" >&2\nexit 2\n';
  const tests = 'out=$(bash hello.sh Ada)\n[ "$out" = "Hello, Ada!" ] || { echo "FAIL greets: got $out"; exit 1; }\necho ok\n';
  const filler = new ScriptedModel([], { infills: ['echo "hello.sh: not implemented yet" >&2\nexit 2\n', 'echo "Hello, $1!"\n\nsome prose after\n```'] });
  const e = await repairSession(t, { 'hello.sh': script, 'hello_test.sh': tests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Make the tests in hello_test.sh pass (run them with `bash hello_test.sh`). Do not change the tests.');
  assert.equal(
    filler.infillRequests[0].prefix,
    '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\n',
    'the lines before the stub (a request that only speaks of the tests is not put above it)',
  );
  assert.equal(filler.infillRequests[0].suffix, '');
  assert.ok((filler.infillRequests[1]?.temperature ?? 0) > 0, 'the stub again: a sample');
  assert.equal(
    await readFile(path.join(e.root, 'hello.sh'), 'utf8'),
    '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\necho "Hello, $1!"\n\nsome prose after\n',
  );
  assert.match(result.text, /^Fixed: /);
});

test('a try at code that comes back without code (comments only) is asked once more, opening with code: the line comment banned at its start', async (t) => {
  const script = '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\necho "hello.sh: not implemented yet" >&2\nexit 2\n';
  const tests = 'out=$(bash hello.sh Ada)\n[ "$out" = "Hello, Ada!" ] || { echo "FAIL greets: got $out"; exit 1; }\necho ok\n';
  const filler = new ScriptedModel([], {
    infills: ['\n# Greets the name given.\n#   make: *** [hello_test.sh] Error 1\n', (r) => (r.codeFirst === '#' ? 'echo "Hello, $1!"\n' : '# again\n')],
  });
  const e = await repairSession(t, { 'hello.sh': script, 'hello_test.sh': tests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Make the tests in hello_test.sh pass (run them with `bash hello_test.sh`). Do not change the tests.');
  const [first, second] = filler.infillRequests;
  assert.equal(first.codeFirst, undefined, 'the first try is asked as before');
  assert.equal(second?.codeFirst, '#', "bash's line comment may not open the second");
  assert.equal(second.prefix, first.prefix);
  assert.equal(second.suffix, first.suffix);
  assert.equal(second.temperature, first.temperature, 'the same try, not a sample');
  assert.equal(
    await readFile(path.join(e.root, 'hello.sh'), 'utf8'),
    '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\necho "Hello, $1!"\n',
  );
  assert.match(result.text, /^Fixed: /);
});

test('what holds code: a line that is not blank or a comment, before any fence', () => {
  assert.equal(holdsCode('\n# a comment\n  // another\n'), false);
  assert.equal(holdsCode(''), false);
  assert.equal(holdsCode('```\necho hi\n'), false, 'after a fence: prose, not the file');
  assert.equal(holdsCode('# reads it\nwc -l < "$1"\n'), true);
  assert.equal(holdsCode('#!/usr/bin/env bash\n'), true, 'a shebang is no comment');
  assert.equal(holdsCode('#include <stdio.h>\n'), true, 'nor a preprocessor line');
});

test('code completion that copies the tests into the code is not run (a script that runs itself until its time is up), and the next try reads no tests', async (t) => {
  const script = '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\necho "hello.sh: not implemented yet" >&2\nexit 2\n';
  const tests =
    'out=$(bash hello.sh Ada)\n[ "$out" = "Hello, Ada!" ] || { echo "FAIL greets Ada: got $out"; exit 1; }\n' +
    'out=$(bash hello.sh Bob)\n[ "$out" = "Hello, Bob!" ] || { echo "FAIL greets Bob: got $out"; exit 1; }\necho "all tests passed"\n';
  const filler = new ScriptedModel([], { infills: [tests, 'echo "Hello, $1!"\n'] });
  const e = await repairSession(t, { 'hello.sh': script, 'hello_test.sh': tests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Make the tests in hello_test.sh pass (run them with `bash hello_test.sh`). Do not change the tests.');
  const tries = e.events.flatMap((ev) => (ev.type === 'notice' && /^Code completion (tried|wrote)/.test(ev.message) ? [ev.message] : []));
  assert.deepEqual(tries, [
    'Code completion wrote no code for the stub of hello.sh (greedy): a copy of the tests.',
    'Code completion tried the stub of hello.sh (sample 1): the tests pass.',
  ]);
  assert.ok(
    filler.infillRequests[0].files?.some((f) => f.path === 'hello_test.sh'),
    'the tests were read first',
  );
  assert.deepEqual(
    filler.infillRequests[1].files?.map((f) => f.path),
    ['TASK.md'],
    'after the copy, only the request',
  );
  assert.equal(
    await readFile(path.join(e.root, 'hello.sh'), 'utf8'),
    '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\necho "Hello, $1!"\n',
  );
  assert.match(result.text, /^Fixed: /);
});

test("a fix's rewrite that copies the tests is not run, and the tries after it read no tests", async (t) => {
  const head = '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\n';
  const script = `${head}name=$1\ngreeting=Hi\nif [ -z "$name" ]; then\n  exit 2\nfi\necho "$greeting, $name"\n`;
  const tests =
    'out=$(bash hello.sh Ada)\n[ "$out" = "Hello, Ada!" ] || { echo "FAIL greets Ada: got $out"; exit 1; }\n' +
    'out=$(bash hello.sh Bob)\n[ "$out" = "Hello, Bob!" ] || { echo "FAIL greets Bob: got $out"; exit 1; }\necho "all tests passed"\n';
  const filler = new ScriptedModel([], { infills: [tests, 'echo "Hello, $1!"\n'] });
  const e = await repairSession(t, { 'hello.sh': script, 'hello_test.sh': tests }, filler, testConfig({ infillRepair: true }));
  if (!e) return;
  const result = await e.session.agent.runTurn('`bash hello_test.sh` fails: hello.sh greets wrongly. Fix hello.sh; do not change the tests.');
  const tries = e.events.flatMap((ev) => (ev.type === 'notice' && /^Code completion (tried|wrote)/.test(ev.message) ? [ev.message] : []));
  assert.match(
    tries[0] ?? '',
    /^Code completion wrote a copy of the tests for the top-level code in hello\.sh \(greedy\): not run, and the next tries read no tests\.$/,
  );
  assert.ok(
    filler.infillRequests[0].files?.some((f) => f.path === 'hello_test.sh'),
    'the tests were read first',
  );
  assert.ok(!filler.infillRequests[1].files?.some((f) => f.path === 'hello_test.sh'), 'not after the copy');
  assert.equal(
    await readFile(path.join(e.root, 'hello.sh'), 'utf8'),
    '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\necho "Hello, $1!"\n',
  );
  assert.match(result.text, /^Fixed: /);
});

test('code that never ends is worse than the stub: a try whose run timed out is not kept however few failures it printed', async (t) => {
  const script = '#!/usr/bin/env bash\n# Usage: hello.sh NAME - prints "Hello, NAME!".\n\necho "hello.sh: not implemented yet" >&2\nexit 2\n';
  const tests =
    'f=0\nfor n in Ada Bob Cy; do\n  out=$(bash hello.sh "$n" 2>/dev/null)\n  if [ "$out" = "Hello, $n!" ]; then echo "ok $n"; else echo "FAIL $n: got $out"; f=$((f + 1)); fi\ndone\nexit $f\n';
  // one FAIL printed (3 before), then a loop that never ends on Bob
  const hangs = '[ "$1" = Bob ] && while :; do :; done\necho "Hi, $1!"\n';
  const filler = new ScriptedModel([act('answer', { text: 'I could not.' }), act('answer', { text: 'I could not.' })], { infills: [hangs] });
  const e = await repairSession(
    t,
    { 'hello.sh': script, 'hello_test.sh': tests },
    filler,
    testConfig({}, { sandbox: { ...testConfig().sandbox, timeoutMs: 3_000 } }),
  );
  if (!e) return;
  await e.session.agent.runTurn('Make the tests in hello_test.sh pass (run them with `bash hello_test.sh`). Do not change the tests.');
  assert.equal(await readFile(path.join(e.root, 'hello.sh'), 'utf8'), script, 'the stub is left as it was');
  const tried = e.events.find((ev) => ev.type === 'notice' && /Code completion tried the stub of hello\.sh \(greedy\)/.test(ev.message));
  assert.match(tried?.type === 'notice' ? tried.message : '', /: the tests did not finish \(timed out\)\.$/);
  assert.doesNotMatch(lastPromptText(filler.prompts, 0), /afresh by code completion/);
});

test("a try's run is given up sooner than the sandbox's limit: ten times the failing run, at least 15 s", () => {
  assert.equal(tryTimeoutMs(120, 30_000), 15_000);
  assert.equal(tryTimeoutMs(2_500, 30_000), 25_000);
  assert.equal(tryTimeoutMs(9_000, 30_000), 30_000);
  assert.equal(tryTimeoutMs(120, 3_000), 3_000);
  assert.equal(tryTimeoutMs(undefined, 30_000), 30_000);
});

test('the lines of a top-level stub: from its first stub line outside the functions to the next function or the end', () => {
  const text = 'a() {\n  echo a\n}\n\necho "not implemented yet"\nexit 2\n\nb() {\n  echo b\n}\n';
  const fn = (line: number, endLine: number) => ({ name: 'f', kind: 'function' as const, path: 's.sh', line, endLine, signature: 'f()' });
  assert.deepEqual(looseStubRegion(text, [5], [fn(1, 3), fn(8, 10)]), { from: 5, to: 6 });
  assert.deepEqual(looseStubRegion(text, [5], []), { from: 5, to: 10 });
  assert.equal(looseStubRegion(text, [2], [fn(1, 3)]), undefined);
});

test('a body that uses what its file does not include: the includes the compiler names are added, and the tests run again', async (t) => {
  const stub = '#include "count.hpp"\n\nint count_words(const char *text) {\n    (void)text;\n    return -1; /* not implemented yet */\n}\n';
  const header = '#pragma once\nint count_words(const char *text);\n';
  const tests =
    '#include "count.hpp"\n#include <cstdio>\n\nint main() {\n    if (count_words("a b  c") != 3) { std::puts("FAIL count_words"); return 1; }\n    std::puts("ok");\n}\n';
  const makefile = 'test:\n\tg++ -std=c++17 -o /tmp/count_test count.cpp count_test.cpp\n\t/tmp/count_test\n';
  const body =
    '    std::istringstream in(text);\n    std::vector<std::string> words;\n    std::string word;\n    while (in >> word) words.push_back(word);\n    return (int)words.size();\n';
  const filler = new ScriptedModel([], { infills: [body] });
  const e = await repairSession(t, { 'count.cpp': stub, 'count.hpp': header, 'count_test.cpp': tests, Makefile: makefile }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement count_words in count.cpp so that the tests in count_test.cpp pass. Run them with `make test`.');
  const text = await readFile(path.join(e.root, 'count.cpp'), 'utf8');
  assert.match(text, /^#include "count\.hpp"\n#include <sstream>\n#include <vector>\n#include <string>\n\nint count_words/, text);
  assert.match(result.text, /^Fixed: /);
  assert.ok(e.events.some((x) => x.type === 'notice' && /Fixed what the compiler named in count\.cpp \(added `#include <sstream>`/.test(x.message)));
});

test("a fill that names a JDK class its file does not import, and declares a variable twice: javac's words are fixed for certain, and the tests run again", async (t) => {
  const stub =
    'import java.util.List;\n\npublic final class Evens {\n    private Evens() {}\n\n    /** The even numbers below n. */\n' +
    '    public static List<Integer> below(int n) {\n        throw new UnsupportedOperationException("not implemented yet");\n    }\n}\n';
  const tests =
    'import java.util.List;\n\npublic final class EvensTest {\n    public static void main(String[] args) {\n' +
    '        if (!Evens.below(7).equals(List.of(0, 2, 4, 6))) { System.out.println("FAIL below(7)"); System.exit(1); }\n' +
    '        System.out.println("1 passed");\n    }\n}\n';
  const body =
    '        List<Integer> out = new ArrayList<>();\n        int i = 0;\n        while (i < n) {\n            out.add(i);\n            int i = i + 2;\n        }\n        return out;\n';
  const filler = new ScriptedModel([], { infills: [body] });
  const e = await repairSession(t, { 'Evens.java': stub, 'EvensTest.java': tests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn(
    'Implement Evens.below in Evens.java so that the tests in EvensTest.java pass. Run them with `javac -d /tmp/out *.java && java -cp /tmp/out EvensTest`.',
  );
  assert.match(result.text, /^Fixed: /, result.text);
  const text = await readFile(path.join(e.root, 'Evens.java'), 'utf8');
  assert.match(text, /^import java\.util\.List;\nimport java\.util\.ArrayList;\n/, text);
  assert.match(text, /\n {12}i = i \+ 2;\n/, text);
  assert.ok(
    e.events.some(
      (x) => x.type === 'notice' && /Fixed what the compiler named in Evens\.java \(added `import java\.util\.ArrayList;`; assigned `i`/.test(x.message),
    ),
  );
});

/**
 * A C project of two stubbed functions (area, perimeter), its test program printing a FAIL line
 * each and how many failed, built with `cflags`; code completion answers `bodies` in turn (the
 * last one over and over). The scripted model and the session, or no session without a sandbox.
 */
async function cShapesSession(t: TestContext, bodies: readonly string[], cflags: string) {
  const stub = (sig: string) => `${sig} {\n    (void)w; (void)h;\n    return -1; /* not implemented yet */\n}\n`;
  const shapes = `#include "shapes.h"\n\n${stub('int area(int w, int h)')}\n${stub('int perimeter(int w, int h)')}`;
  const header = '#pragma once\nint area(int w, int h);\nint perimeter(int w, int h);\n';
  const tests =
    '#include <stdio.h>\n#include "shapes.h"\n\nint main(void) {\n    int failed = 0;\n' +
    '    if (area(2, 3) != 6) { puts("FAIL area"); failed++; }\n    if (perimeter(2, 3) != 10) { puts("FAIL perimeter"); failed++; }\n' +
    '    printf("%d failed\\n", failed);\n    return failed;\n}\n';
  const makefile = `test:\n\tcc ${cflags} -o /tmp/shapes_test shapes.c shapes_test.c\n\t/tmp/shapes_test\n`;
  const filler = new ScriptedModel([], { infills: Array.from({ length: 20 }, (_, i) => () => bodies[Math.min(i, bodies.length - 1)]) });
  const e = await repairSession(t, { 'shapes.c': shapes, 'shapes.h': header, 'shapes_test.c': tests, Makefile: makefile }, filler);
  return { filler, e };
}

test('a fill that does not build for one body: that body goes back to its stub, the rest is run and kept, and the body is written again', async (t) => {
  // bottom up: perimeter's greedy body is right; area's names what is not there, and builds the second time
  const bodies = ['    return 2 * (w + h);\n', '    return w * height;\n', '    return w * h;\n'];
  const { filler, e } = await cShapesSession(t, bodies, '-std=c11');
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement the functions in shapes.c so that the tests in shapes_test.c pass. Run them with `make test`.');
  assert.equal(result.status, 'answered', result.text);
  const text = await readFile(path.join(e.root, 'shapes.c'), 'utf8');
  assert.match(text, /int area\(int w, int h\) \{\n {4}return w \* h;\n\}/, text);
  assert.match(text, /int perimeter\(int w, int h\) \{\n {4}return 2 \* \(w \+ h\);\n\}/, text);
  const tries = e.events.flatMap((x) => (x.type === 'notice' && /Code completion tried/.test(x.message) ? [x.message] : []));
  assert.match(tries[0], /the stubbed bodies in shapes\.c \(greedy\): the tests fail \(count unknown failing\)/);
  assert.match(tries[1], /the stubbed bodies in shapes\.c but area \(the rest of the greedy bodies\): the tests fail \(1 failing\)/);
  assert.match(tries[2], /area in shapes\.c \(sample 1\): the tests pass/);
  assert.equal(filler.prompts.length, 0, 'no model step was needed');
});

test('a fill that builds with a warning in one body and crashes in the other: the warning points at no fault, and each body is run alone', async (t) => {
  // bottom up: perimeter's greedy body is right but draws a warning (an unused variable); area's crashes
  const bodies = ['    int unused = 0;\n    return 2 * (w + h);\n', '    volatile int *p = 0;\n    return *p + w * h;\n', '    return w * h;\n'];
  const { e } = await cShapesSession(t, bodies, '-std=c11 -Wall');
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement the functions in shapes.c so that the tests in shapes_test.c pass. Run them with `make test`.');
  assert.equal(result.status, 'answered', result.text);
  const text = await readFile(path.join(e.root, 'shapes.c'), 'utf8');
  assert.match(text, /int area\(int w, int h\) \{\n {4}return w \* h;\n\}/, text);
  const tries = e.events.flatMap((x) => (x.type === 'notice' && /Code completion tried/.test(x.message) ? [x.message] : []));
  assert.match(tries[0], /the stubbed bodies in shapes\.c \(greedy\): the tests fail \(count unknown failing\)/);
  assert.match(tries[1], /the stubbed bodies in shapes\.c but area \(perimeter alone\): the tests fail \(1 failing\)/);
  assert.match(tries[2], /but perimeter \(area alone\): the tests fail \(count unknown failing\)/);
  assert.match(tries[3], /area in shapes\.c \(sample 1\): the tests pass/);
});

test("a compiler's warnings point at no fault: GCC's and javac's warning lines, and rustc's under a warning heading, are left out", () => {
  const output = [
    'size.c:70:35: warning: integer overflow in expression of type ‘int’ results in ‘0’ [-Woverflow]',
    'size.c:12:5: error: expected ‘;’ before ‘}’ token',
    'Wrap.java:9: warning: [unchecked] unchecked call',
    'warning: unused variable: `x`',
    ' --> src/lib.rs:3:9',
    'error[E0308]: mismatched types',
    ' --> src/lib.rs:7:5',
  ].join('\n');
  assert.deepEqual(linesNamed(withoutWarnings(output), 'size.c'), [12]);
  assert.deepEqual(linesNamed(withoutWarnings(output), 'src/lib.rs'), [7]);
  assert.deepEqual(linesNamed(withoutWarnings(output), 'Wrap.java'), []);
});

test('a fill whose run gives no count and no error line: each body is run alone, the one that runs is kept, and the other written again', async (t) => {
  // area's greedy body ends the test run itself (as a body that loops until the memory is gone does):
  // pytest prints no count, and no error names a line
  const bodies = ['    return 2 * (w + h)\n', '    import os\n    os._exit(3)\n', '    return w * h\n'];
  const filler = new ScriptedModel([], { infills: Array.from({ length: 20 }, (_, i) => () => bodies[Math.min(i, bodies.length - 1)]) });
  const e = await repairSession(t, { 'shapes.py': shapeStubs, 'test_shapes.py': shapeTests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn(
    'Implement the functions in shapes.py so that the tests in test_shapes.py pass. Run them with `python3 -m pytest -q`.',
  );
  assert.equal(result.status, 'answered', result.text);
  const text = await readFile(path.join(e.root, 'shapes.py'), 'utf8');
  assert.match(text, /def area\(w, h\):\n {4}"""Width times height\."""\n {4}return w \* h\n/, text);
  assert.match(text, /def perimeter\(w, h\):\n {4}"""Twice width plus height\."""\n {4}return 2 \* \(w \+ h\)\n/, text);
  const tries = e.events.flatMap((x) => (x.type === 'notice' && /Code completion tried/.test(x.message) ? [x.message] : []));
  assert.match(tries[0], /the stubbed bodies in shapes\.py \(greedy\): the tests fail \(count unknown failing\)/);
  assert.match(tries[1], /the stubbed bodies in shapes\.py but area \(perimeter alone\): the tests fail \(1 failing\)/);
  assert.match(tries[2], /the stubbed bodies in shapes\.py but perimeter \(area alone\): the tests fail \(count unknown failing\)/);
  assert.match(tries[3], /area in shapes\.py \(sample 1\): the tests pass/);
  assert.equal(filler.prompts.length, 0, 'no model step was needed');
});

test("a failure's summary for a note leaves out node:test's TAP bookkeeping, so the values compared fit", () => {
  // (node:test's TAP output of one failing assertion, as node 20 writes it)
  const stdout =
    "TAP version 13\n# Subtest: freeSlots with bookings\nnot ok 1 - freeSlots with bookings\n  ---\n  duration_ms: 2.186632\n  location: '/work/test/a.test.mjs:3:1'\n  failureType: 'testCodeFailure'\n  error: |-\n    Expected values to be strictly equal:\n    \n    3 !== 2\n    \n  code: 'ERR_ASSERTION'\n  name: 'AssertionError'\n  expected: 2\n  actual: 3\n  operator: 'strictEqual'\n  stack: |-\n    TestContext.<anonymous> (file:///work/test/a.test.mjs:4:10)\n    Test.runInAsyncScope (node:async_hooks:206:9)\n    Test.run (node:internal/test_runner/test:796:25)\n    Test.processPendingSubtests (node:internal/test_runner/test:526:18)\n    node:internal/test_runner/harness:255:12\n    node:internal/process/task_queues:140:7\n    AsyncResource.runInAsyncScope (node:async_hooks:206:9)\n    AsyncResource.runMicrotask (node:internal/process/task_queues:137:8)\n  ...\n1..1\n# tests 1\n# suites 0\n# pass 0\n# fail 1\n# cancelled 0\n# skipped 0\n# todo 0\n# duration_ms 121.683326\n";
  const lines = failureSummary({ command: 'npm test', exitCode: 1, stdout, stderr: '', durationMs: 100, timedOut: false });
  assert.ok(!lines.some((l) => /# Subtest:|duration_ms|^\s*---$/.test(l)), lines.join('\n'));
  assert.ok(
    lines.some((l) => /3 !== 2/.test(l)),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => /not ok 1 - freeSlots with bookings/.test(l)),
    lines.join('\n'),
  );
});

test('the size of a change: the characters that differ, the common start and end set aside', () => {
  assert.equal(changeSize({ before: 'starts_at <= ? AND ends_at >= ?', after: 'starts_at < ? AND ends_at >= ?' }), 1);
  assert.equal(changeSize({ before: '       ORDER BY starts_at`', after: '       ORDER BY starts_at, id`' }), 4);
  assert.equal(changeSize({ before: 'x', after: 'x' }), 0);
});
