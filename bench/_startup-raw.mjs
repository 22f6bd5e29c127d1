/**
 * Child process of `npm run bench -- startup`: the anchor. The raw engine in plain node (no tsx,
 * no assist code): node-llama-cpp `getLlama` + `loadModel` + `createContext` on the same GGUF with
 * the same context size and threads as the assist child, then one generation of the same length
 * (`--prompt-tokens` tokens of real text evaluated, `--gen-tokens` tokens sampled, no grammar).
 * Reports timings and peak RSS (VmHWM) to the parent over IPC, in the shape of RawStartupResult
 * (bench/_startup-protocol.ts).
 */
import { readFileSync } from 'node:fs';

const startedAt = performance.now();

/** @param {unknown} message */
function send(message) {
  process.send?.(message);
}

/** @param {string} name */
function arg(name) {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`_startup-raw: missing ${name}`);
  return value;
}

function peakRssBytes() {
  const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Real text for the prompt: the system prompt and source files of this repository. */
function promptText() {
  const files = ['../prompts/system.txt', '../src/agent/agent.ts', '../src/model/embedded.ts', '../src/agent/context.ts', '../src/model/openai.ts'];
  return files.map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
}

async function main() {
  const modelPath = arg('--model');
  const contextSize = Number(arg('--context'));
  const threads = Number(arg('--threads'));
  const promptTokens = Number(arg('--prompt-tokens'));
  const genTokens = Number(arg('--gen-tokens'));
  send({ type: 'mark', name: 'started', at: startedAt });
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const importedAt = performance.now();
  send({ type: 'mark', name: 'imported', at: importedAt });

  const loadStart = performance.now();
  const llama = await getLlama({ build: 'never', gpu: 'auto', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  if (llama.maxThreads !== 0 && llama.maxThreads < threads) llama.maxThreads = threads;
  const context = await model.createContext({ contextSize, threads: { ideal: threads, min: threads }, sequences: 1, swaFullCache: true });
  const loadedAt = performance.now();
  send({ type: 'mark', name: 'loaded', at: loadedAt });

  let tokens = model.tokenize(promptText());
  while (tokens.length < promptTokens) tokens = [...tokens, ...tokens];
  tokens = tokens.slice(0, promptTokens);
  const sequence = context.getSequence();
  let firstTokenAt = NaN;
  let produced = 0;
  for await (const token of sequence.evaluate(tokens, { temperature: 0 })) {
    void token;
    if (produced === 0) firstTokenAt = performance.now();
    if (++produced >= genTokens) break;
  }
  const doneAt = performance.now();
  const usage = process.cpuUsage();
  send({ type: 'mark', name: 'ready', at: doneAt });
  send({
    type: 'result',
    kind: 'raw',
    importedAt,
    loadMs: loadedAt - loadStart,
    loadedAt,
    firstTokenAt,
    doneAt,
    readyCpuMs: (usage.user + usage.system) / 1000,
    threads: context.currentThreads,
    promptTokens: tokens.length,
    completionTokens: produced,
    peakRssBytes: peakRssBytes(),
  });
  sequence.dispose();
  await context.dispose();
  await model.dispose();
}

main().then(
  () => process.disconnect?.(),
  (error) => {
    send({ type: 'error', message: error?.stack ?? String(error) });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
