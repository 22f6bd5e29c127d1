/**
 * Where a code model doubts code it reads: the tokens of some lines that it would not have written
 * there, each with the token it would have, and the line as it would then be. Buggy lines are less
 * "natural" to a model trained on code than the lines around them (Ray et al., "On the naturalness of
 * buggy code", 2016), and the token it prefers is often the fix (AlphaRepair, Xia and Zhang 2022).
 * Measured with Qwen2.5-Coder-1.5B on the eval's one-line bugs (a probe, read left to right with the
 * request above the function): among the 8 strongest doubts of the function, the continued line was
 * the fix for `day < ?` (`<=`), `request.page * request.pageSize` (`(request.page - 1) * …`),
 * `total // size` in a page count (`(total + size - 1) // size`) and `Number.isNaN(value)` where a
 * whole number is asked (`!Number.isInteger(value)`). One pass read each function (140-910 tokens with
 * the lines before it, 1.4-6.9 s on two cores), and writing the 8 lines on took 2-6 s more.
 */
import { LlamaCompletion, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';
import { ModelError, type DoubtRequest, type LineDoubt } from './language-model.ts';
import { infillHead, readAhead, withTime } from './infill.ts';

const readWords = {
  cancelled: 'Reading the lines was cancelled.',
  unfinished: 'Reading the lines did not finish',
  failed: 'The engine failed while reading lines',
};

/** Tokens a line is written on for at most from its doubted token. */
const maxLineTokens = 48;

/**
 * The strongest doubts in `request.lines` (at most `request.maxDoubts`, strongest first): for each
 * doubted token of a line that may carry one, how much the model prefers its own token (the gap of
 * their logits), the line with that token put in, and the line as the model writes it on from there.
 * Undefined when the model has no fill-in-the-middle tokens (the format the prompt is read in).
 */
export async function findDoubts(model: LlamaModel, sequence: LlamaContextSequence, request: DoubtRequest): Promise<LineDoubt[] | undefined> {
  const prefixToken = model.tokens.infill.prefix;
  if (prefixToken === null) return undefined;
  const head = [...infillHead(model, request), prefixToken, ...model.tokenize(request.prefix)];
  const lineTokens = request.lines.map((line) => model.tokenize(`${line}\n`));
  const all = [...head, ...lineTokens.flat()];
  if (all.length + maxLineTokens >= sequence.contextSize) {
    throw new ModelError('context_overflow', `The lines to read are ${all.length} tokens; the context holds ${sequence.contextSize}.`);
  }
  const blank = (token: Token) => model.detokenize([token]).trim() === '';
  // the logits that follow each token from the last of the head on: the doubted token's and the top one
  const from = head.length - 1;
  const outputs = await withTime(request, readWords, async (signal) => {
    // (the files and the code before the lines first, a chunk at a time: a time limit ends it between
    // chunks; the sequence then holds exactly the tokens before `from`)
    await readAhead(sequence, all, from, signal);
    if (signal.aborted) return [];
    const input = all.slice(from).map((token, i) => {
      const at = from + i;
      if (at >= all.length - 1) return token;
      return [token, { generateNext: { logits: { filter: { tokens: [all[at + 1]], includeTop: 1 } } } }] as const;
    });
    return sequence.controlledEvaluate(input as Parameters<LlamaContextSequence['controlledEvaluate']>[0]);
  });
  const doubts: Array<{ line: number; token: number; at: number; gap: number; preferred: Token }> = [];
  let at = head.length;
  lineTokens.forEach((tokens, line) => {
    tokens.forEach((token, index) => {
      const logits = outputs[at - 1 - from]?.next.logits;
      at++;
      if (!logits || request.doubtable?.[line] === false || blank(token)) return;
      let top: Token | undefined;
      let topLogit = Number.NEGATIVE_INFINITY;
      for (const [candidate, logit] of logits)
        if (logit > topLogit) {
          topLogit = logit;
          top = candidate;
        }
      const own = logits.get(token);
      if (top === undefined || own === undefined || top === token || blank(top)) return;
      doubts.push({ line, token: index, at: at - 1, gap: topLogit - own, preferred: top });
    });
  });
  const strongest = doubts.sort((a, b) => b.gap - a.gap).slice(0, request.maxDoubts);
  const out = new Map<(typeof strongest)[number], LineDoubt>();
  // written on in the order the doubts stand in the lines: a write-on keeps what the sequence holds
  // before its own doubt, so from first to last the lines between are read once (strongest first,
  // each doubt before the one just written on read the lines from there again)
  for (const doubt of [...strongest].sort((a, b) => a.at - b.at)) {
    const tokens = lineTokens[doubt.line];
    const before = model.detokenize(tokens.slice(0, doubt.token));
    const preferred = model.detokenize([doubt.preferred]);
    const after = model.detokenize(tokens.slice(doubt.token + 1)).replace(/\n$/, '');
    const substituted = `${before}${preferred}${after}`;
    // a preferred token that ends the line ends it there, unless it leaves a bracket open (`size +⏎`);
    // else the model writes the line on
    const head = `${before}${preferred}`;
    const opened = depth(head) - depth(request.lines[doubt.line]);
    const ends = head.includes('\n') && opened <= 0;
    const rest = ends ? undefined : await writeOn(model, sequence, [...all.slice(0, doubt.at), doubt.preferred], request, opened);
    const written = ends ? head.split('\n')[0] : rest === undefined ? undefined : `${head}${rest}`.replace(/\n+$/, '');
    out.set(doubt, {
      line: doubt.line,
      gap: doubt.gap,
      ...(substituted.includes('\n') ? {} : { substituted }),
      ...(written === undefined ? {} : { continued: written }),
    });
  }
  return strongest.map((doubt) => out.get(doubt)!);
}

/** Lines a doubted line is written on over at most while it leaves brackets open (`total // size +` closed on the next line). */
const maxLines = 4;

/** Brackets `text` leaves open (closed ones subtracted), strings left out. */
export function depth(text: string): number {
  let open = 0;
  for (const ch of text.replace(/(["'`])(?:\\.|(?!\1).)*?\1/g, '')) {
    if (ch === '(' || ch === '[' || ch === '{') open++;
    else if (ch === ')' || ch === ']' || ch === '}') open--;
  }
  return open;
}

/**
 * The rest of the line the model writes after `prompt` (greedy, to the line's end), and the lines
 * after it while the brackets it opens past the original line's (`opened`, counted from the start
 * of the line) are not closed, up to `maxLines`; undefined when it does not end.
 */
async function writeOn(model: LlamaModel, sequence: LlamaContextSequence, prompt: Token[], request: DoubtRequest, opened: number): Promise<string | undefined> {
  const completion = new LlamaCompletion({ contextSequence: sequence });
  try {
    let written = '';
    for (let line = 0; line < maxLines; line++) {
      const { response, metadata } = await withTime(request, readWords, (signal) =>
        completion.generateCompletionWithMeta(line === 0 ? prompt : [...prompt, ...model.tokenize(written)], {
          maxTokens: maxLineTokens,
          temperature: 0,
          signal,
          stopOnAbortSignal: true,
          customStopTriggers: ['\n'],
        }),
      );
      // (the line's end is the stop trigger, left out of the response; a line cut at maxTokens did not end)
      if (metadata.stopReason !== 'customStopTrigger' && metadata.stopReason !== 'eogToken') return undefined;
      written += response;
      opened += depth(response);
      if (opened <= 0) return written;
      written += '\n';
    }
    return undefined;
  } finally {
    completion.dispose({ disposeSequence: false });
  }
}
