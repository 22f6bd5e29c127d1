/**
 * New tests' wrong expectations set to what the code returns (expected-values.ts), from the
 * runners' own reports: minitest's and node:test's as captured in eval runs, pytest's from a real
 * pytest run here (the corrected file then passes under pytest).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { actualAsExpected } from '../../../src/agent/test-writing/expected-values.ts';
import { keepsCodeAsIs } from '../../../src/agent/checks/test-guard.ts';

const rubyTests =
  'require \'minitest/autorun\'\nrequire \'slug\'\n\nclass SlugTest < Minitest::Test\n  def test_max_length\n    assert_equal "hello", Slug.slugify("Hello, World! Hello, World!")\n  end\n\n' +
  '  def test_empty\n    assert_equal \'slug\', Slug.slugify(\'\')\n  end\n\n  def test_taken\n    assert_equal("hello-4", Slug.unique("Hello", ["hello"]))\n  end\nend\n';
/** minitest's report of those three (both of its forms: Expected/Actual, and the diff of a longer value). */
const minitest =
  '  1) Failure:\nSlugTest#test_empty [test/test_slug.rb:10]:\nExpected: "slug"\n  Actual: "untitled"\n\n' +
  '  2) Failure:\nSlugTest#test_max_length [test/test_slug.rb:6]:\n--- expected\n+++ actual\n@@ -1 +1 @@\n-"hello"\n+"hello-world-hello-world"\n\n\n' +
  '  3) Failure:\nSlugTest#test_taken [test/test_slug.rb:14]:\nExpected: "hello-4"\n  Actual: "hello-2"\n\n3 runs, 3 assertions, 3 failures, 0 errors, 0 skips\n';

test("minitest's failures: each assert_equal's expected literal becomes the value the code returned, in the file's quotes", () => {
  const [fix, ...more] = actualAsExpected(minitest, new Map([['test/test_slug.rb', rubyTests]]));
  assert.equal(more.length, 0);
  assert.equal(fix.path, 'test/test_slug.rb');
  const lines = fix.text.split('\n');
  assert.equal(lines[5], '    assert_equal "hello-world-hello-world", Slug.slugify("Hello, World! Hello, World!")');
  assert.equal(lines[9], "    assert_equal 'untitled', Slug.slugify('')");
  assert.equal(lines[13], '    assert_equal("hello-2", Slug.unique("Hello", ["hello"]))');
  assert.match(fix.what, /test\/test_slug\.rb:10 expected 'slug', and the code returns 'untitled'/);
  assert.equal(fix.text.split('\n').length, rubyTests.split('\n').length);
});

test('a failure whose expected value is not the literal on that line, or is not a plain literal, is left alone', () => {
  const computed = rubyTests.replace('assert_equal "hello", Slug', 'assert_equal EXPECTED, Slug');
  const fixes = actualAsExpected(minitest, new Map([['test/test_slug.rb', computed]]));
  assert.ok(!fixes[0].text.includes('hello-world-hello-world'), 'a constant stays');
  const list = '  1) Failure:\nSlugTest#test_empty [test/test_slug.rb:10]:\nExpected: ["a"]\n  Actual: ["b"]\n';
  assert.deepEqual(actualAsExpected(list, new Map([['test/test_slug.rb', rubyTests]])), []);
  assert.deepEqual(actualAsExpected(minitest, new Map([['test/other_test.rb', rubyTests]])), [], 'not a file the turn wrote');
});

test("node:test's report: the assertion's line from the stack, the expected argument of strictEqual set to the actual", () => {
  const js =
    "const { test } = require('node:test');\nconst assert = require('node:assert');\nconst { median } = require('../src/median');\n\n" +
    "test('even', () => {\n  assert.strictEqual(median([1, 2, 3, 4]), 2, 'the middle two');\n  assert.equal(median([5]), '5');\n});\n";
  const tap =
    "not ok 1 - even\n  ---\n  duration_ms: 0.9\n  location: '/work/test/median.test.js:5:1'\n  failureType: 'testCodeFailure'\n  error: |-\n    Expected values to be strictly equal:\n    \n    2.5 !== 2\n    \n" +
    "  code: 'ERR_ASSERTION'\n  name: 'AssertionError'\n  expected: 2\n  actual: 2.5\n  operator: 'strictEqual'\n  stack: |-\n    TestContext.<anonymous> (/work/test/median.test.js:6:10)\n    Test.runInAsyncScope (node:async_hooks:214:14)\n  ...\n";
  const [fix] = actualAsExpected(tap, new Map([['test/median.test.js', js]]));
  assert.equal(fix.text.split('\n')[5], "  assert.strictEqual(median([1, 2, 3, 4]), 2.5, 'the middle two');");
  // JavaScript's own values: the median of [] is NaN
  const empty = js.replace("median([5]), '5'", 'median([]), undefined');
  const nan = tap.replace('expected: 2\n  actual: 2.5', 'expected: undefined\n  actual: NaN').replace('median.test.js:6:10', 'median.test.js:7:10');
  assert.equal(actualAsExpected(nan, new Map([['test/median.test.js', empty]]))[0]?.text.split('\n')[6], '  assert.equal(median([]), NaN);');
  // as node writes them: null is `~`, and an undefined value has no line
  const yamlNull = tap.replace('expected: 2\n  actual: 2.5', 'expected: ~\n  actual: NaN').replace('median.test.js:6:10', 'median.test.js:7:10');
  const nullTest = js.replace("median([5]), '5'", 'median([]), null');
  assert.equal(actualAsExpected(yamlNull, new Map([['test/median.test.js', nullTest]]))[0]?.text.split('\n')[6], '  assert.equal(median([]), NaN);');
  const noActual = tap.replace('expected: 2\n  actual: 2.5', "expected: 'a'").replace('median.test.js:6:10', 'median.test.js:7:10');
  const stringTest = js.replace("median([5]), '5'", "median([]), 'a'");
  assert.equal(actualAsExpected(noActual, new Map([['test/median.test.js', stringTest]]))[0]?.text.split('\n')[6], '  assert.equal(median([]), undefined);');
});

test('pytest: the literal side of a failing == gets the value the call returned, and the file then passes', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'assist-expected-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(
    path.join(dir, 'slug.py'),
    'import re\n\n\ndef slugify(title):\n    return "-".join(w for w in re.split(r"[^a-z0-9]+", title.lower()) if w)\n',
  );
  const tests =
    'from slug import slugify\n\n\ndef test_dots():\n    assert slugify("Go 1.21") == "go-1.21"\n\n\ndef test_reversed():\n    assert "cpp-2023" == slugify("C++ 2023")\n\n\n' +
    'def test_long():\n    assert slugify("Hello, World, World, World, World, World!") == "hello-world"\n\n\ndef test_ok():\n    assert slugify("A b") == "a-b"\n';
  await writeFile(path.join(dir, 'test_slug.py'), tests);
  const pytest = (cwd: string) => spawnSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'test_slug.py'], { cwd, encoding: 'utf8' });
  const first = pytest(dir);
  if (first.error || /No module named pytest/.test(first.stderr)) return t.skip('no pytest here');
  assert.notEqual(first.status, 0);
  const [fix] = actualAsExpected(first.stdout, new Map([['test_slug.py', tests]]));
  assert.ok(fix, first.stdout);
  assert.match(fix.text, /assert slugify\("Go 1\.21"\) == "go-1-21"\n/);
  assert.match(fix.text, /assert "c-2023" == slugify\("C\+\+ 2023"\)\n/);
  assert.match(fix.text, /assert slugify\("Hello, World, World, World, World, World!"\) == "hello-world"\n/, 'a value pytest shortened is left');
  await writeFile(path.join(dir, 'test_slug.py'), fix.text);
  // (under FORCE_COLOR, as npm test runs, pytest colours its summary too)
  assert.match(stripVTControlCharacters(pytest(dir).stdout), /1 failed, 3 passed/);
});

test("Go's table-driven test: the failing case's row gets the value its message says the code returned", () => {
  const go =
    'package clamp\n\nimport "testing"\n\nfunc TestClamp(t *testing.T) {\n\tcases := []struct {\n\t\tname           string\n\t\tv, lo, hi, want int\n\t}{\n' +
    '\t\t{"Clamp below lo", 10, 15, 20, 10},\n\t\t{"Clamp inside", 17, 15, 20, 17},\n\t}\n\tfor _, c := range cases {\n\t\tt.Run(c.name, func(t *testing.T) {\n' +
    '\t\t\tif got := Clamp(c.v, c.lo, c.hi); got != c.want {\n\t\t\t\tt.Errorf("Clamp(%d, %d, %d) = %d; want %d", c.v, c.lo, c.hi, got, c.want)\n\t\t\t}\n\t\t})\n\t}\n}\n';
  const output =
    '--- FAIL: TestClamp (0.00s)\n    --- FAIL: TestClamp/Clamp_below_lo (0.00s)\n        clamp_test.go:16: Clamp(10, 15, 20) = 15; want 10\nFAIL\nFAIL\texample.com/clamp\t0.002s\n';
  const [fix] = actualAsExpected(output, new Map([['clamp_test.go', go]]));
  assert.equal(fix.text.split('\n')[9], '\t\t{"Clamp below lo", 10, 15, 20, 15},');
  assert.equal(fix.text.split('\n')[10], '\t\t{"Clamp inside", 17, 15, 20, 17},');
  // the message the other way round (go-add-test: `Expected -5, got -1`)
  const reversed = output.replace('Clamp(10, 15, 20) = 15; want 10', 'Expected 10, got 15');
  assert.equal(actualAsExpected(reversed, new Map([['clamp_test.go', go]]))[0]?.text.split('\n')[9], '\t\t{"Clamp below lo", 10, 15, 20, 15},');
});

test('a request that keeps its code as it is; one that keeps the tests is not that', () => {
  assert.ok(keepsCodeAsIs('Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py. Do not change slug.py.'));
  assert.ok(keepsCodeAsIs("Add a test file for it (node:test, like the other tests). Don't change the router itself."));
  assert.ok(!keepsCodeAsIs('Make the tests pass. Do not change the tests.'));
  assert.ok(!keepsCodeAsIs('Add tests for slugify.'));
});
