/**
 * Arithmetic an answer to a question leaves undone, worked out from the project's constants
 * (constant-values.ts): the real index finds where each name is defined; the turn test's model is
 * scripted (it answers as the 1.5B model did in c-question-bufsize).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definedValue, workedOut } from '../../../src/agent/answers/constant-values.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { indexedRepo, makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: '', tool, args });

const reader =
  '#include <stdio.h>\n\n#define KB 1024\n#define BUF_SIZE (4 * KB)\n\nint read_all(FILE *f) {\n  char buf[BUF_SIZE];\n  return fread(buf, 1, BUF_SIZE, f);\n}\n';

test('what a constant is set to, as C, Python, Rust and Java write it', () => {
  assert.equal(definedValue('#define BUF_SIZE (4 * KB)  // four pages', 'BUF_SIZE'), '(4 * KB)');
  assert.equal(definedValue('KB = 1 << 10  # a kilobyte', 'KB'), '1 << 10');
  assert.equal(definedValue('pub const MAX: usize = 60 * 60;', 'MAX'), '60 * 60');
  assert.equal(definedValue('    static final int LIMIT = 2 * PAGE;', 'LIMIT'), '2 * PAGE');
  assert.equal(definedValue('if (KB == 3) {', 'KB'), undefined, 'a comparison');
  assert.equal(definedValue('NAME = "kilo"', 'NAME'), undefined, 'not arithmetic');
});

test('an expression of the project’s constants is worked out through the index; prose, ranges, dates and paths are left alone', async (t) => {
  const repo = await indexedRepo(t, {
    'reader.c': reader,
    'limits.py': 'PAGE = 50\nTWO_PAGES = 2 * PAGE\nWIDE = 3\n',
    'other.py': 'WIDE = 4\n',
  });
  const work = (answer: string) => workedOut(answer, repo.index, repo.textOf);
  assert.deepEqual(await work('BUF_SIZE is 4 * KB.'), { text: 'BUF_SIZE is 4096 (4 * KB, with KB = 1024).', bare: 'BUF_SIZE is 4096.' });
  assert.deepEqual(await work('It is (TWO_PAGES + 1)'), { text: 'It is 101 (TWO_PAGES + 1, with TWO_PAGES = 100)', bare: 'It is 101' });
  assert.deepEqual(await work('60*60 seconds'), { text: '3600 (60*60) seconds', bare: '3600 seconds' });
  assert.deepEqual(await work('0.1 + 0.2'), { text: '0.3 (0.1 + 0.2)', bare: '0.3' }, 'decimals as people write them');
  assert.equal(await work('WIDE * 2'), undefined, 'two definitions that disagree');
  assert.equal(await work('NOWHERE * 2'), undefined, 'a name defined nowhere');
  assert.equal(await work('between 10-20 minutes, from 2024-05-02, in src/db/rooms.ts'), undefined);
  assert.equal(await work('a well-known * thing'), undefined);
});

test('in a question turn: the answer "4 * KB" stands as 4096, with its working, and is not sent back', async (t) => {
  const repo = await makeRepo({ 'reader.c': reader });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'The numeric value of BUF_SIZE is 4 * KB.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('What is the numeric value of the macro BUF_SIZE used by reader.c? Answer with just the number.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(result.text, 'The numeric value of BUF_SIZE is 4096 (4 * KB, with KB = 1024).');
  assert.equal(model.prompts.length, 1, 'not sent back');
});
