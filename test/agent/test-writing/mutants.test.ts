/**
 * Broken copies of a file (mutants.ts) read off real tree-sitter parses, the case a test of one is
 * asked to check and the order they are taken in (mutant-tests.ts), and copies of a test with an
 * input changed (test-amplify.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Mutant, mutantsOf } from '../../../src/agent/test-writing/mutants.ts';
import { byFunctionInTurn, caughtIn, mutantCase } from '../../../src/agent/test-writing/mutant-tests.ts';
import { amplified } from '../../../src/agent/test-writing/test-amplify.ts';
import { testSites } from '../../../src/agent/test-writing/test-sites.ts';

const brief = (path: string, text: string) => mutantsOf(path, text).map((m) => `${m.line} ${m.kind} ${m.within ?? '-'}: ${m.after.trim()}`);

test('a branch never taken and a boundary moved, in TypeScript: the condition inside its brackets, loops left alone', () => {
  const ts =
    'export function clamp(x: number, lo: number, hi: number): number {\n  if (x < lo) return lo;\n  for (let i = 0; i < 3; i++) {}\n  while (x > hi) x--;\n  return x >= hi ? hi : x;\n}\n';
  assert.deepEqual(brief('src/clamp.ts', ts), [
    '2 never clamp: if (false) return lo;',
    '2 boundary clamp: if (x <= lo) return lo;',
    '5 never clamp: return false ? hi : x;',
    '5 boundary clamp: return x > hi ? hi : x;',
  ]);
  const [first] = mutantsOf('src/clamp.ts', ts);
  assert.equal(first.before, '  if (x < lo) return lo;');
  assert.equal(first.text, ts.replace('if (x < lo)', 'if (false)'), 'the whole file, broken at that one place');
});

test('each language says false its own way: Python False, C 0, Ruby and Go false; elif, elsif, unless and modifiers are branches too', () => {
  assert.deepEqual(brief('clamp.py', 'def clamp(x, lo):\n    if x < lo:\n        return lo\n    elif x == 3:\n        return 3\n    return x\n'), [
    '2 never clamp: if False:',
    '2 boundary clamp: if x <= lo:',
    '4 never clamp: elif False:',
  ]);
  assert.deepEqual(brief('clamp.c', 'int clamp(int x, int lo) {\n  if (x < lo) return lo;\n  return x;\n}\n'), [
    '2 never clamp: if (0) return lo;',
    '2 boundary clamp: if (x <= lo) return lo;',
  ]);
  assert.deepEqual(brief('slug.rb', 'def slug(t)\n  return "untitled" if t.empty?\n  unless t.size > 3\n    t\n  end\nend\n'), [
    '2 never slug: return "untitled" if false',
    '3 never slug: unless false',
    '3 boundary slug: unless t.size >= 3',
  ]);
  assert.deepEqual(brief('clamp.go', 'package clamp\n\nfunc Clamp(x, lo int) int {\n\tif x < lo {\n\t\treturn lo\n\t}\n\treturn x\n}\n'), [
    '4 never Clamp: if false {',
    '4 boundary Clamp: if x <= lo {',
  ]);
});

test('no mutant of a condition that binds a name, of a file that does not parse, or of a file no grammar reads', () => {
  assert.deepEqual(brief('src/lib.rs', 'fn f(o: Option<i64>) -> i64 {\n    if let Some(x) = o { x } else { 0 }\n}\n'), []);
  assert.deepEqual(brief('src/a.ts', 'function f(x) {\n  if (x < 1 { return 0; }\n}\n'), []);
  assert.deepEqual(brief('notes.txt', 'if (x < 1) y\n'), []);
});

test('the case a test of a mutant is to check names its condition, or for a moved boundary its edge', () => {
  const [never, boundary] = mutantsOf('src/clamp.ts', 'export function clamp(x: number, lo: number) {\n  if (x < lo) return lo;\n  return x;\n}\n');
  assert.equal(mutantCase(never), 'in clamp, a case where `x < lo` is true');
  assert.equal(mutantCase(boundary), 'in clamp, the edge case where `x` is exactly `lo`');
});

test('a broken copy is caught when a test of the new file fails, let through when only others fail or none does', () => {
  const file = "import { test } from 'node:test';\n\ntest('keeps values inside', () => {});\n";
  const run = (stdout: string, exitCode: number) => ({ command: 'npm test', exitCode, stdout, stderr: '', timedOut: false, durationMs: 5 });
  assert.equal(caughtIn(run('not ok 2 - keeps values inside\n', 1), file), 'caught');
  assert.equal(caughtIn(run('not ok 7 - an old test of the project\n', 1), file), 'through');
  assert.equal(caughtIn(run('# pass 3\n# fail 0\n', 0), file), 'through');
  assert.equal(caughtIn(run('SyntaxError: Unexpected token\n', 1), file), 'unknown', 'nothing names a failing test');
});

test('copies of a test with one input changed: strings grown then emptied, integers raised then lowered, never in an assertion or a comment, each under a new name', () => {
  const js = [
    "test('path parameters', () => {",
    '  // the id is 123',
    "  const found = router.match('GET', '/rooms/123');",
    "  assert.equal(found.params.id, '123');",
    '});',
  ].join('\n');
  const site = testSites('test/router.test.ts', js)[0];
  assert.deepEqual(
    amplified(js, site, 10).map((c) => `${c.what} | ${c.test.split('\n')[0]} | ${c.test.split('\n')[2].trim()}`),
    [
      "'GET' as 'GETx' | test('path parameters (with GETx)', () => { | const found = router.match('GETx', '/rooms/123');",
      "'/rooms/123' as '/rooms/123x' | test('path parameters (with /rooms/123x)', () => { | const found = router.match('GET', '/rooms/123x');",
      "'GET' as '' | test('path parameters (with GET emptied)', () => { | const found = router.match('', '/rooms/123');",
      "'/rooms/123' as '' | test('path parameters (with /rooms/123 emptied)', () => { | const found = router.match('GET', '');",
    ],
  );
  const py = 'def test_b():\n    score = 89\n    assert grade(score) == "B"\n';
  const copies = amplified(py, testSites('test_grade.py', py)[0], 10);
  assert.deepEqual(
    copies.map((c) => c.test),
    ['def test_b_2():\n    score = 90\n    assert grade(score) == "B"', 'def test_b_3():\n    score = 88\n    assert grade(score) == "B"'],
  );
  const withCopy = `${py}\n\ndef test_b_2():\n    score = 90\n    assert grade(score) == "A"\n`;
  assert.equal(
    amplified(withCopy, testSites('test_grade.py', withCopy)[0], 1)[0].test.split('\n')[0],
    'def test_b_3():',
    'a name the file has is not taken again',
  );
  assert.equal(amplified(withCopy, testSites('test_grade.py', withCopy)[0], 2).length, 2, 'at most the limit');
});

test('broken copies let through are taken a function at a time in turn', () => {
  const m = (within: string, line: number) => ({ mutant: { within, line } as Mutant });
  assert.deepEqual(
    byFunctionInTurn([m('add', 1), m('add', 2), m('add', 3), m('match', 9), m('matchSegments', 20)]).map((x) => `${x.mutant.within}:${x.mutant.line}`),
    ['add:1', 'match:9', 'matchSegments:20', 'add:2', 'add:3'],
  );
});
