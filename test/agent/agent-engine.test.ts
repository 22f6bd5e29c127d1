/**
 * The loop driven by the real engine (node-llama-cpp) on the generated tiny GGUF with random
 * weights: whatever it generates must be a valid action, tool calls with random args must come
 * back as observations, the turn must end within its bounds, and the log must hold every step.
 */
import { type TestContext, test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionLog } from '../../src/agent/session-log.ts';
import { builtinTools } from '../../tools/index.ts';
import path from 'node:path';
import { EmbeddedModel } from '../../src/model/embedded.ts';
import { banByteTokens, writeTinyGguf } from '../support/tiny-gguf.ts';
import { makeRepo, startSession, testConfig } from './harness.ts';
import type { Approver } from '../../src/agent/events.ts';

/**
 * The real engine on a tiny GGUF written next to `root`, removed after the test. The tiny vocabulary
 * spends ~2 characters a token, so the tool descriptions alone take ~2,600 tokens: the context is
 * 8,192, where a few steps of history fit next to them.
 */
async function tinyEngine(t: TestContext, root: string): Promise<EmbeddedModel> {
  const file = path.join(root, '..', `${path.basename(root)}-tiny-8k.gguf`);
  await writeTinyGguf(file, { contextLength: 8192 });
  t.after(() => import('node:fs/promises').then((fs) => fs.rm(file, { force: true })));
  const model = await EmbeddedModel.load({ path: file, contextSize: 8192, threads: 1, gpu: false, timeoutMs: 120_000, tokenBias: banByteTokens });
  t.after(() => model.dispose());
  return model;
}

for (const actionFormat of ['json', 'text'] as const) {
  test(`the real engine on the tiny GGUF (${actionFormat} actions): every step a valid action, the turn bounded, the log complete`, async (t) => {
    const repo = await makeRepo({ 'calc.py': 'def add(a, b):\n    return a - b\n', 'test_calc.py': 'from calc import add\nassert add(2, 3) == 5\n' });
    t.after(repo.cleanup);
    const model = await tinyEngine(t, repo.root);
    const base = testConfig({ approvalMode: 'suggest', maxSteps: 6, maxAttempts: 3, actionFormat });
    const config = { ...base, model: { ...base.model, maxTokens: 1500, temperature: 1 } };
    const refused: string[] = [];
    const approver: Approver = async (request) => {
      refused.push(request.kind);
      return { answer: 'no', reason: 'the test declines every change and run' };
    };
    const s = await startSession(t, {
      root: repo.root,
      config,
      model,
      approver,
      tools: builtinTools,
      actionSchema: { maxThoughtLength: 60, maxAnswerLength: 80 },
    });
    if (!s) return;
    t.after(() => s.session.dispose());
    const names = new Set([...builtinTools.map((tool) => tool.name), 'answer']);

    for (const task of ['Fix the failing test in calc.py', 'Where is add defined?']) {
      const result = await s.session.agent.runTurn(task);
      // (a random model at temperature 1 may run past maxTokens twice in a row: a bounded end, and the
      // only model_error allowed; the grammar never let through an action the tools reject)
      if (result.status === 'model_error') assert.match(result.text, /cut off after \d+ tokens/, result.text);
      else assert.ok(['answered', 'max_steps', 'max_attempts', 'repeated_failure'].includes(result.status), result.status);
      assert.ok(result.steps >= 1 && result.steps <= 6);
      // (usage counts the steps that completed: a turn whose steps were all cut off has none)
      if (result.status !== 'model_error') assert.ok(result.usage.completionTokens > 0, `${result.status}: ${result.text}`);
    }
    const actions = s.events.filter((e) => e.type === 'action');
    assert.ok(actions.length >= 2);
    for (const e of actions) assert.ok(e.type === 'action' && names.has(e.action.tool), `unknown tool ${JSON.stringify(e)}`);
    const invalid = s.events.filter((e) => e.type === 'invalid_action');
    for (const e of invalid)
      assert.match(e.type === 'invalid_action' ? e.message : '', /cut off/, "apart from a step cut off at maxTokens, the grammar and the tools' schemas agree");
    const observations = s.events.filter((e) => e.type === 'observation');
    const toolActions = actions.filter((e) => e.type === 'action' && e.action.tool !== 'answer');
    assert.equal(observations.length, toolActions.length, 'every tool call came back as an observation');
    assert.equal(await import('node:fs/promises').then((fs) => fs.readFile(`${repo.root}/calc.py`, 'utf8')), 'def add(a, b):\n    return a - b\n');

    const logged = SessionLog.resume(repo.root, s.session.id).read() as Array<{ type: string }>;
    assert.equal(logged.filter((e) => e.type === 'action').length, actions.length);
    assert.equal(logged.filter((e) => e.type === 'observation').length, observations.length);
    assert.equal(logged.filter((e) => e.type === 'result').length, 2);
    assert.equal(logged.filter((e) => e.type === 'approval').length, refused.length);
  });
}

test('a step cancelled while the model writes it: the log keeps what it had written', async (t) => {
  const repo = await makeRepo({ 'calc.py': 'def add(a, b):\n    return a - b\n' });
  t.after(repo.cleanup);
  const model = await tinyEngine(t, repo.root);
  const base = testConfig({ approvalMode: 'suggest', maxSteps: 2, actionFormat: 'text' });
  const config = { ...base, model: { ...base.model, maxTokens: 1500, temperature: 1 } };
  const s = await startSession(t, { root: repo.root, config, model, tools: builtinTools, actionSchema: { maxThoughtLength: 400, maxAnswerLength: 400 } });
  if (!s) return;
  t.after(() => s.session.dispose());
  const controller = new AbortController();
  // cancel once the model has written a few tokens of its first step
  const watch = setInterval(() => {
    if (s.events.filter((e) => e.type === 'token').length >= 5) controller.abort();
  }, 5);
  t.after(() => clearInterval(watch));
  const result = await s.session.agent.runTurn('Where is add defined?', controller.signal);
  assert.equal(result.status, 'aborted');
  const logged = SessionLog.resume(repo.root, s.session.id).read() as Array<{ type: string; message?: string; partial?: string }>;
  const cancelled = logged.find((e) => e.type === 'notice' && /cancelled while the model wrote it/.test(e.message ?? ''));
  assert.ok(cancelled?.partial && cancelled.partial.length > 0, 'the partial step is in the log');
});
