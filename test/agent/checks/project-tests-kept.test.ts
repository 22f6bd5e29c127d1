/**
 * In a turn that asks for tests to be added, the tests the project has stay (test-guard.ts
 * droppedProjectTests). The loop is under test, so the model is scripted; the files and the change
 * flow are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { droppedProjectTests } from '../../../src/agent/checks/test-guard.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { lastPromptText, makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

const slug = 'import re\n\n\ndef slugify(text):\n    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")\n';
const projectTests =
  'from slug import slugify\n\n\ndef test_plain():\n    assert slugify("abc") == "abc"\n\n\ndef test_spaces():\n    assert slugify("a b") == "a-b"\n';
const ask = 'Add pytest tests for `slugify` (in slug.py) in a new file test_cases.py: upper case and punctuation.';

test("a change that takes the project's tests out of a test file, or deletes it, is refused in a turn that adds tests", () => {
  const deleted = { path: 'test_slug.py', before: projectTests, after: null, diff: '' };
  assert.equal(
    droppedProjectTests([deleted], 'test_cases.py', ask),
    "Not applied: this change deletes 2 of the project's tests in test_slug.py (`def test_plain():`, `def test_spaces():`), and the task asks for tests to be added: the project's tests stay as they are. Write the new tests in test_cases.py.",
  );
  const shrunk = { ...deleted, after: 'from slug import slugify\n\n\ndef test_upper():\n    assert slugify("A") == "a"\n' };
  assert.match(
    droppedProjectTests([shrunk], undefined, ask) ?? '',
    /takes 2 of the project's tests out of test_slug\.py .* Add the new tests after the tests of test_slug\.py, keeping those\.$/,
  );
  const added = { ...deleted, after: `${projectTests}\n\ndef test_upper():\n    assert slugify("A") == "a"\n` };
  assert.equal(droppedProjectTests([added], undefined, ask), undefined, 'tests added, none taken out');
  assert.equal(droppedProjectTests([{ ...deleted, path: 'test_cases.py' }], 'test_cases.py', ask), undefined, 'the new file is the turn’s own');
  assert.equal(droppedProjectTests([{ ...deleted, path: 'slug.py' }], 'test_cases.py', ask), undefined, 'not a test file');
  assert.equal(droppedProjectTests([deleted], 'test_cases.py', `${ask} Remove test_slug.py, it is obsolete.`), undefined, 'asked to go');
  assert.equal(droppedProjectTests([deleted], 'test_cases.py', `${ask} Replace the old tests too.`), undefined, 'asked to be replaced');
  assert.match(
    droppedProjectTests([deleted], 'test_cases.py', `${ask} Cover: punctuation is dropped, and spaces are removed.`) ?? '',
    /^Not applied/,
    'a case to test that says "dropped" or "removed" asks for no test to go',
  );
});

test("asked to add tests, the model's deletion of the project's test file is refused with where the tests go, and the file stays", async (t) => {
  const repo = await makeRepo({ 'slug.py': slug, 'test_slug.py': projectTests });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('delete_file', { path: 'test_slug.py' }), act('answer', { text: 'Done.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn(ask);
  assert.equal(await readFile(path.join(repo.root, 'test_slug.py'), 'utf8'), projectTests);
  assert.match(
    lastPromptText(model.prompts, 1),
    /Not applied: this change deletes 2 of the project's tests in test_slug\.py .* Write the new tests in test_cases\.py\./,
  );
});
