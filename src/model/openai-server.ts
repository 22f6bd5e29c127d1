/**
 * What an `openai` backend's server is and what it takes, learned once at connect time, cheapest
 * question first:
 *
 * 1. who answers: llama.cpp's `GET /props`, Ollama's `GET /api/version`, else `GET /v1/models`
 *    (`owned_by` "vllm" is vLLM, "me" llama-cpp-python, "organization_owner" LM Studio);
 * 2. the context size: llama.cpp `/props` (`default_generation_settings.n_ctx`), vLLM's
 *    `max_model_len`, LM Studio's `/api/v0/models/ID`, Ollama's `/api/show` (a Modelfile's
 *    `num_ctx`, else the model's `context_length` up to 32,768; sent back as `options.num_ctx` with
 *    every request, since Ollama's own default is smaller and it truncates silently), or
 *    `model.contextSize`; when nothing says, 4,096 is assumed and the banner says so;
 * 3. the strongest constraint: a GBNF `grammar` (llama.cpp), a JSON schema (vLLM, Ollama 0.5+),
 *    and for any other server one tiny test request per constraint, strongest first, that counts
 *    only if the reply obeys it (a server that ignores an unknown field is not fooled), falling
 *    back to `json_object` with every reply validated. `openai.constraint` overrides the choice.
 */
import type { OpenaiConstraintSetting } from '../config/schema.ts';
import { ModelError, ModelSetupError, type ServerUse } from './language-model.ts';
import { UnreachableError, type JsonAnswer, type ServerClient } from './openai-http.ts';

export type ServerKind = 'llama.cpp' | 'ollama' | 'vllm' | 'llama-cpp-python' | 'lm-studio' | 'openai-compatible';
export type ServerConstraint = Exclude<OpenaiConstraintSetting, 'auto'>;

/** How steps are sent: OpenAI chat completions (SSE), or Ollama's own `/api/chat` (NDJSON), the only route that takes `num_ctx`. */
export type Wire = 'chat' | 'ollama';

/** Where a server counts tokens exactly. */
export interface Tokenizer {
  url: string;
  body(text: string): unknown;
  count(answer: unknown): number | undefined;
}

/** Everything the backend learned about its server. */
export interface ServerProfile {
  kind: ServerKind;
  wire: Wire;
  contextSize: number;
  /** Ollama: `options.num_ctx`, sent with every request. */
  numCtx?: number;
  tokenizer?: Tokenizer;
  /** What the banner shows. */
  use: ServerUse;
}

/** The context size used when neither the server nor `model.contextSize` says one. */
export const ASSUMED_CONTEXT_SIZE = 4096;
/** Ollama gets the model's own context up to this, unless `model.contextSize` says otherwise (its memory grows with num_ctx). */
export const OLLAMA_CONTEXT_CAP = 32_768;

const kindNames: Record<ServerKind, string> = {
  'llama.cpp': 'llama.cpp',
  ollama: 'Ollama',
  vllm: 'vLLM',
  'llama-cpp-python': 'llama-cpp-python',
  'lm-studio': 'LM Studio',
  'openai-compatible': 'an OpenAI-compatible server',
};

/** The profile of a server nothing was asked about: chat completions, the given constraint, the given or assumed context. */
export function assumedProfile(contextSize = 0, constraint: ServerConstraint = 'json_schema'): ServerProfile {
  const context = chooseContext(undefined, contextSize);
  return {
    kind: 'openai-compatible',
    wire: 'chat',
    contextSize: context.size,
    use: { kind: kindNames['openai-compatible'], constraint, constraintFrom: 'config', contextFrom: context.from, contextAssumed: context.assumed },
  };
}

export interface DetectOptions {
  client: ServerClient;
  /** The model name sent to the server. */
  model: string;
  constraint: OpenaiConstraintSetting;
  /** `model.contextSize`; 0: not set. */
  contextSize: number;
  /** `openai.timeoutMs`: bounds the test requests (identity questions get at most 5 s). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Asks the server what it is, what context it holds and which constraint it takes. Throws ModelSetupError. */
export async function detectServer(options: DetectOptions): Promise<ServerProfile> {
  const { client } = options;
  const quick = Math.min(5000, options.timeoutMs);
  const ask = async (url: string, body?: unknown): Promise<JsonAnswer | undefined> => {
    try {
      return await client.json(url, bounded(quick, options.signal), body);
    } catch (error) {
      if (error instanceof UnreachableError) throw error;
      if (options.signal?.aborted) throw new ModelError('aborted', 'Connecting to the model server was cancelled.');
      return undefined; // slow or broken: this question has no answer
    }
  };
  let identity: Identity;
  try {
    identity = await identify(client, options.model, ask);
  } catch (error) {
    if (error instanceof UnreachableError) {
      throw new ModelSetupError(`${error.message}. Start the server, or set openai.baseUrl to where it listens.`, { cause: error });
    }
    throw error;
  }
  const context = chooseContext(identity, options.contextSize);
  const chosen = await chooseConstraint(identity, options);
  return {
    kind: identity.kind,
    wire: identity.kind === 'ollama' ? 'ollama' : 'chat',
    contextSize: context.size,
    ...(identity.kind === 'ollama' ? { numCtx: context.size } : {}),
    ...(identity.tokenizer ? { tokenizer: identity.tokenizer } : {}),
    use: {
      kind: identity.version ? `${kindNames[identity.kind]} ${identity.version}` : kindNames[identity.kind],
      constraint: chosen.constraint,
      constraintFrom: chosen.from,
      contextFrom: context.from,
      contextAssumed: context.assumed,
    },
  };
}

/** What the identity questions found. */
interface Identity {
  kind: ServerKind;
  version?: string;
  /** The context the server reports, and where it said so. */
  reported?: { size: number; from: string };
  tokenizer?: Tokenizer;
}

type Ask = (url: string, body?: unknown) => Promise<JsonAnswer | undefined>;

async function identify(client: ServerClient, model: string, ask: Ask): Promise<Identity> {
  const root = client.root;
  const props = await ask(`${root}/props`);
  const propsBody = ok(props);
  if (propsBody && ('default_generation_settings' in propsBody || 'build_info' in propsBody)) {
    const settings = propsBody.default_generation_settings as { n_ctx?: unknown } | undefined;
    const nCtx = positive(settings?.n_ctx);
    return {
      kind: 'llama.cpp',
      ...(nCtx ? { reported: { size: nCtx, from: '/props' } } : {}),
      tokenizer: { url: `${root}/tokenize`, body: (content) => ({ content }), count: tokenCount },
    };
  }
  const version = ok(await ask(`${root}/api/version`));
  if (version && typeof version.version === 'string') return { kind: 'ollama', version: version.version, ...(await ollamaContext(root, model, ask)) };

  const listed = await ask(client.v1('/models'));
  refusedKey(listed, client.v1('/models'));
  const models = ok(listed);
  const list = Array.isArray(models?.data) ? (models.data as Array<Record<string, unknown>>) : [];
  const entry = list.find((m) => m?.id === model) ?? list[0];
  switch (entry?.owned_by) {
    case 'vllm': {
      const size = positive(entry.max_model_len);
      return {
        kind: 'vllm',
        ...(size ? { reported: { size, from: '/v1/models max_model_len' } } : {}),
        tokenizer: { url: `${root}/tokenize`, body: (prompt) => ({ model, prompt }), count: tokenCount },
      };
    }
    case 'me':
      return { kind: 'llama-cpp-python', tokenizer: { url: `${root}/extras/tokenize`, body: (input) => ({ input, model }), count: tokenCount } };
    case 'organization_owner': {
      const id = typeof entry.id === 'string' ? entry.id : model;
      const info = ok(await ask(`${root}/api/v0/models/${encodeURIComponent(id)}`));
      const size = positive(info?.loaded_context_length) ?? positive(info?.max_context_length);
      return { kind: 'lm-studio', ...(size ? { reported: { size, from: '/api/v0/models' } } : {}) };
    }
    default:
      return { kind: 'openai-compatible' };
  }
}

/** Ollama's context for `model` from `/api/show`; a model it does not have is a setup error naming the ones it has. */
async function ollamaContext(root: string, model: string, ask: Ask): Promise<Pick<Identity, 'reported'>> {
  const show = await ask(`${root}/api/show`, { model, name: model });
  if (show?.status === 404) {
    const tags = ok(await ask(`${root}/api/tags`));
    const names = Array.isArray(tags?.models)
      ? (tags.models as Array<{ name?: unknown }>).map((m) => m?.name).filter((n): n is string => typeof n === 'string')
      : [];
    throw new ModelSetupError(
      `Ollama has no model "${model}". ` +
        `${names.length ? `Set openai.model to one it has: ${names.join(', ')}` : 'Pull one with `ollama pull NAME` and set openai.model to it'}.`,
    );
  }
  const body = ok(show);
  if (!body) return {};
  const parameter = typeof body.parameters === 'string' ? /^\s*num_ctx\s+(\d+)/m.exec(body.parameters) : null;
  if (parameter) return { reported: { size: Number(parameter[1]), from: "/api/show (the Modelfile's num_ctx)" } };
  const info = body.model_info && typeof body.model_info === 'object' ? (body.model_info as Record<string, unknown>) : {};
  const key = Object.keys(info).find((k) => k.endsWith('.context_length'));
  const trained = key ? positive(info[key]) : undefined;
  if (!trained) return {};
  return trained > OLLAMA_CONTEXT_CAP
    ? { reported: { size: OLLAMA_CONTEXT_CAP, from: `/api/show (the model's ${trained.toLocaleString('en-US')}, capped)` } }
    : { reported: { size: trained, from: '/api/show' } };
}

/**
 * The context in use. A server with a fixed context (llama.cpp, vLLM, LM Studio) holds what it
 * says; `model.contextSize` may only lower it. Ollama takes `model.contextSize` as `num_ctx`.
 */
function chooseContext(identity: Identity | undefined, configured: number): { size: number; from: string; assumed: boolean } {
  const sent = identity?.kind === 'ollama' ? ', sent as num_ctx' : '';
  const reported = identity?.reported;
  if (identity?.kind === 'ollama') {
    if (configured > 0) return { size: configured, from: `model.contextSize${sent}`, assumed: false };
    if (reported) return { size: reported.size, from: `${reported.from}${sent}`, assumed: false };
    return { size: ASSUMED_CONTEXT_SIZE, from: `the default${sent} (/api/show gave no context length)`, assumed: false };
  }
  if (reported) {
    if (configured > 0 && configured < reported.size)
      return { size: configured, from: `model.contextSize (the server holds ${reported.size.toLocaleString('en-US')})`, assumed: false };
    if (configured > reported.size)
      return {
        size: reported.size,
        from: `${reported.from} (model.contextSize ${configured.toLocaleString('en-US')} is more than the server holds)`,
        assumed: false,
      };
    return { size: reported.size, from: reported.from, assumed: false };
  }
  if (configured > 0) return { size: configured, from: 'model.contextSize', assumed: false };
  return { size: ASSUMED_CONTEXT_SIZE, from: 'assumed: the server does not say; set model.contextSize', assumed: true };
}

async function chooseConstraint(identity: Identity, options: DetectOptions): Promise<{ constraint: ServerConstraint; from: ServerUse['constraintFrom'] }> {
  if (options.constraint !== 'auto') {
    if (identity.kind === 'ollama' && options.constraint === 'grammar') {
      throw new ModelSetupError('Ollama takes no GBNF grammar. Set openai.constraint to auto, json_schema or json_object.');
    }
    return { constraint: options.constraint, from: 'config' };
  }
  switch (identity.kind) {
    case 'llama.cpp':
      return { constraint: 'grammar', from: 'server' };
    case 'vllm':
      return { constraint: 'json_schema', from: 'server' };
    case 'ollama':
      // `format` took a JSON schema from 0.5.0; before, only "json"
      return { constraint: versionAtLeast(identity.version, [0, 5]) ? 'json_schema' : 'json_object', from: 'server' };
    case 'llama-cpp-python':
    case 'lm-studio':
    case 'openai-compatible':
      for (const constraint of ['grammar', 'json_schema'] as const) {
        if ((await probeConstraint(constraint, options)) === 'obeyed') return { constraint, from: 'probe' };
      }
      return { constraint: 'json_object', from: 'fallback' };
    default:
      return identity.kind satisfies never;
  }
}

/** The text a probe's constraint forces; an unconstrained model asked to say hello never writes it. */
export const PROBE_WORD = 'probe-7';

/**
 * One tiny non-streamed request under `constraint`: `obeyed` when the reply is exactly what the
 * constraint forces, `refused` when the server rejects the field or ignores it, `unknown` when it
 * failed in a way that says nothing (timeout, 5xx).
 */
async function probeConstraint(constraint: 'grammar' | 'json_schema', options: DetectOptions): Promise<'obeyed' | 'refused' | 'unknown'> {
  const field =
    constraint === 'grammar'
      ? { grammar: `root ::= "${PROBE_WORD}"` }
      : {
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: 'probe',
              strict: true,
              schema: { type: 'object', properties: { probe: { type: 'string', enum: [PROBE_WORD] } }, required: ['probe'], additionalProperties: false },
            },
          },
        };
  const body = { model: options.model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 32, temperature: 0, stream: false, ...field };
  let answer: JsonAnswer;
  try {
    answer = await options.client.json(options.client.v1('/chat/completions'), bounded(Math.min(options.timeoutMs, 60_000), options.signal), body);
  } catch {
    if (options.signal?.aborted) throw new ModelError('aborted', 'Connecting to the model server was cancelled.');
    return 'unknown';
  }
  refusedKey(answer, options.client.v1('/chat/completions'));
  if (answer.status === 429 || answer.status >= 500) return 'unknown';
  const content = (answer.body as { choices?: Array<{ message?: { content?: unknown } }> } | undefined)?.choices?.[0]?.message?.content;
  if (answer.status !== 200 || typeof content !== 'string') return 'refused';
  if (constraint === 'grammar') return content.trim() === PROBE_WORD ? 'obeyed' : 'refused';
  try {
    return (JSON.parse(content) as { probe?: unknown })?.probe === PROBE_WORD ? 'obeyed' : 'refused';
  } catch {
    return 'refused';
  }
}

/** A 401 or 403 is a setup error: every step would get the same. */
function refusedKey(answer: JsonAnswer | undefined, url: string): void {
  if (answer?.status !== 401 && answer?.status !== 403) return;
  const error = (answer.body as { error?: { message?: unknown } | string } | undefined)?.error;
  const message = typeof error === 'string' ? error : typeof error?.message === 'string' ? error.message : '';
  throw new ModelSetupError(
    `The model server refused the request to ${url} (${answer.status}${message ? `: ${message}` : ''}). Put the key in the environment variable named ` +
      `by openai.apiKeyEnv.`,
  );
}

/** A signal that fires after `ms` or with `outer`. */
function bounded(ms: number, outer?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return outer ? AbortSignal.any([outer, timeout]) : timeout;
}

/** The body of a 200 answer that is a JSON object. */
function ok(answer: JsonAnswer | undefined): Record<string, unknown> | undefined {
  return answer?.status === 200 && answer.body && typeof answer.body === 'object' && !Array.isArray(answer.body)
    ? (answer.body as Record<string, unknown>)
    : undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function tokenCount(answer: unknown): number | undefined {
  const body = answer as { tokens?: unknown; count?: unknown } | undefined;
  if (Array.isArray(body?.tokens)) return body.tokens.length;
  return positive(body?.count);
}

function versionAtLeast(version: string | undefined, least: [number, number]): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return true;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > least[0] || (major === least[0] && minor >= least[1]);
}
