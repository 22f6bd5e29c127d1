/**
 * A rename asked in so many words is done first by rename_symbol, then the tests run. The loop is
 * under test, so the model is scripted; the index, the files and the sandbox's test run are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { onlyRenames, renameAsked, renamesMentions } from '../../../src/agent/refactor/rename-first.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

test('the names a request asks to rename: between the verb and "to", or the first one the project defines ("Rename it to")', () => {
  const defined = (name: string) => name !== 'undefined_thing';
  assert.deepEqual(renameAsked('Rename the Go type `Rect` to `Rectangle` in every file of this package.', defined), { name: 'Rect', newName: 'Rectangle' });
  assert.deepEqual(renameAsked('Please rename the function `parseInstant` (src/domain/time.ts) to `parseTimestamp`, everywhere.', defined), {
    name: 'parseInstant',
    newName: 'parseTimestamp',
  });
  assert.deepEqual(renameAsked('`undefined_thing` and `parse_duration` confuse people. Rename it to `parse_minutes` everywhere.', defined), {
    name: 'parse_duration',
    newName: 'parse_minutes',
  });
  assert.equal(renameAsked('Rename `a` to `b` and `c` to `d`.', defined), undefined, 'several renames: the model does them');
  assert.equal(renameAsked('Rename the helper to something clearer.', defined), undefined, 'no new name given');
  assert.deepEqual(renameAsked('rename calc_total to compute_total everywhere', defined), { name: 'calc_total', newName: 'compute_total' }, 'no backticks');
  assert.deepEqual(renameAsked('Rename the function add to plus.', defined), { name: 'add', newName: 'plus' });
  assert.equal(renameAsked('Rename undefined_thing to x.', defined), undefined);
  assert.equal(renameAsked('Rename a to b and c to d.', defined), undefined, 'two renames');
  assert.equal(renameAsked('Rename the file to match the class.', defined), undefined);
  assert.equal(renameAsked('Rename `undefined_thing` to `x`.', defined), undefined, 'nothing by that name in the project');
  assert.ok(onlyRenames('Rename the function `calc_total` to `compute_total` everywhere, keeping the tests passing.'));
  assert.ok(!onlyRenames('Rename `a` to `b` and add a docstring to it.'));
  assert.ok(renamesMentions('Rect') && renamesMentions('calc_total') && renamesMentions('getUserName'));
  assert.ok(!renamesMentions('add'), 'a plain word in comments may mean something else');
});

test('a rename asked in so many words: renamed everywhere before the first step, comments included, and the passing tests end the turn', async (t) => {
  const repo = await makeRepo({
    'shop/cart.py': '# calc_total sums the prices.\ndef calc_total(prices):\n    return sum(prices)\n',
    'shop/__init__.py': '',
    'main.py': 'from shop.cart import calc_total\n\nprint(calc_total([1, 2]))\n',
    'test_cart.py': 'from shop.cart import calc_total\n\n\ndef test_total():\n    assert calc_total([1, 2]) == 3\n',
  });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'never reached' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Rename the function `calc_total` to `compute_total` everywhere in this project, keeping the tests passing.');
  assert.equal(result.status, 'answered');
  assert.match(result.text, /^Renamed `calc_total` to `compute_total`; .*pytest.* passes\./);
  assert.equal(model.remaining(), 1, 'no model step was needed');
  assert.equal(
    await readFile(path.join(repo.root, 'shop/cart.py'), 'utf8'),
    '# compute_total sums the prices.\ndef compute_total(prices):\n    return sum(prices)\n',
  );
  assert.match(await readFile(path.join(repo.root, 'test_cart.py'), 'utf8'), /from shop\.cart import compute_total\n[^]*assert compute_total\(/);
  assert.match(await readFile(path.join(repo.root, 'main.py'), 'utf8'), /print\(compute_total\(\[1, 2\]\)\)/);
});
