/**
 * The `embedded` backend: a GGUF run in-process by node-llama-cpp. One context sequence is kept
 * for the life of the model, so a follow-up step re-evaluates only what changed after the shared
 * prefix (KV-cache reuse); `usage.cachedTokens` reports how much was served from the cache.
 */
import os from 'node:os';
import path from 'node:path';
import {
  getLlama,
  LlamaChat,
  LlamaLogLevel,
  NoBinaryFoundError,
  type ChatHistoryItem,
  type GbnfJsonSchema,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
  type TokenBias,
} from 'node-llama-cpp';
import type { ValidateFunction } from 'ajv';
import { compileActionValidator, createActionGrammar, parseActionText, type ActionGrammar } from './action-grammar.ts';
import { actionFault, validateAction } from './action-shape.ts';
import { watchGeneration, isEngineError } from './engine-guard.ts';
import { inspectGgufFile } from './gguf-file.ts';
import { generateInfill, readAhead } from './infill.ts';
import { findDoubts } from './token-doubts.ts';
import { defaultKvCacheDir, fillStablePrefix, KvStateCache, modelFileIdentity, type KvPrefixCache } from './kv-state-cache.ts';
import {
  ModelError,
  ModelSetupError,
  type Action,
  type ChatMessage,
  type DoubtRequest,
  type InfillRequest,
  type LineDoubt,
  type LanguageModel,
  type ModelInfo,
  type NextOptions,
  type StepResult,
} from './language-model.ts';

export interface EmbeddedModelOptions {
  /** Path of the GGUF file. */
  path: string;
  /** Display name (default: the file name). */
  name?: string;
  /** Context size in tokens; `0` or absent: the model's training context, capped to what memory allows. */
  contextSize?: number;
  /**
   * CPU threads; `0` or absent: chosen before each step, up to the core count, leaving out cores
   * that other processes keep busy (see `chooseThreads`).
   */
  threads?: number;
  gpu?: 'auto' | false;
  /** Defaults for each step (overridden by NextOptions). */
  temperature?: number;
  maxTokens?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Load progress, 0..1. */
  onProgress?: (fraction: number) => void;
  /**
   * TEST HOOK for random-weight models: a token bias applied to every step (e.g. banning byte
   * tokens). Real models never need it.
   */
  tokenBias?: (model: LlamaModel) => TokenBias;
  /**
   * Directory of the persistent KV-state cache of the stable prompt prefix (see kv-state-cache.ts);
   * `false` disables it. Default: `defaultKvCacheDir()` (`$ASSIST_KV_CACHE_DIR`, `off` to disable).
   */
  kvCacheDir?: string | false;
}

const llamas = new Map<string, Promise<Llama>>();

/** One node-llama-cpp instance per GPU setting per process. Never builds from source. */
export function loadLlama(gpu: 'auto' | false): Promise<Llama> {
  const key = String(gpu);
  let llama = llamas.get(key);
  if (!llama) {
    llama = getLlama({ build: 'never', gpu, logLevel: LlamaLogLevel.error }).catch((error: unknown) => {
      llamas.delete(key);
      if (error instanceof NoBinaryFoundError) {
        throw new ModelSetupError(
          'No prebuilt llama.cpp binary matches this machine. Reinstall with `npm install` (it brings @node-llama-cpp/<platform>), ' +
            'or use the `openai` backend with a model server.',
          { cause: error },
        );
      }
      throw error;
    });
    llamas.set(key, llama);
  }
  return llama;
}

/** The machine's cores: the most threads a step may use. */
export function coreCount(): number {
  return Math.max(1, os.availableParallelism());
}

/**
 * One fixed thread count for callers that need a number now (a bench, a one-off context): what
 * `chooseThreads` picks for the 1-minute load average. EmbeddedModel without `threads` instead
 * chooses before every step.
 */
export function defaultThreads(): number {
  return chooseThreads(coreCount(), os.loadavg()[0]);
}

/**
 * Threads for the next step, from the cores and how many cores other processes kept busy lately.
 * llama.cpp's threads wait on each other at every layer, so a thread without a core of its own
 * stalls them all: measured on the 2-core machine with SmolLM2-135M, 2 threads on an otherwise
 * idle machine evaluated prompts ~2x faster than 1 thread (237-275 vs 131-161 tokens/s) and
 * generated about as fast (63-67 vs 68-83 tokens/s), but with other processes busy they collapsed
 * to 2-7 tokens/s against 56-81 for 1 thread. So a step takes a core only if it is (nearly) free.
 */
export function chooseThreads(cores: number, othersBusyCores: number): number {
  return Math.max(1, Math.min(cores, Math.floor(cores - Math.max(0, othersBusyCores) + 0.2)));
}

/**
 * How many cores other processes kept busy since the last reading: all CPU time the OS counted
 * minus this process's own. The first reading is the 1-minute load average; a reading less than
 * 200 ms after the last one repeats the last value.
 */
export class OtherCpuLoad {
  private last?: { at: number; busyMs: number; ownMs: number };
  private value = 0;

  read(): number {
    const now = { at: performance.now(), busyMs: busyCpuMs(), ownMs: ownCpuMs() };
    const last = this.last;
    if (last && now.at - last.at < 200) return this.value;
    this.last = now;
    this.value = last ? Math.max(0, now.busyMs - last.busyMs - (now.ownMs - last.ownMs)) / (now.at - last.at) : os.loadavg()[0];
    return this.value;
  }

  /**
   * How many cores other processes keep busy now: a fresh reading over the next `ms`. The window
   * since the last step also holds the session's own work in other processes (the sandbox running
   * the tests just before a step), which is over by the time the step starts.
   */
  async now(ms = 250): Promise<number> {
    this.last = { at: performance.now(), busyMs: busyCpuMs(), ownMs: ownCpuMs() };
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.read();
  }
}

function busyCpuMs(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Lets a fixed thread count through the Llama instance's thread limit (shared by its contexts). */
function fixedThreads(llama: Llama, threads: number): number {
  if (llama.maxThreads !== 0 && llama.maxThreads < threads) llama.maxThreads = threads;
  return threads;
}

/** How long a step waits for a cancelled step's prompt evaluation to end before it calls the engine hung. */
const settleAfterCancelMs = 10 * 60_000;
/** How long it waits after a step the engine failed (a grammar error may leave a promise that never settles). */
const settleAfterFailureMs = 2000;

/**
 * Tokens of the infills' own context: the agent gives an infill at most 3,072 tokens of files and
 * gap plus the body it may write (agent.ts); its KV cache is ~230 MB for the 1.5B model.
 */
const infillContextSize = 8192;
const GiB = 1024 ** 3;
const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;

/** A GGUF loaded by node-llama-cpp, answering with grammar-constrained actions. */
export class EmbeddedModel implements LanguageModel {
  readonly info: ModelInfo;
  private sequence: LlamaContextSequence;
  private chat: LlamaChat;
  private readonly grammars = new Map<string, Promise<ActionGrammar>>();
  /** Compiled text-protocol grammars by their text; the workspace changes them, so only the latest few are kept. */
  private readonly textGrammars = new Map<string, Promise<LlamaGrammar>>();
  private readonly validators = new Map<string, ValidateFunction>();
  private queue: Promise<unknown> = Promise.resolve();
  /** The last generation; if it never settled (engine hang), the sequence is replaced before the next step. */
  private lastGeneration: Promise<unknown> = Promise.resolve();
  private lastSettled = true;
  /** Whether the last step was cancelled or timed out (its engine work ends soon) rather than failed in the engine. */
  private lastCancelled = false;
  private bias?: TokenBias;
  private readonly otherLoad = new OtherCpuLoad();
  private stepThreads: number;
  private readonly kvCache?: KvPrefixCache;
  /** The sequence holds an infill's tokens, not the chat's: cleared before the next step. */
  private holdsInfill = false;
  /** A small context of its own for infills, made at the first (undefined when it could not be made: the chat's sequence is used). */
  private infillSequence?: Promise<LlamaContextSequence | undefined>;
  private skipKvCacheOnce = false;

  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    private readonly options: EmbeddedModelOptions,
    info: ModelInfo,
    modelIdentity?: string,
  ) {
    this.info = info;
    const kvDir = options.kvCacheDir === undefined ? defaultKvCacheDir() : options.kvCacheDir;
    if (kvDir && modelIdentity) {
      const release = llama.llamaCppRelease;
      this.kvCache = {
        cache: new KvStateCache(kvDir),
        identity: { model: modelIdentity, engine: `${release.repo}@${release.release}/${String(llama.gpu)}/swaFull`, contextSize: context.contextSize },
      };
    }
    this.sequence = context.getSequence();
    this.chat = new LlamaChat({ contextSequence: this.sequence, chatWrapper: 'auto' });
    this.bias = options.tokenBias?.(model);
    this.stepThreads = options.threads || context.currentThreads;
  }

  /** Token counts of the model's one sequence (a bench reads how much of a prompt a step evaluated). */
  get tokenMeter(): LlamaContextSequence['tokenMeter'] {
    return this.sequence.tokenMeter;
  }

  /** Threads the last step used (fixed by `threads`, else chosen per step). */
  get threads(): number {
    return this.stepThreads;
  }

  /** Checks the file (GGUF, not corrupt, fits in free memory), then loads it. Throws ModelSetupError. */
  static async load(options: EmbeddedModelOptions): Promise<EmbeddedModel> {
    const started = performance.now();
    const llama = await loadLlama(options.gpu ?? 'auto');
    const summary = await inspectGgufFile(options.path, llama);
    const train = summary.trainContextSize ?? 4096;
    const minContext = Math.min(train, options.contextSize || 2048);
    const gpuLayers = llama.gpu === false ? 0 : summary.insights.totalLayers;
    const needed =
      summary.insights.estimateModelResourceRequirements({ gpuLayers }).cpuRam +
      summary.insights.estimateContextResourceRequirements({ contextSize: minContext, modelGpuLayers: gpuLayers, swaFullCache: true }).cpuRam;
    const ram = await llama.getRamState();
    if (needed > ram.free) {
      throw new ModelSetupError(
        `${path.basename(options.path)} needs about ${gib(needed)} of memory but only ${gib(ram.free)} is free. ` +
          'Close other programs, or choose a smaller model (`assist models list`).',
      );
    }
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: options.path,
        gpuLayers: llama.gpu === false ? 0 : 'auto',
        loadSignal: options.signal,
        onLoadProgress: options.onProgress,
      });
    } catch (error) {
      if (options.signal?.aborted) throw new ModelError('aborted', 'Loading the model was cancelled.', { cause: error });
      throw new ModelSetupError(
        `llama.cpp could not load ${options.path}: ${(error as Error).message}. The file may be corrupt or of an unsupported architecture.`,
        { cause: error },
      );
    }
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: options.contextSize ? Math.min(options.contextSize, train) : { max: train },
        // A fixed count, or up to every core with the count set per step through llama.maxThreads.
        threads: options.threads ? fixedThreads(llama, options.threads) : { ideal: fixedThreads(llama, coreCount()), min: 1 },
        sequences: 1,
        swaFullCache: true,
      });
    } catch (error) {
      await model.dispose();
      throw new ModelSetupError(
        `Not enough memory for a context for ${path.basename(options.path)}: ${(error as Error).message}. Set a smaller model.contextSize.`,
        { cause: error },
      );
    }
    const info: ModelInfo = {
      name: options.name ?? path.basename(options.path).replace(/\.gguf$/i, ''),
      backend: 'embedded',
      contextSize: context.contextSize,
      grammar: true,
      path: options.path,
      memoryBytes: model.size + context.stateSize,
    };
    const identity = await modelFileIdentity(options.path).catch(() => undefined);
    const loaded = new EmbeddedModel(llama, model, context, options, info, identity);
    // After the constructor: resolving the chat wrapper from the template is part of loading.
    info.loadMs = Math.round(performance.now() - started);
    return loaded;
  }

  /** The chat wrapper node-llama-cpp resolved from the model's own template (e.g. `ChatML`). */
  get chatWrapperName(): string {
    return this.chat.chatWrapper.wrapperName;
  }

  countTokens(text: string): number {
    return this.model.tokenize(text).length;
  }

  /**
   * Fill-in-the-middle, queued with the steps (see infill.ts), on a small context of its own, so
   * the chat's evaluated prompt is kept: on the chat's sequence, the step after an infill read its
   * whole prompt again (pyapp-fix-page-count: 4,780 tokens, 82 s, after an unchanged edit's
   * rewrite). When that context cannot be made (memory) or the prompt does not fit it, on the
   * chat's sequence, which the next step then clears.
   */
  infill(request: InfillRequest): Promise<string | undefined> {
    return this.enqueue(async () => {
      await this.settle(request.signal);
      await this.applyThreads();
      const own = await this.ownInfillSequence();
      if (own) {
        try {
          return await generateInfill(this.model, own, request);
        } catch (error) {
          // a file too long for the small context: on the chat's, which holds the whole context size
          if (!(error instanceof ModelError && error.code === 'context_overflow')) throw error;
        }
      }
      this.holdsInfill = true;
      return generateInfill(this.model, this.sequence, request);
    });
  }

  /**
   * Where the model doubts some lines (token-doubts.ts), queued with the steps, on the infills'
   * context (the files before the lines are the ones an infill of that file reads, so each reuses
   * the other's evaluated prompt); undefined when that context cannot be made or the lines do not fit it.
   */
  doubts(request: DoubtRequest): Promise<LineDoubt[] | undefined> {
    return this.enqueue(async () => {
      await this.settle(request.signal);
      await this.applyThreads();
      const own = await this.ownInfillSequence();
      if (!own) return undefined;
      try {
        return await findDoubts(this.model, own, request);
      } catch (error) {
        if (error instanceof ModelError && error.code === 'context_overflow') return undefined;
        throw error;
      }
    });
  }

  /** Runs `work` after what is queued on the engine (steps, infills, doubts run one at a time); a failure does not stop the queue. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The infill context's sequence, made once; undefined when it cannot be made. */
  private ownInfillSequence(): Promise<LlamaContextSequence | undefined> {
    this.infillSequence ??= this.model
      .createContext({
        contextSize: Math.min(this.context.contextSize, infillContextSize),
        threads: this.options.threads ? fixedThreads(this.llama, this.options.threads) : { ideal: fixedThreads(this.llama, coreCount()), min: 1 },
        sequences: 1,
        swaFullCache: true,
      })
      .then(
        (context) => context.getSequence(),
        () => undefined,
      );
    return this.infillSequence;
  }

  /**
   * Before a step or an infill: the last generation has settled, or the sequence is replaced. A
   * cancelled step stops at its next token: node-llama-cpp checks the signal between tokens, not
   * inside the prompt evaluation, so a step cancelled while it reads a long prompt keeps the engine
   * until that prompt is read (minutes for 12k tokens on one core; seen when the eval's task time
   * limit cancelled a step; a step now reads its prompt ahead a chunk at a time, so that wait is a
   * chunk's at most, but a generation cancelled between chunk and token is still waited for). Wait
   * for it (the new call's own cancel still works); only an engine still busy after that is treated
   * as hung. After an engine failure (not a cancel) the wait is
   * short: such a generation may never settle. (An infill that replaced the sequence without this
   * wait, right after a step the eval's time limit cancelled, left the engine failing every later
   * step with "Object is disposed".)
   */
  private async settle(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw new ModelError('aborted', 'The step was cancelled.');
    if (this.lastSettled) return;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const grace = new Promise((resolve) => {
      timer = setTimeout(resolve, this.lastCancelled ? settleAfterCancelMs : settleAfterFailureMs);
      onAbort = () => resolve(undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([this.lastGeneration.catch(() => undefined), grace]);
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted) throw new ModelError('aborted', 'The step was cancelled.');
    if (!this.lastSettled) await this.resetSequence();
  }

  /** Steps run one at a time on the single sequence. */
  next(messages: ChatMessage[], actionSchema: GbnfJsonSchema, options: NextOptions = {}): Promise<StepResult> {
    return this.enqueue(() => this.step(messages, actionSchema, options));
  }

  /**
   * Frees the context and the model. After a step that timed out while the engine was still
   * evaluating (llama.cpp finishes a prompt batch before it sees the abort), waiting could take
   * minutes: the native memory is then left to the process's exit instead.
   */
  async dispose(): Promise<void> {
    await this.queue;
    this.chat.dispose({ disposeSequence: true });
    if (!this.lastSettled) return;
    const infill = await this.infillSequence;
    await infill?.context.dispose();
    await this.context.dispose();
    await this.model.dispose();
  }

  /** The action grammar for `schema` (compiled once per schema). */
  grammarFor(schema: GbnfJsonSchema): Promise<ActionGrammar> {
    const key = JSON.stringify(schema);
    const cached = this.grammars.get(key);
    if (cached) return cached;
    const grammar = createActionGrammar(this.llama, schema);
    grammar.catch(() => this.grammars.delete(key));
    this.grammars.set(key, grammar);
    return grammar;
  }

  /** The compiled grammar of a text-protocol step (kept for the last few grammars). */
  private textGrammarFor(text: string): Promise<LlamaGrammar> {
    const cached = this.textGrammars.get(text);
    if (cached) return cached;
    const grammar = this.llama.createGrammar({ grammar: text });
    grammar.catch(() => this.textGrammars.delete(text));
    this.textGrammars.set(text, grammar);
    if (this.textGrammars.size > 8) this.textGrammars.delete(this.textGrammars.keys().next().value!);
    return grammar;
  }

  private validatorFor(schema: GbnfJsonSchema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = compileActionValidator(schema);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /**
   * Forgets the KV cache (the next step evaluates its whole prompt, without the persistent
   * prefix cache either); for benchmarks of cold starts.
   */
  async clearCache(): Promise<void> {
    await this.queue;
    await this.sequence.clearHistory();
    this.skipKvCacheOnce = true;
  }

  /**
   * Sets the threads of the next step: the fixed count, or what the machine's load leaves free now.
   * Read over a fresh quarter second, not since the last step: the intake's test run in the sandbox
   * just before a turn's first step read as a busy core, and the 1.5B model's 12k-token first step
   * of an eval task then ran on 1 thread of 2 (600 s and not done, against 315 s before).
   */
  private async applyThreads(): Promise<void> {
    if (this.options.threads) {
      fixedThreads(this.llama, this.options.threads);
      this.stepThreads = this.options.threads;
      return;
    }
    this.stepThreads = chooseThreads(coreCount(), await this.otherLoad.now());
    this.llama.maxThreads = this.stepThreads;
  }

  /**
   * Replaces the sequence after a generation that never settled (engine hang). Waits a bounded
   * time for the old sequence to be released; if the engine holds it, the model is unusable.
   */
  private async resetSequence(): Promise<void> {
    const old = this.sequence;
    this.chat.dispose({ disposeSequence: false });
    const released = old.dispose().then(
      () => true,
      () => true,
    );
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)));
    const ok = await Promise.race([released, gaveUp]);
    clearTimeout(timer);
    if (!ok || this.context.sequencesLeft === 0) {
      throw new ModelError(
        'engine',
        'The engine is stuck after a failed step and cannot be reused. Restart assist (the conversation is kept in the session log).',
      );
    }
    this.sequence = this.context.getSequence();
    this.chat = new LlamaChat({ contextSequence: this.sequence, chatWrapper: 'auto' });
    this.lastSettled = true;
  }

  private async step(messages: ChatMessage[], schema: GbnfJsonSchema, options: NextOptions): Promise<StepResult> {
    const signal = options.signal;
    await this.settle(signal);
    let grammar: LlamaGrammar;
    let read: (raw: string) => Action;
    try {
      if (options.text) {
        const text = options.text;
        grammar = await this.textGrammarFor(text.grammar);
        const validate = this.validatorFor(schema);
        read = (raw) => {
          const action = text.parse(raw);
          if (!validateAction(validate, action)) {
            const e = actionFault(validate, action);
            throw new ModelError(
              'invalid_output',
              `The model's action does not match the schema at ${e?.instancePath || '(top)'}: ${e?.message}. Output: ${raw.slice(0, 200)}`,
            );
          }
          return action;
        };
      } else {
        const json = await this.grammarFor(schema);
        grammar = json.grammar;
        read = (raw) => parseActionText(json.validate, raw);
      }
    } catch (error) {
      throw new ModelError('grammar', `The action's grammar cannot be built: ${(error as Error).message}`, { cause: error });
    }
    await this.applyThreads();
    const history = toChatHistory(messages);
    const prompt = this.renderTokens(history);
    const promptTokens = prompt.length;
    const contextSize = this.context.contextSize;
    if (promptTokens >= contextSize - 16) {
      throw new ModelError(
        'context_overflow',
        `The conversation is ${promptTokens} tokens but the model's context holds ${contextSize}. Clear the conversation or unpin files.`,
      );
    }
    const maxTokens = Math.min(options.maxTokens ?? this.options.maxTokens ?? 1024, contextSize - promptTokens);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 120_000;
    const started = performance.now();
    let firstTokenAt: number | undefined;
    if (this.holdsInfill) {
      await this.sequence.clearHistory();
      this.holdsInfill = false;
    }
    const meter = this.sequence.tokenMeter.getState();
    const sequence = this.sequence;
    if (sequence.contextTokens.length === 0 && history[0]?.type === 'system') {
      // The stable prefix is evaluated on its own (or restored from disk) with or without the
      // persistent cache, so the output never depends on the cache (see fillStablePrefix).
      const alone = (text: string) =>
        this.renderTokens([
          { type: 'system', text },
          { type: 'model', response: [] },
        ]);
      const system = messages[0];
      const shared = system.sharedChars !== undefined && system.sharedChars < system.content.length ? [alone(system.content.slice(0, system.sharedChars))] : [];
      await fillStablePrefix(sequence, prompt, [...shared, alone(system.content)], this.skipKvCacheOnce ? undefined : this.kvCache);
    }
    this.skipKvCacheOnce = false;
    // the prompt read a chunk at a time (readAhead), so a cancel or the time limit ends it between
    // chunks: the engine reads a whole prompt before it looks at the signal, and the eval's task time
    // limit cancelled a step 147 s into its 7,558-token prompt, whose read then held the engine into
    // the next task (pyapp-fix-page-count's test of the report's case: 137 s on a 75 s limit)
    const reading = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]);
    await readAhead(sequence, prompt, prompt.length - 1, reading);
    if (signal?.aborted) throw new ModelError('aborted', 'The step was cancelled.');
    if (reading.aborted) throw new ModelError('timeout', `The model did not finish the step within ${timeoutMs} ms (it was still reading the prompt).`);
    const left = Math.max(1, Math.round(timeoutMs - (performance.now() - started)));
    const response = await this.generate(grammar, history, { ...options, signal, maxTokens, timeoutMs: left }, () => {
      firstTokenAt ??= performance.now();
    });
    const totalMs = performance.now() - started;
    const used = sequence.tokenMeter.diff(meter);
    if (response.metadata.stopReason === 'maxTokens') {
      throw new ModelError(
        'invalid_output',
        `The action was cut off after ${maxTokens} tokens without completing. Ask for a shorter step or raise model.maxTokens.`,
        { cutOff: true, partial: response.response },
      );
    }
    const raw = response.response;
    const action = read(raw);
    return {
      action,
      raw,
      usage: {
        promptTokens,
        completionTokens: used.usedOutputTokens,
        cachedTokens: Math.max(0, promptTokens - used.usedInputTokens),
      },
      timings: { firstTokenMs: Math.round((firstTokenAt ?? performance.now()) - started), totalMs: Math.round(totalMs), threads: this.stepThreads },
    };
  }

  /** The tokens the chat wrapper renders for `history` (what LlamaChat evaluates). */
  private renderTokens(history: ChatHistoryItem[]): Token[] {
    return this.chat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(this.model.tokenizer);
  }

  /** One generation raced against abort, timeout and engine errors that surface elsewhere. */
  private generate(
    grammar: LlamaGrammar,
    history: ChatHistoryItem[],
    options: NextOptions & { maxTokens: number; timeoutMs: number },
    onFirstToken: () => void,
  ): ReturnType<LlamaChat['generateResponse']> {
    const controller = new AbortController();
    type Generated = Awaited<ReturnType<LlamaChat['generateResponse']>>;
    // the text so far, and the whole output when the step may end early (`NextOptions.text.stopEarly`)
    let soFar = '';
    let early: string | undefined;
    const stopEarly = options.text?.stopEarly;
    const loops = options.text?.loops;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: ModelError | undefined, value?: Generated) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        unwatch();
        if (error) {
          this.lastCancelled = error.code === 'aborted' || error.code === 'timeout';
          controller.abort(error);
          reject(error);
        } else resolve(value!);
      };
      // (what was written so far goes with it, for the session log)
      const onAbort = () => finish(new ModelError('aborted', 'The step was cancelled.', soFar ? { partial: soFar } : {}));
      const timer = setTimeout(() => finish(new ModelError('timeout', `The model did not finish the step within ${options.timeoutMs} ms.`)), options.timeoutMs);
      const unwatch = watchGeneration((error) =>
        finish(new ModelError('grammar', `The engine failed while generating under the grammar: ${error.message}`, { cause: error })),
      );
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.lastSettled = false;
      const generation = this.chat.generateResponse(history, {
        grammar,
        signal: controller.signal,
        maxTokens: options.maxTokens,
        temperature: options.temperature ?? this.options.temperature ?? 0.2,
        seed: options.seed,
        tokenBias: this.bias,
        onTextChunk: (text) => {
          if (settled || early !== undefined || controller.signal.aborted) return;
          onFirstToken();
          options.onToken?.(text);
          soFar += text;
          if (!stopEarly && !loops) return;
          early = stopEarly?.(soFar);
          if (early !== undefined) return controller.abort(new ModelError('aborted', 'The action was complete.'));
          const loop = loops?.(soFar);
          // a loop would run to the token limit: it ends now, as a cut-off step does
          if (loop !== undefined)
            controller.abort(
              new ModelError('invalid_output', `The action was stopped before it was complete: ${loop}.`, { cutOff: true, looped: true, partial: soFar }),
            );
        },
      });
      this.lastGeneration = generation;
      // ended early: the output is the complete action the watcher gave (the engine's own ends in a repeat)
      const endedEarly = (value?: Generated) => finish(undefined, { ...value, response: early!, metadata: { stopReason: 'customStopTrigger' } } as Generated);
      generation.then(
        (value) => {
          this.lastSettled = true;
          if (early !== undefined) return endedEarly(value);
          if (controller.signal.aborted) return finish(controller.signal.reason as ModelError);
          finish(undefined, value);
        },
        (error: unknown) => {
          this.lastSettled = true;
          if (early !== undefined) return endedEarly();
          if (controller.signal.aborted) return finish(controller.signal.reason as ModelError);
          const code = isEngineError(error) && /grammar/i.test((error as Error).message) ? 'grammar' : 'engine';
          finish(new ModelError(code, `The engine failed: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
        },
      );
    });
  }
}

/** Plain messages to node-llama-cpp's chat history, ending with the empty model turn to fill. */
export function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => {
    switch (m.role) {
      case 'system':
        return { type: 'system', text: m.content };
      case 'user':
        return { type: 'user', text: m.content };
      case 'assistant':
        return { type: 'model', response: [m.content] };
      default:
        return m.role satisfies never;
    }
  });
  history.push({ type: 'model', response: [] });
  return history;
}
