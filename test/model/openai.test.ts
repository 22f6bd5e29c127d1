import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent } from '../../src/agent/agent.ts';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import { OpenAIModel, toStrictJsonSchema, type OpenAIModelOptions } from '../../src/model/openai.ts';
import { ModelError, type ChatMessage } from '../../src/model/language-model.ts';
import { defaults } from '../../src/config/schema.ts';
import { representativeSchema } from './fixtures.ts';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
let handler: Handler;
const requests: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
let server: http.Server;
let baseUrl: string;

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body });
      res.setHeader('connection', 'close');
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  requests.length = 0;
});

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are assist.' },
  { role: 'user', content: 'Read src/a.ts' },
];
const action = { thought: 'read it', tool: 'read_file', args: { path: 'src/a.ts', startLine: null, endLine: null } };

function model(options: Partial<OpenAIModelOptions> = {}) {
  return new OpenAIModel({ baseUrl, model: 'test-model', timeoutMs: 10_000, retries: 2, retryDelayMs: 1, ...options });
}

function sse(res: http.ServerResponse, pieces: string[], extra: { finish?: string; usage?: object } = {}) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const piece of pieces) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: extra.finish ?? 'stop' }] })}\n\n`);
  if (extra.usage) res.write(`data: ${JSON.stringify({ choices: [], usage: extra.usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function split(text: string, n: number): string[] {
  const size = Math.ceil(text.length / n);
  return Array.from({ length: n }, (_, i) => text.slice(i * size, (i + 1) * size));
}

test('streams an action under the json_schema response format', async () => {
  handler = (_req, _body, res) =>
    sse(res, split(JSON.stringify(action), 5), { usage: { prompt_tokens: 21, completion_tokens: 17, prompt_tokens_details: { cached_tokens: 8 } } });
  process.env.ASSIST_TEST_KEY = 'sekret';
  const m = new OpenAIModel({ baseUrl, model: 'test-model', apiKey: process.env.ASSIST_TEST_KEY, timeoutMs: 10_000, retries: 0 });
  const pieces: string[] = [];
  const result = await m.next(messages, representativeSchema, { onToken: (t) => pieces.push(t), seed: 5 });
  assert.deepEqual(result.action, action);
  assert.equal(pieces.join(''), JSON.stringify(action));
  assert.equal(pieces.length, 5);
  assert.deepEqual(result.usage, { promptTokens: 21, completionTokens: 17, cachedTokens: 8 });
  assert.equal(requests.length, 1);
  const sent = JSON.parse(requests[0].body);
  assert.equal(requests[0].url, '/v1/chat/completions');
  assert.equal(requests[0].headers.authorization, 'Bearer sekret');
  assert.equal(sent.stream, true);
  assert.equal(sent.model, 'test-model');
  assert.equal(sent.seed, 5);
  assert.deepEqual(sent.messages, messages);
  assert.deepEqual(sent.response_format, {
    type: 'json_schema',
    json_schema: { name: 'action', strict: true, schema: toStrictJsonSchema(representativeSchema) },
  });
  const strict = sent.response_format.json_schema.schema;
  assert.ok(Array.isArray(strict.anyOf) && strict.oneOf === undefined);
  assert.deepEqual(strict.anyOf[0].required, ['thought', 'tool', 'args']);
  assert.equal(strict.anyOf[0].additionalProperties, false);
  assert.deepEqual(strict.anyOf[0].properties.args.required, ['path', 'startLine', 'endLine']);
});

test('no API key configured sends no Authorization header (local servers)', async () => {
  handler = (_req, _body, res) => sse(res, [JSON.stringify(action)]);
  await model().next(messages, representativeSchema);
  assert.equal(requests[0].headers.authorization, undefined);
});

test('a 500 is retried and the retry succeeds', async () => {
  handler = (_req, _body, res) => {
    if (requests.length === 1) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'model is loading' } }));
    } else sse(res, [JSON.stringify(action)]);
  };
  const result = await model().next(messages, representativeSchema);
  assert.deepEqual(result.action, action);
  assert.equal(requests.length, 2);
});

test('a 429 is retried; persistent 5xx gives up with the server message', async () => {
  handler = (_req, _body, res) => {
    res.writeHead(requests.length === 1 ? 429 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'busy, try later' } }));
  };
  await assert.rejects(
    model({ retries: 2 }).next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'server' && /503: busy, try later/.test(e.message) && /3 attempts/.test(e.message),
  );
  assert.equal(requests.length, 3);
});

test('a 400 is not retried and its message reaches the caller', async () => {
  handler = (_req, _body, res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: "response_format: unsupported keyword 'oneOf'" } }));
  };
  await assert.rejects(
    model().next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'server' && /400: response_format: unsupported keyword 'oneOf'/.test(e.message),
  );
  assert.equal(requests.length, 1);
});

test('a server that stalls fails the step with a timeout', async () => {
  handler = () => {
    // never answers
  };
  await assert.rejects(model({ timeoutMs: 300 }).next(messages, representativeSchema), (e: unknown) => e instanceof ModelError && e.code === 'timeout');
  assert.equal(requests.length, 1);
});

test('aborting mid-stream rejects with aborted', async () => {
  handler = (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: '{"thought":' } }] })}\n\n`);
    // then stalls
  };
  const controller = new AbortController();
  const step = model().next(messages, representativeSchema, { signal: controller.signal, onToken: () => controller.abort() });
  await assert.rejects(step, (e: unknown) => e instanceof ModelError && e.code === 'aborted');
});

test('an unreachable server is retried, then a clear error', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const m = new OpenAIModel({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'x', timeoutMs: 5000, retries: 1, retryDelayMs: 1 });
  await assert.rejects(
    m.next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'server' && /Cannot reach the model server/.test(e.message) && /Is it running/.test(e.message),
  );
});

test('output that ignores the schema is invalid_output, cut-off output too', async () => {
  handler = (_req, _body, res) => sse(res, [JSON.stringify({ thought: 'x', tool: 'delete_everything', args: {} })]);
  await assert.rejects(model().next(messages, representativeSchema), (e: unknown) => e instanceof ModelError && e.code === 'invalid_output');
  handler = (_req, _body, res) => sse(res, ['{"thought": "abc'], { finish: 'length' });
  await assert.rejects(
    model().next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'invalid_output' && /cut off/.test(e.message),
  );
});

test('connect learns context size and token density from a llama.cpp server', async () => {
  handler = (req, body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/props') return res.end(JSON.stringify({ default_generation_settings: { n_ctx: 4096 } }));
    if (req.url === '/tokenize') return res.end(JSON.stringify({ tokens: (JSON.parse(body).content as string).split(/\s+/).map((_, i) => i) }));
    res.end('{}');
  };
  const config = structuredClone(defaults);
  config.openai.baseUrl = baseUrl;
  const m = await OpenAIModel.connect(config);
  assert.equal(m.info.contextSize, 4096);
  assert.equal(await m.countTokensExact('one two three'), 3);
  const code = 'const value = readFileSync(path, "utf8");\n'.repeat(20);
  assert.ok(m.countTokens(code) >= (await m.countTokensExact(code)), 'the estimate errs high');
});

test('without /tokenize the estimate is 3 characters per token', async () => {
  handler = (_req, _body, res) => {
    res.writeHead(404);
    res.end();
  };
  const config = structuredClone(defaults);
  config.openai.baseUrl = baseUrl;
  const m = await OpenAIModel.connect(config);
  assert.equal(m.countTokens('x'.repeat(30)), 10);
  assert.equal(m.info.contextSize, 4096, 'nothing said the context: the conservative default');
  assert.equal(m.info.server?.contextAssumed, true);
});

test('an agent step on the openai backend honours openai.timeoutMs, not the embedded model.timeoutMs', async () => {
  handler = (req, _body, res) => {
    if (req.url !== '/v1/chat/completions') {
      res.writeHead(404);
      res.end();
    }
    // the step itself hangs
  };
  const config = structuredClone(defaults);
  config.openai.baseUrl = baseUrl;
  config.openai.timeoutMs = 300;
  config.openai.retries = 0;
  config.model.timeoutMs = 5_000;
  const root = mkdtempSync(path.join(tmpdir(), 'assist-openai-agent-'));
  try {
    const agent = new Agent({
      root,
      config,
      model: await OpenAIModel.connect(config),
      tools: [],
      workspace: openWorkspace(root),
      approver: async () => ({ answer: 'no', reason: 'unused' }),
    });
    const result = await agent.runTurn('hello');
    assert.equal(result.status, 'model_error');
    assert.match(result.text, /did not finish the step within 300 ms/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a 50 MB answer is cut at openai.maxResponseBytes: the step fails with a clear error and the connection is dropped', async () => {
  let written = 0;
  let closed!: () => void;
  const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
  handler = (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x'.repeat(64 * 1024) }, finish_reason: null }] })}\n\n`;
    const pump = () => {
      while (written < 50 * 1024 * 1024) {
        written += event.length;
        if (!res.write(event)) return void res.once('drain', pump);
      }
      res.end('data: [DONE]\n\n');
    };
    res.on('close', () => closed());
    pump();
  };
  const tokens: string[] = [];
  const config = structuredClone(defaults);
  await assert.rejects(
    model({ retries: 2, maxResponseBytes: config.openai.maxResponseBytes }).next(messages, representativeSchema, { onToken: (t) => tokens.push(t) }),
    (e: unknown) =>
      e instanceof ModelError && e.code === 'server' && /sent more than 8388608 bytes for one answer \(openai\.maxResponseBytes\)/.test(e.message),
  );
  await serverSawClose;
  assert.ok(written < 50 * 1024 * 1024, `the server stopped early (${written} bytes written)`);
  assert.equal(requests.length, 1, 'not retried');
  assert.ok(tokens.join('').length <= config.openai.maxResponseBytes);
});

test('the response cap is configurable and applies to error bodies and probes too', async () => {
  handler = (_req, _body, res) => sse(res, split(JSON.stringify(action), 3));
  await assert.rejects(
    model({ maxResponseBytes: 100 }).next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && /more than 100 bytes/.test(e.message),
  );
  assert.deepEqual((await model({ maxResponseBytes: 4096 }).next(messages, representativeSchema)).action, action);
  handler = (_req, _body, res) => {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('bad request '.repeat(1_000_000));
  };
  await assert.rejects(
    model().next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && /400: bad request/.test(e.message) && e.message.length < 1000,
  );
  handler = (req, _body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/props') return res.end(JSON.stringify({ default_generation_settings: { n_ctx: 4096 }, pad: 'x'.repeat(20_000) }));
    res.end('{}');
  };
  const config = structuredClone(defaults);
  config.openai.baseUrl = baseUrl;
  config.openai.maxResponseBytes = 1024;
  const capped = await OpenAIModel.connect(config);
  assert.equal(capped.info.contextSize, 4096, 'an oversized /props answer is not read');
  assert.equal(capped.info.server?.kind, 'an OpenAI-compatible server');
});
