/**
 * `npm run bench -- engine [--model PATH] [--threads N] [--rounds N]`: the embedded engine on a
 * real small model (default: `ensureRealModel()` from test/e2e/real-model.ts). Measures prompt
 * evaluation, free generation, generation under the action grammar of the built-in tools, and the
 * time to first token of a follow-up turn (<= 500 new tokens on a >= 2k-token context, KV cache
 * reused) divided by the same full prompt evaluated cold.
 *
 * The machine may be shared, so everything runs at one thread count (`--threads`, default: what
 * `chooseThreads` picks for the load at the start), free and grammar generation alternate round by
 * round on the same prompt (the agent's real system prompt and tool list), and medians are reported.
 * Last line: {"bench":"engine","promptTokensPerSec":P,"genTokensPerSec":G,"grammarGenTokensPerSec":GG,"followUpTtftRatio":R}
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { LlamaChat } from 'node-llama-cpp';
import { describeTools, loadPrompt } from '../src/agent/prompts.ts';
import { buildActionSchema } from '../src/model/action-schema.ts';
import { coreCount, defaultThreads, EmbeddedModel, toChatHistory } from '../src/model/embedded.ts';
import type { ChatMessage } from '../src/model/language-model.ts';
import { builtinTools } from '../tools/index.ts';

async function modelPath(args: string[]): Promise<string> {
  const i = args.indexOf('--model');
  if (i >= 0 && args[i + 1]) return args[i + 1];
  const { ensureRealModel } = (await import('../test/e2e/real-model.ts')) as { ensureRealModel(): Promise<string> };
  return ensureRealModel();
}

function flag(args: string[], name: string): number | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : undefined;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = () => os.loadavg()[0].toFixed(2);
/** CPU seconds this process used since `since`. */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

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
  const threads = flag(args, 'threads') ?? defaultThreads();
  const rounds = Math.max(1, flag(args, 'rounds') ?? 3);
  const contextSize = 4096;
  const model = await EmbeddedModel.load({ path: file, contextSize, threads, gpu: 'auto', maxTokens: 256, timeoutMs: 600_000 });
  console.error(
    `model ${model.info.name}: loaded in ${model.info.loadMs} ms, ${model.chatWrapperName} template, ${threads} threads (${coreCount()} cores, load ${load()})`,
  );
  const schema = buildActionSchema(builtinTools, { maxThoughtLength: 120, maxAnswerLength: 200 });
  const short: ChatMessage[] = [
    { role: 'system', content: [loadPrompt('system'), describeTools(builtinTools)].join('\n\n') },
    { role: 'user', content: 'Find where the config file is loaded and explain it briefly.' },
  ];
  await model.next(short, schema, { maxTokens: 8, temperature: 0 }).catch(() => undefined); // compiles the grammar, warms up

  // Generation under the action grammar (the one the model compiled for this schema), then free
  // generation of the same length: same prompt, same threads, same context, alternating so that
  // both see the same machine load.
  const grammar = (await model.grammarFor(schema)).grammar;
  const genContext = await model.model.createContext({ contextSize, threads });
  const chat = new LlamaChat({ contextSequence: genContext.getSequence() });
  /** Tokens, tokens/s and tokens per CPU-second (on one thread it hardly moves with other load) after the first token. */
  const generate = async (seed: number, maxTokens: number, withGrammar: boolean) => {
    await chat.sequence.clearHistory();
    const before = chat.sequence.tokenMeter.getState();
    let first: number | undefined;
    let cpuAtFirst: NodeJS.CpuUsage | undefined;
    await chat.generateResponse(toChatHistory(short), {
      grammar: withGrammar ? grammar : undefined,
      maxTokens,
      temperature: 0.7,
      seed,
      onTextChunk: () => {
        first ??= performance.now();
        cpuAtFirst ??= process.cpuUsage();
      },
    });
    const end = performance.now();
    const tokens = chat.sequence.tokenMeter.diff(before).usedOutputTokens;
    if (first === undefined || !cpuAtFirst || tokens < 2) throw new Error(`the ${withGrammar ? 'grammar' : 'free'} generation produced ${tokens} tokens`);
    return { tokens, rate: ((tokens - 1) / (end - first)) * 1000, cpuRate: (tokens - 1) / cpuSeconds(cpuAtFirst) };
  };
  const grammarRates: number[] = [];
  const freeRates: number[] = [];
  const grammarCpuRates: number[] = [];
  const freeCpuRates: number[] = [];
  for (let i = 0; i < rounds * 2; i++) {
    const seed = (i % 2) + 1;
    const g = await generate(seed, 400, true);
    const f = await generate(seed, g.tokens, false);
    grammarRates.push(g.rate);
    grammarCpuRates.push(g.cpuRate);
    freeRates.push(f.rate);
    freeCpuRates.push(f.cpuRate);
    console.error(
      `round ${i + 1}: grammar ${g.tokens} tokens at ${g.rate.toFixed(1)}/s (${g.cpuRate.toFixed(1)}/cpu-s), ` +
        `free ${f.tokens} at ${f.rate.toFixed(1)}/s (${f.cpuRate.toFixed(1)}/cpu-s), load ${load()}`,
    );
  }
  console.error(
    `median GG/G ${(median(grammarRates) / median(freeRates)).toFixed(3)} by wall time, ` +
      `${(median(grammarCpuRates) / median(freeCpuRates)).toFixed(3)} by CPU time (${threads} threads)`,
  );
  chat.dispose();
  await genContext.dispose();

  // A >= 2k-token conversation, then a follow-up turn adding <= 500 tokens. Each timing stops the
  // step at its first token (the TTFT is all that is measured) and counts the tokens evaluated.
  const ttft = async (messages: ChatMessage[]): Promise<{ ms: number; evaluated: number }> => {
    const controller = new AbortController();
    const before = model.tokenMeter.getState();
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
    return { ms: at, evaluated: model.tokenMeter.diff(before).usedInputTokens };
  };
  const system = `You are assist, a coding agent. Here is the code of the project:\n${await sourceText(model, 2100)}`;
  const first: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: 'Where is a download resumed? Reply with one action.' },
  ];
  await model.clearCache();
  const cold1 = await ttft(first);
  const promptRate = (cold1.evaluated / cold1.ms) * 1000;
  const observation = `Observation: ${(await sourceText(model, 1000)).split('\n').slice(0, 40).join('\n')}`;
  const followUp: ChatMessage[] = [
    ...first,
    { role: 'assistant', content: '{"thought": "Look at the download code.", "tool": "find_symbol", "args": {"name": "transfer"}}' },
    { role: 'user', content: observation },
  ];
  const warm = await ttft(followUp);
  await model.clearCache();
  const cold = await ttft(followUp);
  const ratio = warm.ms / cold.ms;
  console.error(
    `first prompt ${cold1.evaluated} tokens cold: ttft ${cold1.ms.toFixed(0)} ms; follow-up of ${cold.evaluated} tokens: ` +
      `warm ttft ${warm.ms.toFixed(0)} ms evaluating ${warm.evaluated} new tokens, cold ttft ${cold.ms.toFixed(0)} ms (load ${load()})`,
  );
  if (cold1.evaluated < 2000 || warm.evaluated > 500 || warm.evaluated >= cold.evaluated / 2) {
    throw new Error(
      `The follow-up setup is off: the context must be >= 2000 tokens (${cold1.evaluated}) and the follow-up evaluate <= 500 new tokens (${warm.evaluated}).`,
    );
  }
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
