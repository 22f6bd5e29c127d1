/**
 * A misspelt name written as the name the error suggests (did-you-mean.ts), from what Ruby, Python,
 * gcc, g++, tsc (TS2552) and rustc print, captured in the sandbox image (Ruby's as minitest printed
 * it in an eval run); clang's and tsc's TS2551 are written from their usual wording, not captured
 * (the image has no clang). The turn tests run the real
 * interpreter in the sandbox; the model that misspelt the name, and the code completion that did, are
 * scripted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { nearestName, suggestedNames, withSuggestedNames } from '../../../src/agent/checks/did-you-mean.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, repairSession, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: '', tool, args });

const ruby = [
  'AccountTest#test_transfer_moves_money:',
  "NameError: undefined local variable or method `overdraft_limit' for #<Account:0x00007f9f2b9f5db8 @balance=1000, @overdraft_limit=0>",
  '',
  '    raise Account::InsufficientFunds if amount > balance + overdraft_limit',
  '                                                           ^^^^^^^^^^^^^^^',
  'Did you mean?  @overdraft_limit',
  "    /work/account.rb:43:in `transfer'",
  "    account_test.rb:36:in `test_transfer_moves_money'",
].join('\n');
const python = [
  'Traceback (most recent call last):',
  '  File "/work/a.py", line 4, in <module>',
  '    f()',
  '  File "/work/a.py", line 3, in f',
  '    return totl + 1',
  '           ^^^^',
  "NameError: name 'totl' is not defined. Did you mean: 'total'?",
].join('\n');
const gcc = [
  'a.c: In function ‘f’:',
  'a.c:3:10: error: ‘totl’ undeclared (first use in this function); did you mean ‘total’?',
  '    3 |   return totl + 1;',
  '      |          ^~~~',
  '      |          total',
].join('\n');
const gxx = 'a.cpp:3:10: error: ‘totl’ was not declared in this scope; did you mean ‘total’?\n    3 |   return totl + 1;\n';
const clang = "a.c:3:10: error: use of undeclared identifier 'totl'; did you mean 'total'?\n";
const tsc =
  "a.ts(3,10): error TS2552: Cannot find name 'totl'. Did you mean 'total'?\nb.ts(2,5): error TS2551: Property 'lenght' does not exist on type 'string'. Did you mean 'length'?\n";
const rustc = [
  'error[E0425]: cannot find value `totl` in this scope',
  ' --> a.rs:3:5',
  '  |',
  '3 |     totl + 1',
  '  |     ^^^^ help: a local variable with a similar name exists: `total`',
].join('\n');

test('the misspelt names and the suggestions of Ruby, Python, gcc, g++, clang, tsc and rustc', () => {
  assert.deepEqual(suggestedNames(ruby), [{ name: 'overdraft_limit', suggestion: '@overdraft_limit' }]);
  for (const output of [python, gcc, gxx, clang, rustc]) assert.deepEqual(suggestedNames(output), [{ name: 'totl', suggestion: 'total' }], output);
  assert.deepEqual(suggestedNames(tsc), [
    { name: 'totl', suggestion: 'total' },
    { name: 'lenght', suggestion: 'length' },
  ]);
  assert.deepEqual(suggestedNames("NameError: name 'x' is not defined\n"), [], 'no suggestion, nothing to write');
  assert.deepEqual(suggestedNames("AttributeError: 'Point' object has no attribute 'lenght'. Did you mean: 'length'?"), [
    { name: 'lenght', suggestion: 'length' },
  ]);
});

test('the suggested name is written on the lines of the file the output names, as a whole word; other lines and other files stay', () => {
  const text = 'def f():\n    total = 1\n    return totl + 1\n\n\ndef g():\n    return totl\n';
  const fixed = withSuggestedNames('src/a.py', text, python);
  assert.equal(fixed?.text, 'def f():\n    total = 1\n    return total + 1\n\n\ndef g():\n    return totl\n', 'line 3 only: the output names no other');
  assert.match(fixed?.what ?? '', /wrote `total` for `totl`, as the error suggests/);
  assert.equal(withSuggestedNames('b.py', text, python), undefined, 'another file');
  const account = `${'\n'.repeat(42)}    raise InsufficientFunds if amount > balance + overdraft_limit\n    @overdraft_limit -= 0\n`;
  assert.equal(
    withSuggestedNames('account.rb', account, ruby)?.text.split('\n')[42],
    '    raise InsufficientFunds if amount > balance + @overdraft_limit',
    'the instance variable, and not `@@overdraft_limit`',
  );
  assert.equal(
    withSuggestedNames('account.rb', `${'\n'.repeat(42)}    left = @overdraft_limit - overdraft_limit\n`, ruby)?.text.split('\n')[42],
    '    left = @overdraft_limit - @overdraft_limit',
    'the name with its sigil on the same line is left as it is',
  );
  assert.equal(withSuggestedNames('a.py', 'x = 1\n', python), undefined, 'the line named does not hold the name');
});

test('in a repair: a filled stub that misspells a name is run again with the name the error suggests, and kept when the tests pass', async (t) => {
  const stub = 'RATE = 3\n\n\ndef price(n):\n    """n times RATE."""\n    raise NotImplementedError("not implemented")\n';
  const tests = 'from price import price\n\n\ndef test_price():\n    assert price(2) == 6\n';
  const filler = new ScriptedModel([], { infills: ['    """n times RATE."""\n    return n * RAT\n'] });
  const e = await repairSession(t, { 'price.py': stub, 'test_price.py': tests }, filler);
  if (!e) return;
  const result = await e.session.agent.runTurn('Implement price.py so that the tests in test_price.py pass. Do not change the tests.');
  assert.match(result.text, /^Fixed: /, result.text);
  assert.match(await fs.readFile(path.join(e.root, 'price.py'), 'utf8'), /return n \* RATE\n/);
  assert.ok(e.events.some((x) => x.type === 'notice' && /wrote `RATE` for `RAT`, as the error suggests/.test(x.message)));
});

test("in a turn: the model's edit that misspells a name is fixed as the error suggests, and the tests run again", async (t) => {
  const repo = await makeRepo({
    'acct.rb': 'class Acct\n  def initialize\n    @limit = 5\n  end\n\n  def room(x)\n    0\n  end\nend\n',
    'acct_test.rb':
      "require 'minitest/autorun'\nrequire_relative 'acct'\n\nclass AcctTest < Minitest::Test\n  def test_room\n    assert_equal 3, Acct.new.room(2)\n  end\nend\n",
  });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    act('edit_file', { path: 'acct.rb', edits: [{ find: '    0\n', replace: '    limit - x\n' }] }),
    act('answer', { text: 'Done.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Make room in acct.rb return the limit less x, so that `ruby acct_test.rb` passes.');
  assert.match(await fs.readFile(path.join(repo.root, 'acct.rb'), 'utf8'), / {4}@limit - x\n/);
  const seen = model.prompts[1].at(-1)!.content;
  assert.match(seen, /acct\.rb: wrote `@limit` for `limit`, as the error suggests/, seen);
  assert.match(seen, /tests PASSED/, seen);
});

test("pytest's NameError, printed without the suggestion: the file's nearest name by Python's rule, none on a tie or when too far", () => {
  const output = "E       NameError: name 'RAT' is not defined\n\nprice.py:5: NameError\n";
  assert.deepEqual(suggestedNames(output, 'RATE = 3\n\ndef price(n):\n    return n * RAT\n'), [{ name: 'RAT', suggestion: 'RATE' }]);
  assert.deepEqual(suggestedNames(output), [], 'without the text, nothing');
  assert.equal(nearestName('RAT', 'RATE = 3\nRATS = 4\n'), undefined, 'a tie');
  assert.equal(nearestName('total', 'values = 3\n'), undefined, 'too far');
  assert.equal(
    withSuggestedNames('price.py', 'RATE = 3\n\n\ndef price(n):\n    return n * RAT\n', output)?.text,
    'RATE = 3\n\n\ndef price(n):\n    return n * RATE\n',
  );
});
