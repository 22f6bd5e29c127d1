/**
 * `Agent.answerOnce`: one answer outside the conversation (the drafted commit message). The model
 * reads the conversation so far with the request last, may only answer, and nothing is added to
 * the history. On the real engine (tiny GGUF, both action formats) the answer-only step is a
 * valid answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { Agent } from '../../src/agent/agent.ts';
import { EmbeddedModel } from '../../src/model/embedded.ts';
import type { ChatMessage, LanguageModel, NextOptions } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import { builtinTools } from '../../tools/index.ts';
import { banByteTokens, writeTinyGguf } from '../support/tiny-gguf.ts';
import { makeRepo, testConfig } from './harness.ts';

/** A model that records the schema and options of each step. */
function recording(model: LanguageModel): LanguageModel & { steps: Array<{ messages: ChatMessage[]; schema: GbnfJsonSchema; options?: NextOptions }> } {
  const steps: Array<{ messages: ChatMessage[]; schema: GbnfJsonSchema; options?: NextOptions }> = [];
  return Object.assign(Object.create(model) as LanguageModel, {
    steps,
    next(messages: ChatMessage[], schema: GbnfJsonSchema, options?: NextOptions) {
      steps.push({ messages, schema, ...(options ? { options } : {}) });
      return model.next(messages, schema, options);
    },
  });
}

test('answerOnce: the conversation, then the request; only an answer is allowed; the history is left as it was', async (t) => {
  const repo = await makeRepo({ 'a.txt': 'one\n' });
  t.after(repo.cleanup);
  const scripted = new ScriptedModel([
    { thought: 'Read it.', tool: 'read_file', args: { path: 'a.txt' } },
    { thought: 'Done.', tool: 'answer', args: { text: 'It says one.' } },
    { thought: 'Draft.', tool: 'answer', args: { text: 'Fix a.txt' } },
  ]);
  const model = recording(scripted);
  const agent = new Agent({
    root: repo.root,
    config: testConfig(),
    model,
    tools: builtinTools,
    workspace: openWorkspace(repo.root),
    approver: async () => ({ answer: 'yes' }),
    intake: false,
  });
  await agent.runTurn('what does a.txt say?');
  const before = agent.messages();
  assert.equal(await agent.answerOnce('[Write a commit message.]\n\nthe diff', { maxTokens: 300 }), 'Fix a.txt');
  const step = model.steps.at(-1)!;
  const last = model.steps[1].messages;
  assert.deepEqual(step.messages.slice(0, last.length), last, "the last step's prompt is its prefix: the engine's cache fits");
  assert.deepEqual(
    step.messages.slice(last.length).map((m) => m.role),
    ['assistant', 'user'],
    'then the answer, then the request',
  );
  assert.match(step.messages.at(-1)!.content, /\[Write a commit message\.\]\n\nthe diff$/);
  assert.deepEqual(
    JSON.parse(JSON.stringify(step.schema)).oneOf.map((v: { properties: { tool: { const: string } } }) => v.properties.tool.const),
    ['answer'],
    'answer-only',
  );
  assert.equal(step.options?.maxTokens, 300);
  assert.deepEqual(agent.messages(), before, 'nothing added to the conversation');
});

for (const actionFormat of ['json', 'text'] as const) {
  test(`answerOnce on the real engine (tiny GGUF, ${actionFormat} actions) gives an answer`, async (t) => {
    const repo = await makeRepo({ 'a.txt': 'one\n' });
    t.after(repo.cleanup);
    const file = path.join(repo.root, '..', `${path.basename(repo.root)}-tiny.gguf`);
    await writeTinyGguf(file, { contextLength: 8192 });
    t.after(() => import('node:fs/promises').then((fs) => fs.rm(file, { force: true })));
    const model = await EmbeddedModel.load({ path: file, contextSize: 8192, threads: 1, gpu: false, timeoutMs: 120_000, tokenBias: banByteTokens });
    t.after(() => model.dispose());
    const base = testConfig({ actionFormat });
    const agent = new Agent({
      root: repo.root,
      config: { ...base, model: { ...base.model, maxTokens: 1500 } },
      model,
      tools: builtinTools,
      workspace: openWorkspace(repo.root),
      approver: async () => ({ answer: 'no', reason: 'test' }),
      actionSchema: { maxThoughtLength: 40, maxAnswerLength: 60 },
    });
    const text = await agent.answerOnce('[Write a commit message for this diff.]\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+two\n', { maxTokens: 400 });
    assert.equal(typeof text, 'string');
    assert.ok(text.length <= 60, text);
  });
}
