/**
 * An answer while no file defines a name the request asks to be made goes back once. The loop runs
 * on a scripted model (only the loop is under test) in a real temp project with its real index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namesAskedFor } from '../../../src/agent/intake/asked-names.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import fs from 'node:fs/promises';
import path from 'node:path';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: `I use ${tool}.`, tool, args });

test('the names a request asks to be made: a function, type or the like it gives in code, in a sentence that asks for something new', () => {
  assert.deepEqual(
    namesAskedFor(
      'The price parsing is written out twice. Extract it into one function `long parse_cents(const std::string& text)`, declared in inventory.hpp and defined in inventory.cpp.',
    ),
    ['parse_cents'],
  );
  assert.deepEqual(namesAskedFor('Add a `Stack` struct with Push and Pop, and write a helper called `peekTop`.'), ['Stack', 'peekTop']);
  assert.deepEqual(namesAskedFor('pull it out into an exported function `findGaps(window, busy)` in src/domain/time.ts'), ['findGaps']);
  // a name only mentioned, or in a sentence that makes nothing, or in quoted output: none
  assert.deepEqual(namesAskedFor('The function `total` returns the wrong sum. Fix it.'), []);
  assert.deepEqual(namesAskedFor('Fix the bug:\n```\nwrite the function `nope`\n```'), []);
  assert.deepEqual(namesAskedFor('Write hello.py that prints "Hello".'), []);
});

test('an answer while no file defines the function the request asks for goes back once, and one after it is written is taken', async (t) => {
  const prices = 'def load(lines):\n    return [int(float(x) * 100) for x in lines]\n\n\ndef limit(text):\n    return int(float(text) * 100)\n';
  const repo = await makeRepo({ 'prices.py': prices });
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    act('answer', { text: 'Both places now use a single function `parse_cents`.' }),
    act('write_file', {
      path: 'prices.py',
      content:
        'def parse_cents(text):\n    return int(float(text) * 100)\n\n\ndef load(lines):\n    return [parse_cents(x) for x in lines]\n\n\ndef limit(text):\n    return parse_cents(text)\n',
    }),
    act('answer', { text: 'Extracted parse_cents and used it in load and limit.' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn(
    'The price parsing is written out twice in prices.py. Extract it into one function `parse_cents(text)` and use it in both places.',
  );
  assert.equal(result.status, 'answered', result.text);
  assert.equal(result.text, 'Extracted parse_cents and used it in load and limit.');
  assert.match(await fs.readFile(path.join(repo.root, 'prices.py'), 'utf8'), /^def parse_cents\(text\):/);
  const sentBack = model.prompts[1].at(-1)!.content;
  assert.match(sentBack, /the request asks for `parse_cents`, and no file of the project defines it yet/, sentBack);
  assert.ok(s.events.some((e) => e.type === 'notice' && /no file defines `parse_cents`/.test(e.message)));
});
