import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir, writeFile, stat, utimes, truncate, copyFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedModel } from '../../src/model/embedded.ts';
import { commonPrefixLength, defaultKvCacheDir, KvStateCache, kvStateKey, modelFileIdentity } from '../../src/model/kv-state-cache.ts';
import type { ChatMessage } from '../../src/model/language-model.ts';
import type { Token } from 'node-llama-cpp';
import { banByteTokens, tinyGgufPath } from '../support/tiny-gguf.ts';
import { representativeSchema } from './fixtures.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'assist-kv-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh load of the tiny GGUF, as a new launch would do. */
function launch(kvCacheDir: string | false, modelPath?: string): Promise<EmbeddedModel> {
  return (async () =>
    EmbeddedModel.load({
      path: modelPath ?? (await tinyGgufPath()),
      contextSize: 2048,
      threads: 1,
      gpu: false,
      maxTokens: 600,
      timeoutMs: 60_000,
      tokenBias: banByteTokens,
      kvCacheDir,
    }))();
}

const system = 'You are assist, a coding agent. Read files, search, edit and run the tests, then answer. '.repeat(6);
const conversation = (task: string): ChatMessage[] => [
  { role: 'system', content: system },
  { role: 'user', content: task },
];

async function stateFiles(cacheDir: string): Promise<string[]> {
  return (await readdir(cacheDir).catch(() => [] as string[])).filter((n) => n.endsWith('.kvstate'));
}

/** One first step of a fresh launch, at temperature 0. */
async function firstStep(kvCacheDir: string | false, task: string, modelPath?: string) {
  const model = await launch(kvCacheDir, modelPath);
  try {
    return await model.next(conversation(task), representativeSchema, { temperature: 0, seed: 7 });
  } finally {
    await model.dispose();
  }
}

test('defaultKvCacheDir: env override, off, XDG_CACHE_HOME, then ~/.cache', () => {
  assert.equal(defaultKvCacheDir({ ASSIST_KV_CACHE_DIR: '/tmp/kv' }), '/tmp/kv');
  assert.equal(defaultKvCacheDir({ ASSIST_KV_CACHE_DIR: 'off', XDG_CACHE_HOME: '/x' }), undefined);
  assert.equal(defaultKvCacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/assist/kv');
  assert.equal(defaultKvCacheDir({ XDG_CACHE_HOME: 'relative' }), path.join(os.homedir(), '.cache', 'assist', 'kv'));
  assert.equal(defaultKvCacheDir({}), path.join(os.homedir(), '.cache', 'assist', 'kv'));
});

/** Token ids (a branded type) for the pure functions. */
const t = (ids: number[]) => ids as Token[];

test('the key changes with the model, the engine, the context size and every token', () => {
  const id = { model: '/m.gguf\u00001\u00002', engine: 'e', contextSize: 2048 };
  const base = kvStateKey(id, t([1, 2, 3]));
  assert.equal(kvStateKey({ ...id }, t([1, 2, 3])), base);
  assert.notEqual(kvStateKey({ ...id, model: '/m.gguf\u00001\u00003' }, t([1, 2, 3])), base);
  assert.notEqual(kvStateKey({ ...id, engine: 'f' }, t([1, 2, 3])), base);
  assert.notEqual(kvStateKey({ ...id, contextSize: 4096 }, t([1, 2, 3])), base);
  assert.notEqual(kvStateKey(id, t([1, 2, 4])), base);
  assert.notEqual(kvStateKey(id, t([1, 2])), base);
  assert.equal(commonPrefixLength(t([1, 2, 3]), t([1, 2, 4, 5])), 2);
  assert.equal(commonPrefixLength(t([]), t([1])), 0);
});

test('modelFileIdentity changes when the file is modified', async () => {
  const file = path.join(dir, 'm.bin');
  await writeFile(file, 'abc');
  const first = await modelFileIdentity(file);
  await utimes(file, new Date(), new Date(Date.now() + 5000));
  assert.notEqual(await modelFileIdentity(file), first);
});

test('prune keeps the newest files within the count and byte limits and drops stale temp files', async () => {
  const cacheDir = await mkdtemp(path.join(dir, 'prune-'));
  const cache = new KvStateCache(cacheDir, { maxFiles: 3, maxBytes: 250 });
  const now = Date.now() / 1000;
  for (let i = 0; i < 5; i++) {
    const file = path.join(cacheDir, `f${i}.kvstate`);
    await writeFile(file, Buffer.alloc(100));
    await utimes(file, now - 100 + i, now - 100 + i); // f4 newest
  }
  const staleTemp = path.join(cacheDir, 'x.kvstate.1.2.tmp');
  await writeFile(staleTemp, 'x');
  await utimes(staleTemp, now - 7200, now - 7200);
  const freshTemp = path.join(cacheDir, 'y.kvstate.1.2.tmp');
  await writeFile(freshTemp, 'y');
  await writeFile(path.join(cacheDir, 'other.txt'), 'kept');
  await cache.prune();
  assert.deepEqual((await readdir(cacheDir)).sort(), ['f3.kvstate', 'f4.kvstate', 'other.txt', 'y.kvstate.1.2.tmp']);
});

test('a second launch restores the stable prefix from disk and acts exactly as without the cache', async () => {
  const cacheDir = path.join(dir, 'launches');
  const uncached = await firstStep(false, 'Fix the failing test in src/index.ts');
  assert.deepEqual(await stateFiles(cacheDir), []);

  const cold = await firstStep(cacheDir, 'Fix the failing test in src/index.ts');
  assert.equal(cold.raw, uncached.raw, 'a miss (prefix evaluated then saved) must not change the output');
  assert.equal(cold.usage.cachedTokens, uncached.usage.cachedTokens, 'a miss reports what it evaluated');
  const files = await stateFiles(cacheDir);
  assert.equal(files.length, 1);

  const warm = await firstStep(cacheDir, 'Fix the failing test in src/index.ts');
  assert.equal(warm.raw, uncached.raw, 'a hit must not change the output');
  assert.deepEqual(warm.action, uncached.action);
  assert.equal(warm.usage.promptTokens, uncached.usage.promptTokens);
  assert.ok(warm.usage.cachedTokens >= uncached.usage.cachedTokens + 32, `restored ${warm.usage.cachedTokens} tokens`);
  assert.ok(warm.usage.cachedTokens < warm.usage.promptTokens);

  // Another task with the same system message hits the same file.
  const otherUncached = await firstStep(false, 'Rename the function parse to parseConfig');
  const otherWarm = await firstStep(cacheDir, 'Rename the function parse to parseConfig');
  assert.equal(otherWarm.usage.cachedTokens, warm.usage.cachedTokens);
  assert.equal(otherWarm.raw, otherUncached.raw);
  assert.deepEqual(await stateFiles(cacheDir), files);
});

test("a system message whose end is the turn's own (a repo map): a new map still restores the shared part, and the output is as without the cache", async () => {
  const cacheDir = path.join(dir, 'levels');
  const withMap = (map: string): ChatMessage[] => [
    { role: 'system', content: `${system}\n\n${map}`, sharedChars: system.length },
    { role: 'user', content: 'Fix the failing test' },
  ];
  const step = async (kvCacheDir: string | false, messages: ChatMessage[]) => {
    const model = await launch(kvCacheDir);
    try {
      return await model.next(messages, representativeSchema, { temperature: 0, seed: 7 });
    } finally {
      await model.dispose();
    }
  };
  const mapA = 'Repository map:\nsrc/a.ts: parse, format\n'.repeat(4);
  const mapB = 'Repository map:\nsrc/b.ts: load, save, render\n'.repeat(4);

  const plainA = await step(false, withMap(mapA));
  const coldA = await step(cacheDir, withMap(mapA));
  assert.equal(coldA.raw, plainA.raw, 'a miss must not change the output');
  assert.equal((await stateFiles(cacheDir)).length, 2, 'the shared part and the whole system message, each saved');

  const plainB = await step(false, withMap(mapB));
  const warmB = await step(cacheDir, withMap(mapB));
  assert.equal(warmB.raw, plainB.raw, 'a restored shared part must not change the output');
  assert.ok(warmB.usage.cachedTokens >= plainB.usage.cachedTokens + 32, `restored ${warmB.usage.cachedTokens} tokens of another map's launch`);

  const warmA = await step(cacheDir, withMap(mapA));
  assert.equal(warmA.raw, plainA.raw);
  assert.ok(warmA.usage.cachedTokens > warmB.usage.cachedTokens, 'the same map again restores the whole system message');
  assert.equal((await stateFiles(cacheDir)).length, 3);
});

test('a corrupt or truncated state file falls back to normal evaluation with the same output', async () => {
  const cacheDir = path.join(dir, 'corrupt');
  const task = 'List the files under src';
  const uncached = await firstStep(false, task);
  await firstStep(cacheDir, task);
  const [name] = await stateFiles(cacheDir);
  assert.ok(name);
  const file = path.join(cacheDir, name);
  const good = path.join(dir, 'good.kvstate');
  await copyFile(file, good);

  await truncate(file, Math.floor((await stat(file)).size / 2));
  const truncated = await firstStep(cacheDir, task);
  assert.equal(truncated.raw, uncached.raw);
  assert.equal(truncated.usage.cachedTokens, uncached.usage.cachedTokens, 'the truncated file must not be used');
  const resaved = await stateFiles(cacheDir);
  assert.equal(resaved.length, 1, 'the bad file is replaced by a fresh save');
  assert.equal((await stat(path.join(cacheDir, resaved[0]))).size, (await stat(good)).size);

  // Not a state file at all, though its name matches its content: llama.cpp rejects it, the step goes on.
  await rm(path.join(cacheDir, resaved[0]));
  const junk = Buffer.alloc(4096, 7);
  const key = name.slice(0, name.lastIndexOf('-'));
  await writeFile(path.join(cacheDir, `${key}-${createHash('sha256').update(junk).digest('hex').slice(0, 32)}.kvstate`), junk);
  const garbage = await firstStep(cacheDir, task);
  assert.equal(garbage.raw, uncached.raw);
  assert.equal(garbage.usage.cachedTokens, uncached.usage.cachedTokens);

  const again = await firstStep(cacheDir, task);
  assert.equal(again.raw, uncached.raw);
  assert.ok(again.usage.cachedTokens > uncached.usage.cachedTokens, 'the re-saved file is used');
});

test('a modified model file (new mtime) misses: its state is never loaded', async () => {
  const cacheDir = path.join(dir, 'mtime');
  const copy = path.join(dir, 'tiny-copy.gguf');
  await copyFile(await tinyGgufPath(), copy);
  const task = 'Run the tests';
  const before = await firstStep(cacheDir, task, copy);
  assert.equal((await stateFiles(cacheDir)).length, 1);
  await utimes(copy, new Date(), new Date(Date.now() + 60_000));
  const after = await firstStep(cacheDir, task, copy);
  assert.equal(after.usage.cachedTokens, before.usage.cachedTokens);
  assert.equal((await stateFiles(cacheDir)).length, 2);
});
