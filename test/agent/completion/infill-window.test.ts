/**
 * A long file is read around the gap by code completion, not whole (src/agent/completion/infill-window.ts):
 * its imports, then the lines nearest the gap, cut where a top-level definition begins. The cuts
 * are tested on their own with a count of four characters a token (as scripted-model counts), then
 * through the agent loop on a scripted model (its infills and doubts; the loop is under test) in a
 * real temp project with the tests run in the real sandbox.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { headAbove, headLength, infillWindow } from '../../../src/agent/completion/infill-window.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { repairSession } from '../harness.ts';

const count = (text: string) => Math.ceil(text.length / 4);
const helpers = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `def helper_${from + i}(value):\n    """Value plus ${from + i}."""\n    return value + ${from + i}\n\n\n`).join(
    '',
  );
const head = 'import math\nfrom collections import Counter\n\n\n';

test('a file that fits is read whole', () => {
  const prefix = `${head}def f(x):\n`;
  assert.deepEqual(infillWindow(prefix, '\n\ndef g():\n    pass\n', 1000, count), { prefix, suffix: '\n\ndef g():\n    pass\n', leftOut: 0 });
});

test('a long file keeps its imports and the definitions nearest the gap, cut where one begins', () => {
  const prefix = `${head}${helpers(0, 60)}def clamp(value, hi):\n    """At most hi."""\n`;
  const suffix = `\n\n\n${helpers(60, 120)}`;
  const window = infillWindow(prefix, suffix, 600, count);
  assert.ok(window.leftOut > 0);
  assert.ok(count(window.prefix) + count(window.suffix) <= 600, `${count(window.prefix) + count(window.suffix)} tokens`);
  assert.ok(window.prefix.startsWith(`${head}`), window.prefix.slice(0, 80));
  assert.ok(window.prefix.endsWith('def clamp(value, hi):\n    """At most hi."""\n'), 'the gap’s own lines');
  assert.ok(!window.prefix.includes('def helper_0('), 'the far definitions are left out');
  assert.match(window.prefix.slice(head.length), /^def helper_\d+\(value\):\n/, 'the kept lines begin at a definition, after the blank lines of the head');
  assert.ok(window.suffix.startsWith('\n\n\ndef helper_60('), 'the code right after the gap');
  assert.match(window.suffix, /return value \+ \d+\n\n\n$/, 'and it ends after a whole definition');
  assert.ok(!window.suffix.includes('def helper_119('));
  assert.ok(count(window.prefix) > 2 * count(window.suffix), 'about two thirds before the gap');
});

test('a head longer than a quarter of the room is not kept: the lines nearest the gap are', () => {
  const imports = Array.from({ length: 80 }, (_, i) => `import module_${i}\n`).join('');
  const prefix = `${imports}\n\n${helpers(0, 60)}def clamp(value, hi):\n`;
  const window = infillWindow(prefix, '', 600, count);
  assert.ok(!window.prefix.startsWith('import module_0'));
  assert.ok(window.prefix.endsWith('def clamp(value, hi):\n'));
  assert.ok(count(window.prefix) <= 600);
});

// calc.py: imports, 150 helpers no test calls, then the fault, then 150 more (~13,000 scripted tokens)
const calc = `import math\n\n\n${helpers(0, 150)}def clamp_each(values, hi):\n    """Each value, at most hi."""\n    return [min(v, hi - 1) for v in values]\n\n\n${helpers(150, 300)}`;
const calcTests = 'from calc import clamp_each\n\n\ndef test_bound():\n    assert clamp_each([5, 9], 4) == [4, 4]\n';

test('a fix in a long file is read and written around its function, and lands', async (t) => {
  const model = new ScriptedModel([], {
    infills: [(request) => (request.prefix.trimEnd().endsWith('"""Each value, at most hi."""') ? '    return [min(v, hi) for v in values]\n' : undefined)],
    doubts: () => [],
  });
  const s = await repairSession(t, { 'calc.py': calc, 'test_calc.py': calcTests }, model);
  if (!s) return;
  await s.session.agent.runTurn('`python3 -m pytest` fails: clamp_each([5, 9], 4) gives [4, 3], not [4, 4]. Fix calc.py.');
  const reads = [...model.doubtRequests, ...model.infillRequests].filter((r) => r.path === 'calc.py' && r.prefix.includes('def clamp_each('));
  assert.ok(reads.length > 0, 'clamp_each was read by code completion');
  for (const r of reads) {
    assert.ok(r.prefix.startsWith('import math\n'), 'its import kept');
    assert.ok(!r.prefix.includes('def helper_0('), 'the far top of the file left out');
    assert.ok(r.prefix.length < calc.length / 4, `${r.prefix.length} characters before the gap of ${calc.length}`);
  }
  const write = model.infillRequests.find((r) => r.path === 'calc.py');
  assert.ok(write && !write.suffix.includes('def helper_299('), 'the far end of the file left out');
  // a body is code: the request's words above it, should the model copy them, end it
  assert.match(write.copiedProse ?? '', /clamp_each\(\[5, 9\], 4\) gives \[4, 3\]/);
  // and so do the files read before it, the tests among them
  assert.ok(write.files?.some((f) => f.path === 'test_calc.py'));
  assert.match(write.copiedProse ?? '', /def test_bound\(\): assert clamp_each\(\[5, 9\], 4\) == \[4, 4\]/);
  assert.match(await readFile(path.join(s.root, 'calc.py'), 'utf8'), /return \[min\(v, hi\) for v in values\]/);
});

test('an import inside a function is not the head: the head ends at the file’s own imports', () => {
  const lines = ['import os', '', '', 'def load(path):', '    import json', '    return json.load(open(path))', '', '', 'def save():', '    pass'];
  assert.equal(headLength(lines), 3);
  assert.deepEqual(headAbove(lines, 8), ['import os', '', '']);
  assert.deepEqual(headAbove(lines, 2), ['import os', ''], 'all the lines before the gap’s first, where the head reaches it');
  assert.deepEqual(headAbove(['def f():', '    pass'], 1), [], 'no imports, no head');
});
