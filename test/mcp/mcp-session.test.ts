/**
 * MCP servers in a real session: the real test server process (the SDK's Server over stdio),
 * started by `openSession` from `mcpServers`, driven by a scripted model through the real agent
 * loop, approval gate and tools. A server that fails, dies or hangs costs one clear error and the
 * turn goes on; nothing is left running after `dispose()`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openSession, type Session } from '../../src/agent/open-session.ts';
import type { AgentEvent, Approver } from '../../src/agent/events.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import type { McpServerSettings } from '../../src/config/mcp-servers.ts';
import type { Action, LanguageModel } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import { mcpListing } from '../../src/cli/repl/mcp-listing.ts';
import { parseSlashCommand } from '../../src/cli/repl/slash-commands.ts';
import { nonInteractiveApprover } from '../../src/cli/non-interactive-approver.ts';
import { defaults } from '../../src/config/schema.ts';
import { makeRepo, scriptedApprover, testConfig } from '../agent/harness.ts';
import { groupAlive, plain, processGroupOf, testServer } from './support.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });
const answer = act('answer', { text: 'Done.' });

function mcpConfig(servers: Record<string, McpServerSettings>, agent: Partial<Config['agent']> = {}): Config {
  return { ...testConfig(agent), sandbox: { ...defaults.sandbox, backend: 'none' }, index: { ...defaults.index, enabled: false }, mcpServers: servers };
}

interface Opened {
  session: Session;
  events: AgentEvent[];
  /** Disposes the session and checks that no server process is left. */
  close(): Promise<void>;
}

async function open(t: { after(fn: () => unknown): void }, config: Config, model: LanguageModel, approver: Approver = scriptedApprover([])): Promise<Opened> {
  const repo = await makeRepo({ 'README.md': '# demo\n' });
  t.after(repo.cleanup);
  const events: AgentEvent[] = [];
  const session = await openSession({ root: repo.root, config, model, approver, onEvent: (e) => events.push(e) });
  const pids = (session.mcp?.servers ?? []).map((s) => s.pid).filter((p): p is number => p !== undefined);
  const close = async () => {
    await session.dispose();
    for (const pid of pids) assert.equal(groupAlive(pid), false, `the server process group ${pid} is gone after dispose`);
  };
  t.after(close);
  return { session, events, close };
}

function observations(events: AgentEvent[]): Array<Extract<AgentEvent, { type: 'observation' }>> {
  return events.filter((e): e is Extract<AgentEvent, { type: 'observation' }> => e.type === 'observation');
}

function notices(events: AgentEvent[]): string[] {
  return events.filter((e): e is Extract<AgentEvent, { type: 'notice' }> => e.type === 'notice').map((e) => `${e.level}: ${e.message}`);
}

test('the servers tools join the session: described to the model, offered in the action schema, called after approval', async (t) => {
  const model = new ScriptedModel([act('demo__echo', { text: 'hi', times: null }), answer]);
  const approver = scriptedApprover([{ answer: 'yes' }]);
  const { session, events, close } = await open(t, mcpConfig({ demo: testServer() }), model, approver);

  assert.deepEqual(notices(events), [
    'warn: The MCP tool "tree" of "demo" is left out: argument "node.children[]" is recursive ($ref #/$defs/node), which the action grammar cannot express.',
    'info: MCP: 6 tools from 1 server joined (demo: 6); /mcp lists them.',
  ]);
  const system = session.agent.messages()[0].content;
  assert.match(
    system,
    /- demo__echo: Echo a text back, optionally repeated\. \(MCP server "demo"\) Args: text \(string: What to echo\), times \(integer or null: How many times \(at least 1, at most 3\)\)\./,
  );
  assert.match(system, /- demo__lookup: Look a key up in the table\./);
  assert.doesNotMatch(system, /demo__tree/);
  assert.ok(system.indexOf('demo__echo') > system.indexOf('- read_file:'), 'MCP tools come after the built-in ones');

  const result = await session.agent.runTurn('Echo hi with the demo server.');
  assert.equal(result.status, 'answered');
  const offered = JSON.stringify(model.schemas[0]);
  assert.ok(offered.includes('"const":"demo__echo"') && offered.includes('"const":"demo__lookup"'), 'offered in the action schema');
  assert.ok(!offered.includes('demo__tree'));
  assert.deepEqual(
    approver.asked,
    [{ kind: 'mcp', server: 'demo', tool: 'echo', args: { text: 'hi' }, readOnly: false }],
    'asked once, with the null of the optional argument dropped',
  );
  const [echo] = observations(events);
  assert.equal(echo.result.error, undefined);
  assert.equal(echo.result.forModel, 'hi\nreceived {"text":"hi"}', 'the server received no null');
  assert.match(
    plain(mcpListing(session.mcp)),
    /^demo running .*mcp-test-server\.mjs\n {2}demo__echo +run +Echo a text back, optionally repeated\.\n {2}demo__lookup +read +Look a key up in the table\./,
  );
  assert.match(plain(mcpListing(session.mcp)), /tree: left out, argument "node.children\[\]" is recursive/);
  assert.deepEqual(parseSlashCommand('/mcp'), { ok: true, command: { name: 'mcp' } });
  await close();
});

test('approval: a read-only tool goes ahead in auto-edit as reads do, any other call is asked; "no" reaches the model', async (t) => {
  const model = new ScriptedModel([act('demo__lookup', { key: 'alpha' }), act('demo__echo', { text: 'x', times: 2 }), answer]);
  const approver = scriptedApprover([{ answer: 'no', reason: 'not now' }]);
  const { session, events } = await open(t, mcpConfig({ demo: testServer() }, { approvalMode: 'auto-edit' }), model, approver);
  const result = await session.agent.runTurn('Look alpha up, then echo.');
  assert.equal(result.status, 'answered');
  assert.deepEqual(
    approver.asked.map((r) => r.kind === 'mcp' && r.tool),
    ['echo'],
    'only the call that is not read-only was asked',
  );
  const [lookup, echo] = observations(events);
  assert.equal(lookup.result.forModel, 'alpha = 1');
  assert.equal(echo.result.error?.code, 'rejected');
  assert.match(echo.result.forModel, /the user declined this call: not now/);
});

test('a non-interactive run refuses an MCP call with a reason for the model, and the turn goes on', async (t) => {
  const model = new ScriptedModel([act('demo__echo', { text: 'x', times: null }), answer]);
  const approver = nonInteractiveApprover({ command: 'run', allowSandboxedRuns: true });
  const { session, events } = await open(t, mcpConfig({ demo: testServer() }, { approvalMode: 'suggest' }), model, approver);
  const result = await session.agent.runTurn('Echo x.');
  assert.equal(result.status, 'answered');
  const [echo] = observations(events);
  assert.equal(echo.result.error?.code, 'rejected');
  assert.match(
    echo.result.forModel,
    /`assist run` has no person to ask before calling echo of the MCP server "demo" \(it runs on this machine, outside the sandbox\), so it was not called/,
  );
});

test('a result marked isError is a tool error with the server text, and the server goes on', async (t) => {
  const model = new ScriptedModel([act('demo__fail', {}), act('demo__echo', { text: 'still here', times: null }), answer]);
  const { session, events } = await open(t, mcpConfig({ demo: testServer() }, { approvalMode: 'full-auto' }), model);
  await session.agent.runTurn('Try the failing tool.');
  const [fail, echo] = observations(events);
  assert.equal(fail.result.error?.code, 'failed');
  assert.equal(fail.result.error?.message, 'demo__fail reported an error: the lookup table is locked');
  assert.match(echo.result.forModel, /^still here/);
  assert.equal(session.mcp?.servers[0].status.state, 'running');
});

test('a killed server costs one clear error naming it; later calls fail at once with the same message; the turn goes on', async (t) => {
  const model = new ScriptedModel([act('demo__echo', { text: 'a', times: null }), act('demo__lookup', { key: 'beta' }), answer]);
  const { session, events } = await open(t, mcpConfig({ demo: testServer() }, { approvalMode: 'full-auto' }), model);
  const pid = session.mcp!.servers[0].pid!;
  process.kill(pid, 'SIGKILL');
  const result = await session.agent.runTurn('Echo a, then look beta up.');
  assert.equal(result.status, 'answered', 'the session goes on');
  const [echo, lookup] = observations(events);
  assert.equal(echo.result.error?.code, 'unavailable');
  assert.equal(
    echo.result.error?.message,
    'The MCP server "demo" is unavailable: it was killed (SIGKILL). Its tools cannot be used in this session; do the task without them, or tell the user.',
  );
  assert.deepEqual(lookup.result.error, echo.result.error, 'the same message, without calling the dead server');
  assert.match(plain(mcpListing(session.mcp)), /^demo failed: it was killed \(SIGKILL\)/);
});

test('a tool that hangs costs one timeout error; the server is stopped, later calls fail at once, the turn goes on', async (t) => {
  const model = new ScriptedModel([act('demo__hang', {}), act('demo__echo', { text: 'a', times: null }), answer]);
  const { session, events } = await open(t, mcpConfig({ demo: testServer({ timeoutMs: 1500 }) }, { approvalMode: 'full-auto' }), model);
  const pid = session.mcp!.servers[0].pid!;
  const result = await session.agent.runTurn('Call hang.');
  assert.equal(result.status, 'answered');
  const [hang, echo] = observations(events);
  assert.equal(hang.result.error?.code, 'unavailable');
  assert.equal(
    hang.result.error?.message,
    'The MCP server "demo" is unavailable: it did not answer a call to hang within 1.5 s, so it was stopped. Its tools cannot be used in this session; do the task without them, or tell the user.',
  );
  assert.deepEqual(echo.result.error, hang.result.error);
  await session.mcp!.servers[0].stop();
  assert.equal(groupAlive(pid), false, 'the hung server was stopped');
});

test('a server that cannot start is one warning; the session opens without its tools', async (t) => {
  const model = new ScriptedModel([act('broken__echo', { text: 'a' }), answer]);
  const config = mcpConfig({
    broken: testServer({ env: { MCP_TEST_EXIT_AT_START: '1' } }),
    missing: { command: 'assist-no-such-mcp-server' },
    mute: { command: 'sleep', args: ['600'], timeoutMs: 1000 },
    demo: testServer({ disabled: true }),
  });
  const { session, events } = await open(t, config, model);
  assert.deepEqual(notices(events), [
    'warn: The MCP server "broken" is not available: it exited with code 2 (its last error output: mcp-test-server: cannot open the lookup table (MCP_TEST_EXIT_AT_START)). Its tools are left out (/mcp shows the servers).',
    'warn: The MCP server "missing" is not available: it could not start: the command "assist-no-such-mcp-server" was not found (is it installed and on PATH?). Its tools are left out (/mcp shows the servers).',
    'warn: The MCP server "mute" is not available: it could not start: no complete answer (initialize, then its tool list) within 1 s. Its tools are left out (/mcp shows the servers).',
  ]);
  assert.equal(session.mcp!.tools.length, 0);
  const result = await session.agent.runTurn('Echo a.');
  assert.equal(result.status, 'answered');
  assert.match(observations(events)[0].result.forModel, /There is no tool "broken__echo"/);
  const listing = plain(mcpListing(session.mcp));
  assert.match(listing, /^broken failed: it exited with code 2/m);
  assert.match(listing, /^missing failed: it could not start/m);
  assert.match(listing, /^mute failed: it could not start: no complete answer/m);
  assert.match(listing, /^demo disabled/m);
});

test('servers run in a process group of their own (the terminal Ctrl-C that cancels a turn never reaches them)', async (t) => {
  const { session } = await open(t, mcpConfig({ demo: testServer() }), new ScriptedModel([]));
  const pid = session.mcp!.servers[0].pid!;
  assert.equal(processGroupOf(pid), pid);
  assert.notEqual(processGroupOf(pid), processGroupOf(process.pid));
});

test("a project's mcpServers starts nothing; nor does a read-only session (assist ask, which could call none)", async (t) => {
  const repo = await makeRepo({ 'README.md': '# x\n' });
  t.after(repo.cleanup);
  writeFileSync(path.join(repo.root, '.assistrc.json'), JSON.stringify({ mcpServers: { demo: testServer() } }));
  const loaded = loadConfig({ root: repo.root, userConfigPath: path.join(repo.root, 'no-user-config.json') });
  assert.deepEqual(
    loaded.ignored.map((i) => i.key),
    ['mcpServers'],
  );
  const fromProject = await openSession({ root: repo.root, config: loaded.config, model: new ScriptedModel([]), approver: scriptedApprover([]) });
  t.after(() => fromProject.dispose());
  assert.equal(fromProject.mcp, undefined);
  assert.doesNotMatch(fromProject.agent.messages()[0].content, /demo__/);

  const readOnly = await openSession({
    root: repo.root,
    config: mcpConfig({ demo: testServer() }),
    model: new ScriptedModel([]),
    approver: scriptedApprover([]),
    readOnly: true,
  });
  t.after(() => readOnly.dispose());
  assert.equal(readOnly.mcp, undefined);
  assert.doesNotMatch(readOnly.agent.messages()[0].content, /demo__/);
});
