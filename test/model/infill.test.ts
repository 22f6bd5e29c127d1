/**
 * Fill-in-the-middle through the real engine, on the tiny GGUF (random weights: what it writes is
 * noise; the prompt's shape, the stops and the sequence left for the next chat step are what is
 * checked). A model without FIM tokens has no infill.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstLineGuard, generateInfill, infillPrompt, loopGuard, readAhead } from '../../src/model/infill.ts';
import { FIM_TOKENS } from '../support/tiny-gguf.ts';
import { loadTinyFimModel, representativeSchema } from './fixtures.ts';

const load = loadTinyFimModel;

test('infill: the prompt is the other files after file separators, then prefix, suffix and middle tokens (PSM)', async (t) => {
  const model = await load(true);
  t.after(() => model.dispose());
  const llama = (model as unknown as { model: import('node-llama-cpp').LlamaModel }).model;
  const tokens = infillPrompt(llama, {
    path: 'calc.py',
    prefix: 'def add(a, b):\n',
    suffix: '\n\ndef sub(a, b):\n',
    files: [{ path: 'test_calc.py', text: 'assert add(2, 3) == 5' }],
    maxTokens: 10,
  });
  assert.ok(tokens);
  const text = llama.detokenize(tokens, true);
  // (the tiny model's SentencePiece tokenizer puts a space before text that starts a piece; Qwen's BPE does not)
  assert.match(
    text,
    /^<\|repo_name\|> ?project\n<\|file_sep\|> ?test_calc\.py\nassert add\(2, 3\) == 5\n<\|file_sep\|> ?calc\.py\n<\|fim_prefix\|> ?def add\(a, b\):\n<\|fim_suffix\|> ?\n\ndef sub\(a, b\):\n<\|fim_middle\|>$/,
  );
  for (const special of FIM_TOKENS.filter((s) => s !== '<|fim_pad|>'))
    assert.equal(tokens.filter((token) => llama.detokenize([token], true) === special).length, special === '<|file_sep|>' ? 2 : 1, special);
});

test('infill: generates a middle on the shared sequence, and the next chat step still works', async (t) => {
  const model = await load(true);
  t.after(() => model.dispose());
  const middle = await model.infill({ path: 'a.py', prefix: 'def f():\n', suffix: '\n', maxTokens: 12 });
  assert.equal(typeof middle, 'string');
  const step = await model.next([{ role: 'user', content: 'hello' }], representativeSchema);
  assert.equal(typeof step.action.tool, 'string', 'a grammar-valid action after the infill');
});

test('infill: a lead is read after the middle token, and a try that goes on from it reads only the lead again', async (t) => {
  const model = await load(true);
  t.after(() => model.dispose());
  const llama = (model as unknown as { model: import('node-llama-cpp').LlamaModel }).model;
  const ask = { path: 'billing.py', prefix: '"""', suffix: `"""\n\n${'def total(items):\n    return sum(items)\n\n'.repeat(20)}`, maxTokens: 8 };
  const tokens = infillPrompt(llama, { ...ask, lead: 'Billing of minutes.\n\n' });
  assert.ok(tokens);
  assert.match(llama.detokenize(tokens, true), /<\|fim_middle\|> ?Billing of minutes\.\n\n$/);
  const context = await llama.createContext({ contextSize: 2048 });
  t.after(() => context.dispose());
  const sequence = context.getSequence();
  assert.equal(typeof (await generateInfill(llama, sequence, ask)), 'string');
  const before = sequence.tokenMeter.usedInputTokens;
  assert.ok(before > llama.tokenize(ask.suffix).length, `the first try read ${before} prompt tokens`);
  assert.equal(typeof (await generateInfill(llama, sequence, { ...ask, lead: 'Billing of minutes.\n\n' })), 'string');
  const read = sequence.tokenMeter.usedInputTokens - before;
  assert.ok(read < 20, `the second try read ${read} prompt tokens (the suffix alone is ${llama.tokenize(ask.suffix).length})`);
});

test('infill: a model without fill-in-the-middle tokens answers undefined', async (t) => {
  const model = await load(false);
  t.after(() => model.dispose());
  assert.equal(await model.infill({ path: 'a.py', prefix: 'def f():\n', suffix: '\n', maxTokens: 12 }), undefined);
});

test('infill: right after a cancelled step it waits for the engine to settle, and the steps after it work', async (t) => {
  const model = await load(true);
  t.after(() => model.dispose());
  const controller = new AbortController();
  let tokens = 0;
  const step = model.next([{ role: 'user', content: 'hello' }], representativeSchema, {
    signal: controller.signal,
    maxTokens: 3000,
    temperature: 1,
    seed: 7,
    onToken: () => {
      if (++tokens === 3) controller.abort();
    },
  });
  // queued behind the cancelled step, before its generation has settled
  const middle = model.infill({ path: 'a.py', prefix: 'def f():\n', suffix: '\n', maxTokens: 12 });
  await assert.rejects(step);
  assert.equal(typeof (await middle), 'string');
  for (const seed of [1, 2]) {
    const next = await model.next([{ role: 'user', content: 'hello again' }], representativeSchema, { seed });
    assert.equal(typeof next.action.tool, 'string');
  }
});

test("infill: on a context of its own, so the chat's evaluated prompt is kept and the next step reads only what is new", async (t) => {
  const model = await load(true);
  t.after(() => model.dispose());
  const messages = [{ role: 'user' as const, content: `Fix the bug. ${'The total is wrong for an empty cart. '.repeat(20)}` }];
  await model.next(messages, representativeSchema);
  const before = model.tokenMeter.getState().usedInputTokens;
  assert.equal(typeof (await model.infill({ path: 'a.py', prefix: 'def f():\n', suffix: '\n', maxTokens: 12 })), 'string');
  await model.next(messages, representativeSchema);
  const read = model.tokenMeter.getState().usedInputTokens - before;
  assert.ok(read < 10, `the step after the infill read ${read} prompt tokens again`);
});

test('infill: a middle that writes one line over and over is stopped there, not at its token limit', () => {
  const guard = loopGuard();
  guard.onTextChunk('def test_a():\n');
  for (let i = 0; i < 11; i++) guard.onTextChunk('    assert slugify("A B") == "a-b"\n');
  assert.equal(guard.signal.aborted, false, 'eleven times is not yet a loop');
  guard.onTextChunk('    assert slugify("A B") == "a-b"\n    ');
  assert.equal(guard.signal.aborted, true);
  assert.match(guard.looped() ?? '', /12 times in a row/);
});

test('infill: a middle of code that copies the comments above the gap, two lines in a row, is stopped where they begin', () => {
  const prose =
    'Request: Implement log_summary.sh. When SINCE is given, as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, only entries at or after that moment count (`2024-03-02` means from midnight on).';
  const guard = loopGuard(prose);
  const code = 'echo "total $total"\n\n';
  const copied = '# When SINCE is given, as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, only entries at or after that\n';
  const own = '# moment count (`2024-03-02` means from midnight on). A SINCE in any other form\n';
  guard.onTextChunk(code);
  guard.onTextChunk(copied);
  assert.equal(guard.signal.aborted, false, 'one copied line may be a comment of the code');
  guard.onTextChunk(own.slice(0, -6));
  assert.equal(guard.signal.aborted, false, 'a line is looked at once it is whole');
  guard.onTextChunk(own.slice(-6));
  assert.equal(guard.signal.aborted, false, 'its own words after the copy');
  guard.onTextChunk('# When SINCE is given, as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, only entries at or after that\n# moment count');
  assert.equal(guard.signal.aborted, false);
  guard.onTextChunk(' (`2024-03-02` means from midnight on).\n');
  assert.equal(guard.signal.aborted, true);
  assert.equal(guard.copiedAt(), code.length + copied.length + own.length, 'cut where the two copied lines in a row begin');
  assert.equal(guard.looped(), undefined);
});

test('infill: the request’s paragraphs copied one a line, with blank lines and a heading between them, are stopped at the first', () => {
  const guard = loopGuard(
    'Implement ini_get.sh so that the tests in ini_get_test.sh pass. Do not change the tests.\n\n# Reading an INI file\n\n`bash ini_get.sh FILE SECTION KEY` prints the value of KEY.',
  );
  const lines = [
    '',
    '# implement ini_get.sh so that the tests in ini_get_test.sh',
    '',
    '# Reading an INI file',
    '',
    '# `bash ini_get.sh FILE SECTION KEY` prints the value of KEY.',
    '',
  ];
  for (const line of lines) guard.onTextChunk(`${line}\n`);
  assert.equal(guard.signal.aborted, true);
  assert.equal(guard.copiedAt(), 1, 'from the first copied line (its case aside), the blank line before it kept');
});

test('infill: a comment of the code that says what the request says, then code, is not stopped', () => {
  const guard = loopGuard('Request: Fix clamp_each. Each value is at most hi, the bound given by the caller.');
  for (const line of ['    # Each value is at most hi, the bound given by the caller.', '    return [min(v, hi) for v in values]', ''])
    guard.onTextChunk(`${line}\n`);
  assert.equal(guard.signal.aborted, false);
  assert.equal(guard.copiedAt(), undefined);
});

test('infill: a prompt is read a chunk at a time, a time limit stops the read between chunks, and what was read is kept for the next', async (t) => {
  const model = await load(true);
  t.after(() => model.dispose());
  const llama = (model as unknown as { model: import('node-llama-cpp').LlamaModel }).model;
  const context = await llama.createContext({ contextSize: 2048 });
  t.after(() => context.dispose());
  const sequence = context.getSequence();
  const tokens = llama.tokenize('def add(a, b):\n    return a + b\n'.repeat(60));
  assert.ok(tokens.length > 600, `${tokens.length} tokens`);
  // (a signal that aborts once looked at: after the first chunk)
  let looks = 0;
  const once = {
    get aborted() {
      return ++looks > 1;
    },
  } as AbortSignal;
  await readAhead(sequence, tokens, tokens.length - 1, once);
  assert.equal(sequence.nextTokenIndex, 256, 'one chunk read, then the limit stopped it');
  const never = new AbortController().signal;
  await readAhead(sequence, tokens, tokens.length - 1, never);
  assert.deepEqual(sequence.contextTokens, tokens.slice(0, -1), 'read on from there to all but the last token');
  const changed = [...tokens.slice(0, 300), ...llama.tokenize('x = 1\n')];
  await readAhead(sequence, changed, changed.length, never);
  assert.deepEqual(sequence.contextTokens, changed, 'kept as far as it matched, the rest read anew');
});

test('infill: a middle whose first line is one the caller has no use for is stopped once that line is whole', () => {
  const guard = firstLineGuard('import x\n\n    def test_', ['def test_pop_is_lifo(self):', 'def test_push(self):']);
  guard.onTextChunk('pop_is');
  assert.equal(guard.signal.aborted, false, 'not before the line is whole');
  guard.onTextChunk('_lifo(self):\n        s = ');
  assert.equal(guard.signal.aborted, true, 'the prefix’s last line with what the middle wrote on it, spaces at the ends aside');
  const other = firstLineGuard('    def test_', ['def test_push(self):']);
  other.onTextChunk('push_twice(self):\n');
  other.onTextChunk('def test_push(self):\n');
  assert.equal(other.signal.aborted, false, 'only the first line is looked at');
});
