import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compareRuns, CompareError, formatComparison, loadComparedRun } from '../../src/eval/compare.ts';

type Row = { id: string; kind: string; passed: boolean; steps: number; seconds: number; reason?: string };
const run = (model: string, rows: Row[]) => ({ model, results: rows.map((r) => ({ language: 'python', ...r })) });

/** Writes run A as a run folder (output/eval_x/results.json) and run B as a bare results file. */
async function writeRuns(dir: string): Promise<{ a: string; b: string }> {
  const a = path.join(dir, 'eval_a');
  await fs.mkdir(a);
  await fs.writeFile(
    path.join(a, 'results.json'),
    JSON.stringify(
      run('model-a', [
        { id: 'py-fix', kind: 'fix', passed: false, steps: 9, seconds: 40.25, reason: 'check exited 1' },
        { id: 'py-hello', kind: 'write', passed: true, steps: 3, seconds: 12 },
        { id: 'go-ask', kind: 'question', passed: true, steps: 1, seconds: 4 },
        { id: 'gone', kind: 'write', passed: true, steps: 2, seconds: 5 },
      ]),
    ),
  );
  const b = path.join(dir, 'b.json');
  await fs.writeFile(
    b,
    JSON.stringify(
      run('model-b', [
        { id: 'py-hello', kind: 'write', passed: false, steps: 7, seconds: 30, reason: 'check exited 1: AssertionError' },
        { id: 'py-fix', kind: 'fix', passed: true, steps: 5, seconds: 20 },
        { id: 'go-ask', kind: 'question', passed: true, steps: 2, seconds: 6 },
        { id: 'new-task', kind: 'refactor', passed: false, steps: 4, seconds: 8 },
      ]),
    ),
  );
  return { a, b };
}

test('compareRuns pairs tasks by id, names what flipped, and totals each kind of each run', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-compare-'));
  try {
    const { a, b } = await writeRuns(dir);
    const c = compareRuns(await loadComparedRun(a), await loadComparedRun(b));
    assert.equal(c.a.file, path.join(a, 'results.json'), 'a run folder is read through its results.json');
    assert.deepEqual(
      c.tasks.map((t) => [t.id, t.change]),
      [
        ['py-fix', 'fixed'],
        ['py-hello', 'broken'],
        ['go-ask', 'still passing'],
        ['gone', 'only in A'],
        ['new-task', 'only in B'],
      ],
    );
    assert.equal(c.fixed, 1);
    assert.equal(c.broken, 1);
    assert.deepEqual(c.byKind.write, { a: { tasks: 2, passed: 2 }, b: { tasks: 1, passed: 0 } });
    assert.deepEqual(c.byKind.refactor, { a: { tasks: 0, passed: 0 }, b: { tasks: 1, passed: 0 } });
    assert.deepEqual([c.a.passed, c.a.tasks, c.b.passed, c.b.tasks], [3, 4, 2, 4]);

    const text = formatComparison(c);
    assert.match(text, /^A: .*results\.json \(model-a, passed 3\/4\)$/m);
    assert.match(text, /^py-fix\s+fix\s+FAIL\s+PASS\s+9→5\s+40\.3→20\.0\s+fixed$/m);
    assert.match(text, /^py-hello\s+write\s+PASS\s+FAIL\s+3→7\s+12\.0→30\.0\s+broken$/m);
    assert.match(text, /^gone\s+write\s+PASS\s+-\s+2→-\s+5\.0→-\s+only in A$/m);
    assert.match(text, /^flipped: 1 fixed, 1 broken$/m);
    assert.match(text, /^ {2}\+ py-fix \(fix\): FAIL → PASS$/m);
    assert.match(text, /^ {2}- py-hello \(write\): PASS → FAIL: check exited 1: AssertionError$/m);
    assert.match(text, /^only in A: gone$/m);
    assert.match(text, /^only in B: new-task$/m);
    assert.match(text, /^write\s+2\/2\s+0\/1\s+-2$/m);
    assert.match(text, /^fix\s+0\/1\s+1\/1\s+\+1$/m);
    assert.match(text, /^total\s+3\/4\s+2\/4\s+-1$/m);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a run that cannot be compared is a CompareError that names the file and the problem', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-compare-'));
  try {
    const isCompareError = (pattern: RegExp) => (e: Error) => e instanceof CompareError && pattern.test(e.message);
    await assert.rejects(loadComparedRun(path.join(dir, 'missing.json')), isCompareError(/missing\.json: no such file or folder/));
    await assert.rejects(loadComparedRun(dir), isCompareError(/is a folder without results\.json/));
    await fs.writeFile(path.join(dir, 'broken.json'), '{ nope');
    await assert.rejects(loadComparedRun(path.join(dir, 'broken.json')), isCompareError(/broken\.json is not a JSON file/));
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ model: { name: 'x' } }));
    await assert.rejects(
      loadComparedRun(path.join(dir, 'config.json')),
      isCompareError(/config\.json is not the results of an eval run \(it has no "results" list\)/),
    );
    await fs.writeFile(
      path.join(dir, 'partial.json'),
      JSON.stringify({ results: [{ id: 'a', kind: 'write', language: 'go', passed: true, steps: 1, seconds: 1 }, { id: 'b' }] }),
    );
    await assert.rejects(loadComparedRun(path.join(dir, 'partial.json')), isCompareError(/results\[1\] lacks/));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
