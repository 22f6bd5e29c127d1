/**
 * The HTTP side of the `openai` backend: one client that knows the server's address, key and
 * answer cap, capped body readers (whole, server-sent events, newline-delimited JSON), and the
 * reading of error answers (including a context overflow, whatever words the server uses).
 */
import { ModelError } from './language-model.ts';

/** A failure a retry may fix (connection error, 5xx, 429). */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (no HTTP answer). */
export class UnreachableError extends Error {}

/** A JSON answer to a probe: the status, and the body when it parsed (else undefined). */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** The server's address, credentials and answer cap, shared by probes and steps. */
export class ServerClient {
  constructor(
    /** e.g. `http://127.0.0.1:8080/v1` */
    readonly baseUrl: string,
    private readonly apiKey: string | undefined,
    readonly maxResponseBytes: number,
  ) {}

  /** The server root: baseUrl without a trailing `/v1` (where llama.cpp serves `/props`, Ollama `/api/*`). */
  get root(): string {
    return this.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  }

  /** `baseUrl` + path (the OpenAI routes: `/chat/completions`, `/models`). */
  v1(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  headers(json = false): Record<string, string> {
    return { ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) };
  }

  /**
   * GET (or POST `body`) `url` and read a capped JSON answer. Throws UnreachableError when no HTTP
   * answer came (refused, reset, DNS), ModelError('timeout') when `signal` fired by its timeout.
   */
  async json(url: string, signal: AbortSignal, body?: unknown): Promise<JsonAnswer> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: this.headers(body !== undefined),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new ModelError('timeout', `${url} did not answer in time.`);
      throw new UnreachableError(`Cannot reach the model server at ${url}: ${describeFetchError(error)}`, { cause: error });
    }
    const text = await this.read(response, signal);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  }

  /** The body as text, failing (and dropping the connection) once it passes maxResponseBytes. */
  async read(response: Response, signal?: AbortSignal): Promise<string> {
    let text = '';
    for await (const piece of readBody(response, this.maxResponseBytes, this.baseUrl, signal)) text += piece;
    return text;
  }
}

/**
 * The body's text, decoded piece by piece; throws ModelError('server') as soon as more than
 * `maxBytes` arrived (the connection is then dropped), so a runaway server cannot fill memory.
 */
export async function* readBody(response: Response, maxBytes: number, server: string, signal?: AbortSignal): AsyncGenerator<string> {
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
export async function* readSse(response: Response, maxBytes: number, server: string, signal: AbortSignal): AsyncGenerator<string> {
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

/** The lines of a newline-delimited JSON body (Ollama's stream), read through `readBody`. */
export async function* readNdjson(response: Response, maxBytes: number, server: string, signal: AbortSignal): AsyncGenerator<string> {
  let buffer = '';
  for await (const piece of readBody(response, maxBytes, server, signal)) {
    buffer += piece;
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (line) yield line;
    }
  }
  if (buffer.trim()) yield buffer.trim();
}

/** An error answer as the server put it. */
export interface ServerFault {
  message: string;
  /** The server said the prompt does not fit its context. */
  overflow: boolean;
  /** The context size the server named in that error, when it named one. */
  contextSize?: number;
}

/**
 * Reads an error answer: its message, and whether it is a context overflow (llama.cpp's
 * `exceed_context_size_error` with `n_ctx`; "maximum context length is N tokens" from OpenAI,
 * vLLM and llama-cpp-python; "exceed context window of N" from llama-cpp-python).
 */
export async function readServerFault(response: Response, maxBytes: number, server: string): Promise<ServerFault> {
  let text = '';
  try {
    for await (const piece of readBody(response, Math.min(maxBytes, 64 * 1024), server)) text += piece;
  } catch {
    // an error body that is too long or broken: what arrived is enough to show
  }
  let message = '';
  let nCtx: unknown;
  let type: unknown;
  try {
    const body = JSON.parse(text) as { error?: { message?: string; type?: string; n_ctx?: number } | string; message?: string; detail?: unknown };
    if (typeof body.error === 'string') message = body.error;
    else {
      message = body.error?.message ?? body.message ?? (typeof body.detail === 'string' ? body.detail : '');
      nCtx = body.error?.n_ctx;
      type = body.error?.type;
    }
  } catch {
    // not JSON
  }
  message ||= text.trim().slice(0, 500) || response.statusText || 'no message';
  const named = /maximum context length is (\d+)/i.exec(message) ?? /context window of (\d+)/i.exec(message);
  const overflow =
    type === 'exceed_context_size_error' ||
    /context_length_exceeded|exceeds? the available context size|maximum context length|exceed context window/i.test(message);
  const contextSize = typeof nCtx === 'number' && nCtx > 0 ? nCtx : named ? Number(named[1]) : undefined;
  return { message, overflow, ...(overflow && contextSize ? { contextSize } : {}) };
}

export function retryAfter(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : undefined;
}

export function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

/** Waits `ms`, rejecting with ModelError('aborted') if `signal` fires first. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
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
