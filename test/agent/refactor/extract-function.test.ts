/**
 * A function extracted from code written out in place (extract-function.ts): what a request asks
 * for, which lines of a place the new function replaces, its import there, and a turn that asks
 * for an extraction. The loop is under test, so the model's code completion is scripted
 * (ScriptedModel `infills`); the index, the sandbox runs and the files are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SymbolDef } from '../../../src/index/repo-index.ts';
import { assigned, extractAsked, likeRegion, onlyExtracts, withImport } from '../../../src/agent/refactor/extract-function.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { repairSession, repairTurn } from '../harness.ts';

/** An index of these definitions (name, file, first and last line). */
const indexOf = (defs: Array<[string, string, number, number]>) => ({
  symbols: (name: string) => ({
    defs: defs.filter(([n]) => n === name).map(([n, path, line, endLine]) => ({ name: n, kind: 'function', path, line, endLine }) as SymbolDef),
    refs: [],
  }),
});

test('an extraction asked: the new function and its parameters, the file it goes in, and the functions the code is in now', () => {
  const files = ['app/time.py', 'app/reports.py', 'app/cli.py'];
  const index = indexOf([
    ['weekly', 'app/reports.py', 10, 20],
    ['report', 'app/cli.py', 5, 30],
    ['report', 'app/api.py', 5, 30],
  ]);
  const ask = extractAsked(
    'The week is worked out twice: in `weekly` in app/reports.py and in the `report` command in app/cli.py. Extract it into one function `week_bounds(day, week_start)` in app/time.py, and make both places use it.',
    files,
    index,
  );
  assert.deepEqual(
    { ...ask, sites: ask?.sites.map((s) => `${s.name}@${s.path}`) },
    { name: 'week_bounds', params: ['day', 'week_start'], target: 'app/time.py', sites: ['weekly@app/reports.py', 'report@app/cli.py'] },
  );
  assert.equal(extractAsked('Make `weekly` in app/reports.py faster.', files, index), undefined, 'no extraction asked');
  assert.equal(
    extractAsked('Write a function `week_of(day)` in app/time.py that extracts the week the way `weekly` does.', files, index),
    undefined,
    'a function that extracts something is no extraction',
  );
  assert.equal(
    extractAsked('Extract `weekly(day)` into app/time.py.', files, index),
    undefined,
    'a name the project defines is no new function (that is a move)',
  );
  const ts = extractAsked(
    '`freeSlots` in src/slots.ts works out the gaps inline. Pull it out into an exported function `findGaps(window: Interval, busy)` in src/time.ts.',
    ['src/slots.ts', 'src/time.ts'],
    indexOf([['freeSlots', 'src/slots.ts', 3, 20]]),
  );
  assert.deepEqual(ts && { name: ts.name, params: ts.params, target: ts.target }, { name: 'findGaps', params: ['window', 'busy'], target: 'src/time.ts' });
});

test('the lines a new function replaces: those most like its body, widened to whole statements and blocks', () => {
  const py = [
    'def report(ctx):',
    '    if ctx.week:',
    '        day = parse_date(ctx.week)',
    '        offset = (day.weekday() - (0 if ctx.start == "monday" else 6)) % 7',
    '        start = day - timedelta(days=offset)',
    '        end = start + timedelta(days=6)',
    '    else:',
    '        start, end = ctx.start, ctx.end',
    '    return summarize(start, end)',
  ];
  const body = [
    '    offset = (day.weekday() - (0 if week_start == "monday" else 6)) % 7',
    '    first = day - timedelta(days=offset)',
    '    return first, first + timedelta(days=6)',
  ];
  assert.deepEqual(likeRegion(py, 1, 8, body, true), { from: 3, to: 5 });
  const ts = [
    'export function free(rows: Row[], open: number, close: number) {',
    '  const busy = rows',
    '    .map((r) => ({ start: r.s, end: r.e }))',
    '    .sort((a, b) => a.start - b.start);',
    '  let cursor = open;',
    '  const gaps = [];',
    '  for (const b of busy) {',
    '    if (b.start > cursor) gaps.push({ start: cursor, end: b.start });',
    '    cursor = Math.max(cursor, b.end);',
    '  }',
    '  return gaps;',
    '}',
  ];
  const tsBody = [
    '  let cursor = window.start;',
    '  const gaps = [];',
    '  for (const b of [...busy].sort((a, b) => a.start - b.start)) {',
    '    if (b.start > cursor) gaps.push({ start: cursor, end: b.start });',
    '    cursor = Math.max(cursor, b.end);',
    '  }',
  ];
  assert.deepEqual(likeRegion(ts, 1, 10, tsBody, false), { from: 1, to: 9 }, 'back to where the sorted list starts, on to the brace that closes the loop');
  assert.equal(likeRegion(py, 1, 8, ['    return 42'], true), undefined, 'nothing alike');
});

test('what lines set, which the code after them may read: plain, tuple and destructured assignments', () => {
  assert.deepEqual(assigned(['    offset = 3', '    start, end = a, b', '    total: int = 0', '    if x == 1:', '    n += 1'], true), [
    'offset',
    'start',
    'end',
    'total',
  ]);
  assert.deepEqual(
    assigned(['  const gaps: Interval[] = [];', '  let { a, b: c } = o;', '  [x, y] = pair;', '  cursor = 1;', '  f((v) => v);', '  if (a === b) {'], false),
    ['gaps', 'a', 'c', 'x', 'y', 'cursor'],
  );
});

test('the new function is imported where it is called: added to an import of its module, else a new import after the others', () => {
  assert.equal(
    withImport('from app.time import days\n\n\ndef f():\n    pass\n', 'app/reports.py', 'app/time.py', 'week_bounds')?.split('\n')[0],
    'from app.time import days, week_bounds',
  );
  assert.equal(
    withImport('import sys\nfrom app.db import get\n\n\ndef f():\n    pass\n', 'app/reports.py', 'src/app/time.py', 'week_bounds'),
    'import sys\nfrom app.db import get\nfrom app.time import week_bounds\n\n\ndef f():\n    pass\n',
  );
  assert.equal(
    withImport("import { HOUR } from '../domain/time.ts';\n\nexport function f() {}\n", 'src/services/a.ts', 'src/domain/time.ts', 'findGaps'),
    "import { findGaps, HOUR } from '../domain/time.ts';\n\nexport function f() {}\n",
  );
  assert.equal(
    withImport("import { db } from './db.js';\n\nexport function f() {}\n", 'src/services/a.ts', 'src/domain/time.ts', 'findGaps'),
    "import { db } from './db.js';\nimport { findGaps } from '../domain/time.js';\n\nexport function f() {}\n",
    'with the extension the file’s other imports use',
  );
});

test('a request for more than the extraction leaves the rest to the model', () => {
  assert.equal(onlyExtracts('Extract it into one function `f(x)` in a.py, and make both places use it. Behaviour must not change.'), true);
  assert.equal(onlyExtracts('Extract it into one function `f(x)` in a.py, and add a test for it.'), false);
});

const files = {
  'shop/__init__.py': '',
  'shop/util.py': '"""Helpers."""\n\n\ndef clamp(x, lo, hi):\n    return max(lo, min(x, hi))\n',
  'shop/a.py': 'def price(cents):\n    euros = cents // 100\n    rest = cents % 100\n    return f"{euros}.{rest:02d} EUR"\n',
  'shop/b.py': 'import sys\n\n\ndef line(name, cents):\n    euros = cents // 100\n    rest = cents % 100\n    return f"{name}: {euros}.{rest:02d}"\n',
  'tests/test_shop.py':
    'from shop.a import price\nfrom shop.b import line\n\n\ndef test_price():\n    assert price(1234) == "12.34 EUR"\n\n\ndef test_line():\n    assert line("tea", 305) == "tea: 3.05"\n',
};
const request =
  'Splitting cents into euros and cents is written out twice: in `price` in shop/a.py and in `line` in shop/b.py. Extract it into one function `split_cents(cents)` in shop/util.py that returns `(euros, rest)`, and make both places use it.';

test('an extraction asked: the function written at the end of its file, imported and called in each place, the tests pass, and the turn ends', async (t) => {
  // the function, then the places bottom up (b.py's `line` starts lower than a.py's `price`)
  const model = new ScriptedModel([], {
    infills: [
      'cents):\n    """Euros and cents."""\n    return cents // 100, cents % 100\n',
      '    euros, rest = split_cents(cents)\n',
      '    euros, rest = split_cents(cents)',
    ],
  });
  const turn = await repairTurn(t, files, model, request);
  if (!turn) return;
  assert.equal(
    await turn.read('shop/util.py'),
    '"""Helpers."""\n\n\ndef clamp(x, lo, hi):\n    return max(lo, min(x, hi))\n\n\ndef split_cents(cents):\n    """Euros and cents."""\n    return cents // 100, cents % 100\n',
  );
  assert.equal(
    await turn.read('shop/a.py'),
    'from shop.util import split_cents\n\n\ndef price(cents):\n    euros, rest = split_cents(cents)\n    return f"{euros}.{rest:02d} EUR"\n',
  );
  assert.equal(
    await turn.read('shop/b.py'),
    'import sys\nfrom shop.util import split_cents\n\n\ndef line(name, cents):\n    euros, rest = split_cents(cents)\n    return f"{name}: {euros}.{rest:02d}"\n',
  );
  assert.match(model.infillRequests[0].prefix, /# The code to extract, in price \(shop\/a\.py\):\n# def price\(cents\):\n/);
  assert.match(
    model.infillRequests[1].prefix,
    /    # Call split_cents \(shop\/util\.py\) here instead: def split_cents\(cents\):\n    # These lines set euros, rest, which the code below reads\.\n$/,
  );
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  assert.match(
    turn.result.text,
    /^Extracted `def split_cents\(cents\):` into shop\/util\.py by code completion, and called it in price \(shop\/a\.py\), line \(shop\/b\.py\)\./,
  );
});

test('a place code completion did not make call the new function is no extraction: nothing is changed, and the model goes on', async (t) => {
  const model = new ScriptedModel([{ thought: 'I stop here.', tool: 'answer', args: { text: 'Not done.' } }], {
    infills: ['cents):\n    return cents // 100, cents % 100\n', '    euros = cents // 100\n    rest = cents % 100\n'],
  });
  const s = await repairSession(t, files, model);
  if (!s) return;
  await s.session.agent.runTurn(request);
  assert.equal(await readFile(path.join(s.root, 'shop/a.py'), 'utf8'), files['shop/a.py']);
  assert.equal(await readFile(path.join(s.root, 'shop/util.py'), 'utf8'), files['shop/util.py']);
  assert.ok(model.prompts.length >= 1, 'the model took the turn on');
  assert.ok(
    s.events.some(
      (e) =>
        e.type === 'notice' &&
        e.message === 'Code completion did not call split_cents in line (shop/b.py; function first; the function greedy, the places greedy).',
    ),
    'the log says why',
  );
});
