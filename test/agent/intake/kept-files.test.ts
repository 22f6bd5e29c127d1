/**
 * Files a request says not to change stay as they are. The loop is under test, so the model is
 * scripted; the files and the change flow are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { keptFiles, namedFileDeleted } from '../../../src/agent/intake/kept-files.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { lastPromptText, makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

test('the files a request says not to change, as it names them', () => {
  assert.deepEqual(keptFiles('Add pytest tests for `slugify` in a new file test_slug.py. Do not change slug.py.'), ['slug.py']);
  assert.deepEqual(keptFiles('Implement size.c so that the tests pass. Do not change the tests or size.h. Run them with `make test`.'), ['size.h']);
  assert.deepEqual(keptFiles("Add tests for `Clamp`. Don't modify src/clamp.go, and leave README.md as it is."), ['src/clamp.go', 'README.md']);
  assert.deepEqual(keptFiles('Do not change the tests or the public part of range_set.hpp.'), [], 'the rest of that file may change');
  assert.deepEqual(keptFiles('Fix the bug in cart.py. Do not change the tests.'), []);
  assert.deepEqual(keptFiles("Only add docstrings; don't change any code."), []);
  // the file the request names, called by its name or "it"
  assert.deepEqual(
    keptFiles("src/http/router.ts has no tests of its own. Add a test file for it (node:test, like the other tests). Don't change the router itself."),
    ['src/http/router.ts'],
  );
  assert.deepEqual(keptFiles('bookings_repo.py has no tests. Add some, and do not modify the bookings repo.'), ['bookings_repo.py']);
  assert.deepEqual(keptFiles('Write tests for parser.py without changing it.'), ['parser.py']);
  assert.deepEqual(keptFiles('Fix parse in parser.py without changing the parser signature.'), [], 'a part of it may change');
  assert.deepEqual(keptFiles('Compare a.py and b.py; do not change it.'), [], 'which one is not certain');
  assert.deepEqual(keptFiles('Add docstrings to shop.py. Do not change the code.'), [], 'the code, not the file');
});

test('a change to a file the request keeps is refused with its words, and the turn goes on', async (t) => {
  const slug = 'import re\n\n\ndef slugify(text):\n    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")\n';
  const repo = await makeRepo({ 'slug.py': slug });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    act('edit_file', { path: 'slug.py', edits: [{ find: 'import re\n', replace: 'from unittest.mock import patch\n' }] }),
    act('write_file', { path: 'test_slug.py', content: 'from slug import slugify\n\n\ndef test_spaces():\n    assert slugify("a b") == "a-b"\n' }),
    act('answer', { text: 'Added test_slug.py.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py. Do not change slug.py.');
  assert.equal(await readFile(path.join(repo.root, 'slug.py'), 'utf8'), slug);
  assert.match(lastPromptText(model.prompts, 1), /Not applied: the request says not to change slug\.py\./);
  assert.match(await readFile(path.join(repo.root, 'test_slug.py'), 'utf8'), /def test_spaces/);
});

test('a file the request is about is not deleted unless the request asks for something to go', async (t) => {
  const lib = 'pub fn add(a: i32, b: i32) -> i32 {\n    todo!()\n}\n';
  const repo = await makeRepo({ 'src/lib.rs': lib, 'Cargo.toml': '[package]\nname = "calc"\nversion = "0.1.0"\nedition = "2021"\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('delete_file', { path: 'src/lib.rs' }), act('answer', { text: 'Removed.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Implement add in src/lib.rs so that the tests pass.');
  assert.equal(await readFile(path.join(repo.root, 'src/lib.rs'), 'utf8'), lib);
  assert.match(lastPromptText(model.prompts, 1), /Not applied: the request is about src\/lib\.rs, and deleting it is not what it asks\./);

  const change = { path: 'old.py', before: 'x = 1\n', after: null, diff: '' };
  assert.equal(namedFileDeleted([change], 'Remove old.py, nothing uses it.'), undefined, 'asked to go');
  assert.equal(namedFileDeleted([change], 'Fix the tests.'), undefined, 'not named');
  assert.match(namedFileDeleted([change], 'Fix old.py.') ?? '', /^Not applied/);
});
