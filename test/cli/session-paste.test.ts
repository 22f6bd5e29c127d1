import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeTerminal } from '../support/fake-terminal.ts';
import { LineReader } from '../../src/cli/repl/line-reader.ts';
import { disableBracketedPaste, enableBracketedPaste, PasteDecoder, pasteNewline } from '../../src/cli/repl/bracketed-paste.ts';

const start = '\x1b[200~';
const end = '\x1b[201~';

test('the paste decoder drops the markers and marks newlines inside a paste only', () => {
  const decoder = new PasteDecoder();
  assert.equal(decoder.write(`ab\r${start}one\r\ntwo\rthree\n${end}cd\r`), `ab\rone${pasteNewline}two${pasteNewline}three${pasteNewline}cd\r`);
  assert.equal(decoder.write('\x1b[A'), '\x1b[A', 'an arrow key passes at once');
  assert.equal(decoder.write('\x1b'), '', 'a lone Esc may begin a marker: it waits for the next key');
  assert.equal(decoder.write('b'), '\x1bb');
});

test('markers and CR LF split across chunks at any point decode the same', () => {
  const whole = `x${start}line 1\r\nline 2${end}y`;
  const expected = new PasteDecoder().write(whole);
  assert.equal(expected, `xline 1${pasteNewline}line 2y`);
  for (let cut = 1; cut < whole.length; cut++) {
    const decoder = new PasteDecoder();
    assert.equal(decoder.write(whole.slice(0, cut)) + decoder.write(whole.slice(cut)), expected, `cut at ${cut}`);
  }
});

test('a multi-line paste at the prompt is one input, submitted with Enter, and recalled as one', async () => {
  const t = fakeTerminal();
  const history: string[] = [];
  const reader = new LineReader({ input: t.input, output: t.output, history });
  const line = reader.read('> ');
  await t.waitFor('> ');
  assert.ok(t.raw().includes(enableBracketedPaste), 'bracketed paste is turned on at the prompt');
  t.keys(`${start}def add(a, b):\r    return a + b\r`, `${end.slice(0, 3)}`, `${end.slice(3)}`);
  await t.waitFor(`def add(a, b):${pasteNewline}    return a + b${pasteNewline}`);
  t.keys('# done', '\r');
  assert.deepEqual(await line, { kind: 'line', text: 'def add(a, b):\n    return a + b\n# done' });
  assert.deepEqual(history, ['def add(a, b):\n    return a + b\n# done']);

  const next = reader.read('> ');
  await t.waitFor('> ');
  t.keys('\x1b[A', '\r'); // arrow up: the whole paste again
  assert.deepEqual(await next, { kind: 'line', text: 'def add(a, b):\n    return a + b\n# done' });

  reader.release();
  assert.ok(t.raw().endsWith(disableBracketedPaste), 'turned off when the terminal is released');
});

test('without markers (a terminal that ignores the mode), lines still arrive one by one', async () => {
  const t = fakeTerminal();
  const reader = new LineReader({ input: t.input, output: t.output, history: [] });
  const first = reader.read('> ');
  await t.waitFor('> ');
  t.keys('one\rtwo\r');
  assert.deepEqual(await first, { kind: 'line', text: 'one' });
  assert.deepEqual(await reader.read('> '), { kind: 'line', text: 'two' });
  reader.release();
});
