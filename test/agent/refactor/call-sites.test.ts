/**
 * A request that changes how a function is called gets every call of it looked up before the
 * model's first step. The loop is under test, so the model is scripted; the index, the files and
 * the search are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changesSignature } from '../../../src/agent/refactor/call-sites.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

test('which requests change how a function is called', () => {
  assert.ok(changesSignature('Change its signature to take `round_to_minutes` and `currency` instead of `config`, and update every caller.'));
  assert.ok(changesSignature('`findConflicts(db, roomId, start, end)` has too many positional arguments: make it take a query object.'));
  assert.ok(!changesSignature('Fix the page count: it is off by one.'));
  assert.ok(!changesSignature('Which arguments does `main` read?'), 'a question changes nothing');
  assert.ok(
    !changesSignature("Write tests for `Router`: its path parameters are converted to int. Don't change routing.py."),
    'the signature word and the verb are in different sentences',
  );
  assert.ok(!changesSignature('Add a test file for the router that checks route matching and path parameters.'), 'tests of parameters');
  assert.ok(!changesSignature('Add a JSDoc comment to each function: what it does and the parameters that are not obvious.'), 'docs of parameters');
  assert.ok(!changesSignature("Fix the rounding, but don't change the signature of `total`."), 'a negated change');
});

test('a signature change: the intake lists every call of the function, with the lines around each', async (t) => {
  const repo = await makeRepo({
    'billing.py': 'def build_invoice(entries, config):\n    return sum(e for e in entries) * config.rate\n',
    'api.py': 'from billing import build_invoice\n\n\ndef invoice(req, config):\n    return build_invoice(\n        req.entries,\n        config,\n    )\n',
    'cli.py': 'import billing\n\nprint(billing.build_invoice([1], None))\n',
    'notes.py': 'from billing import build_invoice\n\nINVOICE_BUILDER = build_invoice\n',
  });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'done' }), act('answer', { text: 'done' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Change the signature of `build_invoice` to take `rate` instead of `config`, and update every caller.');
  const searches = s.events.filter((e) => e.type === 'intake' && e.action.tool === 'search_code');
  assert.equal(searches.length, 1);
  const search = searches[0];
  assert.ok(search.type === 'intake');
  assert.match(search.action.thought, /^I search for every call of build_invoice: its new signature changes them all\.$/);
  const shown = search.result.forModel;
  for (const line of ['api.py:5', 'cli.py:3', 'billing.py:1']) assert.ok(shown.includes(line), `${line} in\n${shown}`);
  assert.match(shown, /req\.entries/, 'the arguments on the lines after the call');
  assert.ok(!shown.includes('notes.py:3'), 'a reference that is not a call is not listed');
});
