/**
 * The MCP client against the real test server, without a session: what a crash in the middle of a
 * call, a cancelled call, and non-text content become; and that a signal to assist ends the
 * servers through the sandbox's exit cleanup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaults } from '../../src/config/schema.ts';
import type { ApprovalRequest } from '../../src/workspace/approval.ts';
import { McpServers } from '../../src/mcp/mcp-servers.ts';
import type { Tool, ToolContext } from '../../tools/tool.ts';
import { groupAlive, testServer } from './support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function context(signal = new AbortController().signal, asked: ApprovalRequest[] = []): ToolContext {
  return {
    root: here,
    config: defaults,
    workspace: undefined as never,
    signal,
    approve: async (request) => {
      asked.push(request);
      return { answer: 'yes' };
    },
  };
}

async function started(t: { after(fn: () => unknown): void }, timeoutMs?: number): Promise<{ hub: McpServers; tool: (name: string) => Tool<any> }> {
  const hub = await McpServers.start({ demo: testServer(timeoutMs ? { timeoutMs } : {}) }, { cwd: here, reservedNames: ['answer'] });
  const pid = hub.servers[0].pid!;
  t.after(async () => {
    await hub.dispose();
    assert.equal(groupAlive(pid), false, 'nothing left after dispose');
  });
  return { hub, tool: (name) => hub.tools.find((x) => x.name === `demo__${name}`)! };
}

test('a server that exits in the middle of a call: that call and every later one are unavailable, with its last error output', async (t) => {
  const { hub, tool } = await started(t);
  const crash = await tool('crash').execute({}, context());
  assert.equal(crash.error?.code, 'unavailable');
  assert.equal(
    crash.error?.message,
    'The MCP server "demo" is unavailable: it exited with code 3 (its last error output: mcp-test-server: crash requested). Its tools cannot be used in this session; do the task without them, or tell the user.',
  );
  const asked: ApprovalRequest[] = [];
  const echo = await tool('echo').execute({ text: 'a', times: null }, context(undefined, asked));
  assert.deepEqual(echo.error, crash.error);
  assert.deepEqual(asked, [], 'a dead server is not even asked for');
  assert.equal(hub.report()[0].status.state, 'failed');
});

test('a cancelled call (Ctrl-C) ends the call, not the server', async (t) => {
  const { hub, tool } = await started(t);
  const controller = new AbortController();
  const ctx: ToolContext = { ...context(controller.signal), approve: async () => (setImmediate(() => controller.abort()), { answer: 'yes' }) };
  const hang = await tool('hang').execute({}, ctx);
  assert.equal(hang.error?.code, 'aborted');
  assert.equal(hub.servers[0].status.state, 'running');
  const echo = await tool('echo').execute({ text: 'after', times: null }, context());
  assert.match(echo.forModel, /^after/);
});

test('non-text content becomes a note the model can read; the person sees one line', async (t) => {
  const { tool } = await started(t);
  const result = await tool('snapshot').execute({}, context());
  assert.equal(result.error, undefined);
  assert.equal(result.forModel, '[image (image/png, 3 KB) not shown: only text reaches the model]\na blank picture');
  assert.match(result.forUser!, /^\[image .* \(2 lines, \d+ characters\)$/);
});

test('SIGTERM to assist stops its MCP servers through the sandbox exit cleanup', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'exit-cleanup-child.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', () => reject(new Error('the child exited before starting the server')));
  });
  assert.ok(groupAlive(pid));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 143);
  assert.equal(groupAlive(pid), false);
});
