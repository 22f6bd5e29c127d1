import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApprovalGate } from '../../src/agent/approval-gate.ts';
import type { AgentEvent } from '../../src/agent/events.ts';
import type { ApprovalAnswer, ApprovalRequest } from '../../src/workspace/approval.ts';

const edit: ApprovalRequest = { kind: 'edit', changes: [{ path: 'a.ts', before: 'a', after: 'b', diff: '-a\n+b' }] };
const sandboxed: ApprovalRequest = { kind: 'exec', command: 'npm test', sandbox: 'docker' };
const host: ApprovalRequest = { kind: 'exec', command: 'npm test', sandbox: 'none' };

function gate(mode: 'suggest' | 'auto-edit' | 'full-auto', answers: ApprovalAnswer[]) {
  const asked: ApprovalRequest[] = [];
  const events: AgentEvent[] = [];
  const g = new ApprovalGate(
    mode,
    async (request) => {
      asked.push(request);
      return answers.shift() ?? { answer: 'no', reason: 'script ran out' };
    },
    (e) => events.push(e),
  );
  return { g, asked, events };
}

test('auto decisions never reach the person; asked ones do; every outcome is an event', async () => {
  const signal = new AbortController().signal;
  const { g, asked, events } = gate('auto-edit', [{ answer: 'no', reason: 'not on my machine' }]);
  assert.deepEqual(await g.approve(edit, signal), { answer: 'yes' });
  assert.deepEqual(await g.approve(sandboxed, signal), { answer: 'yes' });
  assert.deepEqual(await g.approve(host, signal), { answer: 'no', reason: 'not on my machine' });
  assert.deepEqual(asked, [host]);
  assert.deepEqual(
    events.map((e) => e.type === 'approval' && e.decision),
    ['auto', 'auto', 'ask'],
  );
});

test('"always" is remembered for the session (per kind) and forgotten when the mode changes', async () => {
  const signal = new AbortController().signal;
  const { g, asked } = gate('suggest', [{ answer: 'always' }, { answer: 'yes' }, { answer: 'yes' }]);
  assert.equal((await g.approve(edit, signal)).answer, 'always');
  assert.equal((await g.approve(edit, signal)).answer, 'yes');
  assert.equal(asked.length, 1, 'the second edit was not asked');
  await g.approve(sandboxed, signal);
  assert.equal(asked.length, 2, 'a run is a different kind: still asked');
  g.mode = 'suggest';
  g.reset();
  await g.approve(edit, signal);
  assert.equal(asked.length, 3);
});

test('a cancelled turn answers a pending question with no, and a throwing approver is a no, not a crash', async () => {
  const controller = new AbortController();
  const pending = new ApprovalGate(
    'suggest',
    (_r, s) => new Promise((resolve) => s.addEventListener('abort', () => resolve({ answer: 'yes' }), { once: true })),
    () => {},
  );
  const answer = pending.approve(edit, controller.signal);
  controller.abort();
  assert.equal((await answer).answer, 'no');
  const broken = new ApprovalGate(
    'suggest',
    async () => {
      throw new Error('no tty');
    },
    () => {},
  );
  const result = await broken.approve(edit, new AbortController().signal);
  assert.equal(result.answer, 'no');
  assert.match((result as { reason: string }).reason, /no tty/);
});

test('a secret read is asked even in full-auto; "always" covers that one file only', async () => {
  const signal = new AbortController().signal;
  const env: ApprovalRequest = { kind: 'read-secret', path: '.env', reason: 'a `.env*` file' };
  const key: ApprovalRequest = { kind: 'read-secret', path: 'certs/server.pem', reason: 'a key' };
  const { g, asked, events } = gate('full-auto', [{ answer: 'always' }, { answer: 'no', reason: 'not the keys' }]);
  assert.deepEqual(await g.approve(edit, signal), { answer: 'yes' });
  assert.equal((await g.approve(env, signal)).answer, 'always');
  assert.equal((await g.approve(env, signal)).answer, 'yes');
  assert.deepEqual(await g.approve(key, signal), { answer: 'no', reason: 'not the keys' });
  assert.deepEqual(asked, [env, key]);
  assert.deepEqual(
    events.map((e) => e.type === 'approval' && e.decision),
    ['auto', 'ask', 'auto', 'ask'],
  );
});

test('"always" for an MCP tool covers that tool of that server only', async () => {
  const signal = new AbortController().signal;
  const echo: ApprovalRequest = { kind: 'mcp', server: 'demo', tool: 'echo', args: { text: 'a' }, readOnly: false };
  const otherArgs: ApprovalRequest = { ...echo, args: { text: 'b' } };
  const fail: ApprovalRequest = { kind: 'mcp', server: 'demo', tool: 'fail', args: {}, readOnly: false };
  const sameNameElsewhere: ApprovalRequest = { ...echo, server: 'other' };
  const { g, asked } = gate('auto-edit', [{ answer: 'always' }, { answer: 'no', reason: 'not that one' }, { answer: 'yes' }]);
  assert.equal((await g.approve(echo, signal)).answer, 'always');
  assert.equal((await g.approve(otherArgs, signal)).answer, 'yes');
  assert.equal((await g.approve(fail, signal)).answer, 'no');
  assert.equal((await g.approve(sameNameElsewhere, signal)).answer, 'yes');
  assert.deepEqual(asked, [echo, fail, sameNameElsewhere]);
});
