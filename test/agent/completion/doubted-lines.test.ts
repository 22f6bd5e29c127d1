/**
 * One-line changes where the model doubts a function, as the first try at a fix: the loop and the
 * choice of lines are under test, so the model's doubts are scripted (ScriptedModel `doubts`); the
 * index, the sandbox runs and the files are real. The engine's doubts are tested on the tiny GGUF in
 * test/model/token-doubts.test.ts.
 */
import { type TestContext, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SymbolDef } from '../../../src/index/repo-index.ts';
import type { DoubtRequest, LineDoubt } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { codeLines, doubtedLines, isGuard } from '../../../tools/doubted-lines.ts';
import type { ToolContext } from '../../../tools/tool.ts';
import { repairTurn } from '../harness.ts';

const clamp =
  'def clamp(x, lo, hi):\n    """x, kept between lo and hi."""\n    if x < lo:\n        return lo\n    if x > hi:\n        return lo\n    return x\n';
const clampTests =
  'from clamp import clamp\n\n\ndef test_low():\n    assert clamp(-1, 0, 3) == 0\n\n\ndef test_high():\n    assert clamp(5, 0, 3) == 3\n\n\ndef test_inside():\n    assert clamp(2, 0, 3) == 2\n';

test('a failing fix: a line the model doubts, written its way, is kept when the tests pass with it, before any body is written afresh; the docstring is read before the lines', async (t) => {
  const model = new ScriptedModel([], {
    infills: [],
    doubts: (request) =>
      request.lines[3] === '        return lo'
        ? [
            // the strongest doubt changes nothing the tests see; the next is the fix
            { line: 0, gap: 5, continued: '    if x <= lo:' },
            { line: 3, gap: 3, continued: '        return hi', substituted: '        return hi' },
          ]
        : [],
  });
  const run = await repairTurn(
    t,
    { 'clamp.py': clamp, 'test_clamp.py': clampTests },
    model,
    '`python3 -m pytest` fails: clamp gives lo for a value above hi. Fix clamp.py.',
  );
  if (!run) return;
  const { s, result } = run;
  assert.equal(await run.read('clamp.py'), clamp.replace('hi:\n        return lo', 'hi:\n        return hi'), 'only line 6 changed');
  const request = model.doubtRequests[0];
  assert.equal(request.path, 'clamp.py');
  assert.deepEqual(request.lines, clamp.split('\n').slice(2, 7), 'the body after its docstring is read');
  assert.deepEqual(request.doubtable, [true, true, true, true, true]);
  assert.match(
    request.prefix,
    /# Request: `python3 -m pytest` fails: clamp gives lo.*\ndef clamp\(x, lo, hi\):\n    """x, kept between lo and hi."""\n$/,
    'the request above the signature, the docstring before the lines',
  );
  assert.deepEqual(
    request.files?.map((f) => f.path),
    ['TASK.md', 'test_clamp.py'],
    'the same files before it as an infill reads',
  );
  // (what code completion wrote is the tests of the report's case that judge the fix once more, in test_clamp.py)
  assert.equal(model.infillRequests.filter((r) => r.path === 'clamp.py').length, 0, 'no body was written afresh');
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  assert.match(result.text, /line 6 of clamp in clamp\.py/);
  const tries = s.events.filter((e) => e.type === 'notice' && /Code completion tried line/.test(e.message)).map((e) => (e.type === 'notice' ? e.message : ''));
  assert.deepEqual(tries, [
    'Code completion tried line 3 of clamp in clamp.py (where the model doubts it): the tests fail (1 failing).',
    'Code completion tried line 6 of clamp in clamp.py (where the model doubts it): the tests pass.',
  ]);
});

const between = 'def between(x, lo, hi):\n    """Whether x lies in [lo, hi], both ends included."""\n    return lo < x and x < hi\n';
const betweenTests =
  'from between import between\n\n\ndef test_both_ends():\n    assert between(1, 1, 1)\n\n\ndef test_out():\n    assert not between(4, 1, 3)\n';

// (one test needs both ends: with either change alone it still fails, so neither is a step of its own)
test('a fix of two tokens: the line that left the fewest tests failing is read again, and its second change is kept', async (t) => {
  const doubts = (request: DoubtRequest): LineDoubt[] => {
    if (request.lines[0] === '    return lo < x and x < hi')
      return [
        { line: 0, gap: 4, continued: '    return lo < x' },
        { line: 0, gap: 2, continued: '    return lo <= x and x < hi' },
      ];
    if (request.lines[0] === '    return lo <= x and x < hi') return [{ line: 0, gap: 3, continued: '    return lo <= x and x <= hi' }];
    return [];
  };
  const model = new ScriptedModel([], { infills: [], doubts });
  const run = await repairTurn(
    t,
    { 'between.py': between, 'test_between.py': betweenTests },
    model,
    '`python3 -m pytest` fails: between leaves out its ends. Fix between.py.',
  );
  if (!run) return;
  const { s } = run;
  assert.equal(await run.read('between.py'), between.replace('lo < x and x < hi', 'lo <= x and x <= hi'));
  assert.equal(model.doubtRequests.length, 2, 'read again once');
  assert.equal(model.doubtRequests[1].lines[0], '    return lo <= x and x < hi', 'with the change that left one test failing (the other made more fail)');
  const look = s.events.findLast((e) => e.type === 'intake');
  assert.ok(look?.type === 'intake');
  assert.deepEqual(
    look.action.args.edits,
    [{ find: '    return lo < x and x < hi\n', replace: '    return lo <= x and x <= hi\n' }],
    'one edit of the line, as it was to as it is',
  );
});

test('the lines tried: as the model writes them on first, strongest doubt first, then with only its token; each once, none unchanged', async () => {
  const text = 'def f(a):\n    # the total\n    b = a * 2\n    return b - 1\n';
  const def: SymbolDef = { name: 'f', kind: 'function', path: 'f.py', line: 1, endLine: 4, signature: 'def f(a):' };
  const doubts: LineDoubt[] = [
    { line: 2, gap: 4, continued: '    return b + 1', substituted: '    return b + 1' },
    { line: 1, gap: 2, continued: '    b = a * 3', substituted: '    b = a * 2' },
    { line: 2, gap: 1, substituted: '    return b' },
  ];
  let asked: unknown;
  const ctx = {
    doubts: async (request: unknown) => {
      asked = request;
      return doubts;
    },
  } as unknown as ToolContext;
  const changes = await doubtedLines(ctx, 'f.py', text, def);
  assert.deepEqual(
    changes.map((c) => [c.from, c.after]),
    [
      [4, '    return b + 1'],
      [3, '    b = a * 3'],
      [4, '    return b'],
    ],
  );
  assert.equal(changes[0].text, 'def f(a):\n    # the total\n    b = a * 2\n    return b + 1\n', 'the file with that line changed');
  assert.equal(changes[0].before, '    return b - 1');
  assert.deepEqual((asked as { doubtable: boolean[] }).doubtable, [false, true, true], 'a comment is not doubted');
  const crlf = await doubtedLines(ctx, 'f.py', text.replaceAll('\n', '\r\n'), def);
  assert.equal(crlf[0].text, 'def f(a):\r\n    # the total\r\n    b = a * 2\r\n    return b + 1\r\n', 'CRLF line ends kept');
  assert.deepEqual(await doubtedLines({} as ToolContext, 'f.py', text, def), [], 'a model that cannot say: none');
  const failing = { doubts: async () => Promise.reject(new Error('engine')) } as unknown as ToolContext;
  assert.deepEqual(await doubtedLines(failing, 'f.py', text, def), [], 'an engine error: none');
});

test('a guard written in a doubted line’s place is tried there, then before the line (the line kept); the guards told apart', async () => {
  const text = 'def average(values):\n    total = sum(values)\n    return total / len(values)\n';
  const def: SymbolDef = { name: 'average', kind: 'function', path: 'stats.py', line: 1, endLine: 3, signature: 'def average(values):' };
  const guard = '    if not values:\n        return 0.0';
  const ctx = { doubts: async () => [{ line: 1, gap: 4, continued: guard }] satisfies LineDoubt[] } as unknown as ToolContext;
  const changes = await doubtedLines(ctx, 'stats.py', text, def);
  assert.deepEqual(
    changes.map((c) => c.text),
    [
      'def average(values):\n    total = sum(values)\n    if not values:\n        return 0.0\n',
      'def average(values):\n    total = sum(values)\n    if not values:\n        return 0.0\n    return total / len(values)\n',
    ],
  );
  assert.equal(changes[1].after, `${guard}\n    return total / len(values)`);
  assert.ok(isGuard('    if values.is_empty() {\n        return 0.0;\n    }'));
  assert.ok(isGuard('    return 0.0 if values.empty?'));
  assert.ok(isGuard('    if (n == 0) return 0;'));
  assert.ok(!isGuard('    if values.is_empty() {'), 'not whole');
  assert.ok(!isGuard('    if x:\n    y = 1'), 'no way out');
  assert.ok(!isGuard('    if x > 0 {\n        y = 1;\n    }'), 'no way out of the function');
});

test('in a fix: the guard the model wrote at the doubted line passes before it, and the line stays', async (t) => {
  const stats = 'def average(values):\n    """The mean of values; 0.0 for an empty list."""\n    total = sum(values)\n    return total / len(values)\n';
  const statsTests =
    'from stats import average\n\n\ndef test_mean():\n    assert average([1, 2]) == 1.5\n\n\ndef test_empty():\n    assert average([]) == 0.0\n';
  const model = new ScriptedModel([], {
    infills: [],
    doubts: (request) =>
      request.lines.at(-1) === '    return total / len(values)'
        ? [{ line: request.lines.length - 1, gap: 4, continued: '    if not values:\n        return 0.0' }]
        : [],
  });
  const run = await repairTurn(
    t,
    { 'stats.py': stats, 'test_stats.py': statsTests },
    model,
    '`python3 -m pytest` fails: average divides by zero for an empty list. Fix stats.py.',
  );
  if (!run) return;
  assert.equal(await run.read('stats.py'), stats.replace('    return total', '    if not values:\n        return 0.0\n    return total'));
  assert.equal(model.prompts.length, 0, 'no model step was needed');
});

test('the code lines of a body: not blank, not a comment, not a docstring (one line or several) or inside a long string', () => {
  assert.deepEqual(
    codeLines(['    """One line."""', '    x = 1', '', '    # note', '    """Many', '    lines', '    """', "    y = '''", "    '''"]),
    [false, true, false, false, false, false, false, true, false],
    "a string of several lines assigned is code where it is assigned (y = '''), not inside",
  );
  assert.deepEqual(codeLines(['  /**', '   * Doc.', '   */', '  const a = 1;', '  // why', '  return a;']), [false, false, false, true, false, true]);
});

const discount =
  'def apply_discount(price, percent):\n    return price * percent / 100\n\n\ndef total(prices, percent):\n    return round(apply_discount(sum(prices), percent), 2)\n';
const discountTests = 'from cart import total\n\n\ndef test_ten_percent_off():\n    assert total([50, 50], 10) == 90\n';

test('a line that passes by no longer calling the function that did the work: that function is tried first, and its fix kept', async (t) => {
  const doubts = (request: DoubtRequest): LineDoubt[] => {
    // total's own line, written to compute the discount itself: the tests pass with it too
    if (request.lines[0] === '    return round(apply_discount(sum(prices), percent), 2)')
      return [{ line: 0, gap: 5, continued: '    return round(sum(prices) * (1 - percent / 100), 2)' }];
    if (request.lines[0] === '    return price * percent / 100') return [{ line: 0, gap: 4, continued: '    return price * (100 - percent) / 100' }];
    return [];
  };
  const model = new ScriptedModel([], { infills: [], doubts });
  const run = await repairTurn(
    t,
    { 'cart.py': discount, 'test_cart.py': discountTests },
    model,
    '`python3 -m pytest` fails: a 10% discount makes the total wrong. Fix total in cart.py.',
  );
  if (!run) return;
  const { result } = run;
  assert.equal(await run.read('cart.py'), discount.replace('price * percent / 100', 'price * (100 - percent) / 100'), 'apply_discount fixed, total as it was');
  assert.match(result.text, /line 2 of apply_discount/);
});

const pop = 'def pop(items):\n    """Removes and returns the last item."""\n    top = items[0]\n    del items[0]\n    return top\n';
const popTests = 'from stack import pop\n\n\ndef test_pop_returns_the_last():\n    assert pop([1, 2]) == 2\n';

/**
 * The repair of `pop`: the first read doubts `top = items[0]` (the fix) and `del items[0]` (by
 * `otherGap`); read again once that first change passed, the doubts are `again`.
 */
async function popRepair(t: TestContext, otherGap: number, again: LineDoubt[]) {
  const doubts = (request: DoubtRequest): LineDoubt[] => {
    if (request.lines[0] === '    top = items[0]')
      return [
        { line: 0, gap: 5, continued: '    top = items[-1]' },
        { line: 1, gap: otherGap, substituted: '    del items[1]' },
      ];
    return request.lines[0] === '    top = items[-1]' ? again : [];
  };
  const model = new ScriptedModel([], { infills: [], doubts });
  const run = await repairTurn(
    t,
    { 'stack.py': pop, 'test_stack.py': popTests },
    model,
    '`python3 -m pytest` fails: pop returns the wrong item. Fix stack.py.',
  );
  if (!run) return undefined;
  return { ...run, model, text: await run.read('stack.py') };
}

test('a line that passes is half a fix when the model doubts another line far more after it: that line is changed too when the tests still pass', async (t) => {
  // read again with the first change: the line that still takes the first item now stands out (1 → 6)
  const run = await popRepair(t, 1, [{ line: 1, gap: 6, continued: '    del items[-1]' }]);
  if (!run) return;
  assert.equal(run.text, pop.replace('items[0]\n    del items[0]', 'items[-1]\n    del items[-1]'));
  assert.match(run.result.text, /lines 3 and 4 of pop/);
  const look = run.s.events.findLast((e) => e.type === 'intake');
  assert.ok(look?.type === 'intake');
  assert.equal((look.action.args.edits as unknown[]).length, 2, 'both lines, as two edits');
});

test('a line that passes is kept alone when no other line stands out after it', async (t) => {
  // (doubted about as much as before, 3 → 4: not the other half of the fix)
  const run = await popRepair(t, 3, [{ line: 1, gap: 4, continued: '    items.pop(0)' }]);
  if (!run) return;
  assert.equal(run.text, pop.replace('top = items[0]', 'top = items[-1]'));
  assert.equal(run.model.doubtRequests.length, 2, 'read again once with the change');
});

test("a script's top-level code, which no function holds, is repaired like a function: a line the model doubts", async (t) => {
  const script =
    '#!/usr/bin/env bash\n# Usage: greet.sh NAME - prints a greeting.\n\nname=$1\nif [ -z "$name" ]; then\n  name=world\nfi\necho "Hello, $name."\n';
  const tests = 'out=$(bash greet.sh Ada)\n[ "$out" = "Hello, Ada!" ] || { echo "FAIL greets Ada: got $out"; exit 1; }\necho "all tests passed"\n';
  const model = new ScriptedModel([], {
    infills: [],
    doubts: (request) =>
      request.lines.at(-1) === 'echo "Hello, $name."' ? [{ line: request.lines.length - 1, gap: 4, continued: 'echo "Hello, $name!"' }] : [],
  });
  const run = await repairTurn(
    t,
    { 'greet.sh': script, 'greet_test.sh': tests },
    model,
    '`bash greet_test.sh` fails: the greeting ends with a full stop. Fix greet.sh.',
  );
  if (!run) return;
  assert.equal(await run.read('greet.sh'), script.replace('$name."', '$name!"'));
  assert.deepEqual(model.doubtRequests[0].lines, script.split('\n').slice(3, 8), 'the code after the head comments');
  assert.match(run.result.text, /line 8 of the top-level code in greet\.sh/);
});

test("a script's top-level code with no doubted line that helps is written afresh between its head and its end", async (t) => {
  const script =
    '#!/usr/bin/env bash\n# Usage: greet.sh NAME - prints a greeting.\n\nname=$1\nif [ -z "$name" ]; then\n  name=world\nfi\necho "Hello, $name."\n';
  const tests = 'out=$(bash greet.sh Ada)\n[ "$out" = "Hello, Ada!" ] || { echo "FAIL greets Ada: got $out"; exit 1; }\necho "all tests passed"\n';
  const model = new ScriptedModel([], { infills: ['echo "Hello, ${1:-world}!"\n'], doubts: () => [] });
  const run = await repairTurn(
    t,
    { 'greet.sh': script, 'greet_test.sh': tests },
    model,
    '`bash greet_test.sh` fails: the greeting ends with a full stop. Fix greet.sh.',
  );
  if (!run) return;
  assert.equal(await run.read('greet.sh'), '#!/usr/bin/env bash\n# Usage: greet.sh NAME - prints a greeting.\n\necho "Hello, ${1:-world}!"\n');
  assert.match(
    model.infillRequests[0].prefix,
    /# Usage: greet\.sh NAME - prints a greeting\.\n\n# Request: `bash greet_test\.sh` fails/,
    'the request above the lines',
  );
  assert.match(run.result.text, /the body of the top-level code in greet\.sh/);
});
