import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fakeTerminal } from '../support/fake-terminal.ts';
import { createApprovalPrompt } from '../../src/cli/approval-prompt.ts';
import type { ApprovalRequest, FileChange } from '../../src/workspace/approval.ts';

const terminal = fakeTerminal;

const change = (p: string, before: string | null, after: string | null): FileChange => ({
  path: p,
  before,
  after,
  diff: `--- a/${p}\n+++ b/${p}\n@@ -1 +1 @@\n-${before ?? ''}\n+${after ?? ''}\n`,
});

test('yes approves a one-file change after showing its diff', async () => {
  const t = terminal();
  const approve = createApprovalPrompt({ input: t.input, output: t.output });
  const answer = approve({ kind: 'edit', changes: [change('a.txt', 'old', 'new')] }, new AbortController().signal);
  await t.waitFor('+new');
  await t.waitFor('Apply this change to a.txt?');
  t.keys('y');
  t.keys('\r');
  assert.deepEqual(await answer, { answer: 'yes' });
  assert.match(t.screen(), /edit a\.txt \(\+1 -1\)/);
});

test('no asks for a reason that goes to the model', async () => {
  const t = terminal();
  const approve = createApprovalPrompt({ input: t.input, output: t.output });
  const answer = approve({ kind: 'edit', changes: [change('a.txt', 'old', 'new')] }, new AbortController().signal);
  await t.waitFor('Apply this change');
  t.keys('n');
  t.keys('\r');
  await t.waitFor('Why not?');
  t.keys('use tabs\r');
  assert.deepEqual(await answer, { answer: 'no', reason: 'use tabs' });
});

test('always, and an exec request shows where it runs', async () => {
  const t = terminal();
  const approve = createApprovalPrompt({ input: t.input, output: t.output });
  const request: ApprovalRequest = { kind: 'exec', command: 'rm -rf build', sandbox: 'none' };
  const answer = approve(request, new AbortController().signal);
  await t.waitFor('directly on this machine (no sandbox)');
  await t.waitFor('Run it?');
  t.keys('a');
  t.keys('\r');
  assert.deepEqual(await answer, { answer: 'always' });
});

test('edit opens the file in $EDITOR and returns the edited text', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'assist-approval-'));
  try {
    const editor = path.join(dir, 'fake-editor.sh');
    await writeFile(editor, '#!/bin/sh\nprintf "edited by hand\\n" >> "$1"\n');
    await chmod(editor, 0o755);
    const t = terminal();
    const approve = createApprovalPrompt({ input: t.input, output: t.output, editor });
    const answer = approve({ kind: 'edit', changes: [change('src/a.txt', 'old', 'new\n')] }, new AbortController().signal);
    await t.waitFor('Apply this change');
    t.keys('e');
    t.keys('\r');
    assert.deepEqual(await answer, { answer: 'edit', edited: { 'src/a.txt': 'new\nedited by hand\n' } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a failing editor leaves the change as proposed and asks again', async () => {
  const t = terminal();
  const approve = createApprovalPrompt({ input: t.input, output: t.output, editor: 'false' });
  const answer = approve({ kind: 'edit', changes: [change('a.txt', 'old', 'new')] }, new AbortController().signal);
  await t.waitFor('Apply this change');
  t.keys('e');
  t.keys('\r');
  await t.waitFor('exited with 1');
  await t.waitFor('Apply this change');
  t.keys('y');
  t.keys('\r');
  assert.deepEqual(await answer, { answer: 'yes' });
});

test('file by file approves a subset of a change set', async () => {
  const t = terminal();
  const approve = createApprovalPrompt({ input: t.input, output: t.output });
  const changes = [change('a.txt', 'a', 'A'), change('b.txt', 'b', 'B'), change('c.txt', null, 'C')];
  const answer = approve({ kind: 'edit', changes }, new AbortController().signal);
  await t.waitFor('Apply these changes to 3 files?');
  t.keys('f');
  t.keys('\r');
  await t.waitFor('Apply the change to a.txt?');
  t.keys('y\r');
  await t.waitFor('Apply the change to b.txt?');
  t.keys('n\r');
  await t.waitFor('Apply the change to c.txt?');
  t.keys('y\r');
  assert.deepEqual(await answer, { answer: 'yes', paths: ['a.txt', 'c.txt'] });
});

test('declining every file asks for a reason', async () => {
  const t = terminal();
  const approve = createApprovalPrompt({ input: t.input, output: t.output });
  const answer = approve({ kind: 'edit', changes: [change('a.txt', 'a', 'A'), change('b.txt', 'b', 'B')] }, new AbortController().signal);
  await t.waitFor('Apply these changes');
  t.keys('f\r');
  await t.waitFor('a.txt?');
  t.keys('n\r');
  await t.waitFor('b.txt?');
  t.keys('n\r');
  await t.waitFor('Why not?');
  t.keys('\r');
  assert.deepEqual(await answer, { answer: 'no', reason: 'The user declined without giving a reason.' });
});

test('Ctrl-C at the prompt cancels the turn and answers no', async () => {
  const t = terminal();
  let interrupted = 0;
  const approve = createApprovalPrompt({ input: t.input, output: t.output, onInterrupt: () => interrupted++ });
  const answer = approve({ kind: 'exec', command: 'make', sandbox: 'docker' }, new AbortController().signal);
  await t.waitFor('Run it?');
  t.keys('\x03');
  assert.deepEqual(await answer, { answer: 'no', reason: 'The user cancelled the turn (Ctrl-C).' });
  assert.equal(interrupted, 1);
});

test('an aborted turn ends the prompt without asking', async () => {
  const t = terminal();
  let interrupted = 0;
  const controller = new AbortController();
  const approve = createApprovalPrompt({ input: t.input, output: t.output, onInterrupt: () => interrupted++ });
  const answer = approve({ kind: 'exec', command: 'make', sandbox: 'docker' }, controller.signal);
  await t.waitFor('Run it?');
  controller.abort();
  assert.equal((await answer).answer, 'no');
  assert.equal(interrupted, 0);
});

test('file by file with an edit: only the accepted files are applied, a declined new file included', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'assist-approval-'));
  try {
    const editor = path.join(dir, 'fake-editor.sh');
    await writeFile(editor, '#!/bin/sh\nprintf "mine\\n" > "$1"\n');
    await chmod(editor, 0o755);
    const t = terminal();
    const approve = createApprovalPrompt({ input: t.input, output: t.output, editor });
    const answer = approve(
      { kind: 'edit', changes: [change('a.txt', 'a', 'A'), change('b.txt', 'b', 'B'), change('new.txt', null, 'N')] },
      new AbortController().signal,
    );
    await t.waitFor('Apply these changes');
    t.keys('f\r');
    await t.waitFor('a.txt?');
    t.keys('e\r');
    await t.waitFor('b.txt?');
    t.keys('n\r');
    await t.waitFor('new.txt?');
    t.keys('n\r');
    assert.deepEqual(await answer, { answer: 'edit', edited: { 'a.txt': 'mine\n' }, paths: ['a.txt'] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a secret read says which file and why it looks like a secret; no is the first choice, and asks for a reason', async () => {
  const t = terminal();
  const approve = createApprovalPrompt({ input: t.input, output: t.output });
  const answer = approve({ kind: 'read-secret', path: '.env', reason: 'a `.env*` file of environment variables' }, new AbortController().signal);
  await t.waitFor('Let the model read .env?');
  assert.match(t.screen(), /The model wants to read \.env/);
  assert.match(t.screen(), /It looks like it holds secrets: a `\.env\*` file of environment variables\./);
  assert.match(t.screen(), /asked in every approval mode/);
  t.keys('\r');
  await t.waitFor('Why not?');
  t.keys('not the keys\r');
  assert.deepEqual(await answer, { answer: 'no', reason: 'not the keys' });
});
