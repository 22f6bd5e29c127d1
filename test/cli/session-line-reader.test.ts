import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fakeTerminal } from '../support/fake-terminal.ts';
import { LineReader } from '../../src/cli/repl/line-reader.ts';
import { appendInputHistory, inputHistoryPath, loadInputHistory } from '../../src/cli/repl/input-history.ts';

const terminal = fakeTerminal;

test('reads lines with editing and arrow-up history', async () => {
  const t = terminal();
  const history = ['older task'];
  const reader = new LineReader({ input: t.input, output: t.output, history });
  let line = reader.read('> ');
  await t.waitFor('> ');
  t.keys('h', 'e', 'l', 'o', '\x1b[D', 'l', '\r'); // \x1b[D: arrow left
  assert.deepEqual(await line, { kind: 'line', text: 'hello' });
  assert.deepEqual(history, ['hello', 'older task']);
  line = reader.read('> ');
  await t.waitFor('> ');
  t.keys('\x1b[A', '\x1b[A', '\r'); // up, up: the older entry
  assert.deepEqual(await line, { kind: 'line', text: 'older task' });
});

test('lines typed ahead are queued, none is lost', async () => {
  const t = terminal();
  const reader = new LineReader({ input: t.input, output: t.output, history: [] });
  const first = reader.read('> ');
  await t.waitFor('> ');
  t.keys('first line\rsecond line\r', 'thi');
  assert.deepEqual(await first, { kind: 'line', text: 'first line' });
  assert.deepEqual(await reader.read('> '), { kind: 'line', text: 'second line' });
  const third = reader.read('> ');
  t.keys('rd', '\r');
  assert.deepEqual(await third, { kind: 'line', text: 'third' });
  reader.release();
  const afterRelease = reader.read('> ');
  await t.waitFor('> ');
  t.keys('again', '\r');
  assert.deepEqual(await afterRelease, { kind: 'line', text: 'again' });
});

test('Ctrl-C clears typed text, then warns, then exits; Ctrl-D exits', async () => {
  const t = terminal();
  const reader = new LineReader({ input: t.input, output: t.output, history: [], exitHint: 'press Ctrl-C again to exit' });
  const line = reader.read('> ');
  await t.waitFor('> ');
  t.keys('draft');
  t.keys('\x03');
  await t.waitFor('^C');
  t.keys('\x03');
  await t.waitFor('press Ctrl-C again to exit');
  t.keys('\x03');
  assert.deepEqual(await line, { kind: 'exit', reason: 'interrupt' });

  const again = reader.read('> ');
  await t.waitFor('> ');
  t.keys('\x03');
  await t.waitFor('press Ctrl-C again');
  t.keys('x', '\x7f'); // typing disarms the exit
  t.keys('\x03');
  await t.waitFor('press Ctrl-C again');
  t.keys('\x04'); // Ctrl-D at an empty line
  assert.deepEqual(await again, { kind: 'exit', reason: 'eof' });
});

test('input history persists under .assist/, most recent first, without repeats', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'assist-history-'));
  try {
    assert.deepEqual(loadInputHistory(root), []);
    appendInputHistory(root, 'first');
    appendInputHistory(root, 'second line');
    appendInputHistory(root, 'second line');
    appendInputHistory(root, 'pasted\r\ntwo lines\n');
    appendInputHistory(root, '   ');
    assert.equal(await readFile(inputHistoryPath(root), 'utf8'), 'first\nsecond line\npasted\u2424two lines\n', 'one line per input');
    assert.match(await readFile(path.join(root, '.assist', '.gitignore'), 'utf8'), /^\*$/m, '.assist/ stays out of git');
    assert.deepEqual(loadInputHistory(root), ['pasted\ntwo lines', 'second line', 'first']);
    for (let i = 0; i < 10; i++) appendInputHistory(root, `task ${i}`, 3);
    assert.deepEqual(loadInputHistory(root, 3), ['task 9', 'task 8', 'task 7']);
    assert.ok((await readFile(inputHistoryPath(root), 'utf8')).split('\n').length <= 8, 'the file is trimmed');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
