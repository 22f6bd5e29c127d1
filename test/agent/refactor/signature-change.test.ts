/**
 * A new signature and its calls (signature-change.ts): how parameters are read, how each new one
 * is worked out from the old ones, how calls are rewritten, and a turn that asks for a new
 * signature. The loop is under test, so the model's code completion is scripted (ScriptedModel
 * `infills`); the index, the sandbox runs and the files are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adaptedDefinition,
  bindArguments,
  callSites,
  onlyChangesSignature,
  paramSpan,
  parseParams,
  planArguments,
  rewriteCalls,
  splitTopLevel,
  withoutUnusedImports,
} from '../../../src/agent/refactor/signature-change.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { repairTurn } from '../harness.ts';

const paramsOf = (definition: string, name: string, family: 'python' | 'js', method = false) => {
  const span = paramSpan(definition, name)!;
  return parseParams(definition.slice(span.open + 1, span.close), family, method)!;
};

test('arguments split at top-level commas only: not inside brackets, strings or a type’s generics', () => {
  assert.deepEqual(splitTopLevel('a, f(b, c), "d, e", [1, 2], { x: 1, y }, '), ['a', 'f(b, c)', '"d, e"', '[1, 2]', '{ x: 1, y }']);
  assert.deepEqual(splitTopLevel('m: Map<string, number>, n = a < b, c'), ['m: Map<string, number>', 'n = a < b', 'c']);
  assert.deepEqual(splitTopLevel('f(x, (a > b)), y'), ['f(x, (a > b))', 'y']);
});

test('parameters: names, defaults and optional marks, Python’s keyword-only ones, and a method’s self left out', () => {
  const py = paramsOf('def total(self, items, rate=0.2, *, round_to: int, currency: str = "EUR") -> int:', 'total', 'python', true);
  assert.deepEqual(
    py.map((p) => [p.name, p.optional, p.keywordOnly]),
    [
      ['items', false, false],
      ['rate', true, false],
      ['round_to', false, true],
      ['currency', true, true],
    ],
  );
  const ts = paramsOf('export function find(db: Db, q: { a: number; b?: string }, limit = 10, extra?: boolean): X[] {', 'find', 'js');
  assert.deepEqual(
    ts.map((p) => [p.name, p.optional]),
    [
      ['db', false],
      ['q', false],
      ['limit', true],
      ['extra', true],
    ],
  );
  assert.equal(parseParams('{ a, b }: Opts', 'js', false), undefined, 'a destructured parameter has no one name');
});

test('each new parameter is worked out from the old ones: kept, an attribute of a removed one, or an object of removed ones', () => {
  const oldPy = 'def bill(conn, config):\n    return price(conn, config.rate) + config.fee\n';
  const newPy = 'def bill(conn, *, rate, fee):\n    return price(conn, rate) + fee\n';
  assert.deepEqual(
    planArguments(paramsOf(oldPy, 'bill', 'python'), paramsOf(newPy, 'bill', 'python'), oldPy, newPy, 'python')!.map((p) => p.from),
    [
      { kind: 'same', old: 'conn' },
      { kind: 'attribute', old: 'config', attribute: 'rate' },
      { kind: 'attribute', old: 'config', attribute: 'fee' },
    ],
  );
  const oldTs = 'function find(db: Db, roomId: number, start: number, end?: number) {\n  return db.all(roomId, start, end);\n}';
  const newTs = 'function find(db: Db, query: { roomId: number; start: number; end?: number }) {\n  return db.all(query.roomId, query.start, query.end);\n}';
  assert.deepEqual(planArguments(paramsOf(oldTs, 'find', 'js'), paramsOf(newTs, 'find', 'js'), oldTs, newTs, 'js')![1].from, {
    kind: 'object',
    fields: ['roomId', 'start', 'end'],
  });
  // a new required parameter from nowhere (a misspelt `rat`), or a removed one the old body read and the new one lost
  const misspelt = 'def bill(conn, *, rat, fee):\n    return price(conn, rat) + fee\n';
  assert.equal(planArguments(paramsOf(oldPy, 'bill', 'python'), paramsOf(misspelt, 'bill', 'python'), oldPy, misspelt, 'python'), undefined);
  const lost = 'def bill(conn):\n    return price(conn, 0)\n';
  assert.equal(planArguments(paramsOf(oldPy, 'bill', 'python'), paramsOf(lost, 'bill', 'python'), oldPy, lost, 'python'), undefined);
});

test('the old body goes under the new header, changed only as the plan says: attributes read directly, an object’s fields taken out at the top', () => {
  const oldPy = 'def bill(conn, config):\n    """Bills."""\n    return price(conn, config.rate) + config.fee + other.config.rate\n';
  const newPy = 'def bill(conn, *, rate: int, fee: int) -> int:\n    return 0\n';
  const planPy = planArguments(paramsOf(oldPy, 'bill', 'python'), paramsOf(newPy, 'bill', 'python'), oldPy, newPy, 'python')!;
  assert.equal(
    adaptedDefinition(oldPy, newPy, planPy, 'python'),
    'def bill(conn, *, rate: int, fee: int) -> int:\n    """Bills."""\n    return price(conn, rate) + fee + other.config.rate\n',
  );
  const oldTs = 'function find(db: Db, roomId: number, start: number): X {\n  start = start ?? 0;\n  return db.all(roomId, start);\n}';
  const newTs = 'function find(db: Db, query: { roomId: number; start: number }): X {\n  return db.all(query);\n}';
  const planTs = planArguments(paramsOf(oldTs, 'find', 'js'), paramsOf(newTs, 'find', 'js'), oldTs, newTs, 'js')!;
  assert.equal(
    adaptedDefinition(oldTs, newTs, planTs, 'js'),
    'function find(db: Db, query: { roomId: number; start: number }): X {\n  let { roomId, start } = query;\n  start = start ?? 0;\n  return db.all(roomId, start);\n}',
    'a field the body assigns to is taken out with let',
  );
});

test('calls get their new arguments: object fields by shorthand where they can, keywords in Python, a line break layout kept', () => {
  const oldTs = 'function find(db, roomId, start, end, excludeId) {\n  return db.all(roomId, start, end, excludeId);\n}';
  const newTs = 'function find(db, query) {\n  return db.all(query.roomId, query.start, query.end, query.excludeId);\n}';
  const oldParams = paramsOf(oldTs, 'find', 'js');
  const plan = planArguments(oldParams, paramsOf(newTs, 'find', 'js'), oldTs, newTs, 'js')!;
  const caller = [
    'const a = find(ctx.db, room.id, start, end);',
    '// find(db, roomId, start, end) is how it was called',
    'const b = find(',
    '  db,',
    '  room.id,',
    '  at("9:00"),',
    '  at("10:00"),',
    '  other.id,',
    ');',
  ].join('\n');
  const rewritten = rewriteCalls(caller, 'find', oldParams, plan, 'js')!;
  assert.equal(rewritten.calls, 2);
  assert.equal(
    rewritten.text,
    [
      'const a = find(ctx.db, { roomId: room.id, start, end });',
      '// find(db, roomId, start, end) is how it was called',
      'const b = find(',
      '  db,',
      '  { roomId: room.id, start: at("9:00"), end: at("10:00"), excludeId: other.id },',
      ');',
    ].join('\n'),
  );
  const oldPy = 'def bill(conn, config):\n    return price(conn, config.rate, config.fee)\n';
  const newPy = 'def bill(conn, *, rate, fee):\n    return price(conn, rate, fee)\n';
  const oldPyParams = paramsOf(oldPy, 'bill', 'python');
  const planPy = planArguments(oldPyParams, paramsOf(newPy, 'bill', 'python'), oldPy, newPy, 'python')!;
  assert.equal(
    rewriteCalls('x = bill(c, ctx.config)\ny = bill(c, Config(rate=6))\nz = bill(conn=c, config=make())\n', 'bill', oldPyParams, planPy, 'python')!.text,
    'x = bill(c, rate=ctx.config.rate, fee=ctx.config.fee)\ny = bill(c, rate=6, fee=Config(rate=6).fee)\nz = bill(conn=c, rate=make().rate, fee=make().fee)\n',
  );
  assert.equal(bindArguments(['*args'], oldPyParams, 'python'), undefined, 'a spread: which parameter gets what is not certain');
  assert.equal(rewriteCalls('bill(c, *rest)\n', 'bill', oldPyParams, planPy, 'python'), undefined);
});

test('a parameter renamed in its place keeps its argument, by keyword where a call gave it so; a reordered one follows its name', () => {
  const oldPy = 'def send(to, cfg, retries=3):\n    return post(to, cfg.url, retries)\n';
  const newPy = 'def send(to, config, retries=3):\n    return post(to, config.url, retries)\n';
  const oldParams = paramsOf(oldPy, 'send', 'python');
  const plan = planArguments(oldParams, paramsOf(newPy, 'send', 'python'), oldPy, newPy, 'python', (name) => name === 'config')!;
  assert.deepEqual(plan[1].from, { kind: 'renamed', old: 'cfg' });
  assert.equal(
    planArguments(oldParams, paramsOf(newPy, 'send', 'python'), oldPy, newPy, 'python', () => false),
    undefined,
    'a name the request does not give is a guess, not a rename',
  );
  assert.equal(rewriteCalls('send(a, c)\nsend(a, cfg=c, retries=1)\n', 'send', oldParams, plan, 'python')!.text, 'send(a, c)\nsend(a, config=c, retries=1)\n');
  assert.equal(adaptedDefinition(oldPy, newPy, plan, 'python'), newPy);
  const oldTs = 'function span(end: number, start: number) {\n  return end - start;\n}';
  const newTs = 'function span(start: number, end: number) {\n  return end - start;\n}';
  const oldTsParams = paramsOf(oldTs, 'span', 'js');
  const planTs = planArguments(oldTsParams, paramsOf(newTs, 'span', 'js'), oldTs, newTs, 'js')!;
  assert.equal(rewriteCalls('span(b, a + 1);', 'span', oldTsParams, planTs, 'js')!.text, 'span(a + 1, b);');
});

test('the definition and a class’s declaration of the name are not calls', () => {
  const text = 'def bill(conn, config):\n    pass\n\nclass A:\n    def bill(self, x):\n        return bill(x, None)\n';
  assert.deepEqual(
    callSites(text, 'bill').map((s) => text.slice(s.open - 4, s.close + 1)),
    ['bill(x, None)'],
  );
  const ts = 'class Repo {\n  async find(a: number): Promise<void> {\n    await find(a);\n  }\n}\n';
  assert.equal(callSites(ts, 'find').length, 1);
  const dotted = 'a = billing.bill(1)\nb = cache.bill(2)\nc = bill(3)\n';
  assert.deepEqual(
    callSites(dotted, 'bill', [], (receiver) => receiver === 'billing').map((s) => dotted.slice(0, s.open).split('\n').length),
    [1, 3],
    "a function's calls through its module, not another object's method of that name",
  );
});

test('an import the new definition no longer uses goes, one it never used stays', () => {
  const before = 'from app.config import Config, load\nfrom app.db import unused_before\n\ndef bill(c: Config):\n    return load()\n';
  const after = 'from app.config import Config, load\nfrom app.db import unused_before\n\ndef bill(rate):\n    return load()\n';
  assert.equal(
    withoutUnusedImports(before, after, 'python'),
    'from app.config import load\nfrom app.db import unused_before\n\ndef bill(rate):\n    return load()\n',
  );
  const tsBefore = "import type { Db, Query } from './db.ts';\n\nexport function f(db: Db, q: Query) {}\n";
  const tsAfter = "import type { Db, Query } from './db.ts';\n\nexport function f(db: Db, id: number) {}\n";
  assert.equal(withoutUnusedImports(tsBefore, tsAfter, 'js'), "import type { Db } from './db.ts';\n\nexport function f(db: Db, id: number) {}\n");
});

test('a request for more than the signature leaves the rest to the model', () => {
  assert.equal(onlyChangesSignature('Change its signature to take `rate`, and update every caller, tests included.'), true);
  assert.equal(onlyChangesSignature('Change its signature to take `rate`, then add a test for it.'), false);
});

const prices = [
  'from shop.config import Config',
  '',
  '',
  'def total(items, config: Config):',
  '    """The sum of the items with tax."""',
  '    return round(sum(items) * (1 + config.tax), 2)',
  '',
].join('\n');
const config = 'from dataclasses import dataclass\n\n\n@dataclass\nclass Config:\n    tax: float = 0.2\n';
const report =
  'from shop.config import Config\nfrom shop.prices import total\n\n\ndef report(items, config: Config):\n    return f"total: {total(items, config)}"\n';
const tests = [
  'from shop.config import Config',
  'from shop.prices import total',
  'from shop.report import report',
  '',
  '',
  'def test_total():',
  '    assert total([10, 10], Config(tax=0.5)) == 30',
  '',
  '',
  'def test_report():',
  '    assert report([10], Config()) == "total: 12.0"',
  '',
].join('\n');
const files = { 'shop/__init__.py': '', 'shop/config.py': config, 'shop/prices.py': prices, 'shop/report.py': report, 'tests/test_prices.py': tests };
const request =
  '`total` in shop/prices.py takes the whole `Config` but only needs the tax. Change its signature to take `tax` instead of `config`, and update every caller.';

test('a new signature asked for: the definition written by code completion, every call changed to match, the tests pass, and the turn ends', async (t) => {
  // greedy: a parameter that comes from nowhere (`rate`), not used; sampled: `tax`, the config's attribute
  const model = new ScriptedModel([], {
    infills: [
      'items, rate):\n    """The sum of the items with tax."""\n    return round(sum(items) * (1 + rate), 2)',
      'items, tax: float):\n    """The sum of the items with tax."""\n    return round(sum(items) * (1 + tax), 2)',
    ],
  });
  const turn = await repairTurn(t, files, model, request);
  if (!turn) return;
  assert.equal(
    await turn.read('shop/prices.py'),
    'def total(items, tax: float):\n    """The sum of the items with tax."""\n    return round(sum(items) * (1 + tax), 2)\n',
    'the import of Config it no longer uses is gone',
  );
  assert.match(await turn.read('shop/report.py'), /total\(items, tax=config\.tax\)/);
  const changedTests = await turn.read('tests/test_prices.py');
  assert.match(changedTests, /total\(\[10, 10\], tax=0\.5\) == 30/);
  assert.equal(model.prompts.length, 0, 'no model step was needed');
  assert.match(model.infillRequests[0].prefix, /# Before the change:\n# def total\(items, config: Config\):\n/);
  assert.match(turn.result.text, /^Changed the signature of total by code completion \(`def total\(items, tax: float\):`\) and 2 calls of it to match/);
});

test('a new parameter no old one gives is new behaviour: the change is made, and the model looks at it before the turn ends', async (t) => {
  const model = new ScriptedModel([{ thought: 'The limit is in; done.', tool: 'answer', args: { text: 'Added `limit`.' } }], {
    infills: ['items, config: Config, limit=None):\n    """The sum of the items with tax."""\n    return round(sum(items[:limit]) * (1 + config.tax), 2)'],
  });
  const turn = await repairTurn(
    t,
    files,
    model,
    'Add an optional `limit` parameter to `total` in shop/prices.py that sums only the first `limit` items, and update every caller that needs it.',
  );
  if (!turn) return;
  assert.match(await turn.read('shop/prices.py'), /^from shop\.config import Config\n\n\ndef total\(items, config: Config, limit=None\):\n.*items\[:limit\]/s);
  assert.equal(await turn.read('shop/report.py'), report, 'the calls pass what they passed');
  assert.equal(model.prompts.length, 1, 'the model took a step after the change');
  assert.equal(turn.result.text, 'Added `limit`.');
});

test('a decorated definition keeps its decorator: the definition is written from the line that names it', async (t) => {
  const decorated = prices.replace('def total(', 'def logged(fn):\n    return fn\n\n\n@logged\ndef total(');
  const model = new ScriptedModel([], {
    infills: ['items, tax: float):\n    """The sum of the items with tax."""\n    return round(sum(items) * (1 + tax), 2)'],
  });
  const turn = await repairTurn(t, { ...files, 'shop/prices.py': decorated }, model, request);
  if (!turn) return;
  assert.match(await turn.read('shop/prices.py'), /\n\n@logged\ndef total\(items, tax: float\):\n {4}"""The sum of the items with tax\."""\n/);
  assert.match(await turn.read('shop/report.py'), /total\(items, tax=config\.tax\)/);
});
