/**
 * A reference server from npm, as a user would configure it: @modelcontextprotocol/server-filesystem
 * (the SDK's zod schemas, read-only hints, optional arguments) in a real session with a scripted
 * model. All its tools join; reads go ahead in auto-edit, a write is asked and lands on disk;
 * optional arguments the model leaves null reach the server as absent (it rejects null).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openSession } from '../../src/agent/open-session.ts';
import type { AgentEvent } from '../../src/agent/events.ts';
import { defaults, type Config } from '../../src/config/schema.ts';
import type { Action } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import { makeRepo, scriptedApprover, testConfig } from '../agent/harness.ts';
import { filesystemServer, groupAlive } from './support.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: '', tool, args });

test('the filesystem reference server: every tool joins, reads go ahead, a write is asked and lands', async (t) => {
  const repo = await makeRepo({ 'notes/todo.txt': 'one\ntwo\nthree\n' });
  t.after(repo.cleanup);
  const config: Config = {
    ...testConfig({ approvalMode: 'auto-edit' }),
    sandbox: { ...defaults.sandbox, backend: 'none' },
    index: { ...defaults.index, enabled: false },
    mcpServers: { fs: filesystemServer(repo.root) },
  };
  const model = new ScriptedModel([
    act('fs__list_directory', { path: path.join(repo.root, 'notes') }),
    act('fs__read_text_file', { path: path.join(repo.root, 'notes/todo.txt'), head: null, tail: null }),
    act('fs__write_file', { path: path.join(repo.root, 'notes/done.txt'), content: 'four\n' }),
    act('answer', { text: 'Done.' }),
  ]);
  const approver = scriptedApprover([{ answer: 'yes' }]);
  const events: AgentEvent[] = [];
  const session = await openSession({ root: repo.root, config, model, approver, onEvent: (e) => events.push(e) });
  const pid = session.mcp!.servers[0].pid!;
  t.after(() => session.dispose());

  const report = session.mcp!.report()[0];
  assert.equal(report.status.state, 'running');
  assert.deepEqual(report.leftOut, []);
  assert.ok(report.tools.length >= 10, `all its tools joined: ${report.tools.map((x) => x.name)}`);
  assert.equal(report.tools.find((x) => x.name === 'fs__read_text_file')?.effect, 'read');
  assert.equal(report.tools.find((x) => x.name === 'fs__write_file')?.effect, 'run');

  const result = await session.agent.runTurn('List the notes, read the todo, write done.txt.');
  assert.equal(result.status, 'answered');
  const seen = events.filter((e): e is Extract<AgentEvent, { type: 'observation' }> => e.type === 'observation');
  assert.match(seen[0].result.forModel, /\[FILE\] todo\.txt/);
  assert.equal(seen[1].result.error, undefined, seen[1].result.forModel);
  assert.equal(seen[1].result.forModel, 'one\ntwo\nthree\n');
  assert.equal(seen[2].result.error, undefined, seen[2].result.forModel);
  assert.deepEqual(
    approver.asked.map((r) => r.kind === 'mcp' && r.tool),
    ['write_file'],
    'only the write was asked (the reads are marked read-only)',
  );
  assert.equal(readFileSync(path.join(repo.root, 'notes/done.txt'), 'utf8'), 'four\n');

  await session.dispose();
  assert.equal(groupAlive(pid), false);
});
