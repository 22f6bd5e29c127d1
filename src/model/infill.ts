/**
 * Fill-in-the-middle with the embedded engine: the prompt of a code model's FIM tokens (prefix,
 * suffix, middle: `<|fim_prefix|>…<|fim_suffix|>…<|fim_middle|>` for Qwen2.5-Coder), preceded by
 * other files of the project when the vocabulary has a file separator (`<|file_sep|>`, the
 * repository-level format Qwen2.5-Coder and StarCoder2 were trained on). A code model asked to
 * write a function body between its signature and the code after it writes what such a body
 * usually is; asked to edit the same lines in a chat, the 1.5B model copied them unchanged.
 */
import { LlamaCompletion, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';
import { lineLoop } from './action-text.ts';
import { copyKind } from '../text/comment-prose.ts';
import { codeFirstBias } from './code-first.ts';
import { type InfillRequest, ModelError } from './language-model.ts';

/** The special token spelled `text`, if the vocabulary has it as one token. */
function specialToken(model: LlamaModel, text: string): Token | undefined {
  const tokens = model.tokenize(text, true);
  return tokens.length === 1 && model.detokenize(tokens, true) === text ? tokens[0] : undefined;
}

/** How many tokens of `tokens` the sequence holds already (its evaluated prefix), at most `limit`. */
function keptPrefix(held: readonly Token[], tokens: readonly Token[], limit: number): number {
  let n = 0;
  while (n < limit && n < held.length && held[n] === tokens[n]) n++;
  return n;
}

/** Tokens of a prompt read at a time before the signal is looked at again (~4 s at the 64 tokens/s the eval measured for the 1.5B model on two cores). */
const readChunk = 256;

/**
 * Reads `tokens[..upTo)` into `sequence` ahead of a generation, a chunk at a time, keeping what it
 * holds already as far as it matches, and stops between chunks when `signal` aborts. The engine reads
 * a whole prompt before it looks at the signal, so a time limit ended a read only once the whole
 * prompt was in. What was read stays, and the next read of the same files reuses it.
 */
export async function readAhead(sequence: LlamaContextSequence, tokens: readonly Token[], upTo: number, signal: AbortSignal): Promise<void> {
  const kept = keptPrefix(sequence.contextTokens, tokens, upTo);
  if (kept < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: kept, end: sequence.nextTokenIndex }]);
  for (let at = kept; at < upTo && !signal.aborted; at += readChunk) {
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(at, Math.min(upTo, at + readChunk)));
  }
}

/** The prompt tokens of `request`, or undefined when the model has no FIM tokens. */
export function infillPrompt(model: LlamaModel, request: InfillRequest): Token[] | undefined {
  const { prefix, middle, suffix } = model.tokens.infill;
  if (prefix === null || middle === null || suffix === null) return undefined;
  return [
    ...infillHead(model, request),
    prefix,
    ...model.tokenize(request.prefix),
    suffix,
    ...model.tokenize(request.suffix),
    middle,
    ...(request.lead ? model.tokenize(request.lead) : []),
  ];
}

/**
 * What comes before a file's code in the prompt: the other files and the file's path, in the
 * repository-level format where the vocabulary has a file separator (else nothing).
 */
export function infillHead(model: LlamaModel, request: Pick<InfillRequest, 'path' | 'files'>): Token[] {
  const fileSep = specialToken(model, '<|file_sep|>') ?? specialToken(model, '<file_sep>');
  const head: Token[] = [];
  if (fileSep !== undefined && request.files?.length) {
    const repo = specialToken(model, '<|repo_name|>') ?? specialToken(model, '<repo_name>');
    if (repo !== undefined) head.push(repo, ...model.tokenize('project\n'));
    for (const file of request.files) head.push(fileSep, ...model.tokenize(`${file.path}\n${file.text.endsWith('\n') ? file.text : `${file.text}\n`}`));
  }
  if (fileSep !== undefined) head.push(fileSep, ...model.tokenize(`${request.path}\n`));
  return head;
}

/**
 * Generates the middle on `sequence` (greedy, the most usual body, unless the request asks for a
 * temperature: then one sample per seed), stopping at the end of the
 * middle, a file separator, one of `request.stops`, or `maxTokens`; undefined when the model has
 * no FIM tokens. What the sequence holds already is reused as far as it matches (the files before
 * the gap, when several bodies of one file are written in turn); the caller clears it before a chat
 * step.
 */
export async function generateInfill(model: LlamaModel, sequence: LlamaContextSequence, request: InfillRequest): Promise<string | undefined> {
  const prompt = infillPrompt(model, request);
  if (!prompt) return undefined;
  if (prompt.length + request.maxTokens >= sequence.contextSize) {
    throw new ModelError('context_overflow', `The infill prompt is ${prompt.length} tokens; the context holds ${sequence.contextSize}.`);
  }
  const stops = ['<|file_sep|>', '<file_sep>', '<|fim_pad|>', '<|endoftext|>', '<|im_end|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>']
    .map((text) => specialToken(model, text))
    .filter((t): t is Token => t !== undefined);
  const completion = new LlamaCompletion({ contextSequence: sequence });
  try {
    // (at maxTokens too: an instruct model writes on past the gap, and the caller cuts the middle at the code after it)
    return await withTime(request, infillWords, async (signal) => {
      // (all but the last token: the completion reads that one and writes from it)
      await readAhead(sequence, prompt, prompt.length - 1, signal);
      if (signal.aborted) return undefined;
      const loop = loopGuard(request.copiedProse);
      const first = firstLineGuard(`${request.prefix}${request.lead ?? ''}`, request.notFirstLines);
      // (a lead is text already: the middle does not begin with a comment of its own then)
      const codeFirst = request.codeFirst && !request.lead ? codeFirstBias(model, request.codeFirst, [...stops, ...eog(model)]) : undefined;
      const response = await completion.generateCompletionWithMeta(prompt, {
        maxTokens: request.maxTokens,
        ...(request.temperature ? { temperature: request.temperature, topK: 40, topP: 0.95, seed: request.seed ?? 1 } : { temperature: 0 }),
        signal: AbortSignal.any([signal, loop.signal, first.signal]),
        stopOnAbortSignal: true,
        ...(codeFirst ? { tokenBias: codeFirst.tokenBias } : {}),
        onTextChunk: (chunk) => {
          codeFirst?.seen(chunk);
          loop.onTextChunk(chunk);
          first.onTextChunk(chunk);
        },
        customStopTriggers: [...stops.map((t) => [t]), ...(request.stops ?? []).filter(Boolean)],
      });
      return loop.copiedAt() !== undefined ? response.response.slice(0, loop.copiedAt()) : response.response;
    });
  } finally {
    completion.dispose({ disposeSequence: false });
  }
}

/** The model's end-of-generation tokens (end of text, end of turn). */
function eog(model: LlamaModel): Token[] {
  return [model.tokens.eos, model.tokens.eot].filter((t): t is Token => t !== null);
}

/**
 * Stops a middle that has fallen into a loop (action-text.ts's lineLoop: one line, or a few, over
 * and over): what was written up to then is the middle. A test file for ruby-add-test-slug wrote
 * `assert_equal "hello-world", Slug.slugify("Hello, World!")` until its 900 tokens, 70 s, twice.
 * It stops one that copies `prose` in two comment lines in a row too (text/comment-prose.ts), and says where they began (`copiedAt`):
 * bash-log-summary's script, its code written, went on with the request's paragraphs, the comments
 * above the gap, three times over (~25 s), and a rewrite of its top-level code began with them.
 */
export function loopGuard(prose = ''): {
  signal: AbortSignal;
  onTextChunk: (chunk: string) => void;
  looped: () => string | undefined;
  copiedAt: () => number | undefined;
} {
  const controller = new AbortController();
  const lowered = prose.toLowerCase();
  let soFar = '';
  let checked = 0;
  let found: string | undefined;
  let copiedAt: number | undefined;
  // (where the copied lines in a row began, blank lines and short comments between them: one may be
  // a code comment that says what the request says; two are its prose)
  let run: number | undefined;
  return {
    signal: controller.signal,
    onTextChunk: (chunk) => {
      if (found || copiedAt !== undefined) return;
      soFar += chunk;
      // (each line once it is whole)
      for (let end = soFar.indexOf('\n', checked); lowered && end >= 0; end = soFar.indexOf('\n', checked)) {
        const kind = copyKind(soFar.slice(checked, end), lowered);
        if (kind === 'other') run = undefined;
        else if (kind === 'copied' && run !== undefined) {
          copiedAt = run;
          controller.abort();
          return;
        } else if (kind === 'copied') run = checked;
        checked = end + 1;
      }
      found = lineLoop(soFar);
      if (found) controller.abort();
    },
    looped: () => found,
    copiedAt: () => copiedAt,
  };
}

/**
 * Stops a middle whose first line, `before`'s last line with what the middle writes on it, is one
 * of `banned` (spaces at the ends aside): a copy of a line the caller has no use for, known as soon
 * as the line is whole.
 */
export function firstLineGuard(before: string, banned: readonly string[] = []): { signal: AbortSignal; onTextChunk: (chunk: string) => void } {
  const controller = new AbortController();
  const ban = new Set(banned.map((line) => line.trim()).filter(Boolean));
  const tail = before.slice(before.lastIndexOf('\n') + 1);
  let soFar = '';
  let done = ban.size === 0;
  return {
    signal: controller.signal,
    onTextChunk: (chunk) => {
      if (done) return;
      soFar += chunk;
      const end = soFar.indexOf('\n');
      if (end < 0) return;
      done = true;
      if (ban.has(`${tail}${soFar.slice(0, end)}`.trim())) controller.abort();
    },
  };
}

const infillWords = { cancelled: 'The infill was cancelled.', unfinished: 'The infill did not finish', failed: 'The engine failed during an infill' };

/**
 * Runs `work` with a signal that aborts on the request's own or at its time limit; either ends it
 * as a ModelError (`aborted`, `timeout`), and so does an engine error (`engine`), worded by `words`.
 */
export async function withTime<T>(
  request: { signal?: AbortSignal; timeoutMs?: number },
  words: { cancelled: string; unfinished: string; failed: string },
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = request.timeoutMs ? setTimeout(() => controller.abort(), request.timeoutMs) : undefined;
  try {
    const result = await work(controller.signal);
    if (request.signal?.aborted) throw new ModelError('aborted', words.cancelled);
    if (controller.signal.aborted) throw new ModelError('timeout', `${words.unfinished} within ${request.timeoutMs} ms.`);
    return result;
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError('engine', `${words.failed}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}
