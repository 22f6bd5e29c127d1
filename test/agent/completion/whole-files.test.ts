/**
 * Short files can be changed by writing them whole: with the text action format, a file of at most
 * `agent.wholeFileLines` lines (here 80; the default is 0) is no search/replace target in the grammar, and the intake's last
 * look says to write it back whole. The loop is under test, so the model is scripted (it bypasses
 * the grammar; the grammar it was given is checked); files and runs are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { lineCount, writtenWhole } from '../../../src/agent/completion/whole-files.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { lastPromptText, makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

test('which files are written whole: short ones, and short ones with stubs in a stub turn', () => {
  assert.deepEqual([lineCount(''), lineCount('a'), lineCount('a\n'), lineCount('a\nb\n')], [0, 1, 1, 2]);
  const long = 'x = 1\n'.repeat(100);
  assert.ok(writtenWhole('x = 1\n'.repeat(80), { maxLines: 80, stubTurn: false }));
  assert.ok(!writtenWhole('x = 1\n'.repeat(81), { maxLines: 80, stubTurn: false }));
  assert.ok(!writtenWhole('x = 1\n', { maxLines: 0, stubTurn: false }), '0: always patch');
  assert.ok(writtenWhole(`${long}def f():\n    raise NotImplementedError\n`, { maxLines: 80, stubTurn: true }), 'a stub file up to 150 lines');
  assert.ok(!writtenWhole(`${long}def f():\n    raise NotImplementedError\n`, { maxLines: 80, stubTurn: false }));
});

test('a fix in a short file: no search/replace of it, the intake says to write it whole, and the whole write lands', async (t) => {
  const helpers = Array.from({ length: 90 }, (_, i) => `def helper_${i}(x):\n    return x + ${i}\n`).join('\n');
  const repo = await makeRepo({
    'calc.py': 'def add(a, b):\n    return a - b\n',
    'helpers.py': helpers,
    'test_calc.py': 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n',
  });
  t.after(repo.cleanup);
  const readHelpers = act('read_file', { path: 'helpers.py', startLine: null, endLine: null });
  const writeWhole = act('write_file', { path: 'calc.py', content: 'def add(a, b):\n    return a + b\n' });
  const model = new ScriptedModel([readHelpers, writeWhole, act('run_tests', { command: null }), act('answer', { text: 'Fixed add.' })]);
  const s = await startSession(t, {
    root: repo.root,
    config: testConfig({ actionFormat: 'text', wholeFileLines: 80 }),
    model,
    tools: builtinTools,
    needsSandbox: true,
  });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('`python3 -m pytest` fails: add returns the wrong sum. Fix the bug.');
  assert.match(
    lastPromptText(model.prompts, 0),
    /Next: the failing run and the code it runs are above\. Find the line that is wrong, then write calc\.py whole with write_file: every line as it is, that one corrected/,
  );
  assert.doesNotMatch(model.grammars[0], /at-calc-py/, 'a short file is no search/replace target');
  assert.doesNotMatch(model.grammars[0], /tool-edit-file/, 'and no file the model has seen is long: no patch tool at all');
  assert.match(model.grammars[1], /at-helpers-py/, 'a long file it has read is patched');
  assert.doesNotMatch(model.grammars[1], /at-calc-py/);
  assert.equal(await readFile(path.join(repo.root, 'calc.py'), 'utf8'), 'def add(a, b):\n    return a + b\n');
  assert.equal(result.verified, true);
});
