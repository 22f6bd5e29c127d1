/**
 * The `openai` backend: any OpenAI-compatible server (llama.cpp server, llama-cpp-python, Ollama,
 * vLLM, LM Studio). `connect` learns what the server is, its context and the strongest constraint
 * it takes (openai-server.ts); each step is one streamed request under that constraint
 * (openai-wire.ts): a GBNF grammar (then the text protocol too, so `info.grammar` is true), the
 * action's JSON schema, or plain JSON validated here, with one retry that shows the model its
 * error. Connection errors, 5xx and 429 are retried with backoff; other 4xx are not. A prompt
 * that does not fit the context is a `context_overflow` error, never sent to be cut. Every request
 * has a timeout (`openai.timeoutMs`), follows the step's AbortSignal, and no answer is read past
 * `openai.maxResponseBytes`.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { defaults, type Config } from '../config/schema.ts';
import { actionFault, checkActionShape, validateAction } from './action-shape.ts';
import { ModelError, type Action, type ChatMessage, type LanguageModel, type ModelInfo, type NextOptions, type StepResult } from './language-model.ts';
import { RetryableError, ServerClient, describeFetchError, readNdjson, readServerFault, readSse, retryAfter, wait } from './openai-http.ts';
import { assumedProfile, detectServer, type ServerConstraint, type ServerProfile } from './openai-server.ts';
import { decodeChatCompletion, decodeChatEvent, decodeOllamaLine, jsonSchemaGbnf, stepBody, type StepUsage, type StreamEvent } from './openai-wire.ts';

export { toStrictJsonSchema } from './openai-wire.ts';

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
  /** Without `profile`: the context size (absent: assumed, see ASSUMED_CONTEXT_SIZE). */
  contextSize?: number;
  /** What `connect` learned of the server; absent: chat completions under `json_schema`. */
  profile?: ServerProfile;
}

/**
 * Characters per token assumed when the server cannot tokenize: 3 (BPE vocabularies average about
 * 4 on English and code), so counts err high and context budgets stay safe.
 */
export const ESTIMATED_CHARS_PER_TOKEN = 3;

/** Tokens a chat template adds around each message (role markers), counted on top of its text. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * A stream that ended with no text, no finish reason and no end marker: the way llama-cpp-python
 * reports a failure it meets after answering 200 (a prompt larger than its context does this).
 */
class EmptyStreamError extends Error {}

/** One request's text, before it is read as an action. */
interface RawStep {
  raw: string;
  usage: StepUsage;
  firstTokenMs?: number;
  totalMs: number;
}

/** A model served over HTTP with the OpenAI chat-completions protocol (or Ollama's own). */
export class OpenAIModel implements LanguageModel {
  readonly info: ModelInfo;
  readonly profile: ServerProfile;
  private readonly client: ServerClient;
  private charsPerToken = ESTIMATED_CHARS_PER_TOKEN;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ strict: false, allErrors: false });

  constructor(private readonly options: OpenAIModelOptions) {
    this.profile = options.profile ?? assumedProfile(options.contextSize);
    this.client = new ServerClient(options.baseUrl, options.apiKey, options.maxResponseBytes ?? defaults.openai.maxResponseBytes);
    this.info = {
      name: options.model,
      backend: 'openai',
      contextSize: this.profile.contextSize,
      grammar: this.constraint === 'grammar',
      server: { ...this.profile.use },
    };
  }

  /** The constraint each step is decoded under. */
  get constraint(): ServerConstraint {
    return this.profile.use.constraint;
  }

  /**
   * Builds the model from config: asks the server what it is, its context and the strongest
   * constraint it takes (`openai.constraint` overrides), then its tokenizer's characters per token
   * on sample text where it can tokenize. Throws ModelSetupError when the server cannot be reached.
   */
  static async connect(config: Config, options: { signal?: AbortSignal } = {}): Promise<OpenAIModel> {
    const apiKey = process.env[config.openai.apiKeyEnv] || undefined;
    const profile = await detectServer({
      client: new ServerClient(config.openai.baseUrl, apiKey, config.openai.maxResponseBytes),
      model: config.openai.model,
      constraint: config.openai.constraint,
      contextSize: config.model.contextSize,
      timeoutMs: config.openai.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const model = new OpenAIModel({
      baseUrl: config.openai.baseUrl,
      model: config.openai.model,
      ...(apiKey ? { apiKey } : {}),
      timeoutMs: config.openai.timeoutMs,
      maxResponseBytes: config.openai.maxResponseBytes,
      retries: config.openai.retries,
      temperature: config.model.temperature,
      maxTokens: config.model.maxTokens,
      profile,
    });
    await model.calibrate(options.signal);
    return model;
  }

  /** Learns the tokenizer's density from the server's tokenize route, where it has one; silent otherwise. */
  async calibrate(signal?: AbortSignal): Promise<void> {
    if (!this.profile.tokenizer) return;
    const timeout = AbortSignal.timeout(Math.min(5000, this.options.timeoutMs));
    try {
      const count = await this.countTokensExact(CALIBRATION_TEXT, signal ? AbortSignal.any([signal, timeout]) : timeout);
      if (count > 0) this.charsPerToken = Math.max(1, (CALIBRATION_TEXT.length / count) * 0.9);
    } catch {
      // no tokenize route after all: keep the conservative estimate
    }
  }

  /** Estimated from the server tokenizer's measured density (or 3 chars/token); errs high. */
  countTokens(text: string): number {
    return Math.ceil(text.length / this.charsPerToken);
  }

  /** Exact count from the server's tokenize route (llama.cpp, llama-cpp-python, vLLM); rejects where it has none. */
  async countTokensExact(text: string, signal: AbortSignal = AbortSignal.timeout(this.options.timeoutMs)): Promise<number> {
    const tokenizer = this.profile.tokenizer;
    if (!tokenizer) throw new Error(`${this.profile.use.kind} has no tokenize route`);
    const answer = await this.client.json(tokenizer.url, signal, tokenizer.body(text));
    const count = answer.status === 200 ? tokenizer.count(answer.body) : undefined;
    if (count === undefined) throw new Error(`${tokenizer.url} answered ${answer.status} without tokens`);
    return count;
  }

  async dispose(): Promise<void> {}

  async next(messages: ChatMessage[], actionSchema: GbnfJsonSchema, options: NextOptions = {}): Promise<StepResult> {
    if (options.text && this.constraint !== 'grammar') {
      throw new ModelError(
        'grammar',
        `The model server takes no GBNF grammar (it is used with ${this.constraint}), so it cannot take the text protocol; use agent.actionFormat "json".`,
      );
    }
    const promptTokens = messages.reduce((n, m) => n + this.countTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 0);
    if (promptTokens >= this.info.contextSize) {
      throw new ModelError(
        'context_overflow',
        `The conversation is about ${promptTokens} tokens but the server's context holds ${this.info.contextSize} ` +
          `(${this.info.server?.contextFrom ?? 'assumed'}). Clear the conversation or unpin files.`,
      );
    }
    const read = this.reader(actionSchema, options.text);
    const first = await this.withRetries(messages, actionSchema, options);
    try {
      return result(read(first.raw), first, promptTokens, this);
    } catch (error) {
      if (this.constraint !== 'json_object' || !(error instanceof ModelError) || error.code !== 'invalid_output') throw error;
      // json_object constrains only the syntax: show the model its fault once
      const again = [
        ...messages,
        { role: 'assistant' as const, content: first.raw },
        { role: 'user' as const, content: `[That reply is not a valid action: ${error.message} Reply with one JSON action object as described.]` },
      ];
      const second = await this.withRetries(again, actionSchema, options);
      const both: RawStep = {
        raw: second.raw,
        usage: {
          promptTokens: (first.usage.promptTokens ?? promptTokens) + (second.usage.promptTokens ?? promptTokens),
          completionTokens: (first.usage.completionTokens ?? this.countTokens(first.raw)) + (second.usage.completionTokens ?? this.countTokens(second.raw)),
          cachedTokens: (first.usage.cachedTokens ?? 0) + (second.usage.cachedTokens ?? 0),
        },
        ...(first.firstTokenMs !== undefined ? { firstTokenMs: first.firstTokenMs } : {}),
        totalMs: first.totalMs + second.totalMs,
      };
      try {
        return result(read(second.raw), both, promptTokens, this);
      } catch (retryError) {
        if (!(retryError instanceof ModelError) || retryError.code !== 'invalid_output') throw retryError;
        throw new ModelError(
          'invalid_output',
          `The server's reply was not a valid action, twice (it takes only json_object, which checks the syntax, not the action's shape): ` +
            `${retryError.message}`,
          { partial: second.raw },
        );
      }
    }
  }

  /** How a step's text becomes an action: the text protocol's reader, or JSON; either way checked against the schema. */
  private reader(schema: GbnfJsonSchema, text: NextOptions['text']): (raw: string) => Action {
    const validate = this.validatorFor(schema);
    const check = (action: unknown, raw: string): Action => {
      if (!validateAction(validate, action)) {
        const e = actionFault(validate, action);
        throw new ModelError(
          'invalid_output',
          `The server's action does not match the schema at ${e?.instancePath || '(top)'}: ${e?.message}. Output: ${raw.slice(0, 200)}`,
        );
      }
      return checkActionShape(action, raw);
    };
    if (text) return (raw) => check(text.parse(raw), raw);
    return (raw) => {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw new ModelError('invalid_output', `The server returned text that is not JSON (constraint ${this.constraint}): ${raw.slice(0, 200)}`);
      }
      return check(value, raw);
    };
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

  /** One request, retried after connection errors, 5xx and 429. */
  private async withRetries(messages: ChatMessage[], schema: GbnfJsonSchema, options: NextOptions): Promise<RawStep> {
    const retryDelay = this.options.retryDelayMs ?? 500;
    const grammar = this.constraint === 'grammar' ? (options.text?.grammar ?? (await this.schemaGrammar(schema))) : undefined;
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw new ModelError('aborted', 'The step was cancelled.');
      try {
        try {
          return await this.request(messages, schema, grammar, options, true);
        } catch (error) {
          if (!(error instanceof EmptyStreamError)) throw error;
          // the same request unstreamed, where the server can say what went wrong
          return await this.request(messages, schema, grammar, options, false);
        }
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        if (attempt >= this.options.retries) {
          throw new ModelError('server', `${error.message} (gave up after ${attempt + 1} attempts).`, { cause: error });
        }
        await wait(error.retryAfterMs ?? retryDelay * 2 ** attempt, options.signal);
      }
    }
  }

  private async schemaGrammar(schema: GbnfJsonSchema): Promise<string> {
    try {
      return await jsonSchemaGbnf(schema);
    } catch (error) {
      throw new ModelError('grammar', `The action's grammar cannot be built: ${(error as Error).message}`, { cause: error });
    }
  }

  /** One attempt. Throws RetryableError for what a retry may fix, ModelError otherwise. */
  private async request(messages: ChatMessage[], schema: GbnfJsonSchema, grammar: string | undefined, options: NextOptions, stream: boolean): Promise<RawStep> {
    const { wire } = this.profile;
    const streamed = stream || wire === 'ollama';
    const url = wire === 'ollama' ? `${this.client.root}/api/chat` : this.client.v1('/chat/completions');
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new ModelError('timeout', `The server at ${this.options.baseUrl} did not finish the step within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    const onAbort = () => controller.abort(new ModelError('aborted', 'The step was cancelled.'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    let firstTokenMs: number | undefined;
    let raw = '';
    try {
      const body = stepBody({
        wire,
        model: this.options.model,
        // only what the wire knows: a strict server refuses a message field of ours (sharedChars)
        messages: messages.map(({ role, content }) => ({ role, content })),
        constraint: this.constraint,
        ...(grammar !== undefined ? { grammar } : {}),
        schema,
        temperature: options.temperature ?? this.options.temperature ?? 0.2,
        maxTokens: options.maxTokens ?? this.options.maxTokens ?? 1024,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(this.profile.numCtx ? { numCtx: this.profile.numCtx } : {}),
        stream: streamed,
      });
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { ...this.client.headers(true), accept: !streamed ? 'application/json' : wire === 'ollama' ? 'application/x-ndjson' : 'text/event-stream' },
          body: JSON.stringify(body),
          signal: controller.signal,
        });
      } catch (error) {
        if (controller.signal.aborted) throw controller.signal.reason;
        throw new RetryableError(`Cannot reach the model server at ${url}: ${describeFetchError(error)}. Is it running?`);
      }
      if (!response.ok) throw await this.failure(response);
      let finish: string | undefined;
      let ended = false;
      let usage: StepUsage = {};
      const maxBytes = this.client.maxResponseBytes;
      const events = !streamed
        ? (async function* (client: ServerClient) {
            yield await client.read(response, controller.signal);
          })(this.client)
        : wire === 'ollama'
          ? readNdjson(response, maxBytes, this.options.baseUrl, controller.signal)
          : readSse(response, maxBytes, this.options.baseUrl, controller.signal);
      const decode = !streamed ? decodeChatCompletion : wire === 'ollama' ? decodeOllamaLine : decodeChatEvent;
      try {
        for await (const data of events) {
          let event: StreamEvent;
          try {
            event = decode(data);
          } catch {
            throw new ModelError('server', `The model server sent a malformed stream event: ${data.slice(0, 200)}`);
          }
          if (event.error) throw new ModelError('server', `The model server failed mid-answer: ${event.error}`);
          if (event.piece) {
            firstTokenMs ??= performance.now() - started;
            raw += event.piece;
            options.onToken?.(event.piece);
          }
          if (event.finish) finish = event.finish;
          if (event.usage) usage = { ...usage, ...event.usage };
          if (event.done) {
            ended = true;
            break;
          }
        }
      } catch (error) {
        if (controller.signal.aborted) throw controller.signal.reason;
        if (error instanceof ModelError) throw error;
        if (raw === '') throw new RetryableError(`The connection to ${url} broke: ${describeFetchError(error)}`);
        throw new ModelError('server', `The connection to ${url} broke mid-answer: ${describeFetchError(error)}`, { cause: error });
      }
      if (raw === '' && finish === undefined && !ended) {
        if (stream && wire === 'chat') throw new EmptyStreamError();
        throw new ModelError('server', `The model server at ${this.options.baseUrl} ended its answer without any text or a reason. Its log should say why.`);
      }
      if (finish === 'length') {
        throw new ModelError(
          'invalid_output',
          'The action was cut off at the token limit without completing. Ask for a shorter step or raise model.maxTokens.',
          { cutOff: true, partial: raw },
        );
      }
      return { raw, usage, ...(firstTokenMs !== undefined ? { firstTokenMs } : {}), totalMs: performance.now() - started };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (!controller.signal.aborted) controller.abort();
    }
  }

  /**
   * The error for a failed answer. A context overflow is `context_overflow`, and when the server
   * named its context the model takes it (the next turn is sized to what the server holds).
   */
  private async failure(response: Response): Promise<Error> {
    const fault = await readServerFault(response, this.client.maxResponseBytes, this.options.baseUrl);
    if (fault.overflow) {
      if (fault.contextSize && fault.contextSize !== this.info.contextSize) {
        this.info.contextSize = fault.contextSize;
        if (this.info.server) this.info.server = { ...this.info.server, contextFrom: "the server's context-overflow error", contextAssumed: false };
      }
      return new ModelError(
        'context_overflow',
        `The model server says the conversation does not fit its ` +
          `context${fault.contextSize ? ` of ${fault.contextSize} tokens (the next turn is sized to it)` : ''}: ` +
          `${fault.message.replace(/[.\s]+$/, '')}. Clear the conversation or unpin files.`,
      );
    }
    const text = `The model server answered ${response.status}: ${fault.message}`;
    if (response.status === 429 || response.status >= 500) return new RetryableError(text, retryAfter(response));
    return new ModelError('server', text);
  }
}

/** The step's result from its text, usage and timings (estimates where the server reported none). */
function result(action: Action, step: RawStep, promptTokens: number, model: OpenAIModel): StepResult {
  return {
    action,
    raw: step.raw,
    usage: {
      promptTokens: step.usage.promptTokens ?? promptTokens,
      completionTokens: step.usage.completionTokens ?? model.countTokens(step.raw),
      cachedTokens: step.usage.cachedTokens ?? 0,
    },
    timings: { firstTokenMs: Math.round(step.firstTokenMs ?? step.totalMs), totalMs: Math.round(step.totalMs) },
  };
}

const CALIBRATION_TEXT =
  'function parseConfig(path: string): Config {\n  const text = readFileSync(path, "utf8");\n  return JSON.parse(text) as Config;\n}\n' +
  'The tests fail because the parser does not handle empty files. Read the file, then fix the bug.';
