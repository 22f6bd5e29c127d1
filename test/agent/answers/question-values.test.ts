/**
 * A value a question asks about in other words, which the code shown only uses, is looked up where
 * it is set before the model's first step: the real intake on a real temp repo (ripgrep or the node
 * search, the real index), with a scripted model (only the loop is under test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignedAt, assignmentPattern, valueNames } from '../../../src/agent/answers/question-values.ts';
import { compileQuery } from '../../../src/workspace/search-query.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { lastPromptText, makeRepo, startSession, testConfig } from '../harness.ts';

const checkout =
  "const { TAX_RATE } = require('./rates.js');\n\nfunction checkout(lines) {\n  return lines.total * (1 + TAX_RATE);\n}\nmodule.exports = { checkout };\n";

test('the names a question asks about in other words are the compound names of the code shown whose every word it uses, and that the code does not set', () => {
  const question = 'What tax rate (as a percentage) does checkout apply to an order?';
  assert.deepEqual(valueNames(question, checkout), ['TAX_RATE']);
  assert.deepEqual(valueNames('Which rates does checkout use?', 'applyRate(x, TAX_RATE)'), [], 'apply and tax are no words of the question');
  assert.deepEqual(valueNames('How many entries fit on a page?', 'per_page = 10\nreturn entries[:per_page]'), [], 'set in the code shown');
  assert.deepEqual(valueNames('What is the rate?', 'return total * rate'), [], 'a one-word name is too common to look up');
  assert.deepEqual(valueNames('Which port does the server listen on by default?', 'listen(DEFAULT_PORT)\nserver.listen(defaultPort)'), [
    'DEFAULT_PORT',
    'defaultPort',
  ]);
});

test('an assignment is found in the shapes languages set a value in', () => {
  const sets = (line: string, name: string) => new RegExp(assignmentPattern(name)).test(line);
  assert.ok(sets('module.exports = { TAX_RATE: 0.075, SHIPPING_RATE: 0.02 };', 'TAX_RATE'));
  assert.ok(sets('MAX_PAGE_SIZE = 200', 'MAX_PAGE_SIZE'));
  assert.ok(sets('const maxSize: number = 5;', 'maxSize'));
  assert.ok(sets('\tdefaultPort := 8417', 'defaultPort'));
  assert.ok(sets('#define BUF_SIZE (4 * KB)', 'BUF_SIZE'));
  assert.ok(sets('  "page_size": 25,', 'page_size'));
  assert.ok(!sets('if (TAX_RATE == 0) return;', 'TAX_RATE'));
  assert.ok(!sets('const rate = TAX_RATE;', 'TAX_RATE'));
  assert.ok(!sets('x => TAX_RATE', 'TAX_RATE'));
});

test('where a value is set is found in the code, not in its tests or a config example', async (t) => {
  const repo = await makeRepo({
    'test/rates.test.js': "const TAX_RATE = 1; // a fixture of the test's own\n",
    'config.example.toml': 'TAX_RATE = 0.2\n',
    'src/rates.js': 'module.exports = { TAX_RATE: 0.075 };\n',
  });
  t.after(repo.cleanup);
  assert.deepEqual(await assignedAt(repo.root, 'TAX_RATE'), { path: 'src/rates.js', line: 1 });
  const query = { query: assignmentPattern('TAX_RATE'), regex: true, caseSensitive: true, glob: null, dir: null, contextLines: 0 };
  assert.ok(compileQuery(query).rg, 'ripgrep can run the look-up');
  assert.equal(await assignedAt(repo.root, 'SHIPPING_RATE'), undefined);
});

test("a question's intake reads where the value it asks about is set when the code it reads only uses it", async (t) => {
  const repo = await makeRepo({
    'src/checkout.js': checkout,
    'src/rates.js': 'module.exports = { TAX_RATE: 0.075, SHIPPING_RATE: 0.02 };\n',
    'src/lines.js': 'module.exports = { lineTotal: (l) => l.price * l.qty };\n',
  });
  t.after(repo.cleanup);
  const answer: Action = { thought: '', tool: 'answer', args: { text: '7.5' } };
  const model = new ScriptedModel([answer]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('What tax rate (as a percentage) does checkout apply to an order? Answer with just the number.');
  const reads = s.events.flatMap((e) => (e.type === 'intake' && e.action.tool === 'read_file' ? [e.action.thought] : []));
  assert.ok(reads.includes('I read where TAX_RATE is set, in src/rates.js: the code above uses it.'), reads.join('\n'));
  assert.match(lastPromptText(model.prompts, 0), /TAX_RATE: 0\.075/);
});
