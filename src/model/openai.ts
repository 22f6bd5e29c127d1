/**
 * The `openai` backend: any OpenAI-compatible server (llama.cpp server, Ollama, vLLM, LM Studio).
 * Each step is one streamed `POST {baseUrl}/chat/completions` whose `response_format` is the action
 * schema, so decoding stays constrained on the server. Connection errors, 5xx and 429 are retried
 * with backoff; other 4xx are not. Every request has a timeout (`openai.timeoutMs`, owned by the
 * model) and follows the step's AbortSignal, and no answer is read past `openai.maxResponseBytes`.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { defaults, type Config } from '../config/schema.ts';
import { actionFault, checkActionShape, validateAction } from './action-shape.ts';
import { ModelError, type ChatMessage, type LanguageModel, type ModelInfo, type NextOptions, type StepResult } from './language-model.ts';

export interface OpenAIModelOptions {
  /** e.g. `http://127.0.0.1:8080/v1`. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer`; absent is fine for local servers. */
  apiKey?: string;
  /** A step (or a probe) fails after this long unless the call gives its own timeout. */
  timeoutMs: number;
  /** A response body larger than this fails the step; default `openai.maxResponseBytes`' default (8 MiB). */
  maxResponseBytes?: number;
  /** Retries after the first attempt, for connection errors, 5xx and 429. */
  retries: number;
  /** First backoff delay; doubles each retry. Default 500 ms. */
  retryDelayMs?: number;
  temperature?: number;
  maxTokens?: number;
  /** Context size when the server does not report one. */
  contextSize?: number;
}

/**
 * Characters per token assumed when the server cannot tokenize: 3 (BPE vocabularies average about
 * 4 on English and code), so counts err high and context budgets stay safe.
 */
export const ESTIMATED_CHARS_PER_TOKEN = 3;

/** A model served over HTTP with the OpenAI chat-completions protocol. */
export class OpenAIModel implements LanguageModel {
  readonly info: ModelInfo;
  private charsPerToken = ESTIMATED_CHARS_PER_TOKEN;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ strict: false, allErrors: false });

  constructor(private readonly options: OpenAIModelOptions) {
    this.info = { name: options.model, backend: 'openai', contextSize: options.contextSize || 8192 };
  }

  /**
   * Builds the model from config and asks the server (llama.cpp's `/props` and `/tokenize`, when
   * it has them) for its context size and its tokenizer's characters-per-token on sample text.
   */
  static async connect(config: Config, options: { signal?: AbortSignal } = {}): Promise<OpenAIModel> {
    const model = new OpenAIModel({
      baseUrl: config.openai.baseUrl,
      model: config.openai.model,
      apiKey: process.env[config.openai.apiKeyEnv] || undefined,
      timeoutMs: config.openai.timeoutMs,
      maxResponseBytes: config.openai.maxResponseBytes,
      retries: config.openai.retries,
      temperature: config.model.temperature,
      maxTokens: config.model.maxTokens,
      contextSize: config.model.contextSize,
    });
    await model.probe(options.signal);
    return model;
  }

  /** The server root (baseUrl without a trailing `/v1`), where llama.cpp serves `/tokenize`. */
  private get root(): string {
    return this.options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  }

  /** Learns context size and tokenizer density from a llama.cpp server; silent elsewhere. */
  async probe(signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(Math.min(5000, this.options.timeoutMs));
    const probeSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const props = await fetch(`${this.root}/props`, { headers: this.headers(), signal: probeSignal });
      if (props.ok) {
        const body = JSON.parse(await this.readCapped(props, probeSignal)) as { default_generation_settings?: { n_ctx?: number } };
        const nCtx = body.default_generation_settings?.n_ctx;
        if (typeof nCtx === 'number' && nCtx > 0 && !this.options.contextSize) this.info.contextSize = nCtx;
      }
      const count = await this.countTokensExact(CALIBRATION_TEXT, probeSignal);
      if (count > 0) this.charsPerToken = Math.max(1, (CALIBRATION_TEXT.length / count) * 0.9);
    } catch {
      // not a llama.cpp server, or not up yet: keep the conservative estimate
    }
  }

  /** Estimated from the server tokenizer's measured density (or 3 chars/token); errs high. */
  countTokens(text: string): number {
    return Math.ceil(text.length / this.charsPerToken);
  }

  /** Exact count from a llama.cpp server's `/tokenize`; rejects where the server has none. */
  async countTokensExact(text: string, signal?: AbortSignal): Promise<number> {
    const response = await fetch(`${this.root}/tokenize`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ content: text }),
      signal,
    });
    if (!response.ok) throw new Error(`/tokenize answered ${response.status}`);
    const body = JSON.parse(await this.readCapped(response, signal)) as { tokens?: unknown[] };
    if (!Array.isArray(body.tokens)) throw new Error('/tokenize gave no tokens');
    return body.tokens.length;
  }

  async dispose(): Promise<void> {}

  async next(messages: ChatMessage[], actionSchema: GbnfJsonSchema, options: NextOptions = {}): Promise<StepResult> {
    const retryDelay = this.options.retryDelayMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw new ModelError('aborted', 'The step was cancelled.');
      try {
        return await this.request(messages, actionSchema, options);
      } catch (error) {
        const retryable = error instanceof RetryableError;
        if (!retryable) throw error;
        if (attempt >= this.options.retries) {
          throw new ModelError('server', `${error.message} (gave up after ${attempt + 1} attempts).`, { cause: error });
        }
        await wait(error.retryAfterMs ?? retryDelay * 2 ** attempt, options.signal);
      }
    }
  }

  private get maxResponseBytes(): number {
    return this.options.maxResponseBytes ?? defaults.openai.maxResponseBytes;
  }

  /** The body as text, failing (and dropping the connection) once it passes maxResponseBytes. */
  private async readCapped(response: Response, signal?: AbortSignal): Promise<string> {
    let text = '';
    for await (const piece of readBody(response, this.maxResponseBytes, this.options.baseUrl, signal)) text += piece;
    return text;
  }

  private headers(): Record<string, string> {
    return this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {};
  }

  private validatorFor(schema: GbnfJsonSchema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema as object);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** One attempt. Throws RetryableError for what a retry may fix, ModelError otherwise. */
  private async request(messages: ChatMessage[], schema: GbnfJsonSchema, options: NextOptions): Promise<StepResult> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new ModelError('timeout', `The server at ${this.options.baseUrl} did not finish the step within ${timeoutMs} ms.`)), timeoutMs);
    const onAbort = () => controller.abort(new ModelError('aborted', 'The step was cancelled.'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    let firstTokenMs: number | undefined;
    let raw = '';
    try {
      const body = {
        model: this.options.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        temperature: options.temperature ?? this.options.temperature ?? 0.2,
        max_tokens: options.maxTokens ?? this.options.maxTokens ?? 1024,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        response_format: { type: 'json_schema', json_schema: { name: 'action', strict: true, schema: toStrictJsonSchema(schema) } },
      };
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { ...this.headers(), 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify(body),
          signal: controller.signal,
        });
      } catch (error) {
        if (controller.signal.aborted) throw controller.signal.reason;
        throw new RetryableError(`Cannot reach the model server at ${url}: ${describeFetchError(error)}. Is it running?`);
      }
      if (!response.ok) {
        const message = await serverMessage(response, this.maxResponseBytes, this.options.baseUrl);
        const text = `The model server answered ${response.status}: ${message}`;
        if (response.status === 429 || response.status >= 500) throw new RetryableError(text, retryAfter(response));
        throw new ModelError('server', text);
      }
      let finishReason: string | undefined;
      let usage: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } } | undefined;
      try {
        for await (const event of readSse(response, this.maxResponseBytes, this.options.baseUrl, controller.signal)) {
          if (event === '[DONE]') break;
          let chunk: SseChunk;
          try {
            chunk = JSON.parse(event) as SseChunk;
          } catch {
            throw new ModelError('server', `The model server sent a malformed stream event: ${event.slice(0, 200)}`);
          }
          if (chunk.error) throw new ModelError('server', `The model server failed mid-answer: ${chunk.error.message ?? JSON.stringify(chunk.error)}`);
          const choice = chunk.choices?.[0];
          const piece = choice?.delta?.content;
          if (piece) {
            firstTokenMs ??= performance.now() - started;
            raw += piece;
            options.onToken?.(piece);
          }
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          if (chunk.usage) usage = chunk.usage;
        }
      } catch (error) {
        if (controller.signal.aborted) throw controller.signal.reason;
        if (error instanceof ModelError) throw error;
        if (raw === '') throw new RetryableError(`The connection to ${url} broke: ${describeFetchError(error)}`);
        throw new ModelError('server', `The connection to ${url} broke mid-answer: ${describeFetchError(error)}`, { cause: error });
      }
      if (finishReason === 'length') {
        throw new ModelError('invalid_output', 'The action was cut off at the token limit without completing. Ask for a shorter step or raise model.maxTokens.', { cutOff: true });
      }
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw new ModelError('invalid_output', `The server returned text that is not JSON (does it support response_format json_schema?): ${raw.slice(0, 200)}`);
      }
      const validate = this.validatorFor(schema);
      if (!validateAction(validate, value)) {
        const e = actionFault(validate, value);
        throw new ModelError('invalid_output', `The server's action does not match the schema at ${e?.instancePath || '(top)'}: ${e?.message}.`);
      }
      const action = checkActionShape(value, raw);
      const promptTokens = usage?.prompt_tokens ?? messages.reduce((n, m) => n + this.countTokens(m.content), 0);
      return {
        action,
        raw,
        usage: {
          promptTokens,
          completionTokens: usage?.completion_tokens ?? this.countTokens(raw),
          cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
        },
        timings: { firstTokenMs: Math.round(firstTokenMs ?? performance.now() - started), totalMs: Math.round(performance.now() - started) },
      };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (!controller.signal.aborted) controller.abort();
    }
  }
}

/**
 * The action schema as strict JSON-schema servers want it. The grammar already treats every
 * property as required and nothing else as allowed; strict mode (OpenAI, vLLM) wants that spelled
 * out (`required`, `additionalProperties: false`) and `anyOf` rather than `oneOf`. Same meaning.
 */
export function toStrictJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toStrictJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toStrictJsonSchema(v)]));
    } else out[key === 'oneOf' ? 'anyOf' : key] = toStrictJsonSchema(value);
  }
  if (out.properties && typeof out.properties === 'object') {
    out.required = Object.keys(out.properties);
    out.additionalProperties = false;
  }
  return out;
}

interface SseChunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
  error?: { message?: string };
}

/** A failure a retry may fix (connection error, 5xx, 429). */
class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const CALIBRATION_TEXT =
  'function parseConfig(path: string): Config {\n  const text = readFileSync(path, "utf8");\n  return JSON.parse(text) as Config;\n}\n' +
  'The tests fail because the parser does not handle empty files. Read the file, then fix the bug.';

/**
 * The body's text, decoded piece by piece; throws ModelError('server') as soon as more than
 * `maxBytes` arrived (the connection is then dropped), so a runaway server cannot fill memory.
 */
async function* readBody(response: Response, maxBytes: number, server: string, signal?: AbortSignal): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  let bytes = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        cancel();
        throw new ModelError(
          'server',
          `The model server at ${server} sent more than ${maxBytes} bytes for one answer (openai.maxResponseBytes); the step was stopped. ` +
            'A server that loops or ignores max_tokens does this: check it, or raise openai.maxResponseBytes in your config.',
        );
      }
      yield decoder.decode(value, { stream: true });
    }
    if (signal?.aborted) throw signal.reason;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

/** The `data:` payloads of a server-sent-events body (read through `readBody`, so capped). */
async function* readSse(response: Response, maxBytes: number, server: string, signal: AbortSignal): AsyncGenerator<string> {
  let buffer = '';
  for await (const piece of readBody(response, maxBytes, server, signal)) {
    buffer += piece;
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) yield data;
    }
  }
}

async function serverMessage(response: Response, maxBytes: number, server: string): Promise<string> {
  let text = '';
  try {
    for await (const piece of readBody(response, Math.min(maxBytes, 64 * 1024), server)) text += piece;
  } catch {
    // an error body that is too long or broken: what arrived is enough to show
  }
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    const message = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (message) return message;
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 500) || response.statusText || 'no message';
}

function retryAfter(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : undefined;
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelError('aborted', 'The step was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
