/**
 * A function a new JavaScript test calls and never requires (js-requires.ts): the require is added
 * only when exactly one project module exports the name, in the test file's own module style. The
 * fixed file is run with the real node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportOf, missingRequires } from '../../../src/agent/test-writing/js-requires.ts';

/** What the 1.5B model wrote in js-add-test (its Jest globals already imported by assist). */
const written =
  "const { describe, it } = require('node:test');\nconst assert = require('assert');\n\ndescribe('median', () => {\n  it('odd', () => {\n" +
  '    assert.strictEqual(median([3, 1, 2]), 2);\n  });\n});\n';
const median =
  'function median(values) {\n  const s = [...values].sort((a, b) => a - b);\n  return s[Math.floor(s.length / 2)];\n}\n\nmodule.exports = { median };\n';
const notDefined = "  error: 'median is not defined'\n  code: 'ERR_TEST_FAILURE'\n  name: 'ReferenceError'\n";

test('how a module exports a name', () => {
  assert.equal(exportOf(median, 'median'), 'cjs-named');
  assert.equal(exportOf('exports.median = (v) => v;\n', 'median'), 'cjs-named');
  assert.equal(exportOf('module.exports = function median(v) {};\n', 'median'), 'cjs-default');
  assert.equal(exportOf('export function median(v) {}\n', 'median'), 'esm-named');
  assert.equal(exportOf('function median() {}\nexport { median, mean };\n', 'median'), 'esm-named');
  assert.equal(exportOf('function median() {}\nmodule.exports = { medianOf };\n', 'median'), undefined);
  assert.equal(exportOf('module.exports = { mean, median: middle };\n', 'median'), 'cjs-named');
  assert.equal(exportOf('module.exports = { mean: median };\n', 'median'), undefined, 'a value, not a key');
});

test('the require of the one module that exports the name is added after the requires, and the test then runs', async (t) => {
  const fixed = missingRequires('test/median.test.js', written, notDefined, [
    { path: 'src/median.js', source: median },
    { path: 'src/mean.js', source: 'module.exports = { mean: () => 0 };\n' },
  ]);
  assert.ok(fixed);
  assert.equal(
    fixed.text.split('\n').slice(0, 3).join('\n'),
    "const { describe, it } = require('node:test');\nconst assert = require('assert');\nconst { median } = require('../src/median');",
  );
  assert.match(fixed.what, /src\/median\.js exports median/);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'assist-js-requires-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'src'));
  await mkdir(path.join(dir, 'test'));
  await writeFile(path.join(dir, 'src/median.js'), median);
  await writeFile(path.join(dir, 'test/median.test.js'), fixed.text);
  const run = spawnSync(process.execPath, ['--test', 'test/median.test.js'], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

test('nothing is added when no module or two export the name, when it is already required, or across module styles', () => {
  const two = [
    { path: 'src/median.js', source: median },
    { path: 'lib/median.js', source: median },
  ];
  assert.equal(missingRequires('test/median.test.js', written, notDefined, two), undefined, 'two modules export it');
  assert.equal(missingRequires('test/median.test.js', written, notDefined, []), undefined, 'none does');
  const required = written.replace("const assert = require('assert');", "const assert = require('assert');\nconst { median } = require('./median');");
  assert.equal(missingRequires('test/median.test.js', required, notDefined, [{ path: 'src/median.js', source: median }]), undefined);
  const esm = "import { test } from 'node:test';\nimport assert from 'node:assert';\n\ntest('odd', () => assert.equal(median([1]), 1));\n";
  assert.equal(
    missingRequires('test/median.test.mjs', esm, notDefined, [{ path: 'src/median.js', source: median }]),
    undefined,
    'an ES module test of a CommonJS module',
  );
  const fixed = missingRequires('test/median.test.mjs', esm, notDefined, [{ path: 'src/median.mjs', source: 'export function median(v) {}\n' }]);
  assert.equal(fixed?.text.split('\n')[2], "import { median } from '../src/median.mjs';");
});
