/**
 * The session around the loop: the log (complete, resumable), context budgets with huge inputs,
 * bad actions as observations, model errors and the step bound — with real tools on a temp repo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import type { Action } from '../../src/model/language-model.ts';
import { SessionLog } from '../../src/agent/session-log.ts';
import { messageOverheadTokens } from '../../src/agent/context.ts';
import { builtinTools } from '../../tools/index.ts';
import { makeRepo, startSession, testConfig } from './harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });
const hello = act('run_in_sandbox', { language: 'python', command: null, code: 'print("hello from the sandbox")\n' }, 'Run it.');

test('the session log holds every step of a turn, and a resumed session continues the conversation', async (t) => {
  const repo = await makeRepo({ 'main.py': 'print("hi")\n' });
  t.after(repo.cleanup);
  const first = new ScriptedModel([hello, act('answer', { text: 'It prints hello.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model: first, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  const result = await s.session.agent.runTurn('What does the sandbox print?');
  assert.equal(result.status, 'answered');
  const id = s.session.id;
  await s.session.dispose();
  await s.session.dispose(); // safe twice

  const entries = SessionLog.resume(repo.root, id).read() as Array<Record<string, any>>;
  const types = entries.map((e) => e.type);
  for (const type of ['session', 'user', 'step', 'context', 'action', 'approval', 'observation', 'attempt', 'result'])
    assert.ok(types.includes(type), `log has ${type}: ${types}`);
  const action = entries.find((e) => e.type === 'action')!;
  assert.equal(action.action.tool, 'run_in_sandbox');
  assert.ok(action.usage.promptTokens > 0 && action.usage.completionTokens > 0);
  assert.equal(typeof action.timings.totalMs, 'number');
  const observation = entries.find((e) => e.type === 'observation')!;
  assert.match(observation.modelText, /hello from the sandbox/);
  assert.equal(entries.find((e) => e.type === 'attempt')!.passed, true);
  assert.ok(entries.every((e) => typeof e.time === 'string'));
  assert.equal(types.filter((t) => t === 'action').length, 2);

  const second = new ScriptedModel([act('answer', { text: 'Yes, hello.' })]);
  const resumed = await startSession(t, { root: repo.root, config: testConfig(), model: second, tools: builtinTools, resumeId: id });
  if (!resumed) return;
  t.after(() => resumed.session.dispose());
  assert.equal(resumed.session.id, id);
  assert.equal(resumed.session.resumedTurns, 1);
  const again = await resumed.session.agent.runTurn('Did it say hello?');
  assert.equal(again.status, 'answered');
  const prompt = second.prompts[0].map((m) => m.content).join('\n');
  assert.match(prompt, /What does the sandbox print\?/);
  assert.match(prompt, /hello from the sandbox/);
  assert.match(prompt, /Did it say hello\?/);
  const all = SessionLog.resume(repo.root, id).read() as Array<Record<string, any>>;
  assert.equal(all.filter((e) => e.type === 'user').length, 2);
});

test('the prompt never exceeds the context, whatever the size of a file or an observation', async (t) => {
  const big = Array.from({ length: 40_000 }, (_, i) => `line ${i}: ${'x'.repeat(30)}`).join('\n');
  const repo = await makeRepo({ 'big.txt': big, 'AGENTS.md': 'Always answer in English.\n' });
  t.after(repo.cleanup);
  const contextSize = 2048;
  const config = testConfig({}, { model: { ...testConfig().model, maxTokens: 256 } });
  const printBig = act('run_in_sandbox', { language: 'python', command: null, code: 'for i in range(20000):\n    print("output line", i)\n' });
  const steps = [
    printBig,
    printBig,
    printBig,
    act('run_in_sandbox', { language: 'python', command: null, code: 'print("x" * 500000)\n' }),
    act('answer', { text: 'done' }),
  ];
  const model = new ScriptedModel(steps, { contextSize });
  const s = await startSession(t, {
    root: repo.root,
    config: { ...config, agent: { ...config.agent, maxAttempts: 10 } },
    model,
    tools: builtinTools,
    needsSandbox: true,
  });
  if (!s) return;
  t.after(() => s.session.dispose());
  s.session.agent.pin('big.txt');
  const result = await s.session.agent.runTurn('Look at big.txt and the output.');
  assert.equal(result.status, 'answered', result.text);
  assert.equal(model.prompts.length, steps.length);
  for (const prompt of model.prompts) {
    const tokens = prompt.reduce((n, m) => n + model.countTokens(m.content) + messageOverheadTokens, 0);
    assert.ok(tokens <= contextSize - 256, `a prompt of ${tokens} tokens was sent to a ${contextSize}-token context`);
    assert.match(prompt[0].content, /Always answer in English/, 'the project instructions stay in');
  }
  const last = model.prompts
    .at(-1)!
    .map((m) => m.content)
    .join('\n');
  assert.match(last, /cut here to fit the context|compacted|omitted to fit/);
  const contexts = s.events.filter((e) => e.type === 'context');
  assert.ok(contexts.every((e) => e.type === 'context' && e.promptTokens <= e.budget));
});

test('bad actions (unknown tool, args that fail the schema) come back as observations, not crashes', async (t) => {
  const repo = await makeRepo({});
  t.after(repo.cleanup);
  const model = new ScriptedModel([
    act('delete_everything', {}),
    act('run_in_sandbox', { language: 'klingon', code: 'x', command: null }),
    act('run_in_sandbox', { code: 'print(1)' }),
    act('answer', { text: 'gave up' }),
  ]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  const result = await s.session.agent.runTurn('Do something.');
  assert.equal(result.status, 'answered');
  assert.match(model.prompts[1].at(-1)!.content, /There is no tool "delete_everything"\. Use one of: .*run_in_sandbox/);
  assert.match(model.prompts[2].at(-1)!.content, /Invalid args for run_in_sandbox: "language" must be equal to one of the allowed values/);
  assert.match(model.prompts[3].at(-1)!.content, /missing "language" \(use null if you do not need it\)/);
  assert.equal(s.events.filter((e) => e.type === 'invalid_action').length, 3);
  assert.equal(result.attempts.length, 0);
});

test('a model failure ends the turn with a clear status; the step bound makes the last step an answer', async (t) => {
  const repo = await makeRepo({});
  t.after(repo.cleanup);
  const model = new ScriptedModel([hello, hello, hello, act('answer', { text: 'Summary: ran it twice.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ maxSteps: 3 }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  const bounded = await s.session.agent.runTurn('Run it until told to stop.');
  assert.equal(bounded.status, 'max_steps');
  assert.equal(bounded.steps, 3);
  assert.match(bounded.text, /Stopped at the step limit \(3\)/);
  assert.match(model.prompts[2].at(-1)!.content, /This is your last step/);
  assert.doesNotMatch(model.prompts[1].at(-1)!.content, /This is your last step/);

  s.session.agent.setMaxSteps(5);
  const answered = await s.session.agent.runTurn('Summarise.');
  assert.equal(answered.status, 'answered');
  const failed = await s.session.agent.runTurn('And again?');
  assert.equal(failed.status, 'model_error');
  assert.match(failed.text, /ran out of steps/);
  assert.deepEqual(s.session.agent.settings(), { approvalMode: 'auto-edit', maxAttempts: 5, maxSteps: 5 });
});

test('a read-only session offers only read-only tools and no sandbox', async (t) => {
  const repo = await makeRepo({ 'a.py': 'def f():\n    return 1\n' });
  t.after(repo.cleanup);
  const model = new ScriptedModel([hello, act('answer', { text: 'a.py:1 defines f.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, readOnly: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  assert.equal(s.session.sandbox, undefined);
  const result = await s.session.agent.runTurn('Where is f?');
  assert.equal(result.status, 'answered');
  assert.match(model.prompts[1].at(-1)!.content, /There is no tool "run_in_sandbox"/);
  assert.match(model.prompts[0][0].content, /cite every claim about the code as path:line/i);
  assert.doesNotMatch(model.prompts[0][0].content, /- run_in_sandbox:/);
});

test('the prompt prefix (system, tools, instructions, repo map) stays the same from turn to turn, so the KV cache is reused', async (t) => {
  const repo = await makeRepo({
    'shop/cart.py': 'class Cart:\n    def total(self):\n        return sum(i.price for i in self.items)\n',
    'shop/tax.py': 'def vat(amount):\n    return amount * 0.2\n',
    'AGENTS.md': 'Use type hints.\n',
  });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('answer', { text: 'one' }), act('answer', { text: 'two' }), act('answer', { text: 'three' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools, readOnly: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('How is Cart.total computed?');
  await s.session.agent.runTurn('And where is vat?');
  const [first, second] = model.prompts;
  assert.match(first[0].content, /Repository map[^]*shop\/tax\.py/);
  assert.doesNotMatch(first[0].content, /shop\/cart\.py/, 'the intake showed cart.py whole: the map leaves it out');
  assert.match(first[0].content, /Use type hints/);
  assert.equal(second[0].content, first[0].content, 'the system message is byte-identical');
  assert.deepEqual(second.slice(1, first.length), first.slice(1), 'the earlier turn is repeated as it was sent');
  s.session.agent.pin('shop/tax.py');
  await s.session.agent.runTurn('Check tax.');
  const third = model.prompts[2];
  assert.match(third[0].content, /Pinned file shop\/tax\.py \(line-numbered\):\n1\tdef vat/);
  assert.ok(third[0].content.startsWith(first[0].content.split('Repository map')[0]), 'system, tools and instructions still lead');
});
