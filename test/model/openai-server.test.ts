/**
 * The `openai` backend against real loopback HTTP servers that speak each variant a user meets:
 * llama.cpp (`/props`, `grammar`), an OpenAI-like server (strict `json_schema`, unknown fields
 * refused), llama-cpp-python as the brief describes it (only `json_object`, unknown fields
 * ignored), vLLM (`max_model_len`) and Ollama (`/api/show`, `/api/chat` with `format` and
 * `options.num_ctx`). Each proves what connect detects, what a step sends, and what it reads back.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaults, type Config } from '../../src/config/schema.ts';
import { actionProtocol } from '../../src/model/action-protocol.ts';
import { ModelError, ModelSetupError, type ChatMessage } from '../../src/model/language-model.ts';
import { OpenAIModel } from '../../src/model/openai.ts';
import { PROBE_WORD } from '../../src/model/openai-server.ts';
import { jsonSchemaGbnf, toStrictJsonSchema } from '../../src/model/openai-wire.ts';
import { builtinTools } from '../../tools/index.ts';
import { orderTools } from '../../tools/tool.ts';
import { representativeSchema } from './fixtures.ts';

interface Seen {
  method: string;
  url: string;
  body: any;
}
type Route = (req: Seen, res: http.ServerResponse) => void;

const servers: http.Server[] = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** A loopback server answering every request with `route`; `seen` records them in order. */
async function loopback(route: Route): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', body: body ? JSON.parse(body) : undefined };
      seen.push(entry);
      res.setHeader('connection', 'close');
      route(entry, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function sse(res: http.ServerResponse, text: string, finish = 'stop'): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const piece of [text.slice(0, 7), text.slice(7)])
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** A non-streamed chat completion (what probes ask for). */
function completion(res: http.ServerResponse, content: string): void {
  json(res, 200, { choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });
}

function configFor(baseUrl: string, patch: { constraint?: Config['openai']['constraint']; contextSize?: number; model?: string } = {}): Config {
  const config = structuredClone(defaults);
  config.openai.baseUrl = baseUrl;
  config.openai.retries = 0;
  config.openai.timeoutMs = 10_000;
  if (patch.constraint) config.openai.constraint = patch.constraint;
  if (patch.contextSize) config.model.contextSize = patch.contextSize;
  if (patch.model) config.openai.model = patch.model;
  return config;
}

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are assist.' },
  { role: 'user', content: 'Read src/a.ts' },
];
const action = { thought: 'read it', tool: 'read_file', args: { path: 'src/a.ts', startLine: null, endLine: null } };
const invalidAction = { thought: 'x', tool: 'delete_everything', args: {} };
const chats = (seen: Seen[]) => seen.filter((s) => s.url === '/v1/chat/completions');

/** llama.cpp's server: /props, /tokenize, and `grammar` on chat completions (replies from `reply`). */
function llamaCpp(nCtx: number, reply: (req: Seen, res: http.ServerResponse) => void = (_req, res) => sse(res, JSON.stringify(action))): Route {
  return (req, res) => {
    if (req.url === '/props') return json(res, 200, { default_generation_settings: { n_ctx: nCtx }, total_slots: 1, build_info: 'b6000' });
    if (req.url === '/tokenize') return json(res, 200, { tokens: (req.body.content as string).split(/\s+/).map((_, i) => i) });
    if (req.url === '/v1/chat/completions') return reply(req, res);
    json(res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
  };
}

test('llama.cpp: /props names it; grammar is chosen without a test request, the context comes from /props, /tokenize calibrates', async () => {
  const { baseUrl, seen } = await loopback(llamaCpp(3072));
  const model = await OpenAIModel.connect(configFor(baseUrl));
  assert.deepEqual(model.info.server, { kind: 'llama.cpp', constraint: 'grammar', constraintFrom: 'server', contextFrom: '/props', contextAssumed: false });
  assert.equal(model.info.grammar, true, 'the agent may use the text protocol');
  assert.equal(model.info.contextSize, 3072);
  assert.deepEqual(
    seen.map((s) => `${s.method} ${s.url}`),
    ['GET /props', 'POST /tokenize'],
    'no generation at connect',
  );
  assert.equal(await model.countTokensExact('one two three'), 3);

  const result = await model.next(messages, representativeSchema);
  assert.deepEqual(result.action, action);
  const sent = chats(seen)[0].body;
  assert.equal(sent.grammar, await jsonSchemaGbnf(representativeSchema), "the JSON protocol goes as the schema's GBNF, the embedded engine's own");
  assert.match(sent.grammar, /^root ::= /m);
  assert.equal(sent.response_format, undefined);
});

test("llama.cpp: a text-protocol step sends the agent's grammar, reads the raw blocks back, and checks the action against the schema", async () => {
  const tools = orderTools(builtinTools);
  const protocol = actionProtocol('text', tools);
  const workspace = { files: ['app.py'], seen: new Map([['app.py', 'def add(a, b):\n    return a - b\n']]) };
  const write = { thought: 'Write it.', tool: 'write_file', args: { path: 'hello.py', content: 'print("hi")\n\tindented "quoted"\n' } };
  let reply = protocol.render(write);
  const { baseUrl, seen } = await loopback(llamaCpp(4096, (_req, res) => sse(res, reply)));
  const model = await OpenAIModel.connect(configFor(baseUrl));
  const step = protocol.constrain(tools, workspace);
  const result = await model.next(messages, step.schema, { text: step.text! });
  assert.deepEqual(result.action, write);
  assert.equal(chats(seen)[0].body.grammar, step.text!.grammar, 'the workspace-aware grammar, as the agent built it');
  assert.ok(!result.raw.includes('\\n'), 'code travelled as raw text');

  // a well-formed action of a tool this step does not offer fails the schema, as in the embedded backend
  const answerOnly = protocol.constrain([], workspace);
  await assert.rejects(
    model.next(messages, answerOnly.schema, { text: answerOnly.text! }),
    (e: unknown) => e instanceof ModelError && e.code === 'invalid_output' && /does not match the schema/.test(e.message),
  );
  reply = 'not an action';
  await assert.rejects(model.next(messages, step.schema, { text: step.text! }), (e: unknown) => e instanceof ModelError && e.code === 'invalid_output');
});

/** An OpenAI-like server: unknown request fields are refused (400), strict json_schema is obeyed. */
function openAiLike(reply: (req: Seen, res: http.ServerResponse) => void = (_req, res) => sse(res, JSON.stringify(action))): Route {
  const known = new Set(['model', 'messages', 'stream', 'stream_options', 'temperature', 'max_tokens', 'seed', 'response_format']);
  return (req, res) => {
    if (req.url === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: 'gpt-x', object: 'model', owned_by: 'openai' }] });
    if (req.url !== '/v1/chat/completions') return json(res, 404, { error: { message: 'Not found' } });
    const unknown = Object.keys(req.body).find((k) => !known.has(k));
    if (unknown) return json(res, 400, { error: { message: `Unrecognized request argument supplied: ${unknown}`, type: 'invalid_request_error' } });
    const format = req.body.response_format;
    if (format?.type === 'json_schema' && format.json_schema?.name === 'probe')
      return completion(res, JSON.stringify({ probe: format.json_schema.schema.properties.probe.enum[0] }));
    reply(req, res);
  };
}

test('an OpenAI-like server: the grammar probe is refused, the json_schema probe is obeyed, steps go as strict json_schema', async () => {
  const { baseUrl, seen } = await loopback(openAiLike());
  const model = await OpenAIModel.connect(configFor(baseUrl));
  assert.deepEqual(model.info.server, {
    kind: 'an OpenAI-compatible server',
    constraint: 'json_schema',
    constraintFrom: 'probe',
    contextFrom: 'assumed: the server does not say; set model.contextSize',
    contextAssumed: true,
  });
  assert.equal(model.info.grammar, false);
  assert.equal(model.info.contextSize, 4096);
  const probes = chats(seen).map((s) => s.body);
  assert.equal(probes.length, 2);
  assert.equal(probes[0].grammar, `root ::= "${PROBE_WORD}"`, 'strongest first');
  assert.equal(probes[1].response_format.type, 'json_schema');
  assert.ok(
    probes.every((p) => p.stream === false && p.max_tokens <= 32),
    'tiny, unstreamed',
  );

  assert.deepEqual((await model.next(messages, representativeSchema)).action, action);
  const sent = chats(seen)[2].body;
  assert.deepEqual(sent.response_format, {
    type: 'json_schema',
    json_schema: { name: 'action', strict: true, schema: toStrictJsonSchema(representativeSchema) },
  });
  await assert.rejects(
    model.next(messages, representativeSchema, { text: { grammar: 'root ::= "x"', parse: () => action } }),
    (e: unknown) => e instanceof ModelError && e.code === 'grammar' && /takes no GBNF grammar/.test(e.message),
  );
});

/** llama-cpp-python as the brief describes it: `owned_by: "me"`, /extras/tokenize, unknown fields ignored, only text/json_object. */
function jsonObjectOnly(replies: string[]): Route {
  return (req, res) => {
    if (req.url === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: 'local', object: 'model', owned_by: 'me', permissions: [] }] });
    if (req.url === '/extras/tokenize') return json(res, 200, { tokens: (req.body.input as string).split(/\s+/).map((_, i) => i) });
    if (req.url !== '/v1/chat/completions') return json(res, 404, { detail: 'Not Found' });
    const type = req.body.response_format?.type;
    if (type !== undefined && type !== 'text' && type !== 'json_object') {
      return json(res, 400, {
        error: {
          message: "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': \"Input should be 'text' or 'json_object'\"}]",
          type: 'internal_server_error',
        },
      });
    }
    if (!req.body.stream) return completion(res, 'Hello! How can I help you today?'); // the grammar field was ignored
    sse(res, replies.shift() ?? JSON.stringify(action));
  };
}

test('a server that ignores `grammar` and refuses json_schema gets json_object, and its tokenizer is used', async () => {
  const { baseUrl, seen } = await loopback(jsonObjectOnly([]));
  const model = await OpenAIModel.connect(configFor(baseUrl));
  assert.deepEqual(model.info.server, {
    kind: 'llama-cpp-python',
    constraint: 'json_object',
    constraintFrom: 'fallback',
    contextFrom: 'assumed: the server does not say; set model.contextSize',
    contextAssumed: true,
  });
  assert.equal(chats(seen).length, 2, 'both probes tried');
  assert.equal(await model.countTokensExact('a b c d'), 4);
  assert.deepEqual((await model.next(messages, representativeSchema)).action, action);
  assert.deepEqual(chats(seen).at(-1)!.body.response_format, { type: 'json_object' });
  assert.equal(chats(seen).at(-1)!.body.grammar, undefined);
  const configured = await OpenAIModel.connect(configFor(baseUrl, { contextSize: 6000 }));
  assert.equal(configured.info.contextSize, 6000);
  assert.equal(configured.info.server?.contextFrom, 'model.contextSize');
});

test('json_object: a reply that fails validation is retried once with the error in the conversation, then fails clearly', async () => {
  const replies: string[] = [];
  const { baseUrl, seen } = await loopback(jsonObjectOnly(replies));
  const model = await OpenAIModel.connect(configFor(baseUrl));
  const steps = () => chats(seen).filter((s) => s.body.stream);

  replies.push(JSON.stringify(invalidAction), JSON.stringify(action));
  const fixed = await model.next(messages, representativeSchema);
  assert.deepEqual(fixed.action, action);
  assert.equal(steps().length, 2);
  const retry = steps()[1].body.messages as ChatMessage[];
  assert.deepEqual(retry.slice(0, 2), messages);
  assert.deepEqual(retry[2], { role: 'assistant', content: JSON.stringify(invalidAction) });
  assert.equal(retry[3].role, 'user');
  assert.match(retry[3].content, /not a valid action: The server's action does not match the schema/);

  replies.push('{"thought": "x"', JSON.stringify(invalidAction));
  const twice = await model.next(messages, representativeSchema).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(twice instanceof ModelError && twice.code === 'invalid_output', String(twice));
  assert.match(twice.message, /not a valid action, twice \(it takes only json_object/);
  assert.equal(steps().length, 4, 'one retry, no more');
  assert.match(steps()[3].body.messages[3].content, /not JSON/);

  replies.push(JSON.stringify(action));
  await model.next(messages, representativeSchema);
  assert.equal(steps().length, 5, 'a valid reply is not retried');
});

test('a schema server does not get the json_object retry: its invalid reply is one invalid_output', async () => {
  const { baseUrl, seen } = await loopback(openAiLike((_req, res) => sse(res, JSON.stringify(invalidAction))));
  const model = await OpenAIModel.connect(configFor(baseUrl));
  await assert.rejects(
    model.next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'invalid_output' && !/twice/.test(e.message),
  );
  assert.equal(chats(seen).filter((s) => s.body.stream).length, 1);
});

test('vLLM: owned_by "vllm" takes json_schema without a probe, the context is its max_model_len', async () => {
  const { baseUrl, seen } = await loopback((req, res) => {
    if (req.url === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: 'qwen', object: 'model', owned_by: 'vllm', max_model_len: 16384 }] });
    if (req.url === '/tokenize') return json(res, 200, { count: 3, max_model_len: 16384, tokens: [1, 2, 3] });
    json(res, 404, { detail: 'Not Found' });
  });
  const model = await OpenAIModel.connect(configFor(baseUrl, { model: 'qwen' }));
  assert.deepEqual(model.info.server, {
    kind: 'vLLM',
    constraint: 'json_schema',
    constraintFrom: 'server',
    contextFrom: '/v1/models max_model_len',
    contextAssumed: false,
  });
  assert.equal(model.info.contextSize, 16384);
  assert.equal(chats(seen).length, 0);
  assert.equal(seen.find((s) => s.url === '/tokenize')?.body.model, 'qwen');
});

/** Ollama: /api/version, /api/show, /api/tags and a streamed /api/chat (NDJSON). */
function ollama(
  show: Record<string, unknown> | undefined,
  version = '0.6.2',
  chat: (req: Seen, res: http.ServerResponse) => void = ollamaReply(JSON.stringify(action)),
): Route {
  return (req, res) => {
    if (req.url === '/api/version') return json(res, 200, { version });
    if (req.url === '/api/show') return show ? json(res, 200, show) : json(res, 404, { error: `model '${req.body.model}' not found` });
    if (req.url === '/api/tags') return json(res, 200, { models: [{ name: 'qwen2.5-coder:7b' }, { name: 'llama3.2:3b' }] });
    if (req.url === '/api/chat') return chat(req, res);
    res.writeHead(404);
    res.end('404 page not found');
  };
}

function ollamaReply(text: string, doneReason = 'stop'): (req: Seen, res: http.ServerResponse) => void {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const piece of [text.slice(0, 5), text.slice(5)])
      res.write(JSON.stringify({ model: 'm', message: { role: 'assistant', content: piece }, done: false }) + '\n');
    res.end(
      JSON.stringify({ model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: doneReason, prompt_eval_count: 33, eval_count: 21 }) +
        '\n',
    );
  };
}

const qwenShow = { parameters: 'stop "<|im_end|>"', model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 32768 } };

test('Ollama: /api/show gives the context; every /api/chat request carries it as options.num_ctx and the schema as format', async () => {
  const { baseUrl, seen } = await loopback(ollama(qwenShow));
  const model = await OpenAIModel.connect(configFor(baseUrl, { model: 'qwen2.5-coder:7b' }));
  assert.deepEqual(model.info.server, {
    kind: 'Ollama 0.6.2',
    constraint: 'json_schema',
    constraintFrom: 'server',
    contextFrom: '/api/show, sent as num_ctx',
    contextAssumed: false,
  });
  assert.equal(model.info.contextSize, 32768);
  assert.equal(seen.find((s) => s.url === '/api/show')?.body.model, 'qwen2.5-coder:7b');

  const pieces: string[] = [];
  const result = await model.next(messages, representativeSchema, { maxTokens: 300, seed: 3, onToken: (t) => pieces.push(t) });
  assert.deepEqual(result.action, action);
  assert.equal(pieces.length, 2, 'streamed');
  assert.deepEqual(result.usage, { promptTokens: 33, completionTokens: 21, cachedTokens: 0 });
  const sent = seen.find((s) => s.url === '/api/chat')!.body;
  assert.deepEqual(sent.options, { num_ctx: 32768, temperature: 0.2, num_predict: 300, seed: 3 });
  assert.deepEqual(sent.format, toStrictJsonSchema(representativeSchema));
  assert.deepEqual(sent.messages, messages);
  assert.equal(seen.filter((s) => s.url.startsWith('/v1/')).length, 0, "Ollama's OpenAI route cannot take num_ctx, so it is not used");

  const configured = await OpenAIModel.connect(configFor(baseUrl, { model: 'qwen2.5-coder:7b', contextSize: 8192 }));
  assert.equal(configured.info.server?.contextFrom, 'model.contextSize, sent as num_ctx');
  await configured.next(messages, representativeSchema);
  assert.equal(seen.filter((s) => s.url === '/api/chat').at(-1)!.body.options.num_ctx, 8192);
});

test('Ollama: a Modelfile num_ctx wins over the model\'s length, a long one is capped, an old server gets format "json", a cut-off is reported', async () => {
  const fromModelfile = await loopback(ollama({ ...qwenShow, parameters: 'num_ctx 12000\nstop "<|im_end|>"' }));
  assert.equal((await OpenAIModel.connect(configFor(fromModelfile.baseUrl))).info.contextSize, 12000);
  const long = await loopback(ollama({ model_info: { 'llama.context_length': 131072 } }));
  const capped = await OpenAIModel.connect(configFor(long.baseUrl));
  assert.equal(capped.info.contextSize, 32768);
  assert.match(capped.info.server!.contextFrom, /the model's 131,072, capped/);

  const old = await loopback(ollama(qwenShow, '0.4.7', ollamaReply('{"thought": "abc', 'length')));
  const model = await OpenAIModel.connect(configFor(old.baseUrl));
  assert.equal(model.info.server?.constraint, 'json_object');
  await assert.rejects(model.next(messages, representativeSchema), (e: unknown) => e instanceof ModelError && e.cutOff && e.partial === '{"thought": "abc');
  assert.equal(old.seen.find((s) => s.url === '/api/chat')!.body.format, 'json');
});

test('Ollama: a model it does not have, and a grammar it cannot take, are setup errors that say what to do', async () => {
  const { baseUrl } = await loopback(ollama(undefined));
  await assert.rejects(
    OpenAIModel.connect(configFor(baseUrl, { model: 'qwen' })),
    (e: unknown) => e instanceof ModelSetupError && /no model "qwen"\. Set openai\.model to one it has: qwen2\.5-coder:7b, llama3\.2:3b/.test(e.message),
  );
  const other = await loopback(ollama(qwenShow));
  await assert.rejects(
    OpenAIModel.connect(configFor(other.baseUrl, { constraint: 'grammar' })),
    (e: unknown) => e instanceof ModelSetupError && /takes no GBNF grammar/.test(e.message),
  );
});

test('openai.constraint overrides detection: no probe request, the named constraint is sent', async () => {
  const cpp = await loopback(llamaCpp(2048));
  const asJson = await OpenAIModel.connect(configFor(cpp.baseUrl, { constraint: 'json_object' }));
  assert.equal(asJson.info.server?.constraint, 'json_object');
  assert.equal(asJson.info.server?.constraintFrom, 'config');
  assert.equal(asJson.info.grammar, false);
  await asJson.next(messages, representativeSchema);
  assert.deepEqual(chats(cpp.seen)[0].body.response_format, { type: 'json_object' });
  assert.equal(chats(cpp.seen)[0].body.grammar, undefined);

  const plain = await loopback(jsonObjectOnly([]));
  const asGrammar = await OpenAIModel.connect(configFor(plain.baseUrl, { constraint: 'grammar' }));
  assert.equal(asGrammar.info.grammar, true);
  assert.equal(asGrammar.info.server?.constraintFrom, 'config');
  assert.equal(chats(plain.seen).length, 0, 'no probes');
});

test("the context: model.contextSize may lower a server's but not raise it; a prompt that does not fit is never sent", async () => {
  const { baseUrl, seen } = await loopback(llamaCpp(3072));
  const lower = await OpenAIModel.connect(configFor(baseUrl, { contextSize: 2048 }));
  assert.equal(lower.info.contextSize, 2048);
  assert.equal(lower.info.server?.contextFrom, 'model.contextSize (the server holds 3,072)');
  const higher = await OpenAIModel.connect(configFor(baseUrl, { contextSize: 8192 }));
  assert.equal(higher.info.contextSize, 3072);
  assert.equal(higher.info.server?.contextFrom, '/props (model.contextSize 8,192 is more than the server holds)');

  const before = chats(seen).length;
  const huge: ChatMessage[] = [{ role: 'user', content: 'word '.repeat(5000) }];
  await assert.rejects(
    lower.next(huge, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'context_overflow' && /context holds 2048 \(model\.contextSize/.test(e.message),
  );
  assert.equal(chats(seen).length, before, 'not sent, not truncated');
});

test('a server that says the prompt overflows its context is a context_overflow, and the context it names is learned', async () => {
  let fault: { status: number; body: unknown } = {
    status: 400,
    body: {
      error: {
        code: 400,
        message: 'the request exceeds the available context size, try increasing it',
        type: 'exceed_context_size_error',
        n_prompt_tokens: 1500,
        n_ctx: 1024,
      },
    },
  };
  const { baseUrl } = await loopback(llamaCpp(4096, (_req, res) => json(res, fault.status, fault.body)));
  const model = await OpenAIModel.connect(configFor(baseUrl));
  await assert.rejects(
    model.next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'context_overflow' && /of 1024 tokens/.test(e.message),
  );
  assert.equal(model.info.contextSize, 1024, 'the next turn is sized to what the server holds');
  assert.equal(model.info.server?.contextFrom, "the server's context-overflow error");

  fault = {
    status: 400,
    body: {
      error: {
        message:
          "This model's maximum context length is 2048 tokens, however you requested 2100 tokens (2000 in your prompt; 100 for the completion). Please reduce your prompt; or completion length.",
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
      },
    },
  };
  await assert.rejects(
    model.next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'context_overflow' && !/\.\./.test(e.message),
  );
  assert.equal(model.info.contextSize, 2048);
});

test("a stream that ends empty (llama-cpp-python's way of failing after 200) is asked again unstreamed, where the server says why", async () => {
  let overflow = true;
  const server = await loopback((req, res) => {
    if (req.url !== '/v1/chat/completions') return jsonObjectOnly([])(req, res);
    if (req.body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return void res.end();
    }
    if (overflow)
      return json(res, 400, {
        error: {
          message: "This model's maximum context length is 1024 tokens. However, you requested 4467 tokens.",
          type: 'invalid_request_error',
          code: 'context_length_exceeded',
        },
      });
    completion(res, JSON.stringify(action));
  });
  const model = await OpenAIModel.connect(configFor(server.baseUrl, { constraint: 'json_object' }));
  await assert.rejects(
    model.next(messages, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'context_overflow' && /of 1024 tokens/.test(e.message),
  );
  assert.equal(model.info.contextSize, 1024);
  assert.deepEqual(
    chats(server.seen).map((s) => s.body.stream),
    [true, false],
  );
  overflow = false;
  assert.deepEqual((await model.next(messages, representativeSchema)).action, action, 'an empty stream for another reason: the unstreamed answer is used');
  assert.equal(chats(server.seen).at(-1)!.body.stream, false);
});

test('a server that cannot be reached at connect is a setup error that says what to do', async () => {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  await assert.rejects(
    OpenAIModel.connect(configFor(`http://127.0.0.1:${port}/v1`)),
    (e: unknown) => e instanceof ModelSetupError && /Cannot reach the model server .*ECONNREFUSED.*Start the server, or set openai\.baseUrl/.test(e.message),
  );
});

test('a server that refuses the key is a setup error at connect, not a failure at every step', async () => {
  const { baseUrl } = await loopback((req, res) =>
    req.url === '/props' ? json(res, 404, {}) : json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }),
  );
  await assert.rejects(
    OpenAIModel.connect(configFor(baseUrl)),
    (e: unknown) =>
      e instanceof ModelSetupError &&
      /refused the request to .*\/v1\/models \(401: Incorrect API key provided\)\. Put the key in the environment variable named by openai\.apiKeyEnv/.test(
        e.message,
      ),
  );
});
