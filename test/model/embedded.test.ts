import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Ajv } from 'ajv';
import { LlamaChat, type LlamaGrammar } from 'node-llama-cpp';
import { actionGbnfText, endAtValue, factorRootAlternatives, gbnfElements, hardenJsonGrammar } from '../../src/model/action-grammar.ts';
import { chooseThreads, coreCount, defaultThreads, EmbeddedModel, OtherCpuLoad, toChatHistory } from '../../src/model/embedded.ts';
import { ModelError, ModelSetupError, type ChatMessage } from '../../src/model/language-model.ts';
import { buildActionSchema } from '../../src/model/action-schema.ts';
import { banByteTokens, tinyGgufPath, writeTinyGguf } from '../support/tiny-gguf.ts';
import { loadTinyModel, representativeSchema } from './fixtures.ts';

let model: EmbeddedModel;
let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'assist-embedded-'));
  process.env.ASSIST_KV_CACHE_DIR = path.join(dir, 'kv'); // the persistent prefix cache stays out of ~/.cache
  model = await loadTinyModel();
});
after(async () => {
  await model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const conversation: ChatMessage[] = [
  { role: 'system', content: 'You are assist, a coding agent. Answer with one action.' },
  { role: 'user', content: 'Fix the failing test in src/index.ts' },
];

test('loads the tiny GGUF with its own ChatML template and reports load time and memory', () => {
  assert.equal(model.info.backend, 'embedded');
  assert.equal(model.chatWrapperName, 'ChatML');
  assert.equal(model.info.contextSize, 2048);
  assert.ok(typeof model.info.loadMs === 'number' && model.info.loadMs >= 0);
  assert.ok((model.info.memoryBytes ?? 0) > 0);
  assert.ok(model.countTokens('read the file') > 0);
});

test('24 actions under the grammar of a realistic action schema all parse and validate', async () => {
  const validate = new Ajv({ strict: false }).compile(representativeSchema as object);
  const tools = new Set<string>();
  for (let i = 0; i < 24; i++) {
    const temperature = [0.2, 0.7, 1.0, 1.4][i % 4];
    const result = await model.next(conversation, representativeSchema, { seed: i + 1, temperature });
    const parsed = JSON.parse(result.raw);
    assert.ok(validate(parsed), `sample ${i} (${result.raw}) invalid: ${JSON.stringify(validate.errors)}`);
    assert.deepEqual(result.action, parsed);
    assert.ok(result.usage.completionTokens > 0);
    tools.add(result.action.tool);
  }
  assert.ok(tools.size >= 2, `expected varied tools, got ${[...tools]}`);
});

const longSchema = buildActionSchema([], { maxThoughtLength: 4000, maxAnswerLength: 4000 });

test('aborting mid-generation rejects with ModelError aborted, and the model stays usable', async () => {
  const controller = new AbortController();
  let tokens = 0;
  const step = model.next(conversation, longSchema, {
    signal: controller.signal,
    maxTokens: 3000,
    temperature: 1,
    seed: 7,
    onToken: () => {
      if (++tokens === 3) controller.abort();
    },
  });
  await assert.rejects(step, (error: unknown) => error instanceof ModelError && error.code === 'aborted');
  assert.equal(tokens, 3);
  const again = await model.next(conversation, representativeSchema, { seed: 3 });
  assert.ok(again.action.tool);
});

test('an already-aborted signal rejects without generating', async () => {
  await assert.rejects(
    model.next(conversation, representativeSchema, { signal: AbortSignal.abort() }),
    (e: unknown) => e instanceof ModelError && e.code === 'aborted',
  );
});

test('a tiny timeout rejects with ModelError timeout, and the model stays usable', async () => {
  await assert.rejects(
    model.next(conversation, longSchema, { timeoutMs: 1, maxTokens: 3000, temperature: 1, seed: 9 }),
    (error: unknown) => error instanceof ModelError && error.code === 'timeout',
  );
  const again = await model.next(conversation, representativeSchema, { seed: 4 });
  assert.ok(again.action.tool);
});

test('a follow-up turn reuses the KV cache for the unchanged prefix', async () => {
  const first: ChatMessage[] = [
    { role: 'system', content: 'You are assist, a coding agent. '.repeat(20) },
    { role: 'user', content: 'Read src/index.ts and find the bug.' },
  ];
  const r1 = await model.next(first, representativeSchema, { seed: 11 });
  const second: ChatMessage[] = [...first, { role: 'assistant', content: r1.raw }, { role: 'user', content: 'Observation: the file has 10 lines.' }];
  const r2 = await model.next(second, representativeSchema, { seed: 12 });
  assert.ok(r2.usage.promptTokens > r1.usage.promptTokens);
  assert.ok(r2.usage.cachedTokens >= r1.usage.promptTokens / 2, `cached ${r2.usage.cachedTokens} of ${r2.usage.promptTokens}`);
  const evaluated = r2.usage.promptTokens - r2.usage.cachedTokens;
  assert.ok(evaluated < r2.usage.promptTokens - r1.usage.promptTokens / 2);
});

test("a step's prompt is read ahead a chunk at a time and not read again by the generation; a time limit during the read ends the step", async () => {
  const sequence = (model as unknown as { sequence: import('node-llama-cpp').LlamaContextSequence }).sequence;
  const messages: ChatMessage[] = [{ role: 'user', content: `Fix the bug. ${'The total is wrong for an empty cart. '.repeat(60)}` }];
  const before = sequence.tokenMeter.getState();
  const step = await model.next(messages, representativeSchema, { seed: 13 });
  const read = sequence.tokenMeter.diff(before).usedInputTokens;
  assert.ok(step.usage.promptTokens > 600, `${step.usage.promptTokens} prompt tokens: more than two chunks`);
  // (the prompt once, and the tokens the action wrote fed back as it was written)
  assert.ok(read <= step.usage.promptTokens + step.usage.completionTokens + 2, `read ${read} input tokens for a ${step.usage.promptTokens}-token prompt`);
  const longer: ChatMessage[] = [{ role: 'user', content: `Fix it. ${'The page count is off by one for 30 items. '.repeat(80)}` }];
  await assert.rejects(
    model.next(longer, representativeSchema, { timeoutMs: 1 }),
    (error: unknown) => error instanceof ModelError && error.code === 'timeout' && /still reading the prompt/.test(error.message),
  );
  assert.ok(sequence.nextTokenIndex < model.countTokens(longer[0].content), 'stopped before the whole prompt was read');
  const again = await model.next(messages, representativeSchema, { seed: 14 });
  assert.ok(again.action.tool, 'the next step works');
});

test('after clearCache the next step evaluates its whole prompt, ignoring the persistent prefix cache', async () => {
  const kvDir = path.join(dir, 'clear-kv');
  const fresh = await EmbeddedModel.load({
    path: await tinyGgufPath(),
    contextSize: 2048,
    threads: 1,
    gpu: false,
    maxTokens: 600,
    tokenBias: banByteTokens,
    kvCacheDir: kvDir,
  });
  try {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are assist, a coding agent. '.repeat(20) },
      { role: 'user', content: 'Run the tests.' },
    ];
    const first = await fresh.next(messages, representativeSchema, { temperature: 0 }); // a miss: the prefix state is saved
    assert.equal((await readdir(kvDir)).filter((n) => n.endsWith('.kvstate')).length, 1);
    await fresh.clearCache();
    const cold = await fresh.next(messages, representativeSchema, { temperature: 0 });
    assert.equal(cold.usage.cachedTokens, first.usage.cachedTokens);
    assert.equal(cold.raw, first.raw);
  } finally {
    await fresh.dispose();
  }
});

test('a conversation longer than the context is a context_overflow error, not a crash', async () => {
  const huge: ChatMessage[] = [{ role: 'user', content: 'read the file '.repeat(2000) }];
  await assert.rejects(
    model.next(huge, representativeSchema),
    (e: unknown) => e instanceof ModelError && e.code === 'context_overflow' && /context/.test(e.message),
  );
});

test('a file that is not a GGUF is refused with a clear error before loading', async () => {
  const file = path.join(dir, 'notes.gguf');
  await writeFile(file, 'hello, this is not a model\n');
  await assert.rejects(EmbeddedModel.load({ path: file, gpu: false }), (e: unknown) => e instanceof ModelSetupError && /not a GGUF model file/.test(e.message));
});

test('a corrupt GGUF header is refused with a clear error', async () => {
  const file = path.join(dir, 'corrupt.gguf');
  await writeFile(file, Buffer.concat([Buffer.from('GGUF'), Buffer.from([3, 0, 0, 0]), Buffer.alloc(64, 0xff)]));
  await assert.rejects(EmbeddedModel.load({ path: file, gpu: false }), (e: unknown) => e instanceof ModelSetupError && /corrupt/.test(e.message));
});

test('a truncated GGUF (cut-off download) is refused with a clear error', async () => {
  const bytes = await readFile(await tinyGgufPath());
  const file = path.join(dir, 'truncated.gguf');
  await writeFile(file, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
  await assert.rejects(EmbeddedModel.load({ path: file, gpu: false }), (e: unknown) => e instanceof ModelSetupError && /truncated/.test(e.message));
});

test('a missing file is a clear error', async () => {
  await assert.rejects(
    EmbeddedModel.load({ path: path.join(dir, 'nope.gguf'), gpu: false }),
    (e: unknown) => e instanceof ModelSetupError && /Cannot read the model file/.test(e.message),
  );
});

test('a model larger than free memory is refused before loading, with what to do', async () => {
  const file = path.join(dir, 'huge.gguf');
  await writeTinyGguf(file, { oversizedTensorBytes: Math.max(os.totalmem(), os.freemem()) * 2 });
  await assert.rejects(EmbeddedModel.load({ path: file, gpu: false }), (e: unknown) => {
    assert.ok(e instanceof ModelSetupError, String(e));
    assert.match(e.message, /needs about [\d.]+ GiB of memory but only [\d.]+ GiB is free/);
    assert.match(e.message, /smaller model/);
    return true;
  });
});

test('gbnfElements splits a rule body into literals, classes, groups and names with their repetitions', () => {
  assert.deepEqual(gbnfElements('"{" ws "\\"a b\\"" [^"\\\\] ( "x" | "(" ){0,3} " "{8} name? [\\n]*'), [
    '"{"',
    'ws',
    '"\\"a b\\""',
    '[^"\\\\]',
    '( "x" | "(" ){0,3}',
    '" "{8}',
    'name?',
    '[\\n]*',
  ]);
  assert.equal(gbnfElements('"a" | "b"'), null, 'a top-level alternation is not a sequence');
});

test('the root alternation is left-factored into one shared prefix, leaving other grammars alone', () => {
  const gbnf = [
    'root ::= ( rule1 | rule2 ) "\\n\\n\\n\\n" [\\n]*',
    'str ::= "\\"" [a-z]{0,9} "\\""',
    'rule1 ::= "{" "\\"t\\":" str "," "\\"tool\\":" "\\"a\\"" "," args1 "}"',
    'rule2 ::= "{" "\\"t\\":" str "," "\\"tool\\":" "\\"b\\"" "," args2 "}"',
    'args1 ::= "1"',
    'args2 ::= "2" | rule2x',
    'rule2x ::= "3"',
  ].join('\n');
  assert.equal(
    factorRootAlternatives(gbnf),
    [
      'root ::= "{" "\\"t\\":" str "," "\\"tool\\":" ( "\\"a\\"" "," args1 | "\\"b\\"" "," args2 ) "}" "\\n\\n\\n\\n" [\\n]*',
      'str ::= "\\"" [a-z]{0,9} "\\""',
      'args1 ::= "1"',
      'args2 ::= "2" | rule2x',
      'rule2x ::= "3"',
    ].join('\n'),
  );
  const noSharedPrefix = 'root ::= ( a | b )\na ::= "x" "y"\nb ::= "z" "y"';
  assert.equal(factorRootAlternatives(noSharedPrefix), noSharedPrefix);
  const oneIsPrefix = 'root ::= ( a | b )\na ::= "x"\nb ::= "x" "y"';
  assert.equal(factorRootAlternatives(oneIsPrefix), oneIsPrefix, 'an empty remainder would change the language');
  assert.equal(endAtValue('root ::= obj "\\n\\n\\n\\n" [\\n]*\nobj ::= "{}" "\\n\\n\\n\\n" [\\n]*'), 'root ::= obj\nobj ::= "{}" "\\n\\n\\n\\n" [\\n]*');
});

test("the factored grammar allows exactly the tokens node-llama-cpp's allows: same seeds, same actions, fewer tokens", async () => {
  const base = await (model.llama as unknown as { createGrammarForJsonSchema(s: unknown): Promise<LlamaGrammar> }).createGrammarForJsonSchema(
    representativeSchema,
  );
  const make = (grammar: string) =>
    model.llama.createGrammar({ grammar, stopGenerationTriggers: base.stopGenerationTriggers, trimWhitespaceSuffix: base.trimWhitespaceSuffix });
  const original = await make(hardenJsonGrammar(base.grammar));
  const ours = await make(actionGbnfText(base.grammar));
  assert.match(ours.grammar, /^root ::= "\{" /m, 'the root is factored');
  const context = await model.model.createContext({ contextSize: 2048, threads: 1 });
  const chat = new LlamaChat({ contextSequence: context.getSequence() });
  const bias = banByteTokens(model.model);
  try {
    const run = async (grammar: LlamaGrammar, seed: number, temperature: number) => {
      await chat.sequence.clearHistory();
      const before = chat.sequence.tokenMeter.getState();
      const { response } = await chat.generateResponse(toChatHistory(conversation), { grammar, seed, temperature, tokenBias: bias, maxTokens: 600 });
      return { text: response.trim(), tokens: chat.sequence.tokenMeter.diff(before).usedOutputTokens };
    };
    for (let i = 0; i < 8; i++) {
      const temperature = [0, 0.7, 1.0, 1.4][i % 4];
      const a = await run(original, 100 + i, temperature);
      const b = await run(ours, 100 + i, temperature);
      assert.equal(b.text, a.text, `seed ${100 + i}`);
      assert.ok(b.tokens < a.tokens, `ending at the value saves the trailing newlines (${b.tokens} vs ${a.tokens} tokens)`);
    }
  } finally {
    chat.dispose();
    await context.dispose();
  }
});

test('threads: a step takes a core only if other processes leave it free', () => {
  assert.equal(chooseThreads(2, 0), 2);
  assert.equal(chooseThreads(2, 0.15), 2);
  assert.equal(chooseThreads(2, 0.5), 1);
  assert.equal(chooseThreads(2, 1), 1);
  assert.equal(chooseThreads(2, 6.5), 1);
  assert.equal(chooseThreads(8, 1), 7);
  assert.equal(chooseThreads(8, 2.9), 5);
  assert.equal(chooseThreads(1, 0), 1);
  assert.equal(chooseThreads(4, -1), 4);
  assert.equal(coreCount(), os.availableParallelism());
  assert.ok(defaultThreads() >= 1 && defaultThreads() <= coreCount());
  const meter = new OtherCpuLoad();
  for (const value of [meter.read(), meter.read()]) assert.ok(Number.isFinite(value) && value >= 0, String(value));
});

test('threads: the load of other processes is read over a fresh window, so a busy child process that has ended does not count', async () => {
  const meter = new OtherCpuLoad();
  meter.read();
  // another process keeps a core busy for a while, then ends (the sandbox running the tests)
  spawnSync(process.execPath, ['-e', 'const end = Date.now() + 600; while (Date.now() < end);']);
  const sinceStart = meter.read();
  const now = await meter.now(300);
  assert.ok(sinceStart > 0.5, `the busy child shows in the window since the first reading: ${sinceStart}`);
  // (on a machine saturated by other work both readings are all cores, and say nothing)
  assert.ok(now < sinceStart || now >= coreCount() - 0.25, `a fresh reading leaves it out: ${now} < ${sinceStart}`);
});

test('threads: a fixed count is kept; without one each step sets the Llama thread limit to its choice', async () => {
  assert.equal(model.threads, 1);
  const adaptive = await EmbeddedModel.load({ path: await tinyGgufPath(), contextSize: 512, gpu: false, maxTokens: 600, tokenBias: banByteTokens });
  try {
    const result = await adaptive.next(conversation, representativeSchema, { seed: 5 });
    assert.ok(result.action.tool);
    assert.ok(adaptive.threads >= 1 && adaptive.threads <= os.availableParallelism(), String(adaptive.threads));
    assert.equal(adaptive.llama.maxThreads, adaptive.threads);
  } finally {
    await adaptive.dispose();
  }
  const again = await model.next(conversation, representativeSchema, { seed: 6 });
  assert.ok(again.action.tool);
  assert.equal(model.threads, 1);
});
