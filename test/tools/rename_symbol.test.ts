/**
 * rename_symbol on real files with the real index and workspace: every identifier spelled that way
 * changes in one approved, atomic change set; comments, strings and docs are listed (or changed
 * when asked); a clash with an existing definition and an unknown name are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSymbolTool } from '../../tools/rename_symbol.ts';
import { indexedProject } from './tool-context.ts';

const files: Record<string, string> = {
  'billing/totals.py': 'def calc_total(lines):\n    """calc_total sums the lines."""\n    return sum(p * q for p, q in lines)\n',
  'billing/invoice.py': 'from billing.totals import calc_total\n\n\ndef invoice(customer, lines):\n    return f"{customer}: {calc_total(lines):.2f}"\n',
  'report.py': 'import billing.totals as t\n\n# print calc_total of the sample\nprint(t.calc_total([(1, 2)]), "calc_total")\n',
  'web/app.ts': 'import { calcTotal } from "./calc";\nexport const view = { calcTotal, label: "calcTotal" };\nconsole.log(view.calcTotal([1]));\n',
  'web/calc.ts': 'export function calcTotal(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n',
  'README.md': 'Call `calc_total` to sum an invoice.\n',
};

const project = (t: { after(fn: () => unknown): void }, tree: Record<string, string> = files) => indexedProject(t, tree, 'assist-rename-');

test('a Python function is renamed at its definition, import, call and f-string use, in one approved change set', async (t) => {
  const p = await project(t);
  const result = await renameSymbolTool.execute({ name: 'calc_total', newName: 'compute_total', alsoInText: null }, p.ctx);
  assert.equal(result.error, undefined, result.forModel);
  assert.equal(p.asked.length, 1, 'one approval for the whole rename');
  assert.deepEqual(result.edit?.applied.sort(), ['billing/invoice.py', 'billing/totals.py', 'report.py']);
  assert.equal(
    p.read('billing/totals.py'),
    'def compute_total(lines):\n    """calc_total sums the lines."""\n    return sum(p * q for p, q in lines)\n',
    'the docstring is text, left alone',
  );
  assert.equal(
    p.read('billing/invoice.py'),
    'from billing.totals import compute_total\n\n\ndef invoice(customer, lines):\n    return f"{customer}: {compute_total(lines):.2f}"\n',
  );
  assert.equal(p.read('report.py'), 'import billing.totals as t\n\n# print calc_total of the sample\nprint(t.compute_total([(1, 2)]), "calc_total")\n');
  assert.equal(p.read('README.md'), files['README.md']);
  assert.match(result.forModel, /^Renamed `calc_total` to `compute_total`: 4 identifiers in 3 files/);
  assert.match(
    result.forModel,
    /Left unchanged: 4 mentions in comments, strings or non-code files: README.md:1, billing\/totals.py:2, report.py:3, report.py:4/,
  );
});

test('alsoInText changes the mentions in comments, strings and docs too', async (t) => {
  const p = await project(t);
  const result = await renameSymbolTool.execute({ name: 'calc_total', newName: 'compute_total', alsoInText: true }, p.ctx);
  assert.equal(result.error, undefined, result.forModel);
  for (const rel of ['billing/totals.py', 'billing/invoice.py', 'report.py', 'README.md']) assert.doesNotMatch(p.read(rel), /calc_total/, rel);
});

test('a TypeScript function is renamed in its export, import, shorthand property and member call; a string keeps the old text', async (t) => {
  const p = await project(t);
  const result = await renameSymbolTool.execute({ name: 'calcTotal', newName: 'sumAll', alsoInText: null }, p.ctx);
  assert.equal(result.error, undefined, result.forModel);
  assert.equal(p.read('web/calc.ts'), files['web/calc.ts'].replace('calcTotal', 'sumAll'));
  assert.equal(p.read('web/app.ts'), 'import { sumAll } from "./calc";\nexport const view = { sumAll, label: "calcTotal" };\nconsole.log(view.sumAll([1]));\n');
});

test('a JavaScript function is renamed where CommonJS destructures it from require, in the export and in calls', async (t) => {
  const users = 'function getUserName(u) {\n  return `${u.first} ${u.last}`;\n}\nmodule.exports = { getUserName };\n';
  const greet = "const { getUserName } = require('./users.js');\n\nfunction greet(user) {\n  return `Hello, ${getUserName(user)}!`;\n}\n";
  const p = await project(t, { 'src/users.js': users, 'src/greet.js': greet });
  const result = await renameSymbolTool.execute({ name: 'getUserName', newName: 'displayName', alsoInText: null }, p.ctx);
  assert.equal(result.error, undefined, result.forModel);
  assert.doesNotMatch(result.forModel, /Left unchanged/, 'the destructured name is code, not text');
  for (const rel of ['src/users.js', 'src/greet.js']) assert.doesNotMatch(p.read(rel), /getUserName/, rel);
});

test('a clash with an existing definition, an unknown name and non-identifiers are refused without writing', async (t) => {
  const p = await project(t);
  const clash = await renameSymbolTool.execute({ name: 'calc_total', newName: 'invoice', alsoInText: null }, p.ctx);
  assert.equal(clash.error?.code, 'invalid_args');
  assert.match(clash.forModel, /`invoice` is already defined in the project \(billing\/invoice.py:4\)/);
  const unknown = await renameSymbolTool.execute({ name: 'calc_totl', newName: 'x_total', alsoInText: null }, p.ctx);
  assert.equal(unknown.error?.code, 'not_found');
  const bad = await renameSymbolTool.execute({ name: 'calc total', newName: 'x', alsoInText: null }, p.ctx);
  assert.equal(bad.error?.code, 'invalid_args');
  assert.equal(p.asked.length, 0);
  for (const [rel, text] of Object.entries(files)) assert.equal(p.read(rel), text, rel);
});
