/**
 * `npm run bench -- engine [--model PATH]`: the embedded engine on a real small model (default:
 * `ensureRealModel()` from test/e2e/real-model.ts). Measures prompt evaluation, free generation,
 * generation under the action grammar of the built-in tools, and the time to first token of a
 * follow-up turn (<= 500 new tokens on a >= 2k-token context, KV cache reused) divided by the
 * same full prompt evaluated cold.
 * Last line: {"bench":"engine","promptTokensPerSec":P,"genTokensPerSec":G,"grammarGenTokensPerSec":GG,"followUpTtftRatio":R}
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LlamaChat } from 'node-llama-cpp';
import { buildActionSchema } from '../src/model/action-schema.ts';
import { defaultThreads, EmbeddedModel, toChatHistory } from '../src/model/embedded.ts';
import type { ChatMessage } from '../src/model/language-model.ts';
import { builtinTools } from '../tools/index.ts';

async function modelPath(args: string[]): Promise<string> {
  const i = args.indexOf('--model');
  if (i >= 0 && args[i + 1]) return args[i + 1];
  const { ensureRealModel } = (await import('../test/e2e/real-model.ts')) as { ensureRealModel(): Promise<string> };
  return ensureRealModel();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** About `tokens` tokens of real source text, cut at a line boundary. */
async function sourceText(model: EmbeddedModel, tokens: number): Promise<string> {
  const files = ['../src/model/embedded.ts', '../src/model/openai.ts', '../src/model/download.ts', '../src/model/model-store.ts'];
  let text = '';
  for (const f of files) text += `// ${f.slice(3)}\n` + (await readFile(fileURLToPath(new URL(f, import.meta.url)), 'utf8'));
  const lines = text.split('\n');
  let out = '';
  for (const line of lines) {
    if (model.countTokens(out + line) > tokens) break;
    out += line + '\n';
  }
  return out;
}

export default async function engineBench(args: string[]): Promise<void> {
  const file = await modelPath(args);
  const threads = defaultThreads();
  const model = await EmbeddedModel.load({ path: file, contextSize: 4096, threads, gpu: 'auto', maxTokens: 256, timeoutMs: 600_000 });
  console.error(`model ${model.info.name}: loaded in ${model.info.loadMs} ms, ${model.chatWrapperName} template, ${threads} threads`);
  const schema = buildActionSchema(builtinTools, { maxThoughtLength: 120, maxAnswerLength: 200 });
  const short: ChatMessage[] = [
    { role: 'system', content: 'You are assist, a coding agent. Reply with one action.' },
    { role: 'user', content: 'Find where the config file is loaded and explain it briefly.' },
  ];
  await model.next(short, schema, { maxTokens: 8, temperature: 0 }).catch(() => undefined); // compiles the grammar, warms up

  // Generation under the grammar, and free generation of the same length, same prompt, same threads.
  const grammarRates: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < 2; i++) {
    await model.clearCache();
    const r = await model.next(short, schema, { maxTokens: 400, temperature: 0.7, seed: i + 1 }).catch((e: Error) => (console.error(`grammar step: ${e.message}`), undefined));
    if (!r) continue;
    grammarRates.push(((r.usage.completionTokens - 1) / (r.timings.totalMs - r.timings.firstTokenMs)) * 1000);
    lengths.push(r.usage.completionTokens);
  }
  const context = await model.model.createContext({ contextSize: 2048, threads });
  const chat = new LlamaChat({ contextSequence: context.getSequence() });
  const freeRates: number[] = [];
  for (let i = 0; i < 2; i++) {
    const sequence = chat.sequence;
    const before = sequence.tokenMeter.getState();
    let first: number | undefined;
    await chat.generateResponse(toChatHistory(short), { maxTokens: Math.max(32, median(lengths) || 64), temperature: 0.7, seed: i + 1, onTextChunk: () => (first ??= performance.now()) });
    const end = performance.now();
    const produced = sequence.tokenMeter.diff(before).usedOutputTokens;
    if (first !== undefined && produced > 1) freeRates.push(((produced - 1) / (end - first)) * 1000);
    await sequence.clearHistory();
  }
  chat.dispose();
  await context.dispose();

  // A >= 2k-token conversation, then a follow-up turn adding a few hundred tokens. Each timing
  // stops the step at its first token (the TTFT is all that is measured).
  const ttft = async (messages: ChatMessage[]): Promise<number> => {
    const controller = new AbortController();
    const started = performance.now();
    let at = NaN;
    await model
      .next(messages, schema, {
        signal: controller.signal,
        temperature: 0,
        onToken: () => {
          at = performance.now() - started;
          controller.abort();
        },
      })
      .catch(() => undefined);
    return at;
  };
  const system = `You are assist, a coding agent. Here is the code of the project:\n${await sourceText(model, 2100)}`;
  const first: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: 'Where is a download resumed? Reply with one action.' },
  ];
  const firstTokens = model.countTokens(system) + 20;
  await model.clearCache();
  const firstTtft = await ttft(first);
  const promptRate = (firstTokens / firstTtft) * 1000;
  const observation = `Observation: ${(await sourceText(model, 1000)).split('\n').slice(0, 40).join('\n')}`;
  const followUp: ChatMessage[] = [
    ...first,
    { role: 'assistant', content: '{"thought": "Look at the download code.", "tool": "find_symbol", "args": {"name": "transfer"}}' },
    { role: 'user', content: observation },
  ];
  const newTokens = model.countTokens(observation) + 40;
  const warm = await ttft(followUp);
  await model.clearCache();
  const cold = await ttft(followUp);
  const ratio = warm / cold;
  console.error(`prompt ~${firstTokens} tokens: cold ttft ${firstTtft.toFixed(0)} ms; follow-up ~${newTokens} new tokens: ttft warm ${warm.toFixed(0)} ms vs cold ${cold.toFixed(0)} ms`);
  await model.dispose();
  const round = (x: number) => Math.round(x * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'engine',
      promptTokensPerSec: round(promptRate),
      genTokensPerSec: round(median(freeRates)),
      grammarGenTokensPerSec: round(median(grammarRates)),
      followUpTtftRatio: round(ratio),
    }),
  );
}
