/**
 * A move asked in so many words is done first by move_symbol, then the tests run. The loop is
 * under test, so the model is scripted; the index, the files and the sandbox's test run are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { asksToMove, moveAsked, onlyMoves } from '../../../src/agent/refactor/move-first.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

test('what a request asks to move and where: backticked names the project defines in one file, and a code file after "to" or "into"', () => {
  const defs: Record<string, string[]> = {
    parse_tags: ['tally/db/entries.py'],
    format_tags: ['tally/db/entries.py'],
    requireOne: ['src/cli/commands/rooms.ts'],
    helper: ['a.py', 'b.py'],
    main: ['app.py'],
  };
  const definedIn = (name: string) => defs[name] ?? [];
  assert.deepEqual(
    moveAsked(
      '`parse_tags` and `format_tags` live in tally/db/entries.py, but they have nothing to do with the database. Move both functions into a new module tally/tags.py and update every import.',
      definedIn,
    ),
    { names: ['parse_tags', 'format_tags'], to: 'tally/tags.py', from: 'tally/db/entries.py' },
  );
  assert.deepEqual(moveAsked('Please move `requireOne()` to `src/cli/args.ts`, next to the rest.', definedIn), {
    names: ['requireOne'],
    to: 'src/cli/args.ts',
    from: 'src/cli/commands/rooms.ts',
  });
  assert.equal(moveAsked('Move the check to the start of the loop in `main`.', definedIn), undefined, 'no file to move to');
  assert.deepEqual(moveAsked('move parse_tags and format_tags to tally/tags.py', definedIn), {
    names: ['parse_tags', 'format_tags'],
    to: 'tally/tags.py',
    from: 'tally/db/entries.py',
  });
  assert.equal(moveAsked('Move `helper` to util.py.', definedIn), undefined, 'defined in two files: the model says which');
  assert.equal(moveAsked('Move `parse_tags` to tally/tags.py and `requireOne` to src/cli/args.ts.', definedIn), undefined, 'names from two files');
  assert.equal(moveAsked('Move the notes to docs/NOTES.md.', definedIn), undefined, 'not a code file');
  assert.ok(asksToMove('Move it to src/cli/args.ts') && !asksToMove('Fix the account so that a transfer of money works.'));
  assert.ok(
    onlyMoves(
      'Move it to src/cli/args.ts, next to the rest of the argument handling, and update the imports. No copy should stay in rooms.ts, and the tests must still pass.',
    ),
  );
  assert.ok(!onlyMoves('Move `a` to b.py and add a docstring to it.'));
});

test('a move asked in so many words: moved with its imports before the first step, and the passing tests end the turn', async (t) => {
  const repo = await makeRepo({
    'shop/__init__.py': '',
    'shop/cart.py': 'def calc_total(prices):\n    return sum(prices)\n\n\ndef cart_line(prices):\n    return f"total {calc_total(prices)}"\n',
    'main.py': 'from shop.cart import calc_total\n\nprint(calc_total([1, 2]))\n',
    'test_cart.py':
      'from shop.cart import calc_total, cart_line\n\n\ndef test_total():\n    assert calc_total([1, 2]) == 3\n    assert cart_line([2]) == "total 2"\n',
  });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'never reached' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Move `calc_total` into a new module shop/money.py and update the imports; the tests must pass.');
  assert.equal(result.status, 'answered');
  assert.match(result.text, /^Moved `calc_total` from shop\/cart\.py to shop\/money\.py; .*pytest.* passes\./);
  assert.equal(model.remaining(), 1, 'no model step was needed');
  assert.equal(await readFile(path.join(repo.root, 'shop/money.py'), 'utf8'), 'def calc_total(prices):\n    return sum(prices)\n');
  assert.equal(
    await readFile(path.join(repo.root, 'shop/cart.py'), 'utf8'),
    'from shop.money import calc_total\n\n\ndef cart_line(prices):\n    return f"total {calc_total(prices)}"\n',
  );
  assert.equal(await readFile(path.join(repo.root, 'main.py'), 'utf8'), 'from shop.money import calc_total\n\nprint(calc_total([1, 2]))\n');
  assert.match(await readFile(path.join(repo.root, 'test_cart.py'), 'utf8'), /^from shop\.cart import cart_line\nfrom shop\.money import calc_total\n/);
});

test('the move tool is offered only when the request asks for a move', async (t) => {
  const repo = await makeRepo({ 'a.py': 'def f():\n    return 1\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel(Array.from({ length: 4 }, () => act('answer', { text: 'done' })));
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Add a docstring to f in a.py.');
  const firstTurn = model.schemas.length;
  await s.session.agent.runTurn('Move the function f somewhere sensible.');
  const offered = model.schemas.map((schema) => JSON.stringify(schema).includes('"move_symbol"'));
  assert.ok(firstTurn > 0 && offered.length > firstTurn);
  assert.deepEqual(offered.slice(0, firstTurn), Array(firstTurn).fill(false), 'not for a docstring');
  assert.equal(offered[firstTurn], true, 'offered for a move the model does itself');
});
