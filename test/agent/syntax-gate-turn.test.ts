/**
 * The syntax gate in a turn: edits that would not parse come back to the model as an observation
 * with the line shown, the user is not asked, nothing is written, and no attempt is counted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import type { Action } from '../../src/model/language-model.ts';
import { builtinTools } from '../../tools/index.ts';
import { makeRepo, scriptedApprover, startSession, testConfig } from './harness.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: '', tool, args });

test('refused edits are observations, not attempts: the user is asked only for the edit that parses', async (t) => {
  const original = 'def add(a, b):\n    return a - b\n';
  const repo = await makeRepo({ 'calc.py': original });
  t.after(repo.cleanup);
  const approver = scriptedApprover([{ answer: 'yes' }]);
  const model = new ScriptedModel([
    act('write_file', { path: 'calc.py', content: 'def add(a, b):\nreturn a + b\n' }),
    act('edit_file', { path: 'calc.py', edits: [{ find: '    return a - b', replace: '    return (a + b' }] }),
    act('edit_file', { path: 'calc.py', edits: [{ find: '    return a - b', replace: '    return a + b' }] }),
    act('answer', { text: 'Fixed add.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ approvalMode: 'suggest', maxAttempts: 1 }), model, approver, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Make add in calc.py add.');
  assert.equal(result.status, 'answered', result.text);
  assert.deepEqual(result.attempts, []);
  assert.equal(s.events.filter((e) => e.type === 'attempt').length, 0);
  assert.equal(approver.asked.length, 1, 'asked only about the edit that parses');
  assert.equal(await fs.readFile(path.join(repo.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n');

  const first = model.prompts[1].at(-1)!.content;
  assert.match(first, /^Observation \(write_file\):/);
  assert.match(first, /Error \(syntax\): .*calc\.py \(python\), line 1, column 1: expected an indented block after this line/);
  assert.match(first, /^> 1 \| def add\(a, b\):$/m);
  assert.match(first, /nothing was written/);
  const second = model.prompts[2].at(-1)!.content;
  assert.match(second, /line 2, column 5: unexpected "return \(a \+ b"/);
  assert.match(second, /^> 2 \| {5}return \(a \+ b$/m);
  assert.deepEqual(s.session.workspace.pending(), []);
});

test('a new file the gate refused is kept as a draft: an edit fixes its bad line, and then it is created', async (t) => {
  const repo = await makeRepo({ 'calc.py': 'def add(a, b):\n    return a + b\n' });
  t.after(repo.cleanup);
  const draft = 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == lambda: 5\n';
  const model = new ScriptedModel([
    act('write_file', { path: 'test_calc.py', content: draft }),
    act('edit_file', { path: 'test_calc.py', edits: [{ find: '    assert add(2, 3) == lambda: 5\n', replace: '    assert add(2, 3) == 5\n' }] }),
    act('answer', { text: 'Added the test.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ actionFormat: 'text' }), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Add a test of add in calc.py.');

  const refused = model.prompts[1].at(-1)!.content;
  assert.match(refused, /Error \(syntax\): .*test_calc\.py \(python\), line 5/);
  assert.match(refused, /test_calc\.py is kept as a draft: fix it with edit_file/);
  assert.match(model.grammars[1], /test_calc\.py/, 'the draft is a file the next step may edit');
  assert.match(model.grammars[1], /assert add\(2, 3\) == lambda: 5/, "anchored in the draft's lines");
  assert.equal(await fs.readFile(path.join(repo.root, 'test_calc.py'), 'utf8'), 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n');
  assert.match(model.prompts[2].at(-1)!.content, /Applied: test_calc\.py \(created/);
});

test('a draft is no longer edited once its file is created', async (t) => {
  const repo = await makeRepo({ 'calc.py': 'def add(a, b):\n    return a + b\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    act('write_file', { path: 'test_calc.py', content: 'def test_add(:\n    pass\n' }),
    act('write_file', { path: 'test_calc.py', content: 'def test_add():\n    pass\n' }),
    act('edit_file', { path: 'test_calc.py', edits: [{ find: 'def test_add(:\n', replace: 'def test_sum():\n' }] }),
    act('answer', { text: 'Done.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Add a test of add in calc.py.');
  assert.match(model.prompts[3].at(-1)!.content, /Error \(no_match\): .* not found in test_calc\.py/, 'the edit goes to the created file, not the draft');
  assert.equal(await fs.readFile(path.join(repo.root, 'test_calc.py'), 'utf8'), 'def test_add():\n    pass\n');
});
