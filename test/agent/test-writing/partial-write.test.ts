/**
 * A new test file whose write was stopped keeps what was complete (partial-write.ts): the pure cut
 * on the text of real partial actions, and the turn with a scripted model whose step fails the way
 * the engine's does (a cut-off `invalid_output` with the text written so far).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { completePart, completeParts } from '../../../src/agent/test-writing/partial-write.ts';
import { type Action, ModelError } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });
const tools = new Map([['write_file', 'content']]);
const header = '{"thought": "I write the tests.", "tool": "write_file", "args": {"path": "tests/test_export.py"}}\n```python\n';
const body =
  'from shop.export import export\n\n\ndef test_one_row():\n    assert export([(1, 2)]) == "1,2"\n\n\ndef test_two_rows():\n    assert export([(1, 2), (3, 4)]) == "1,2\\n3,4"\n\n\n' +
  'def test_empty():\n    rows = []\n    assert export(rows) == "';

test('the complete part of a stopped write: up to the block it was in the middle of', () => {
  const part = completePart(`${header}${body}`, tools);
  assert.equal(part?.path, 'tests/test_export.py');
  assert.equal(part?.tool, 'write_file');
  assert.equal(
    part?.content,
    'from shop.export import export\n\n\ndef test_one_row():\n    assert export([(1, 2)]) == "1,2"\n\n\ndef test_two_rows():\n    assert export([(1, 2), (3, 4)]) == "1,2\\n3,4"\n',
  );
  // node:test at the top level: a closing `});` is not where a block starts
  const js = "const test = require('node:test');\n\ntest('a', () => {\n  assert.equal(1, 1);\n});\n\ntest('b', () => {\n  assert.equal(";
  assert.equal(
    completePart(`{"thought": "", "tool": "write_file", "args": {"path": "a.test.js"}}\n\`\`\`js\n${js}`, tools)?.content,
    "const test = require('node:test');\n\ntest('a', () => {\n  assert.equal(1, 1);\n});\n",
  );
  assert.equal(completePart(`{"thought": "", "tool": "edit_file", "args": {"path": "a.py"}}\n<<<<<<< SEARCH\nx\n`, tools), undefined, 'not a write');
  assert.equal(completePart('{"thought": "I wr', tools), undefined, 'the header itself was cut');
});

test('a test file cut off at the token limit: its complete tests are written, and the model is told what was kept', async (t) => {
  const repo = await makeRepo({ 'shop/__init__.py': '', 'shop/export.py': 'def export(rows):\n    return "\\n".join(",".join(map(str, r)) for r in rows)\n' });
  t.after(repo.cleanup);
  const cut = () => {
    throw new ModelError('invalid_output', 'The action was cut off after 2048 tokens without completing.', { cutOff: true, partial: `${header}${body}` });
  };
  const model = new ScriptedModel([cut, act('answer', { text: 'Done.' }), act('answer', { text: 'Done.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ actionFormat: 'text' }), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('shop/export.py has no tests. Write pytest tests for it in a new file tests/test_export.py.');
  const written = await readFile(path.join(repo.root, 'tests/test_export.py'), 'utf8');
  assert.match(written, /def test_two_rows\(\):/);
  assert.doesNotMatch(written, /test_empty/);
  assert.match(
    model.prompts[1].at(-1)!.content,
    /^Observation \(write_file\):\n\[Your action was cut off at the token limit before it was complete\. assist kept what was complete of it: 2 tests in tests\/test_export\.py/,
  );
});

test('a write stopped for a loop: first everything whole, the looping line once; then up to the block it was in', () => {
  const loop = `${header}from shop.export import export\n\n\ndef test_rows():\n    assert export([(1, 2)]) == "1,2"\n${'    assert export([(1, 2), (1, 2)]) == "1,2\\n1,2"\n'.repeat(12)}    assert export([(1, 2), (1,`;
  const [whole, upToBlock] = completeParts(loop, tools, true);
  assert.equal(completeParts(loop, tools, false).length, 1, 'cut off at the limit: only up to the block');
  assert.equal(
    whole.content,
    'from shop.export import export\n\n\ndef test_rows():\n    assert export([(1, 2)]) == "1,2"\n    assert export([(1, 2), (1, 2)]) == "1,2\\n1,2"\n',
  );
  assert.equal(upToBlock.content, 'from shop.export import export\n');
  assert.deepEqual(completeParts('{"thought": "", "tool": "read_file", "args": {"path": "a.py"}}\n', tools, true), []);
  // (Ruby: the method and the class the loop was in are closed; ruby-add-test-slug's model step)
  const ruby = `${header.replace('tests/test_export.py', 'test/test_slug.rb')}require 'minitest/autorun'\n\nclass SlugTest < Minitest::Test\n  def test_slugify\n${"    assert_equal 'a-b', Slug.slugify('a b')\n".repeat(12)}    assert_eq`;
  assert.equal(
    completeParts(ruby, tools, true)[0].content,
    "require 'minitest/autorun'\n\nclass SlugTest < Minitest::Test\n  def test_slugify\n    assert_equal 'a-b', Slug.slugify('a b')\n  end\nend\n",
  );
});
