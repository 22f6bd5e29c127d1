/**
 * Doc comments written by code completion: where they are missing, what is inserted from what the
 * model wrote, and a turn that asks for them. The loop is under test, so the model is scripted (its
 * fill-in-the-middle answers); the index and the files are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { asksForDocComments, docGaps, fillDocComments } from '../../../src/agent/docs/doc-fill.ts';
import type { SymbolDef } from '../../../src/index/repo-index.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import type { ToolContext } from '../../../tools/tool.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const def = (name: string, line: number, endLine: number, kind: SymbolDef['kind'] = 'function'): SymbolDef => ({
  name,
  kind,
  path: 'x',
  line,
  endLine,
  signature: '',
});

test('requests for doc comments are told apart from other documentation work', () => {
  assert.ok(asksForDocComments('Add a JSDoc comment to each exported function in src/db/bookings-repo.ts.'));
  assert.ok(asksForDocComments('billing.py lost all its docstrings in a bad merge. Write them again.'));
  assert.ok(!asksForDocComments('Write a ## Configuration section in README.md.'));
  assert.ok(!asksForDocComments('Fix the docs link in the footer.'));
});

test('the gaps: public definitions without a doc comment, and a Python module without its docstring', () => {
  const py =
    'import os\n\n\ndef total(xs):\n    return sum(xs)\n\n\ndef _helper():\n    pass\n\n\nclass Cart:\n    """A cart."""\n\n    def add(self, x):\n        self.items.append(x)\n';
  const gaps = docGaps('shop/cart.py', py, [def('total', 4, 5), def('_helper', 8, 9), def('Cart', 12, 16, 'class'), def('add', 15, 16, 'method')]);
  assert.deepEqual(
    gaps.map((g) => [g.def?.name ?? 'module', g.at, g.indent]),
    [
      ['module', 0, ''],
      ['total', 4, '    '],
      ['add', 15, '        '],
    ],
  );
  const ts =
    "/** Bookings. */\nimport x from 'y';\n\nexport function insertBooking(a: number): number {\n  return a;\n}\n\n/** Documented. */\nexport function getBooking(id: number) {\n  return id;\n}\n\nfunction local() {}\n";
  assert.deepEqual(
    docGaps('src/db/repo.ts', ts, [def('insertBooking', 4, 6), def('getBooking', 9, 11), def('local', 13, 13)]).map((g) => [g.def?.name, g.at]),
    [['insertBooking', 3]],
  );
  assert.deepEqual(
    docGaps('src/sum.ts', 'export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\nexport const LIMIT = 3;\n', [
      def('total', 1, 1, 'constant'),
      def('LIMIT', 2, 2, 'constant'),
    ]).map((g) => g.def?.name),
    ['total'],
    'a constant that holds a function is documented; a plain value is not',
  );
  assert.deepEqual(docGaps('notes.txt', 'text', []), []);
});

test('a request for docstrings: each missing one written by code completion, bottom up, in one change that ends the turn', async (t) => {
  const source = 'def total(prices):\n    return sum(prices)\n\n\ndef cents(euros):\n    return round(euros * 100)\n';
  const repo = await makeRepo({ 'shop.py': source });
  t.after(repo.cleanup);
  const model = new ScriptedModel([], {
    infills: [
      'Euros as whole cents, rounded half to even."""', // cents
      'The sum of the prices, in cents.\n\n    Empty: 0.\n    """', // total
      'Prices and their totals, in cents."""', // the module
    ],
  });
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Add docstrings to shop.py: the module and every public function. Do not change the code.');
  assert.equal(
    await readFile(path.join(repo.root, 'shop.py'), 'utf8'),
    '"""Prices and their totals, in cents."""\n\ndef total(prices):\n    """The sum of the prices, in cents.\n\n    Empty: 0.\n    """\n    return sum(prices)\n\n\ndef cents(euros):\n    """Euros as whole cents, rounded half to even."""\n    return round(euros * 100)\n',
  );
  assert.equal(model.infillRequests[0].prefix.split('\n').at(-1), '    """', 'the gap opens the docstring');
  assert.match(model.infillRequests[0].suffix, /^"""\n    return round/);
  assert.equal(result.status, 'answered');
  assert.match(result.text, /^Doc comments written by code completion for 3 definitions: the module \(shop\.py\), total \(shop\.py\), cents \(shop\.py\)\./);
});

test('with little time left, the module docstring is written and the functions wait: time is kept for it at the end', async () => {
  const source = 'def total(prices):\n    return sum(prices)\n';
  const asked: string[] = [];
  const ctx = {
    signal: new AbortController().signal,
    infill: async (request: { prefix: string }) => {
      asked.push(request.prefix);
      return 'Prices and their totals."""';
    },
  } as unknown as ToolContext;
  const gaps = docGaps('shop.py', source, [def('total', 1, 2)]);
  assert.equal(gaps.length, 2, 'the module and total');
  // (a deadline within the time kept for the module: no function's gap is begun)
  const filled = await fillDocComments(ctx, 'shop.py', source, gaps, Date.now() + 20_000);
  assert.deepEqual(filled?.documented, ['the module']);
  assert.deepEqual(asked, ['"""']);
  assert.equal(filled?.text, `"""Prices and their totals."""\n\n${source}`);
});

test('a gap whose most usual comment says nothing is sampled; one that says little is gone on from, after a blank line; the one with more words kept', async () => {
  const source = 'def round_minutes(minutes, step):\n    return -(-minutes // step) * step\n';
  const asked: Array<{ temperature?: number; seed?: number }> = [];
  const moduleAsks: Array<{ prefix: string; suffix: string; lead?: string }> = [];
  const ctx = {
    signal: new AbortController().signal,
    infill: async (request: { prefix: string; suffix: string; lead?: string; temperature?: number; seed?: number }) => {
      asked.push({ temperature: request.temperature, seed: request.seed });
      // the module's: three words, then, asked to go on after them, a paragraph
      if (request.prefix.startsWith('"""')) {
        moduleAsks.push({ prefix: request.prefix, suffix: request.suffix, lead: request.lead });
        return request.lead?.endsWith('\n\n') ? 'Minutes are billed in whole steps.\n"""' : 'Rounding of minutes."""';
      }
      return request.seed ? 'Minutes rounded up to a whole number of steps."""' : '"""';
    },
  } as unknown as ToolContext;
  const gaps = docGaps('billing.py', source, [def('round_minutes', 1, 2)]);
  const filled = await fillDocComments(ctx, 'billing.py', source, gaps, Date.now() + 60_000);
  assert.deepEqual(filled?.documented, ['the module', 'round_minutes']);
  assert.match(filled?.text ?? '', /def round_minutes\(minutes, step\):\n {4}"""Minutes rounded up to a whole number of steps\."""\n/);
  assert.deepEqual(
    asked.slice(0, 2),
    [
      { temperature: undefined, seed: undefined },
      { temperature: 0.7, seed: 1 },
    ],
    'greedy, then one sample',
  );
  assert.deepEqual(
    asked.slice(2),
    [
      { temperature: undefined, seed: undefined },
      { temperature: undefined, seed: undefined },
    ],
    "the module's: three words say little, so it goes on from them",
  );
  assert.match(filled?.text ?? '', /^"""Rounding of minutes\.\n\nMinutes are billed in whole steps\.\n"""\n\n/);
  // what it goes on from is the middle's lead: the prefix and suffix are the first try's, so the engine reads them once
  assert.deepEqual(
    moduleAsks.map((a) => a.lead),
    [undefined, 'Rounding of minutes.\n\n'],
  );
  assert.equal(moduleAsks[1].prefix, moduleAsks[0].prefix);
  assert.equal(moduleAsks[1].suffix, moduleAsks[0].suffix);
});

test("a function's gap is read with the function after it, not the rest of the file; a class's with its methods", async () => {
  const rest = Array.from({ length: 40 }, (_, i) => `\n\ndef f${i}(x):\n    return x + ${i}\n`).join('');
  const source = `class Cart:\n    def add(self, item):\n        self.items.append(item)\n\n\ndef total(prices):\n    return sum(prices)\n${rest}`;
  const suffixes = new Map<string, string>();
  const ctx = {
    signal: new AbortController().signal,
    infill: async (request: { prefix: string; suffix: string }) => {
      suffixes.set(request.prefix.split('\n').at(-2) ?? '', request.suffix);
      return 'Says what it does."""';
    },
  } as unknown as ToolContext;
  const gaps = docGaps('shop.py', source, [def('Cart', 1, 3, 'class'), def('add', 2, 3, 'method'), def('total', 6, 7)]);
  await fillDocComments(ctx, 'shop.py', source, gaps, Date.now() + 60_000);
  assert.equal(suffixes.get('def total(prices):'), '"""\n    return sum(prices)\n\n\ndef f0(x):', 'the body, then three lines');
  assert.match(
    suffixes.get('class Cart:') ?? '',
    /def add\(self, item\):\n {8}"""Says what it does\."""\n {8}self\.items\.append\(item\)\n[\s\S]*def f30\(x\)/,
    'the class: its methods and on',
  );
});
