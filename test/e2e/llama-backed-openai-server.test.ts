/**
 * The loopback OpenAI-protocol server used by `npm run e2e`, on the generated tiny GGUF (real
 * engine, random weights), driven by assist's own `openai` backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { ModelError } from '../../src/model/language-model.ts';
import { OpenAIModel } from '../../src/model/openai.ts';
import { builtinTools } from '../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../agent/harness.ts';
import { banByteTokens, tinyGgufPath } from '../support/tiny-gguf.ts';
import { startLlamaBackedServer, toGbnfJsonSchema } from './llama-backed-openai-server.ts';

const schema = {
  oneOf: [
    {
      type: 'object',
      properties: {
        thought: { type: 'string', maxLength: 12 },
        tool: { const: 'answer' },
        args: { type: 'object', properties: { text: { type: 'string', maxLength: 12 } } },
      },
    },
  ],
} as GbnfJsonSchema;

test("strict OpenAI schemas become the engine's subset: anyOf to oneOf, no required/additionalProperties", () => {
  const strict = {
    anyOf: [
      {
        type: 'object',
        properties: { a: { type: ['string', 'null'] }, required: { type: 'integer' } },
        required: ['a', 'required'],
        additionalProperties: false,
      },
    ],
  };
  assert.deepEqual(toGbnfJsonSchema(strict), { oneOf: [{ type: 'object', properties: { a: { type: ['string', 'null'] }, required: { type: 'integer' } } }] });
});

test("the server answers assist's openai backend with streamed, schema-valid actions", { timeout: 120_000 }, async () => {
  const server = await startLlamaBackedServer({
    modelPath: await tinyGgufPath(),
    contextSize: 512,
    threads: 1,
    name: 'tiny-loopback',
    tokenBias: banByteTokens,
  });
  try {
    const model = new OpenAIModel({ baseUrl: server.baseUrl, model: server.modelName, timeoutMs: 60_000, retries: 0, contextSize: 512 });
    let streamed = '';
    const result = await model.next([{ role: 'user', content: 'hello' }], schema, { maxTokens: 200, onToken: (t) => (streamed += t) });
    assert.equal(result.action.tool, 'answer');
    assert.equal(streamed, result.raw, 'the text arrived as a stream of pieces');
    assert.ok(result.usage.completionTokens > 0);
    assert.deepEqual(server.stats, { requests: 1, streamed: 1, errors: 0, cutOff: 0, refused: 0 });

    // at max_tokens a real server ends the stream with finish_reason "length"; the client reports a cut-off step
    const cut = await model.next([{ role: 'user', content: 'hello' }], schema, { maxTokens: 2 }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(cut instanceof ModelError && cut.code === 'invalid_output' && cut.cutOff, String(cut));
    assert.deepEqual(server.stats, { requests: 2, streamed: 2, errors: 0, cutOff: 1, refused: 0 });

    const plain = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 200, response_format: { type: 'json_schema', json_schema: { schema } } }),
    });
    assert.equal(plain.status, 200);
    const body = (await plain.json()) as { choices: Array<{ message: { content: string } }> };
    assert.equal((JSON.parse(body.choices[0].message.content) as { tool: string }).tool, 'answer');

    const bad = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /response_format/);
    assert.equal((await fetch(`${server.baseUrl}/nope`)).status, 404);
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as { data: Array<{ id: string }> };
    assert.equal(models.data[0].id, 'tiny-loopback');
  } finally {
    await server.close();
  }
});

test("openai flavour: connect's grammar probe is refused like OpenAI refuses it, the json_schema probe is obeyed by the real engine", {
  timeout: 120_000,
}, async () => {
  const server = await startLlamaBackedServer({ modelPath: await tinyGgufPath(), contextSize: 512, threads: 1, name: 'tiny-openai', tokenBias: banByteTokens });
  try {
    const config = testConfig();
    config.openai.baseUrl = server.baseUrl;
    config.openai.model = server.modelName;
    config.openai.retries = 0;
    config.openai.timeoutMs = 60_000;
    const model = await OpenAIModel.connect(config);
    assert.equal(model.info.server?.constraint, 'json_schema');
    assert.equal(model.info.server?.constraintFrom, 'probe');
    assert.equal(model.info.grammar, false, 'the agent keeps the JSON protocol');
    assert.deepEqual(server.stats, { requests: 2, streamed: 0, errors: 0, cutOff: 0, refused: 1 });
    assert.deepEqual(
      server.constraints.map((c) => Object.keys(c)[0]),
      ['schema'],
      'the refused grammar probe never reached the engine',
    );
  } finally {
    await server.close();
  }
});

test('llama.cpp flavour: connect detects grammar and the context from /props, and an agent turn runs the text protocol over HTTP under the workspace-aware grammar', {
  timeout: 180_000,
}, async (t) => {
  const server = await startLlamaBackedServer({
    modelPath: await tinyGgufPath(),
    contextSize: 4096,
    threads: 1,
    name: 'tiny-cpp',
    flavour: 'llama.cpp',
    tokenBias: banByteTokens,
  });
  const files = ['app.py', 'lib/util.py'];
  const repo = await makeRepo(Object.fromEntries(files.map((f) => [f, 'def add(a, b):\n    return a - b\n'])));
  let opened: Awaited<ReturnType<typeof startSession>>;
  try {
    const config = testConfig({ actionFormat: 'text', maxSteps: 3 });
    config.model.backend = 'openai';
    config.model.temperature = 0;
    config.model.maxTokens = 400;
    config.openai.baseUrl = server.baseUrl;
    config.openai.model = server.modelName;
    config.openai.retries = 0;
    config.openai.timeoutMs = 60_000;
    const model = await OpenAIModel.connect(config);
    assert.deepEqual(model.info.server, { kind: 'llama.cpp', constraint: 'grammar', constraintFrom: 'server', contextFrom: '/props', contextAssumed: false });
    assert.equal(model.info.contextSize, 4096);
    assert.equal(server.stats.requests, 0, 'no generation at connect');

    opened = await startSession(t, {
      root: repo.root,
      config,
      model,
      tools: builtinTools.filter((tool) => tool.name === 'read_file'),
      actionSchema: { maxThoughtLength: 24, maxAnswerLength: 24 },
    });
    const { session, events } = opened!;
    assert.equal(session.agent.protocol.format, 'text', 'a grammar server gets the text protocol');
    const result = await session.agent.runTurn('Say what add does.');
    assert.ok(['answered', 'max_steps'].includes(result.status), `${result.status}: ${result.text}`);
    assert.equal(events.filter((e) => e.type === 'invalid_action').length, 0, 'every step parsed and matched the schema');
    const actions = events.flatMap((e) => (e.type === 'action' ? [e.action] : []));
    assert.ok(actions.length >= 1);
    for (const action of actions) {
      assert.ok(['read_file', 'answer'].includes(action.tool), action.tool);
      if (action.tool === 'read_file')
        assert.ok(files.includes(action.args.path as string), `the grammar allowed only real files, got ${String(action.args.path)}`);
    }
    assert.equal(server.constraints.length, actions.length);
    assert.ok(
      server.constraints.every((c) => 'grammar' in c),
      'every step went as a GBNF grammar, none as a JSON schema',
    );
    const first = (server.constraints[0] as { grammar: string }).grammar;
    assert.match(first, /"lib\/" /, "the grammar knows the workspace's files");
    assert.match(first, /"app\.py"/);
    assert.equal(server.stats.errors, 0);
  } finally {
    await opened?.session.dispose();
    await repo.cleanup();
    await server.close();
  }
});
