/**
 * What the `openai` backend sends and reads for one step, per wire and constraint:
 *
 * - `chat` (`POST {baseUrl}/chat/completions`, server-sent events): the constraint as `grammar`
 *   (GBNF: llama.cpp, llama-cpp-python), `response_format: json_schema` (strict form), or
 *   `response_format: json_object`;
 * - `ollama` (`POST {root}/api/chat`, newline-delimited JSON): the schema (or "json") as `format`,
 *   and `options.num_ctx`, which Ollama's OpenAI route cannot take.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { actionGbnfText } from './action-grammar.ts';
import type { ChatMessage } from './language-model.ts';
import type { ServerConstraint, Wire } from './openai-server.ts';

/** One step's request. */
export interface StepRequest {
  wire: Wire;
  model: string;
  messages: ChatMessage[];
  constraint: ServerConstraint;
  /** The GBNF text, for `grammar`. */
  grammar?: string;
  schema: GbnfJsonSchema;
  temperature: number;
  maxTokens: number;
  seed?: number;
  numCtx?: number;
  /** false: one JSON answer instead of a stream (chat wire only). Default true. */
  stream?: boolean;
}

/** The JSON body of a step's request. */
export function stepBody(request: StepRequest): Record<string, unknown> {
  const { constraint } = request;
  switch (request.wire) {
    case 'chat':
      return {
        model: request.model,
        messages: request.messages,
        ...(request.stream === false ? { stream: false } : { stream: true, stream_options: { include_usage: true } }),
        temperature: request.temperature,
        max_tokens: request.maxTokens,
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
        ...(constraint === 'grammar'
          ? { grammar: request.grammar }
          : constraint === 'json_schema'
            ? { response_format: { type: 'json_schema', json_schema: { name: 'action', strict: true, schema: toStrictJsonSchema(request.schema) } } }
            : { response_format: { type: 'json_object' } }),
      };
    case 'ollama':
      return {
        model: request.model,
        messages: request.messages,
        stream: true,
        format: constraint === 'json_schema' ? toStrictJsonSchema(request.schema) : 'json',
        options: {
          ...(request.numCtx ? { num_ctx: request.numCtx } : {}),
          temperature: request.temperature,
          num_predict: request.maxTokens,
          ...(request.seed !== undefined ? { seed: request.seed } : {}),
        },
      };
    default:
      return request.wire satisfies never;
  }
}

/** Token counts a server reports for a step. */
export interface StepUsage {
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
}

/** One decoded stream event: a piece of text, the finish reason, usage, or a mid-stream error. */
export interface StreamEvent {
  piece?: string;
  finish?: string;
  usage?: StepUsage;
  error?: string;
  /** The stream says it is over. */
  done?: boolean;
}

/** Decodes one server-sent event of chat completions. Throws SyntaxError on malformed JSON. */
export function decodeChatEvent(data: string): StreamEvent {
  if (data === '[DONE]') return { done: true };
  const chunk = JSON.parse(data) as {
    choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
    usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
    error?: { message?: string } | string;
  };
  if (chunk.error) return { error: typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? JSON.stringify(chunk.error)) };
  const choice = chunk.choices?.[0];
  return {
    ...(choice?.delta?.content ? { piece: choice.delta.content } : {}),
    ...(choice?.finish_reason ? { finish: choice.finish_reason } : {}),
    ...(chunk.usage
      ? {
          usage: {
            ...(chunk.usage.prompt_tokens !== undefined ? { promptTokens: chunk.usage.prompt_tokens } : {}),
            ...(chunk.usage.completion_tokens !== undefined ? { completionTokens: chunk.usage.completion_tokens } : {}),
            ...(chunk.usage.prompt_tokens_details?.cached_tokens !== undefined ? { cachedTokens: chunk.usage.prompt_tokens_details.cached_tokens } : {}),
          },
        }
      : {}),
  };
}

/** Decodes a whole (unstreamed) chat completion as one event. Throws SyntaxError on malformed JSON. */
export function decodeChatCompletion(text: string): StreamEvent {
  const body = JSON.parse(text) as {
    choices?: Array<{ message?: { content?: string | null }; finish_reason?: string | null }>;
    usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
    error?: { message?: string } | string;
  };
  const choice = body.choices?.[0];
  const event = decodeChatEvent(
    JSON.stringify({
      ...(body.error ? { error: body.error } : {}),
      choices: [{ delta: { content: choice?.message?.content ?? null }, finish_reason: choice?.finish_reason ?? null }],
      usage: body.usage,
    }),
  );
  return { ...event, done: true };
}

/** Decodes one line of Ollama's `/api/chat` stream. Throws SyntaxError on malformed JSON. */
export function decodeOllamaLine(line: string): StreamEvent {
  const chunk = JSON.parse(line) as {
    message?: { content?: string };
    done?: boolean;
    done_reason?: string;
    prompt_eval_count?: number;
    eval_count?: number;
    error?: string;
  };
  if (chunk.error) return { error: chunk.error };
  return {
    ...(chunk.message?.content ? { piece: chunk.message.content } : {}),
    ...(chunk.done
      ? {
          done: true,
          finish: chunk.done_reason ?? 'stop',
          usage: {
            ...(chunk.prompt_eval_count !== undefined ? { promptTokens: chunk.prompt_eval_count } : {}),
            ...(chunk.eval_count !== undefined ? { completionTokens: chunk.eval_count } : {}),
          },
        }
      : {}),
  };
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

type SchemaToGbnf = (schema: Readonly<GbnfJsonSchema>) => string;
let schemaToGbnf: Promise<SchemaToGbnf> | undefined;

/**
 * The GBNF of a JSON action schema for a grammar server: the same text the embedded engine decodes
 * under (node-llama-cpp's generator, hardened and left-factored by action-grammar.ts). The
 * generator is node-llama-cpp's own module, loaded by file (the package exports it only through a
 * `Llama`, which a server client has no reason to load).
 */
export async function jsonSchemaGbnf(schema: GbnfJsonSchema): Promise<string> {
  schemaToGbnf ??= import(new URL('./utils/gbnfJson/getGbnfGrammarForGbnfJsonSchema.js', import.meta.resolve('node-llama-cpp')).href).then(
    (module: { getGbnfGrammarForGbnfJsonSchema: SchemaToGbnf }) => module.getGbnfGrammarForGbnfJsonSchema,
  );
  return actionGbnfText((await schemaToGbnf)(schema));
}
