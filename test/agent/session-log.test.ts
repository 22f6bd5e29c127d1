import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SessionLog, SessionLogError, listSessions } from '../../src/agent/session-log.ts';
import { replaySessionLog } from '../../src/agent/transcript.ts';
import { mountSmallDisk } from '../support/small-disk.ts';

async function tempRoot(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'assist-log-'));
}

test('entries are on disk as soon as append returns, one JSON object per line', async () => {
  const root = await tempRoot();
  try {
    const log = SessionLog.create(root);
    assert.equal(log.path, path.join(root, '.assist', 'sessions', `${log.id}.jsonl`));
    log.append({ type: 'user', text: 'hello' });
    const lines = (await fs.readFile(log.path, 'utf8')).trim().split('\n');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]);
    assert.equal(entry.type, 'user');
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT/);
    log.append({ type: 'action', action: { thought: 't', tool: 'answer', args: { text: 'x' } } });
    assert.deepEqual(
      log.read().map((e) => (e as { type: string }).type),
      ['user', 'action'],
    );
    log.close();
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('resume opens the latest session or a named one, and says what exists when the id is unknown', async () => {
  const root = await tempRoot();
  try {
    assert.throws(() => SessionLog.resume(root), SessionLogError);
    const first = SessionLog.create(root);
    first.append({ type: 'user', text: 'one' });
    first.close();
    const second = SessionLog.create(root);
    second.append({ type: 'user', text: 'two' });
    second.close();
    const future = new Date(Date.now() + 60_000);
    await fs.utimes(second.path, future, future);
    assert.equal(SessionLog.resume(root).id, second.id);
    assert.equal(SessionLog.resume(root, first.id).path, first.path);
    assert.deepEqual(
      listSessions(root).map((s) => s.id),
      [second.id, first.id],
    );
    assert.throws(
      () => SessionLog.resume(root, 'nope'),
      (e: Error) => e instanceof SessionLogError && e.message.includes(second.id),
    );
    assert.throws(() => SessionLog.resume(root, '../x'), SessionLogError);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('a torn last line (crash mid-write) does not lose the entries before it', async () => {
  const root = await tempRoot();
  try {
    const log = SessionLog.create(root);
    log.append({ type: 'user', text: 'kept' });
    log.close();
    appendFileSync(log.path, '{"type":"action","act');
    const resumed = SessionLog.resume(root, log.id);
    assert.deepEqual(
      resumed.read().map((e) => (e as { text?: string }).text),
      ['kept'],
    );
    resumed.append({ type: 'user', text: 'after the crash' });
    resumed.close();
    assert.deepEqual(
      resumed.read().map((e) => (e as { text?: string }).text),
      ['kept', 'after the crash'],
      'the next entry is not glued to the torn line',
    );
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('replay rebuilds the history the model saw, applying /add, /drop and /clear in order', () => {
  const action = { thought: 'look', tool: 'read_file', args: { path: 'a.txt' } };
  const replayed = replaySessionLog([
    { type: 'session', id: 'x' },
    { type: 'user', text: 'old' },
    { type: 'clear' },
    { type: 'pin', path: 'a.txt' },
    { type: 'pin', path: 'b.txt' },
    { type: 'unpin', path: 'a.txt' },
    { type: 'user', text: 'new question' },
    { type: 'step', step: 1 },
    { type: 'action', action },
    { type: 'observation', tool: 'read_file', result: { forModel: 'full' }, modelText: 'as seen' },
    { type: 'action', action: { thought: 'done', tool: 'answer', args: { text: 'ok' } } },
    { type: 'result', status: 'answered' },
  ]);
  assert.deepEqual(replayed.pinned, ['b.txt']);
  assert.equal(replayed.turns, 2);
  assert.deepEqual(replayed.history, [
    { kind: 'user', text: 'new question' },
    { kind: 'action', action },
    { kind: 'observation', tool: 'read_file', text: 'as seen' },
    { kind: 'action', action: { thought: 'done', tool: 'answer', args: { text: 'ok' } } },
  ]);
});

test('a project where the log cannot be written still works: the agent warns once and goes on', async () => {
  const { Agent } = await import('../../src/agent/agent.ts');
  const { ScriptedModel } = await import('../../src/model/scripted-model.ts');
  const { openWorkspace } = await import('../../src/workspace/open-workspace.ts');
  const { defaults } = await import('../../src/config/schema.ts');
  const root = await tempRoot();
  try {
    await fs.writeFile(path.join(root, '.assist'), 'a file where the .assist folder should be');
    const log = SessionLog.create(root);
    const events: Array<{ type: string; message?: string }> = [];
    const agent = new Agent({
      root,
      config: defaults,
      model: new ScriptedModel([{ thought: '', tool: 'answer', args: { text: 'fine' } }]),
      tools: [],
      workspace: openWorkspace(root),
      approver: async () => ({ answer: 'no', reason: 'none' }),
      log,
      onEvent: (e) => events.push(e),
    });
    const result = await agent.runTurn('hello');
    assert.equal(result.status, 'answered');
    const notices = events.filter((e) => e.type === 'notice');
    assert.equal(notices.length, 1);
    assert.match(notices[0].message!, /cannot be written/);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('a full disk (real tmpfs): the entry is cut off, never torn; append says so once; a log_gap counts what was lost', async (t) => {
  const disk = mountSmallDisk(t, 256 * 1024);
  if (!disk) return;
  const log = SessionLog.create(disk.dir);
  for (const text of ['one', 'two', 'three']) log.append({ type: 'user', text });
  disk.fill();
  assert.throws(
    () => log.append({ type: 'observation', text: 'x'.repeat(20_000) }),
    (e: unknown) => e instanceof SessionLogError && /^the disk is full \(\d+ bytes needed\); the entries before this one are kept$/.test(e.message),
  );
  assert.ok((await fs.readFile(log.path, 'utf8')).endsWith('\n'), 'no torn line at the end');
  log.append({ type: 'user', text: 'y'.repeat(20_000) });
  log.append({ type: 'user', text: 'z'.repeat(20_000) });
  assert.deepEqual(
    log.read().map((e) => (e as { text?: string }).text),
    ['one', 'two', 'three'],
  );

  disk.free();
  log.append({ type: 'user', text: 'room again' });
  log.close();
  const entries = log.read() as Array<{ type: string; text?: string; lost?: number; reason?: string }>;
  assert.deepEqual(
    entries.map((e) => e.text ?? e.type),
    ['one', 'two', 'three', 'log_gap', 'room again'],
  );
  assert.equal(entries[3].lost, 3);
  assert.match(entries[3].reason!, /the disk is full/);
});

test('a turn on a full disk (real tmpfs) completes; the agent says once that the log cannot be written', async (t) => {
  const disk = mountSmallDisk(t, 256 * 1024);
  if (!disk) return;
  const { Agent } = await import('../../src/agent/agent.ts');
  const { ScriptedModel } = await import('../../src/model/scripted-model.ts');
  const { openWorkspace } = await import('../../src/workspace/open-workspace.ts');
  const { defaults } = await import('../../src/config/schema.ts');
  const root = path.join(disk.dir, 'project');
  await fs.mkdir(root);
  const log = SessionLog.create(root);
  log.append({ type: 'session', id: log.id });
  disk.fill();
  const events: Array<{ type: string; message?: string }> = [];
  const agent = new Agent({
    root,
    config: defaults,
    model: new ScriptedModel([{ thought: 'x'.repeat(5000), tool: 'answer', args: { text: 'fine' } }]),
    tools: [],
    workspace: openWorkspace(root),
    approver: async () => ({ answer: 'no', reason: 'none' }),
    log,
    onEvent: (e) => events.push(e),
  });
  const result = await agent.runTurn('hello '.repeat(2000));
  assert.equal(result.status, 'answered');
  const notices = events.filter((e) => e.type === 'notice');
  assert.equal(notices.length, 1);
  assert.match(notices[0].message!, /cannot be written \(the disk is full \(\d+ bytes needed\); the entries before this one are kept\)/);
  assert.ok((await fs.readFile(log.path, 'utf8')).endsWith('\n'));
  assert.equal((log.read()[0] as { type: string }).type, 'session');
});
