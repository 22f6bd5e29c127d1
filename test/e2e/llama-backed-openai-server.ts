/**
 * A small loopback server that speaks the OpenAI chat-completions protocol (streaming SSE and
 * plain JSON), BACKED BY A REAL MODEL: each request is answered by an EmbeddedModel (node-llama-cpp)
 * decoding under the request's constraint. It lets the e2e tier drive `assist`'s `openai` backend
 * over real HTTP without any external server. One request is served at a time.
 *
 * Two flavours:
 * - `openai` (default): like OpenAI, a step needs `response_format` json_schema, and a request
 *   field it does not know (such as `grammar`) is refused with 400;
 * - `llama.cpp`: like llama.cpp's server, it also applies a request's GBNF `grammar` and serves
 *   `GET /props` (`default_generation_settings.n_ctx`) and `POST /tokenize`.
 *
 * Endpoints: `POST /v1/chat/completions`, `GET /v1/models`, and the llama.cpp ones. Anything else is 404.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { EmbeddedModel, type EmbeddedModelOptions } from '../../src/model/embedded.ts';
import { ModelError, type ChatMessage } from '../../src/model/language-model.ts';
import { jsonSchemaGbnf } from '../../src/model/openai-wire.ts';

export interface LlamaBackedServer {
  /** e.g. `http://127.0.0.1:41234/v1` */
  baseUrl: string;
  /** The model name the server reports. */
  modelName: string;
  /** Chat-completion requests answered so far (streamed ones counted separately). */
  /** cutOff: completions ended at max_tokens (finish_reason "length"), not errors. */
  /** refused: requests with a field the flavour does not take (a client's constraint probe), answered 400 as OpenAI does, not errors. */
  stats: { requests: number; streamed: number; errors: number; cutOff: number; refused: number };
  /** The constraint of each chat-completion request, in order: the `grammar` text, or the JSON schema. */
  constraints: Array<{ grammar: string } | { schema: unknown }>;
  close(): Promise<void>;
}

/** Which server the loopback one plays. */
export type ServerFlavour = 'openai' | 'llama.cpp';

interface CompletionRequest {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  stream?: boolean;
  temperature?: number;
  max_tokens?: number;
  seed?: number;
  grammar?: unknown;
  response_format?: { type?: string; json_schema?: { schema?: unknown } };
}

/** The fields OpenAI's chat completions take (of those a client of this server sends). */
const openaiFields = new Set(['model', 'messages', 'stream', 'stream_options', 'temperature', 'max_tokens', 'seed', 'response_format']);

/** What EmbeddedModel's text path reads back: the server returns the raw text, so any value does. */
const rawText = { thought: '', tool: 'raw', args: {} };

/** Loads the GGUF and starts listening on 127.0.0.1 (a free port). */
export async function startLlamaBackedServer(options: {
  modelPath: string;
  contextSize: number;
  threads?: number;
  name?: string;
  /** Default `openai`. */
  flavour?: ServerFlavour;
  /** TEST HOOK for random-weight models only (see EmbeddedModelOptions.tokenBias). */
  tokenBias?: EmbeddedModelOptions['tokenBias'];
}): Promise<LlamaBackedServer> {
  const model = await EmbeddedModel.load({
    path: options.modelPath,
    contextSize: options.contextSize,
    threads: options.threads ?? 0,
    gpu: false,
    name: options.name,
    ...(options.tokenBias ? { tokenBias: options.tokenBias } : {}),
  });
  const modelName = options.name ?? model.info.name;
  const flavour = options.flavour ?? 'openai';
  const stats = { requests: 0, streamed: 0, errors: 0, cutOff: 0, refused: 0 };
  const constraints: LlamaBackedServer['constraints'] = [];
  let queue: Promise<unknown> = Promise.resolve();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return json(res, 200, { object: 'list', data: [{ id: modelName, object: 'model', owned_by: 'local' }] });
    }
    if (flavour === 'llama.cpp' && req.method === 'GET' && url.pathname === '/props') {
      return json(res, 200, {
        default_generation_settings: { n_ctx: model.info.contextSize },
        total_slots: 1,
        model_path: options.modelPath,
        build_info: 'loopback',
      });
    }
    const route = url.pathname === '/v1/chat/completions' ? 'complete' : flavour === 'llama.cpp' && url.pathname === '/tokenize' ? 'tokenize' : undefined;
    if (req.method !== 'POST' || !route) return json(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (route === 'tokenize') return tokenize(body, res);
      const task = queue.then(() => complete(body, req, res));
      queue = task.catch(() => undefined);
    });
  });

  function tokenize(body: string, res: http.ServerResponse): void {
    try {
      const content = (JSON.parse(body) as { content?: unknown }).content;
      if (typeof content !== 'string') return json(res, 400, { error: { message: 'content must be a string' } });
      json(res, 200, { tokens: model.model.tokenize(content) });
    } catch {
      json(res, 400, { error: { message: 'body is not JSON' } });
    }
  }

  async function complete(body: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.requests++;
    let request: CompletionRequest;
    try {
      request = JSON.parse(body) as CompletionRequest;
    } catch {
      stats.errors++;
      return json(res, 400, { error: { message: 'body is not JSON' } });
    }
    const messages = (request.messages ?? []).map((m) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : '' })) as ChatMessage[];
    const unknown = flavour === 'openai' ? Object.keys(request).find((key) => !openaiFields.has(key)) : undefined;
    if (unknown) {
      stats.refused++;
      return json(res, 400, { error: { message: `Unrecognized request argument supplied: ${unknown}`, type: 'invalid_request_error' } });
    }
    const schema = request.response_format?.type === 'json_schema' ? request.response_format.json_schema?.schema : undefined;
    const grammarText = typeof request.grammar === 'string' ? request.grammar : undefined;
    if (!messages.length || (!schema && grammarText === undefined)) {
      stats.errors++;
      const needs =
        flavour === 'llama.cpp'
          ? 'a GBNF grammar or response_format {type: "json_schema", json_schema: {schema}}'
          : 'response_format {type: "json_schema", json_schema: {schema}}';
      return json(res, 400, { error: { message: `this server needs messages and ${needs}` } });
    }
    constraints.push(grammarText !== undefined ? { grammar: grammarText } : { schema });
    let grammar: string;
    try {
      grammar = grammarText ?? (await jsonSchemaGbnf(toGbnfJsonSchema(schema)));
    } catch (error) {
      stats.errors++;
      return json(res, 400, { error: { message: `the schema cannot be a grammar: ${(error as Error).message}` } });
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const id = `chatcmpl-${Date.now().toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: object, finish: string | null, extra: object = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: modelName, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    if (request.stream) {
      stats.streamed++;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(chunk({ role: 'assistant', content: '' }, null));
    }
    try {
      // the engine decodes under the grammar; the server returns the text as it came
      const result = await model.next(messages, {} as GbnfJsonSchema, {
        text: { grammar, parse: () => rawText },
        signal: abort.signal,
        ...(request.max_tokens ? { maxTokens: request.max_tokens } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
        onToken: request.stream ? (text) => res.write(chunk({ content: text }, null)) : undefined,
      });
      const usage = {
        prompt_tokens: result.usage.promptTokens,
        completion_tokens: result.usage.completionTokens,
        total_tokens: result.usage.promptTokens + result.usage.completionTokens,
        prompt_tokens_details: { cached_tokens: result.usage.cachedTokens },
      };
      if (request.stream) {
        res.write(chunk({}, 'stop'));
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: modelName, choices: [], usage })}\n\n`);
        res.end('data: [DONE]\n\n');
      } else {
        json(res, 200, {
          id,
          object: 'chat.completion',
          created,
          model: modelName,
          choices: [{ index: 0, message: { role: 'assistant', content: result.raw }, finish_reason: 'stop' }],
          usage,
        });
      }
    } catch (error) {
      if (error instanceof ModelError && error.cutOff && !abort.signal.aborted) {
        // what a real server does at max_tokens: the text so far (already streamed), finish_reason "length"
        stats.cutOff++;
        if (request.stream) res.end(`${chunk({}, 'length')}data: [DONE]\n\n`);
        else
          json(res, 200, {
            id,
            object: 'chat.completion',
            created,
            model: modelName,
            choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'length' }],
          });
        return;
      }
      stats.errors++;
      const message = error instanceof ModelError ? error.message : ((error as Error)?.message ?? String(error));
      if (abort.signal.aborted) return void res.destroy();
      if (request.stream) res.end(`data: ${JSON.stringify({ error: { message } })}\n\n`);
      else json(res, 500, { error: { message } });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    modelName,
    stats,
    constraints,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      await model.dispose();
    },
  };
}

/**
 * OpenAI-style JSON schema (strict mode: `anyOf`, `required`, `additionalProperties: false`) to
 * node-llama-cpp's GbnfJsonSchema subset, which knows `oneOf` and treats every property as required.
 * Without this, an `anyOf` the engine does not know would leave the output unconstrained.
 */
export function toGbnfJsonSchema(schema: unknown): GbnfJsonSchema {
  const convert = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(convert);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'required' || key === 'additionalProperties' || key === 'strict') continue;
      if (key === 'properties' && inner && typeof inner === 'object') {
        out.properties = Object.fromEntries(Object.entries(inner as Record<string, unknown>).map(([name, sub]) => [name, convert(sub)]));
      } else out[key === 'anyOf' ? 'oneOf' : key] = convert(inner);
    }
    return out;
  };
  return convert(schema) as GbnfJsonSchema;
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
