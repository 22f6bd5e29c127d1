/**
 * The files read before code that code completion reads or writes are chosen once per file, not per
 * function: chosen by the tokens before the gap, a function far down a file left room for fewer
 * files than one at its top, the engine's prompt changed between them, and nothing read for one was
 * reused for the next (pyapp-fix-date-filter: 73 s to read `where` after `list_entries`). The
 * loop is under test, so the model's doubts are scripted (ScriptedModel `doubts`, scripted-model
 * counts four characters a token); the index, the sandbox runs and the files are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { repairSession } from '../harness.ts';

// `total` calls `clamp_each` (the fault) from ~130 lines further down the file
const filler = Array.from(
  { length: 40 },
  (_, i) => `\n\ndef unused_${i}(value):\n    """Returns value plus ${i}, a helper no test calls."""\n    return value + ${i}\n`,
).join('');
const calc = `def clamp_each(values, hi):\n    """Each value, at most hi."""\n    return [min(v, hi - 1) for v in values]\n${filler}\n\ndef total(values, hi):\n    """The sum of the values, each at most hi."""\n    return sum(clamp_each(values, hi))\n`;
// a test file long enough (~1,500 scripted tokens) to fit beside the top of calc.py but not beside its whole
const cases = Array.from(
  { length: 55 },
  (_, i) => `\n\ndef test_small_${i}():\n    assert total([${i}, 1], 100) == ${i + 1}, "values below the bound are summed as they are"\n`,
).join('');
const calcTests = `from calc import total\n\n\ndef test_bound():\n    assert total([5, 9], 4) == 8\n${cases}`;

test('every function of a file is read with the same files before it: the reads of a fix reuse the engine’s prompt', async (t) => {
  const model = new ScriptedModel([], { infills: [], doubts: () => [] });
  const s = await repairSession(t, { 'calc.py': calc, 'test_calc.py': calcTests }, model);
  if (!s) return;
  await s.session.agent.runTurn('`python3 -m pytest` fails: total([5, 9], 4) gives 6, not 8. Fix calc.py.');
  const reads = model.doubtRequests.filter((r) => r.path === 'calc.py');
  const read = (name: string) => reads.find((r) => r.prefix.includes(`def ${name}(`) && r.prefix.trimEnd().endsWith('"""'));
  const bottom = read('total');
  const top = reads.find((r) => !r.prefix.includes('def total('));
  assert.ok(bottom && top, `both functions read: ${reads.map((r) => r.prefix.split('\n').at(-2)).join(' | ')}`);
  assert.deepEqual(
    top.files?.map((f) => f.path),
    bottom.files?.map((f) => f.path),
    'the same files before clamp_each, at the top, as before total, at the bottom',
  );
  assert.deepEqual(
    top.files?.map((f) => f.text),
    bottom.files?.map((f) => f.text),
  );
  // the log says what each read had before it, and how many tokens in all (where a turn's time goes)
  const logged = (await readFile(s.session.log.path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { message?: string; files?: string[]; tokens?: number })
    .filter((e) => e.message?.startsWith('Code completion reads'));
  assert.equal(logged.length, model.doubtRequests.length);
  for (const e of logged) {
    assert.deepEqual(e.files, ['TASK.md']);
    assert.ok((e.tokens ?? 0) > 10, `${e.tokens} tokens`);
  }
  for (const write of model.infillRequests.filter((r) => r.path === 'calc.py'))
    assert.deepEqual(
      write.files?.map((f) => f.path),
      bottom.files?.map((f) => f.path),
      'and a body written afresh reads them too',
    );
});
