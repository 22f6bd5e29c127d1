/**
 * A question that asks how many gets the members of what it names counted by the syntax tree: the
 * real tree-sitter index of a real temp repo in several languages, and a question turn whose
 * scripted model answers (only the loop is under test; what the model was shown is checked).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksHowMany, countedMembers, countedNote } from '../../../src/agent/answers/counted-members.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { indexedRepo, lastPromptText, makeRepo, startSession, testConfig } from '../harness.ts';

const files = {
  'src/command.rs':
    '#[derive(Debug)]\npub enum Command {\n    Add,\n    /// Takes one away.\n    Remove(u8),\n    #[allow(dead_code)]\n    List { all: bool },\n    Clear,\n    Help,\n}\n\n' +
    'pub fn run(command: Command, verbose: bool, out: &mut String) {}\n',
  'shop/cart.py':
    'class Cart:\n    """A cart."""\n    currency = "EUR"\n\n    def add(self, item):\n        pass\n\n    @staticmethod\n    def empty():\n        return Cart()\n',
  'web/colors.ts': 'export enum Color {\n  Red = 1,\n  Green,\n  // the last\n  Blue,\n}\n',
};

test('members and parameters counted for the definition a how-many question names', async (t) => {
  const { index, textOf } = await indexedRepo(t, files);
  const count = async (question: string) => (await countedMembers(question, index, textOf)).map((c) => [c.def.name, c.of, c.members.map((m) => m.name)]);
  assert.deepEqual(await count('How many variants does the enum `Command` in this crate have?'), [
    ['Command', 'members', ['Add', 'Remove', 'List', 'Clear', 'Help']],
  ]);
  assert.deepEqual(await count('How many values has the Color enum?'), [['Color', 'members', ['Red', 'Green', 'Blue']]]);
  assert.deepEqual(await count('How many parameters does `run` take?'), [['run', 'parameters', ['command', 'verbose', 'out']]]);
  const [cart] = await countedMembers('How many methods does Cart have?', index, textOf);
  assert.equal(
    countedNote(cart!),
    'Counted in its syntax tree: `Cart` (class in shop/cart.py, lines 1-10) has 3 members: currency, add, empty. (1 other than methods: currency; 2 methods: add, empty)',
  );
  // not a how-many question, or a name the project does not define: nothing
  assert.equal(asksHowMany('Which function applies the limit?'), false);
  assert.deepEqual(await count('What does `Command` do?'), []);
  assert.deepEqual(await count('How many rooms does `Hotel` have?'), []);
});

test('the intake of a how-many question shows the count beside the code', async (t) => {
  const repo = await makeRepo(files);
  t.after(repo.cleanup);
  const model = new ScriptedModel([{ thought: '', tool: 'answer', args: { text: '5' } }]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('How many variants does the enum `Command` in this crate have? Answer with just the number.');
  assert.match(lastPromptText(model.prompts), /`Command` \(enum in src\/command\.rs, lines 2-10\) has 5 members: Add, Remove, List, Clear, Help\./);
});

test("a function's body is not counted as members, nor a type's as parameters", async (t) => {
  const { index, textOf } = await indexedRepo(t, files);
  assert.deepEqual(await countedMembers('How many lines does `run` have?', index, textOf), []);
  assert.deepEqual(await countedMembers('How many parameters does `Command` take?', index, textOf), []);
});
