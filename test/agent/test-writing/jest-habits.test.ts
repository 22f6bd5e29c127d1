/**
 * Jest's globals in a test file node:test runs (jest-habits.ts): the names node:test exports are
 * imported and `expect(…)` matchers become node:assert calls, only where that is certain. The
 * rewritten file is run with the real node to show it tests what the Jest one meant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compilerFixes } from '../../../src/agent/checks/compiler-fixes.ts';
import { nodeTestFix, withoutExpect } from '../../../src/agent/test-writing/jest-habits.ts';

/** What the 1.5B model wrote in js-add-test, asked for node:test and node:assert. */
const jestStyle =
  "const { median } = require('../src/median');\n\ndescribe('median', () => {\n  it('odd length', () => {\n    expect(median([3, 1, 2])).toBe(2);\n  });\n\n" +
  "  it('even length', () => {\n    expect(median([4, 1, 3, 2])).toEqual(2.5);\n    expect(median([1, 2]) > 1).toBeTruthy();\n  });\n});\n";
const referenceError =
  "/work/test/median.test.js:3\ndescribe('median', () => {\n^\n\nReferenceError: describe is not defined\n    at Object.<anonymous> (/work/test/median.test.js:3:1)\n";
const median =
  '/** The median. */\nfunction median(values) {\n  const s = [...values].sort((a, b) => a - b);\n  const mid = Math.floor(s.length / 2);\n  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;\n}\nmodule.exports = { median };\n';

test('the common matchers become the node:assert call that checks the same; one unknown form leaves every expect as it was', () => {
  assert.equal(withoutExpect('expect(f(1, [2])).toBe(3);'), 'assert.strictEqual(f(1, [2]), 3);');
  assert.equal(withoutExpect('expect(a).not.toEqual({ b: 1 });'), 'assert.notDeepStrictEqual(a, { b: 1 });');
  assert.equal(
    withoutExpect("expect(() => parse('')).toThrow('empty');"),
    "assert.throws(() => parse(''), (error) => String(error?.message).includes('empty'));",
  );
  assert.equal(withoutExpect('expect(() => parse(x)).toThrow(RangeError);'), 'assert.throws(() => parse(x), RangeError);');
  assert.equal(withoutExpect('expect(avg([1, 2])).toBeCloseTo(1.5);'), 'assert.ok(Math.abs((avg([1, 2])) - (1.5)) < 0.005);');
  assert.equal(
    withoutExpect('expect(list).toHaveLength(2);\nexpect(s).toContain(")");'),
    'assert.strictEqual((list).length, 2);\nassert.ok((s).includes(")"));',
  );
  assert.equal(withoutExpect('expect(a).toMatchSnapshot();\nexpect(b).toBe(1);'), undefined, 'a matcher not known here');
  assert.equal(withoutExpect('expect(a).toBe(\n  1);'), undefined, 'an argument over lines');
  assert.equal(withoutExpect('assert.equal(a, 1);'), undefined, 'nothing to rewrite');
});

test('a Jest-style test file in a project without Jest is written the node:test way, and then it runs and passes under node', async (t) => {
  const fixed = nodeTestFix('test/median.test.js', jestStyle, referenceError, '{ "name": "m", "scripts": { "test": "node --test" } }');
  assert.ok(fixed);
  assert.match(fixed.text, /^const \{ describe, it \} = require\('node:test'\);\nconst assert = require\('node:assert\/strict'\);\nconst \{ median \}/);
  assert.match(fixed.text, /assert\.strictEqual\(median\(\[3, 1, 2\]\), 2\);/);
  assert.match(fixed.what, /^imported `describe`, `it` from node:test.*; each `expect\(…\)\.matcher\(…\)` became the node:assert call/);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'assist-jest-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'src'));
  await mkdir(path.join(dir, 'test'));
  await writeFile(path.join(dir, 'src', 'median.js'), median);
  await writeFile(path.join(dir, 'test', 'median.test.js'), fixed.text);
  // (without this runner's NODE_TEST_CONTEXT, which would make the inner run report to it and exit 0)
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  execFileSync(process.execPath, ['--test', 'test/median.test.js'], { cwd: dir, stdio: 'pipe', env });
  // and it fails for a wrong median: the assertions check what the Jest ones did
  await writeFile(path.join(dir, 'src', 'median.js'), median.replace('(s[mid - 1] + s[mid]) / 2', 's[mid]'));
  assert.throws(
    () => execFileSync(process.execPath, ['--test', 'test/median.test.js'], { cwd: dir, stdio: 'pipe', env }),
    (error: { stdout?: Buffer }) => /not ok \d+ - even length/.test(String(error.stdout)),
  );
});

test('an ES module imports; a project with Jest, or an output that names nothing node:test gives, is left alone', () => {
  const esm = "import { median } from '../src/median.js';\n\ntest('odd', () => {\n  expect(median([1])).toBe(1);\n});\n";
  const fixed = nodeTestFix('test/median.test.mjs', esm, 'ReferenceError: test is not defined', undefined);
  assert.match(
    fixed?.text ?? '',
    /^import assert from 'node:assert\/strict';\nimport \{ test \} from 'node:test';\n|^import \{ test \} from 'node:test';\nimport assert from 'node:assert\/strict';\n/,
  );
  assert.equal(nodeTestFix('test/median.test.js', jestStyle, referenceError, '{ "devDependencies": { "jest": "^29.0.0" } }'), undefined);
  assert.equal(nodeTestFix('test/median.test.js', jestStyle, 'TypeError: median is not a function', undefined), undefined);
});

test('the fix comes with a failed run of the changed test file, named in its output', async () => {
  const tree: Record<string, string> = { 'src/median.js': median, 'test/median.test.js': jestStyle, 'package.json': '{ "name": "m" }' };
  const read = async (file: string) => tree[file];
  const list = async () => [] as string[];
  const [fix, ...more] = await compilerFixes(referenceError, ['test/median.test.js'], read, list);
  assert.equal(more.length, 0);
  assert.equal(fix.path, 'test/median.test.js');
  assert.match(fix.text, /^const \{ describe, it \} = require\('node:test'\);/);
  assert.deepEqual(await compilerFixes(referenceError, ['src/median.js'], read, list), [], 'not a test file');
});

test("a module's function required whole, where the module exports an object holding it, is destructured", async () => {
  const whole = jestStyle
    .replace('const { median }', 'const median')
    .replace(/describe\(/, "const { describe, it } = require('node:test');\nconst assert = require('node:assert');\ndescribe(");
  const typeError =
    "not ok 1 - odd length\n  error: 'median is not a function'\n  stack: |-\n    TypeError: median is not a function\n    at TestContext.<anonymous> (/work/test/median.test.js:6:5)\n";
  const tree: Record<string, string> = { 'src/median.js': median, 'test/median.test.js': whole };
  const [fix] = await compilerFixes(
    typeError,
    ['test/median.test.js'],
    async (file) => tree[file],
    async () => [],
  );
  assert.match(fix?.text ?? '', /^const \{ median \} = require\('\.\.\/src\/median'\);/);
  assert.match(fix?.what ?? '', /the module exports an object holding the function: `const \{ median \} = require\('\.\.\/src\/median'\)`/);
  // node:test's own report of it
  const tap =
    "not ok 1 - odd length\n  ---\n  location: '/work/test/median.test.js:5:3'\n  error: 'median is not a function'\n  code: 'ERR_TEST_FAILURE'\n  name: 'TypeError'\n";
  const [again] = await compilerFixes(
    tap,
    ['test/median.test.js'],
    async (file) => tree[file],
    async () => [],
  );
  assert.match(again?.text ?? '', /^const \{ median \} = require/);
  tree['src/median.js'] = 'module.exports = function median(v) {\n  return v[0];\n};\n';
  assert.deepEqual(
    await compilerFixes(
      typeError,
      ['test/median.test.js'],
      async (file) => tree[file],
      async () => [],
    ),
    [],
    'the module is the function',
  );
});
