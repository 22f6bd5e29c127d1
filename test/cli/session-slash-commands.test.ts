import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helpText, isSlashLine, parseSlashCommand, slashCommands } from '../../src/cli/repl/slash-commands.ts';
import { PromptInterrupts } from '../../src/cli/repl/interrupt.ts';

test('slash lines are told apart from tasks', () => {
  assert.equal(isSlashLine('/help'), true);
  assert.equal(isSlashLine('  /diff '), true);
  assert.equal(isSlashLine('fix /usr/bin path handling'), false);
  assert.equal(isSlashLine('/ 2'), false);
  assert.equal(isSlashLine('/'), false);
});

test('every command parses, with its arguments', () => {
  const ok = (line: string) => {
    const parsed = parseSlashCommand(line);
    assert.ok(parsed.ok, `${line}: ${parsed.ok ? '' : parsed.message}`);
    return parsed.command;
  };
  assert.deepEqual(ok('/help'), { name: 'help' });
  assert.deepEqual(ok('/add src/a.ts  b.ts'), { name: 'add', paths: ['src/a.ts', 'b.ts'] });
  assert.deepEqual(ok('/drop a.ts'), { name: 'drop', paths: ['a.ts'] });
  assert.deepEqual(ok('/drop'), { name: 'drop', paths: [] });
  assert.deepEqual(ok('/map'), { name: 'map' });
  assert.deepEqual(ok('/diff'), { name: 'diff' });
  assert.deepEqual(ok('/undo'), { name: 'undo' });
  assert.deepEqual(ok('/model'), { name: 'model' });
  assert.deepEqual(ok('/mode auto-edit'), { name: 'mode', mode: 'auto-edit' });
  assert.deepEqual(ok('/mode'), { name: 'mode', mode: null });
  assert.deepEqual(ok('/attempts 3'), { name: 'attempts', count: 3 });
  assert.deepEqual(ok('/attempts'), { name: 'attempts', count: null });
  assert.deepEqual(ok('/steps 12'), { name: 'steps', count: 12 });
  assert.deepEqual(ok('/clear'), { name: 'clear' });
  assert.deepEqual(ok('/history'), { name: 'history' });
  assert.deepEqual(ok('/exit'), { name: 'exit' });
  assert.deepEqual(ok('/quit'), { name: 'exit' });
  assert.deepEqual(ok('/EXIT'), { name: 'exit' });
});

test('bad input gets a hint, not an exception', () => {
  const message = (line: string) => {
    const parsed = parseSlashCommand(line);
    assert.equal(parsed.ok, false, line);
    return parsed.ok ? '' : parsed.message;
  };
  assert.match(message('/hlep'), /Unknown command \/hlep\. Did you mean \/help\?.*\/help/);
  assert.match(message('/frobnicate'), /^Unknown command \/frobnicate\. Type \/help for the list\.$/);
  assert.match(message('/add'), /Which file\? Usage: \/add FILE/);
  assert.match(message('/mode yolo'), /Unknown mode "yolo"\. Usage: \/mode suggest\|auto-edit\|full-auto/);
  assert.match(message('/attempts 0'), /not a whole number from 1 to 100/);
  assert.match(message('/steps 100000'), /"100000" is not a whole number from 1 to 1000/);
  assert.match(message('/attempts two'), /not a whole number/);
  assert.match(message('/steps 1.5'), /not a whole number/);
  assert.match(message('/diff please'), /\/diff takes no arguments/);
});

test('/help lists every command', () => {
  const text = helpText();
  for (const spec of Object.values(slashCommands)) assert.ok(text.includes(spec.usage), spec.usage);
});

test('Ctrl-C at the prompt: clears typed text, warns once at an empty prompt, exits on the second', () => {
  const i = new PromptInterrupts();
  assert.equal(i.press('half typed'), 'clear-line');
  assert.equal(i.press(''), 'warn');
  assert.equal(i.press(''), 'exit');
  const j = new PromptInterrupts();
  assert.equal(j.press(''), 'warn');
  j.reset();
  assert.equal(j.press(''), 'warn', 'typing in between disarms the exit');
  assert.equal(j.press('x'), 'clear-line');
  assert.equal(j.press(''), 'warn');
});
