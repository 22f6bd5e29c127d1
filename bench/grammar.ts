/**
 * `npm run bench -- grammar [--samples N]`: the generated tiny GGUF through the
 * embedded backend. Samples N (>= 200) actions of a realistic action schema with varied seeds and
 * temperatures, validates each with ajv, and compares constrained generation speed with
 * unconstrained generation of the same length on the same model and prompt.
 * Last line: {"bench":"grammar","samples":N,"valid":V,"constrainedTokensPerSec":X,"unconstrainedTokensPerSec":Y}
 */
import { LlamaChat } from 'node-llama-cpp';
import { compileActionValidator } from '../src/model/action-grammar.ts';
import { toChatHistory } from '../src/model/embedded.ts';
import type { ChatMessage } from '../src/model/language-model.ts';
import { banByteTokens } from '../test/support/tiny-gguf.ts';
import { loadTinyModel, representativeSchema } from '../test/model/fixtures.ts';

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are assist, a coding agent. Every reply is one action: {thought, tool, args}.' },
  { role: 'user', content: 'The test in test/parse.test.ts fails. Find the bug in src/parse.ts and fix it.' },
];

export default async function grammarBench(args: string[]): Promise<void> {
  const samples = Math.max(200, flag(args, 'samples', 200));
  const threads = 1; // the tiny model is fastest on one thread; loadTinyModel uses one too
  const model = await loadTinyModel({ contextSize: 2048 });
  console.error(`loaded tiny GGUF in ${model.info.loadMs} ms (${model.chatWrapperName} template); sampling ${samples} actions`);
  const validate = compileActionValidator(representativeSchema);
  const temperatures = [0, 0.3, 0.7, 1.0, 1.5];
  let valid = 0;
  let tokens = 0;
  let genMs = 0;
  for (let i = 0; i < samples; i++) {
    try {
      const result = await model.next(messages, representativeSchema, { seed: 1000 + i, temperature: temperatures[i % temperatures.length] });
      if (validate(JSON.parse(result.raw))) valid++;
      else console.error(`sample ${i} invalid: ${result.raw}`);
      tokens += result.usage.completionTokens;
      genMs += result.timings.totalMs - result.timings.firstTokenMs;
    } catch (error) {
      console.error(`sample ${i} failed: ${(error as Error).message}`);
    }
    if ((i + 1) % 50 === 0) console.error(`${i + 1}/${samples} sampled, ${valid} valid`);
  }
  const constrained = (tokens / genMs) * 1000;

  // Unconstrained: the same model, prompt and sampling, no grammar, the same mean length.
  const meanTokens = Math.max(8, Math.round(tokens / samples));
  const context = await model.model.createContext({ contextSize: 2048, threads });
  const chat = new LlamaChat({ contextSequence: context.getSequence() });
  const bias = banByteTokens(model.model);
  let freeTokens = 0;
  let freeMs = 0;
  const runs = Math.min(samples, 100);
  for (let i = 0; i < runs; i++) {
    const sequence = chat.sequence;
    const before = sequence.tokenMeter.getState();
    let first: number | undefined;
    const started = performance.now();
    await chat.generateResponse(toChatHistory(messages), {
      maxTokens: meanTokens,
      temperature: temperatures[i % temperatures.length],
      seed: 2000 + i,
      tokenBias: bias,
      onTextChunk: () => (first ??= performance.now()),
    });
    const end = performance.now();
    freeTokens += sequence.tokenMeter.diff(before).usedOutputTokens;
    freeMs += end - (first ?? started);
  }
  const unconstrained = (freeTokens / freeMs) * 1000;
  chat.dispose();
  await context.dispose();
  await model.dispose();
  console.error(`constrained: ${tokens} tokens in ${genMs.toFixed(0)} ms; unconstrained: ${freeTokens} tokens in ${freeMs.toFixed(0)} ms`);
  console.log(
    JSON.stringify({
      bench: 'grammar',
      samples,
      valid,
      constrainedTokensPerSec: Math.round(constrained),
      unconstrainedTokensPerSec: Math.round(unconstrained),
    }),
  );
}
