/**
 * Doubts through the real engine, on the tiny GGUF (random weights: which tokens it doubts is noise;
 * the shape of the answer, its order, the lines that may carry a doubt, and the same answer from a
 * sequence that holds other tokens are what is checked). A model without FIM tokens has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DoubtRequest } from '../../src/model/language-model.ts';
import { loadTinyFimModel, representativeSchema } from './fixtures.ts';
import { depth } from '../../src/model/token-doubts.ts';

const load = loadTinyFimModel;

const request: DoubtRequest = {
  path: 'calc.py',
  prefix: '# Request: total is wrong\ndef total(xs):\n',
  lines: ['    total = 0', '    # add them up', '    for x in xs:', '        total += x', '    return total'],
  doubtable: [true, false, true, true, true],
  files: [{ path: 'test_calc.py', text: 'from calc import total\n\nassert total([1, 2]) == 3\n' }],
  maxDoubts: 6,
};

/** Length of the text `a` and `b` begin with. */
const common = (a: string, b: string) => {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
};

test('doubts: at most maxDoubts, strongest first, on lines that may carry one, each line changed from one point on', async (t) => {
  const model = await load(true);
  t.after(() => model.dispose());
  const doubts = await model.doubts(request);
  assert.ok(doubts, 'a model with FIM tokens answers');
  assert.ok(doubts.length > 0 && doubts.length <= 6, `${doubts.length} doubts`);
  for (let i = 1; i < doubts.length; i++) assert.ok(doubts[i - 1].gap >= doubts[i].gap, 'strongest first');
  // (the line's end is the engine's stop trigger, which the text written leaves out: a check for a
  // newline in it had dropped every line written on)
  assert.ok(
    doubts.some((d) => d.continued !== undefined),
    'lines are written on',
  );
  for (const doubt of doubts) {
    assert.ok(doubt.gap > 0);
    assert.notEqual(doubt.line, 1, 'the comment line is read, not doubted');
    const original = request.lines[doubt.line];
    if (doubt.substituted !== undefined) assert.ok(!doubt.substituted.includes('\n'), 'one line');
    // (written on over more lines only while the first leaves a bracket open that the line had closed)
    const lines = doubt.continued?.split('\n') ?? [];
    if (lines.length > 1) assert.ok(lines.length <= 4 && depth(lines[0]) > depth(original), `${JSON.stringify(doubt.continued)}`);
    if (doubt.substituted !== undefined && doubt.continued !== undefined) {
      // both begin as the line does up to the doubted token, then with the same token of the model's
      const at = common(doubt.substituted, original);
      assert.equal(doubt.continued.slice(0, at), original.slice(0, at));
    }
  }
});

test('doubts: the same answer from a sequence that holds the lines already, or an infill since; the next chat step works', async (t) => {
  const model = await load(true);
  t.after(() => model.dispose());
  const first = (await model.doubts(request)) ?? [];
  // (the same up to float rounding: a prefix kept and the rest evaluated is another batching, which
  // moves the logits in their fourth digit and may swap two near ties)
  const same = (again: typeof first, what: string) => {
    const key = (d: (typeof first)[number]) => `${d.line}:${d.substituted}:${d.continued}`;
    const gaps = new Map(first.map((d) => [key(d), d.gap]));
    const shared = again.filter((d) => gaps.has(key(d)));
    assert.ok(shared.length >= first.length - 2, `${what}: ${shared.length} of ${first.length} the same`);
    for (const d of shared) assert.ok(Math.abs(d.gap - gaps.get(key(d))!) < 0.05, `${what}: gap ${d.gap} vs ${gaps.get(key(d))}`);
  };
  same((await model.doubts(request)) ?? [], 'read again on the kept prefix');
  assert.equal(typeof (await model.infill({ path: 'calc.py', prefix: 'def total(xs):\n', suffix: '\n', maxTokens: 8 })), 'string');
  same((await model.doubts(request)) ?? [], 'after an infill on the same sequence');
  const step = await model.next([{ role: 'user', content: 'hello' }], representativeSchema);
  assert.equal(typeof step.action.tool, 'string', 'a grammar-valid action after the doubts');
});

test('doubts: a model without fill-in-the-middle tokens answers undefined', async (t) => {
  const model = await load(false);
  t.after(() => model.dispose());
  assert.equal(await model.doubts(request), undefined);
});

test('the brackets a line leaves open: strings left out, closed ones subtracted', () => {
  assert.equal(depth('    return max(1, total // size +'), 1);
  assert.equal(depth('    return max(1, total // size)'), 0);
  assert.equal(depth('    tags = Hash.new { |hash, tag|'), 1);
  assert.equal(depth('    x = ")" + f("(")'), 0);
  assert.equal(depth('  });'), -2);
});
