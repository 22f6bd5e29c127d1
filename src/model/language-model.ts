/**
 * The model as the agent sees it. Backends (`embedded`, `openai`) own their chat
 * templates; the agent passes plain messages and an action schema and gets back one action.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /**
   * System message only: its first `sharedChars` characters are the same in every session of this
   * setup (system prompt, tools, instructions); the rest (repo map, pinned files) is this turn's.
   * An engine may cache the shared part on its own.
   */
  sharedChars?: number;
}

/** One model step: a thought, then a tool call (or `answer`, which ends the turn). */
export interface Action {
  thought: string;
  tool: string;
  args: Record<string, unknown>;
}

export interface ModelInfo {
  name: string;
  backend: 'embedded' | 'openai' | 'scripted';
  /** Context size in tokens actually in use. */
  contextSize: number;
  /** Whether a step can be constrained by a GBNF grammar (`NextOptions.text`), so the text protocol can be used. */
  grammar?: boolean;
  /** `openai` only: what the server is, the constraint each step is decoded under, where the context size came from. */
  server?: ServerUse;
  /** Embedded only: file path, load time and memory after load. */
  path?: string;
  loadMs?: number;
  memoryBytes?: number;
}

/** How an `openai` backend uses its server (the banner shows it). */
export interface ServerUse {
  /** What answered: `llama.cpp`, `Ollama 0.6.2`, `vLLM`, `llama-cpp-python`, `LM Studio`, `an OpenAI-compatible server`. */
  kind: string;
  /** `grammar`: GBNF; `json_schema`: the action schema; `json_object`: any JSON, validated here (one retry with the error). */
  constraint: 'grammar' | 'json_schema' | 'json_object';
  /** Why this constraint: the server is known to take it, a probe request showed it, `openai.constraint` chose it, or nothing stronger answered. */
  constraintFrom: 'server' | 'probe' | 'config' | 'fallback';
  /** Where `contextSize` came from, e.g. `/props`, `/api/show, sent as num_ctx`, `model.contextSize`. */
  contextFrom: string;
  /** Nothing said the context size: `contextSize` is the conservative default. */
  contextAssumed: boolean;
}

export interface NextOptions {
  signal?: AbortSignal;
  /** The step fails with ModelError('timeout') after this long. */
  timeoutMs?: number;
  /** Called with each piece of generated text as it streams. */
  onToken?: (text: string) => void;
  temperature?: number;
  seed?: number;
  maxTokens?: number;
  /**
   * The text protocol (action-protocol.ts): the GBNF grammar the output must follow and the reader
   * that turns it into an action, which must still match the action schema. Only for models whose
   * `info.grammar` is true; absent: the action is JSON constrained by the schema.
   */
  text?: {
    grammar: string;
    parse(raw: string): Action;
    /**
     * Called with the text generated so far; a string ends the step early with that text as the
     * whole output (it must be a complete action: `wastedBlockStop` drops a block that changes nothing).
     */
    stopEarly?(soFar: string): string | undefined;
    /** Called like `stopEarly`; a string (what the model repeats) ends the step as cut off (`ModelError.cutOff`), since it would run to the token limit. */
    loops?(soFar: string): string | undefined;
  };
}

export interface StepResult {
  action: Action;
  /** The generated JSON text. */
  raw: string;
  usage: {
    promptTokens: number;
    completionTokens: number;
    /** Prompt tokens served from the KV cache (not re-evaluated). */
    cachedTokens: number;
  };
  /** `threads`: CPU threads the embedded engine ran the step on (chosen per step from the load). */
  timings: { firstTokenMs: number; totalMs: number; threads?: number };
}

export type ModelErrorCode = 'timeout' | 'aborted' | 'engine' | 'server' | 'grammar' | 'context_overflow' | 'invalid_output';

/** A failed model step, with a message a person can act on. Never a hang, never a raw crash. */
export class ModelError extends Error {
  /** The step reached its token limit before the action was complete (an OpenAI server says finish_reason "length"). */
  readonly cutOff: boolean;
  /** What the model wrote before it was cut off (for the session log). */
  readonly partial?: string;
  /** Cut off because it wrote the same line(s) over and over (it would have run to the token limit). */
  readonly looped: boolean;

  constructor(
    readonly code: ModelErrorCode,
    message: string,
    options?: { cause?: unknown; cutOff?: boolean; partial?: string; looped?: boolean },
  ) {
    super(message, options);
    this.name = 'ModelError';
    this.cutOff = options?.cutOff ?? false;
    this.looped = options?.looped ?? false;
    if (options?.partial !== undefined) this.partial = options.partial;
  }
}

/**
 * A fill-in-the-middle request: the code before and after a gap in `path`, and other files of the
 * project the model may read first (repository-level context, where the model has tokens for it).
 */
export interface InfillRequest {
  path: string;
  prefix: string;
  suffix: string;
  /** Other files, most relevant last (nearest to the gap). */
  files?: Array<{ path: string; text: string }>;
  /**
   * Text the middle begins with, read after the prompt's middle token (not part of what is
   * returned): a try that goes on from what an earlier one wrote reads only it, where the same text
   * at the end of the prefix made the engine read the whole suffix again.
   */
  lead?: string;
  maxTokens: number;
  /** Text that ends the middle when generated (not part of it). */
  stops?: string[];
  signal?: AbortSignal;
  timeoutMs?: number;
  /** 0 or absent: greedy, the most usual text. Above 0: sampled (top-k 40, top-p 0.95), another text per `seed`. */
  temperature?: number;
  seed?: number;
  /**
   * Prose the middle ends before two comment lines in a row copy (text/comment-prose.ts): the
   * comments put above the gap, which a small model copies in place of code (cut where they begin).
   */
  copiedProse?: string;
  /**
   * Lines the gap's first line may not be, spaces at the ends aside (that line is the prefix's last
   * with what the middle writes on it): the middle stops once it is one, as written so far. A test
   * of a bug report's case begun after the file's tests was, as often as not, one of them copied
   * under its own name (go-fix-stack's `func TestPopIsLIFO`), 9-13 s of writing thrown away.
   */
  notFirstLines?: readonly string[];
  /**
   * A line comment's marker (`#`, `//`): the middle may not open with such a comment (spaces before
   * its first code aside; model/code-first.ts): a try again at a gap whose middle held no code, or
   * code under comments the model tends to write again (a script's lines under the request).
   */
  codeFirst?: string;
}

/**
 * Lines of `path` for the model to read after `prefix` (with `files` before, as for an infill), to
 * say where it doubts them (token-doubts.ts).
 */
export interface DoubtRequest {
  path: string;
  prefix: string;
  lines: string[];
  /** Which lines may carry a doubt (absent: all); the others are only read. */
  doubtable?: boolean[];
  files?: Array<{ path: string; text: string }>;
  /** Doubts returned at most, strongest first. */
  maxDoubts: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** A token of a line the model would not have written: the line with its own token put in, and as it writes the line on from there. */
export interface LineDoubt {
  /** 0-based index in the request's lines. */
  line: number;
  /** How much the model prefers its token (a difference of logits; 0 would be none). */
  gap: number;
  /** The line with the model's token in place of the doubted one (absent when that breaks the line). */
  substituted?: string;
  /**
   * The line up to the doubted token, then what the model writes to the line's end, and on over the
   * next lines while it leaves brackets open that the line had closed (at most 4 lines in all;
   * absent when it does not end by then).
   */
  continued?: string;
}

export interface LanguageModel {
  readonly info: ModelInfo;
  /** Where the model doubts the given lines (see token-doubts.ts); undefined when the model cannot say. Rejects with ModelError. */
  doubts?(request: DoubtRequest): Promise<LineDoubt[] | undefined>;
  /**
   * The text that fills the gap between `prefix` and `suffix` (the model's fill-in-the-middle
   * tokens); undefined when the model has none. Rejects with ModelError.
   */
  infill?(request: InfillRequest): Promise<string | undefined>;
  /** Tokens in `text` by the model's own tokenizer (an estimate only where no tokenizer is reachable). */
  countTokens(text: string): number;
  /** Generates one action constrained to `actionSchema`. Rejects with ModelError. */
  next(messages: ChatMessage[], actionSchema: GbnfJsonSchema, options?: NextOptions): Promise<StepResult>;
  dispose(): Promise<void>;
}

/**
 * A model that cannot be used at all (none configured, not a GGUF, corrupt, too large for memory,
 * no engine binary). Raised before anything else happens; the message says what to do. The CLI
 * prints only the message.
 */
export class ModelSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelSetupError';
  }
}
