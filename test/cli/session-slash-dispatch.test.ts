import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Agent } from '../../src/agent/agent.ts';
import { defaults, type Config } from '../../src/config/schema.ts';
import { openIndex } from '../../src/index/open-index.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import { runSlashCommand, type HistoryEntry, type SlashContext } from '../../src/cli/repl/slash-dispatch.ts';
import { parseSlashCommand } from '../../src/cli/repl/slash-commands.ts';
import { historyFromLog } from '../../src/cli/repl/session-loop.ts';
import { builtinTools } from '../../tools/index.ts';

/** A real project, workspace, index and agent (with a scripted model), and a `run('/cmd')`. */
async function setup() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'assist-slash-'));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'util.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  await writeFile(path.join(root, 'notes.txt'), 'one\n');
  const config: Config = structuredClone(defaults);
  const model = new ScriptedModel([]);
  const workspace = openWorkspace(root);
  const index = openIndex(root, config);
  await index.update();
  const agent = new Agent({ root, config, model, tools: builtinTools, workspace, index, approver: async () => ({ answer: 'yes' }) });
  const history: HistoryEntry[] = [];
  const ctx: SlashContext = { agent, workspace, index, model, config, sandboxReason: 'no sandbox in this test', indexStatus: () => 'ready (2 files)', history };
  const run = async (line: string) => {
    const parsed = parseSlashCommand(line);
    assert.ok(parsed.ok, line);
    const outcome = await runSlashCommand(parsed.command, ctx);
    return { ...outcome, text: stripVTControlCharacters(outcome.text) };
  };
  return { root, agent, workspace, history, run, cleanup: () => rm(root, { recursive: true, force: true }) };
}

test('/add and /drop pin and unpin files; bad paths get a clear message', async () => {
  const s = await setup();
  try {
    assert.equal((await s.run('/add src/util.ts')).text, 'Pinned src/util.ts.');
    assert.deepEqual(s.agent.pinned(), ['src/util.ts']);
    assert.match((await s.run('/add missing.ts')).text, /^No file missing\.ts in the project\.$/);
    assert.match((await s.run('/add src')).text, /src is not a file/);
    assert.match((await s.run('/add ../outside.txt')).text, /outside|escapes|root/i);
    assert.equal((await s.run('/drop')).text, 'Pinned: src/util.ts');
    assert.equal((await s.run('/drop ./src/util.ts')).text, 'Unpinned src/util.ts.');
    assert.match((await s.run('/drop notes.txt')).text, /notes\.txt is not pinned/);
    assert.deepEqual(s.agent.pinned(), []);
  } finally {
    await s.cleanup();
  }
});

test('/mode, /attempts and /steps change the agent settings', async () => {
  const s = await setup();
  try {
    assert.match((await s.run('/mode')).text, /^Approval mode: suggest/);
    assert.equal((await s.run('/mode full-auto')).text, 'Approval mode: full-auto');
    assert.equal((await s.run('/attempts 2')).text, 'Failed runs allowed per turn: 2');
    assert.equal((await s.run('/steps 7')).text, 'Model steps allowed per turn: 7');
    assert.deepEqual(s.agent.settings(), { approvalMode: 'full-auto', maxAttempts: 2, maxSteps: 7 });
  } finally {
    await s.cleanup();
  }
});

test('/diff shows pending and applied changes; /undo restores the files', async () => {
  const s = await setup();
  try {
    assert.equal((await s.run('/diff')).text, 'No changes in this session.');
    assert.equal((await s.run('/undo')).text, 'Nothing to undo: no change was applied in this session.');
    await s.workspace.apply([await s.workspace.proposeChange('notes.txt', 'one\ntwo\n')]);
    s.workspace.stage([await s.workspace.proposeChange('src/new.ts', 'export {};\n')]);
    const diff = (await s.run('/diff')).text;
    assert.match(diff, /Pending \(not yet on disk\): 1 file\n[\s\S]*\+export \{\};/);
    assert.match(diff, /Changed in this session: 1 file, against the session's start \(1 change set applied\):\n[\s\S]*\+two/);
    assert.equal((await s.run('/undo')).text, 'Restored notes.txt to before the last applied change.');
    assert.equal(await readFile(path.join(s.root, 'notes.txt'), 'utf8'), 'one\n');
  } finally {
    await s.cleanup();
  }
});

test('/map, /model, /history, /clear, /help and /exit', async () => {
  const s = await setup();
  try {
    assert.match((await s.run('/map')).text, /src\/util\.ts[\s\S]*add/);
    const model = (await s.run('/model')).text;
    assert.match(model, /model\s+scripted \(scripted\)\ncontext\s+8,192 tokens/);
    assert.match(model, /sandbox\s+unavailable - no sandbox in this test/);
    assert.equal((await s.run('/history')).text, 'No turns yet in this session.');
    s.history.push({ input: 'fix the bug', status: 'answered', steps: 3, text: 'Fixed it.\nMore.' }, { input: 'second' });
    assert.equal((await s.run('/history')).text, '  1. fix the bug [answered, 3 steps]\n     Fixed it.\n  2. second [no result]');
    assert.equal((await s.run('/clear')).text, 'Conversation cleared.');
    assert.match((await s.run('/help')).text, /^Commands:/);
    assert.deepEqual(await s.run('/exit'), { text: '', exit: true });
  } finally {
    await s.cleanup();
  }
});

test('historyFromLog rebuilds the turns of a resumed session', () => {
  const entries = [
    { type: 'session', id: 'x' },
    { type: 'user', text: 'first' },
    { type: 'action', step: 1 },
    { type: 'result', status: 'answered', text: 'ok', steps: 1, attempts: 0 },
    { type: 'user', text: 'second' },
  ];
  assert.deepEqual(historyFromLog(entries), [{ input: 'first', status: 'answered', steps: 1, text: 'ok' }, { input: 'second' }]);
});
