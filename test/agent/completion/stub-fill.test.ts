/**
 * Stubs are filled in whole (here with `agent.wholeFileLines` 0, so only the stubs decide): in a turn that asks to implement code, a short file with stubs offers
 * no search/replace edit (the text grammar leaves it out), the intake names its stubs and says to
 * write it whole, and a change that rewrites a stub line into another stub is refused.
 * The loop is under test, so the model is scripted (it bypasses the grammar; the grammar it was
 * given is checked); the files are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { addedStubs, fillsStubs, keptStubs, stubLines, writesWhole } from '../../../src/agent/completion/stub-guard.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { lastPromptText, makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

test('stub lines in the conventions of many languages, and not in finished code', () => {
  assert.deepEqual(stubLines("def self.parse(text)\n  raise NotImplementedError, 'parse is not implemented yet'\nend\n"), [2]);
  assert.deepEqual(stubLines('int f(void) {\n    return -1; /* not implemented yet */\n}\n'), [2]);
  assert.deepEqual(stubLines('echo "ini_get.sh: not implemented yet" >&2\nexit 2\n'), [1]);
  assert.deepEqual(stubLines('pub fn add(a: i32) -> i32 {\n    todo!()\n}\nfn b() { unimplemented!("later") }\n'), [2, 4]);
  assert.deepEqual(stubLines('func Add() int {\n\tpanic("Please implement the Add function")\n}\n'), [2]);
  assert.deepEqual(stubLines('throw new UnsupportedOperationException("Delete this statement and write your own implementation.");\n'), [1]);
  assert.deepEqual(stubLines("export const add = () => {\n  throw new Error('Remove this statement and implement this function');\n};\n"), [2]);
  assert.deepEqual(stubLines('def add(a, b):\n    """Adds."""\n    pass\n\n\nfor x in y:\n    pass\n'), [3], 'a body that is only pass; not a loop');
  assert.deepEqual(stubLines('# The implementation follows RFC 3339; we implement this with a regex.\ndef add(a, b):\n    return a + b\n'), []);
  assert.deepEqual(stubLines("    send(501, 'Not Implemented')\n"), [], "HTTP's status is finished code");
  assert.deepEqual(stubLines('public static boolean isPalindrome(String s) {\n    // Your code here\n}\n'), [2]);
  assert.deepEqual(stubLines('// Show the code here to a reviewer\nint f() { return 1; }\n'), []);
  assert.ok(writesWhole('def add(a, b):\n    raise NotImplementedError\n'));
  assert.ok(!writesWhole(`${'x = 1\n'.repeat(200)}def add(a, b):\n    raise NotImplementedError\n`), 'a long file is patched, not rewritten');
});

test('a turn fills stubs when it asks to implement, complete or make tests pass', () => {
  assert.ok(fillsStubs('Implement the methods in duration.rb so that the tests in duration_test.rb pass. Do not change the tests.'));
  assert.ok(fillsStubs('Make the tests pass.'));
  assert.ok(fillsStubs('Make the tests in hello_test.sh pass (run them with `bash hello_test.sh`).'), 'a file name between tests and pass');
  assert.ok(!fillsStubs('The tests fail. Passing is not enough.'));
  assert.ok(fillsStubs('Complete parse_size in size.c.'));
  assert.ok(!fillsStubs('Rename parse to parse_duration everywhere.'));
  assert.ok(!fillsStubs('What does parse do?'));
});

test('a change that rewrites a stub into another stub is refused; filling one in, or working around one, is not', () => {
  const before =
    "module D\n  def self.parse(t)\n    raise NotImplementedError, 'parse is not implemented yet'\n  end\n\n  def self.format(s)\n    raise NotImplementedError, 'format is not implemented yet'\n  end\nend\n";
  const swapped = before.replace("raise NotImplementedError, 'parse", "raise ArgumentError, 'parse");
  const refusal = keptStubs([{ path: 'd.rb', before, after: swapped, diff: '' }], 'write_file');
  assert.match(
    refusal ?? '',
    /Not applied: the change rewrites a stub of d\.rb but leaves it a stub \(line 3: raise ArgumentError, 'parse is not implemented yet'; line 7: .*\); it implements nothing\. Write d\.rb whole with write_file/,
  );
  const filled = before.replace("raise NotImplementedError, 'parse is not implemented yet'", 't.to_i');
  assert.equal(keptStubs([{ path: 'd.rb', before, after: filled, diff: '' }], 'write_file'), undefined, 'one stub filled in');
  const elsewhere = before.replace('module D', 'module D # durations');
  assert.equal(keptStubs([{ path: 'd.rb', before, after: elsewhere, diff: '' }], 'write_file'), undefined, 'the stubs were not touched');
});

test('a stub task: the intake says to write the stub file whole, the grammar offers no patch of it, and a stub kept is refused', async (t) => {
  const stub = 'def add(a, b):\n    """The sum of a and b."""\n    raise NotImplementedError("add is not implemented yet")\n';
  const repo = await makeRepo({
    'calc.py': stub,
    'test_calc.py': 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n',
  });
  t.after(repo.cleanup);
  const keepStub = act('edit_file', {
    path: 'calc.py',
    edits: [{ find: '    raise NotImplementedError("add is not implemented yet")\n', replace: '    raise ValueError("add is not implemented yet")\n' }],
  });
  const writeWhole = act('write_file', { path: 'calc.py', content: 'def add(a, b):\n    """The sum of a and b."""\n    return a + b\n' });
  const model = new ScriptedModel([keepStub, writeWhole, act('answer', { text: 'Done.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ actionFormat: 'text', wholeFileLines: 0 }), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Implement add in calc.py so that the tests in test_calc.py pass. Do not change the tests.');
  const first = lastPromptText(model.prompts, 0);
  assert.match(
    first,
    /Next: the code to write is the stubs in calc\.py \(line 3: raise NotImplementedError\("add is not implemented yet"\)\)\. Write calc\.py whole with write_file/,
  );
  assert.doesNotMatch(model.grammars[0], /at-calc-py/, 'no search/replace anchor in the stub file');
  assert.match(model.grammars[0], /write_file/, 'it can be written whole');
  assert.match(lastPromptText(model.prompts, 1), /Not applied: the change rewrites a stub of calc\.py but leaves it a stub/);
  assert.equal(await readFile(path.join(repo.root, 'calc.py'), 'utf8').then((text) => text.includes('return a + b')), true, 'the whole write landed');
  assert.match(model.grammars[2], /at-calc-py/, 'once filled in, the file can be patched like any other');
});

test('a change that adds placeholders instead of code is refused; one that keeps or removes them is not', () => {
  const placeholder = 'public class Palindrome {\n    public static boolean isPalindrome(String s) {\n        // Your code here\n    }\n}\n';
  assert.match(
    addedStubs([{ path: 'Palindrome.java', before: null, after: placeholder, diff: '' }], 'write_file') ?? '',
    /^Not applied: the change leaves placeholders in Palindrome\.java instead of code \(line 3: \/\/ Your code here\)\. Call write_file with Palindrome\.java whole/,
  );
  const filled = placeholder.replace('// Your code here', 'return true;');
  assert.equal(addedStubs([{ path: 'Palindrome.java', before: placeholder, after: filled, diff: '' }], 'write_file'), undefined);
  assert.equal(
    addedStubs([{ path: 'Palindrome.java', before: placeholder, after: `${placeholder}\n`, diff: '' }], 'write_file'),
    undefined,
    'as many as before',
  );
  assert.equal(addedStubs([{ path: 'test_calc.py', before: null, after: 'def test_x():\n    pass\n', diff: '' }], 'write_file'), undefined, 'a test file');
});

test('an abstract method whose body is pass is no placeholder', () => {
  const base = 'from abc import ABC, abstractmethod\n\n\nclass Shape(ABC):\n    @abstractmethod\n    def area(self):\n        pass\n';
  assert.equal(addedStubs([{ path: 'shape.py', before: null, after: base, diff: '' }], 'write_file'), undefined);
});
