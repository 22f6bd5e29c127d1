import { test } from 'node:test';
import assert from 'node:assert/strict';
import { approvalModes, type ApprovalMode } from '../../src/config/schema.ts';
import { decideApproval, type ApprovalDecision, type ApprovalRequest } from '../../src/workspace/approval.ts';

const requests: Record<string, ApprovalRequest> = {
  edit: { kind: 'edit', changes: [{ path: 'a.ts', before: 'a', after: 'b', diff: '' }] },
  'exec:docker': { kind: 'exec', command: 'npm test', sandbox: 'docker' },
  'exec:bwrap': { kind: 'exec', command: 'npm test', sandbox: 'bwrap' },
  'exec:none': { kind: 'exec', command: 'npm test', sandbox: 'none' },
  'read-secret': { kind: 'read-secret', path: '.env', reason: 'a `.env*` file' },
  mcp: { kind: 'mcp', server: 'demo', tool: 'echo', args: { text: 'hi' }, readOnly: false },
  'mcp:read-only': { kind: 'mcp', server: 'demo', tool: 'lookup', args: { key: 'a' }, readOnly: true },
};

/**
 * The whole policy, one row per mode: suggest asks for everything, auto-edit asks only for runs on
 * the host (an MCP call is one, unless the server marks the tool read-only), full-auto asks for
 * nothing but a secret's reading, which every mode asks.
 */
const table: Record<ApprovalMode, Record<keyof typeof requests, ApprovalDecision>> = {
  suggest: { edit: 'ask', 'exec:docker': 'ask', 'exec:bwrap': 'ask', 'exec:none': 'ask', 'read-secret': 'ask', mcp: 'ask', 'mcp:read-only': 'ask' },
  'auto-edit': { edit: 'auto', 'exec:docker': 'auto', 'exec:bwrap': 'auto', 'exec:none': 'ask', 'read-secret': 'ask', mcp: 'ask', 'mcp:read-only': 'auto' },
  'full-auto': { edit: 'auto', 'exec:docker': 'auto', 'exec:bwrap': 'auto', 'exec:none': 'auto', 'read-secret': 'ask', mcp: 'auto', 'mcp:read-only': 'auto' },
};

test('decideApproval: every mode x request kind x sandbox kind', () => {
  assert.deepEqual(Object.keys(table).sort(), [...approvalModes].sort(), 'the table covers every mode');
  for (const mode of approvalModes) {
    for (const [name, request] of Object.entries(requests)) {
      assert.equal(decideApproval(mode, request), table[mode][name], `${mode} x ${name}`);
    }
  }
});

test('decideApproval does not depend on the content of the request', () => {
  const empty: ApprovalRequest = { kind: 'edit', changes: [] };
  const dangerous: ApprovalRequest = { kind: 'exec', command: 'rm -rf /', sandbox: 'docker' };
  assert.equal(decideApproval('auto-edit', empty), 'auto');
  assert.equal(decideApproval('auto-edit', dangerous), 'auto');
  assert.equal(decideApproval('suggest', empty), 'ask');
});
