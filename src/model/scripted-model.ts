import type { GbnfJsonSchema } from 'node-llama-cpp';
import {
  ModelError,
  type Action,
  type ChatMessage,
  type DoubtRequest,
  type InfillRequest,
  type LanguageModel,
  type LineDoubt,
  type ModelInfo,
  type NextOptions,
  type StepResult,
} from './language-model.ts';

/** A step of a script: a fixed action, or a function of the conversation so far. */
export type ScriptedStep = Action | ((messages: ChatMessage[]) => Action);

/**
 * ScriptedModel: a deterministic stand-in for a model, for tests of the agent loop only. It replays
 * a fixed list of actions and records every prompt it was sent. It does not constrain anything;
 * the real engine is tested separately on a generated GGUF.
 */
export class ScriptedModel implements LanguageModel {
  readonly info: ModelInfo;
  /** Every message list `next` was called with, in order. */
  readonly prompts: ChatMessage[][] = [];
  /** The action schema of every step, in order (what the grammar would have allowed). */
  readonly schemas: GbnfJsonSchema[] = [];
  /** The text protocol's grammar of every step ('' when the step had none). */
  readonly grammars: string[] = [];
  /** Every fill-in-the-middle request, in order (with `infills` only). */
  readonly infillRequests: InfillRequest[] = [];
  /** Fill-in-the-middle, scripted: present only when the options give `infills`, each the middle to return (or a function of the request). */
  readonly infill?: (request: InfillRequest) => Promise<string | undefined>;
  /** Every request for doubts, in order (with `doubts` only). */
  readonly doubtRequests: DoubtRequest[] = [];
  /** Doubts, scripted: present only when the options give `doubts`, a function of the request (what the lines are). */
  readonly doubts?: (request: DoubtRequest) => Promise<LineDoubt[] | undefined>;
  private position = 0;

  constructor(
    private readonly script: ScriptedStep[],
    options: {
      contextSize?: number;
      name?: string;
      infills?: Array<string | undefined | ((request: InfillRequest) => string | undefined)>;
      doubts?: (request: DoubtRequest) => LineDoubt[] | undefined;
    } = {},
  ) {
    this.info = { name: options.name ?? 'scripted', backend: 'scripted', contextSize: options.contextSize ?? 8192, grammar: true };
    const infills = options.infills;
    if (infills) {
      let next = 0;
      this.infill = async (request) => {
        this.infillRequests.push(request);
        const middle = infills[next++];
        return typeof middle === 'function' ? middle(request) : middle;
      };
    }
    const doubts = options.doubts;
    if (doubts) {
      this.doubts = async (request) => {
        this.doubtRequests.push(request);
        return doubts(request);
      };
    }
  }

  /** Roughly four characters per token; the scripted model has no tokenizer. */
  countTokens(text: string): number {
    return Math.ceil(text.length / 4);
  }

  async next(messages: ChatMessage[], schema: GbnfJsonSchema, options: NextOptions = {}): Promise<StepResult> {
    if (options.signal?.aborted) throw new ModelError('aborted', 'The step was cancelled.');
    this.prompts.push(structuredClone(messages));
    this.schemas.push(schema);
    this.grammars.push(options.text?.grammar ?? '');
    const step = this.script[this.position++];
    if (!step) throw new ModelError('engine', `ScriptedModel ran out of steps after ${this.script.length}.`);
    const action = typeof step === 'function' ? step(messages) : step;
    const raw = JSON.stringify(action);
    options.onToken?.(raw);
    const promptTokens = messages.reduce((n, m) => n + this.countTokens(m.content), 0);
    return {
      action: structuredClone(action),
      raw,
      usage: { promptTokens, completionTokens: this.countTokens(raw), cachedTokens: 0 },
      timings: { firstTokenMs: 0, totalMs: 0 },
    };
  }

  /** Steps not yet consumed. */
  remaining(): number {
    return this.script.length - this.position;
  }

  async dispose(): Promise<void> {}
}
