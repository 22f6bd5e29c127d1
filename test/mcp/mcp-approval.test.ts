/**
 * How an MCP call is asked: the prompt names the tool, the server and the arguments and says the
 * server runs outside the sandbox; "always" covers that tool; without a person it is refused with
 * a reason the model reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApprovalPrompt } from '../../src/cli/approval-prompt.ts';
import { nonInteractiveAnswer } from '../../src/cli/non-interactive-approver.ts';
import { describeEvent } from '../../src/agent/event-text.ts';
import type { ApprovalRequest } from '../../src/workspace/approval.ts';
import { fakeTerminal } from '../support/fake-terminal.ts';

const call: ApprovalRequest = { kind: 'mcp', server: 'notes', tool: 'search', args: { query: 'deploy steps', limit: 5 }, readOnly: true };

test('the prompt shows the tool, its server, the arguments, and that it runs outside the sandbox; always is offered for that tool', async () => {
  const t = fakeTerminal();
  const approve = createApprovalPrompt({ input: t.input, output: t.output });
  const answer = approve(call, new AbortController().signal);
  await t.waitFor('Call it?');
  const screen = t.screen();
  assert.match(screen, /The model wants to call search of the MCP server notes \(the server marks it read-only\)/);
  assert.match(screen, /"query": "deploy steps",\n\s+"limit": 5/);
  assert.match(screen, /The server runs on this machine, outside the sandbox\./);
  assert.match(screen, /always \(call notes's search without asking for the rest of this session\)/);
  t.keys('a');
  t.keys('\r');
  assert.deepEqual(await answer, { answer: 'always' });
});

test('no asks for the reason the model reads', async () => {
  const t = fakeTerminal();
  const approve = createApprovalPrompt({ input: t.input, output: t.output });
  const answer = approve({ ...call, readOnly: false }, new AbortController().signal);
  await t.waitFor('Call it?');
  assert.doesNotMatch(t.screen(), /read-only/);
  t.keys('n');
  t.keys('\r');
  await t.waitFor('Why not?');
  t.keys('use the docs folder\r');
  assert.deepEqual(await answer, { answer: 'no', reason: 'use the docs folder' });
});

test('assist run and assist ask refuse an MCP call with a reason for the model', () => {
  const run = nonInteractiveAnswer({ command: 'run', allowSandboxedRuns: true }, call);
  assert.equal(run.answer, 'no');
  assert.match(
    (run as { reason: string }).reason,
    /^`assist run` has no person to ask before calling search of the MCP server "notes" .* Do the task without it/,
  );
  const ask = nonInteractiveAnswer({ command: 'ask', allowSandboxedRuns: false }, call);
  assert.match((ask as { reason: string }).reason, /^`assist ask` has no person to ask .* Answer from what you can read\.$/);
});

test('the execution log names the call', () => {
  const line = describeEvent({ type: 'approval', request: call, decision: 'auto', answer: { answer: 'yes' } });
  assert.equal(line, 'approval (auto): call search of the MCP server notes {"query":"deploy steps","limit":5} → yes');
});
