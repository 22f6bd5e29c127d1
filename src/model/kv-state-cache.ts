/**
 * A persistent cache of evaluated KV state for the embedded backend: the state of the stable
 * prompt prefix (system prompt, tool descriptions, project instructions) saved after the first
 * step of one launch and loaded into the fresh sequence of the next, so that launch evaluates only
 * what follows the prefix.
 *
 * Files are node-llama-cpp sequence state files (`LlamaContextSequence.saveStateToFile`): the KV
 * cells of the sequence plus the token ids they hold; loading one restores both, so the sequence's
 * `contextTokens` are the prefix and the next generation reuses them like a prefix kept from an
 * earlier step. Loading a state made by another model can crash the process (node-llama-cpp's
 * `acceptRisk`), so a file's name is a hash of everything the state depends on: the model file
 * (path, size, mtime), the engine (node-llama-cpp version, llama.cpp release, GPU type), the
 * context size and the exact prefix token ids. Any mismatch is a different file, i.e. a miss.
 *
 * Location: `$ASSIST_KV_CACHE_DIR` (`off` disables the cache), else `$XDG_CACHE_HOME/assist/kv`,
 * else `~/.cache/assist/kv`. Written atomically (temp file + rename) under the name
 * `<key>-<sha256 of the content>.kvstate`, and the content is checked against that hash before it
 * is loaded: llama.cpp aborts the whole process (GGML_ASSERT) on a truncated state file, so a file
 * damaged after it was written must never reach it. Only the newest files are kept, within a byte
 * budget. Failures never reach the caller: a miss or a failed load or save
 * falls back to normal evaluation and is logged once with `NODE_DEBUG=assist-kv`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { debuglog } from 'node:util';
import type { LlamaContextSequence, Token } from 'node-llama-cpp';

const log = debuglog('assist-kv');
const logged = new Set<string>();

/** Logs `message` once per process under `kind` (NODE_DEBUG=assist-kv). */
function logOnce(kind: string, message: string): void {
  if (logged.has(kind)) return;
  logged.add(kind);
  log(message);
}

/** Where state files go by default; `undefined` when disabled (`ASSIST_KV_CACHE_DIR=off`). */
export function defaultKvCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env.ASSIST_KV_CACHE_DIR;
  if (given !== undefined && given !== '') return given === 'off' ? undefined : path.resolve(given);
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'assist', 'kv');
}

/** Everything an evaluated state depends on besides the tokens. */
export interface KvStateIdentity {
  /** Model file identity, see `modelFileIdentity`. */
  model: string;
  /** Engine identity: node-llama-cpp version, llama.cpp release, GPU type. */
  engine: string;
  contextSize: number;
}

/** The model file's identity: absolute path, size and modification time. */
export async function modelFileIdentity(modelPath: string): Promise<string> {
  const resolved = path.resolve(modelPath);
  const stat = await fs.stat(resolved);
  return `${resolved}\0${stat.size}\0${stat.mtimeMs}`;
}

/**
 * The cache key of a prefix: a hash of the identity and the exact token ids. Bump `assist-kv-N`
 * whenever EmbeddedModel's context options that shape the KV layout change (KV cache type, flash
 * attention, SWA cache): a state of another layout must never be loaded.
 */
export function kvStateKey(identity: KvStateIdentity, tokens: readonly Token[]): string {
  const hash = createHash('sha256');
  hash.update(`assist-kv-1\0${identity.model}\0${identity.engine}\0${identity.contextSize}\0`);
  hash.update(Buffer.from(Uint32Array.from(tokens).buffer));
  return hash.digest('hex').slice(0, 40);
}

/** Length of the longest common prefix of two token lists. */
export function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

export interface KvStateCacheLimits {
  /** Most files kept (newest first). Default 8. */
  maxFiles?: number;
  /** Most bytes kept in total. Default 1 GiB. */
  maxBytes?: number;
}

const suffix = '.kvstate';

/** Prefixes shorter than this are not worth a state file. */
const minCachedPrefixTokens = 32;

/** The persistent cache with the identity of the model and context whose states it holds. */
export interface KvPrefixCache {
  cache: KvStateCache;
  identity: KvStateIdentity;
}

/**
 * Fills an empty sequence with the stable prefix of `prompt`: from the cache, or, on a miss or
 * without a cache, by evaluating it on its own (and saving the state for the next launch).
 *
 * The stable prefix is the longest common prefix of `prompt`'s tokens and `systemAlone` (the
 * tokens of the system message rendered alone by the same chat wrapper): the part every
 * conversation with this system message starts with, however the wrapper tokenizes the turn
 * boundary. Being token ids, it is always an exact prefix of what LlamaChat evaluates next, which
 * then finds it in the sequence's `contextTokens` and evaluates only the rest, as between steps.
 * At least one prompt token is left to LlamaChat (generation needs the last token's logits).
 *
 * `systemAlone` may be several renderings, shortest first: the system message cut where its
 * part shared by every session ends (system prompt, tools, instructions), then whole (with the
 * repo map, which follows the request, and pinned files). Each level is evaluated, and cached, on
 * its own, so a launch whose map differs from every earlier one still restores the shared part
 * and evaluates only its own (without the cut, a real project's first step never hit the cache).
 *
 * Why evaluate the prefix separately instead of saving after the step: node-llama-cpp saves a
 * sequence's whole state, and trimming it to the prefix would throw away the rest of the step's
 * KV state that the next step reuses. And the split is made with or without a cache: llama.cpp's
 * CPU kernels depend on batch shapes, so evaluating the prompt in one go or as prefix + rest can
 * differ in the last bits, which at temperature 0 can change a real model's output (measured:
 * SmolLM2-135M gave a different first action, 60 vs 54 tokens). With the same splits always, a
 * restored state holds exactly the bytes a fresh evaluation computes, so hit, miss and no cache
 * give identical output. Never throws: on any failure the sequence is left empty and the step
 * evaluates normally.
 */
export async function fillStablePrefix(
  sequence: LlamaContextSequence,
  prompt: readonly Token[],
  systemAlone: ReadonlyArray<readonly Token[]>,
  kv: KvPrefixCache | undefined,
): Promise<void> {
  const ends: number[] = [];
  for (const rendering of systemAlone) {
    const end = Math.min(commonPrefixLength(prompt, rendering), prompt.length - 1);
    if (end >= minCachedPrefixTokens && end > (ends.at(-1) ?? 0)) ends.push(end);
  }
  if (ends.length === 0) return;
  const keys = ends.map((end) => kv && kvStateKey(kv.identity, prompt.slice(0, end)));
  // the deepest level the cache holds, then the rest evaluated level by level
  let done = 0;
  let restored = -1;
  for (let level = ends.length - 1; level >= 0 && kv && restored < 0; level--) {
    const key = keys[level];
    if (key && (await kv.cache.load(sequence, key, prompt.slice(0, ends[level]))) > 0) {
      restored = level;
      done = ends[level];
    }
  }
  for (let next = restored + 1; next < ends.length; next++) {
    try {
      await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(done, ends[next]));
    } catch (error) {
      logOnce('evaluate', `evaluating the prompt prefix failed: ${(error as Error).message}`);
      await sequence.clearHistory().catch(() => undefined);
      return; // the generation evaluates from scratch and reports any engine error itself
    }
    done = ends[next];
    const key = keys[next];
    if (kv && key) await kv.cache.save(sequence, key);
  }
}

/** A directory of sequence state files, newest kept. */
export class KvStateCache {
  private readonly maxFiles: number;
  private readonly maxBytes: number;

  constructor(
    readonly dir: string,
    limits: KvStateCacheLimits = {},
  ) {
    this.maxFiles = limits.maxFiles ?? 8;
    this.maxBytes = limits.maxBytes ?? 1024 ** 3;
  }

  /** The newest intact-looking file of `key` (named `<key>-<content hash>.kvstate`), if any. */
  async fileFor(key: string): Promise<{ file: string; hash: string } | undefined> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    let best: { file: string; hash: string; mtimeMs: number } | undefined;
    for (const name of names) {
      if (!name.startsWith(key + '-') || !name.endsWith(suffix)) continue;
      const file = path.join(this.dir, name);
      const mtimeMs = (await fs.stat(file).catch(() => undefined))?.mtimeMs;
      if (mtimeMs !== undefined && (!best || mtimeMs > best.mtimeMs)) best = { file, hash: name.slice(key.length + 1, -suffix.length), mtimeMs };
    }
    return best && { file: best.file, hash: best.hash };
  }

  /**
   * Loads the state of `key` into `sequence` (which must be empty) if its tokens are exactly
   * `tokens`. Returns how many tokens were restored (0 on a miss or failure; the sequence is then
   * empty again).
   */
  async load(sequence: LlamaContextSequence, key: string, tokens: readonly Token[]): Promise<number> {
    const found = await this.fileFor(key);
    if (!found) return 0;
    const { file } = found;
    if ((await fileHash(file).catch(() => '')) !== found.hash) {
      logOnce('damaged', `state file ${file} does not match its content hash; removed`);
      await fs.rm(file, { force: true }).catch(() => undefined);
      return 0;
    }
    try {
      await sequence.loadStateFromFile(file, { acceptRisk: true });
      const restored = sequence.contextTokens;
      if (restored.length !== tokens.length || commonPrefixLength(restored, tokens) !== tokens.length) {
        logOnce('mismatch', `state file ${file} holds other tokens than its key says; ignored`);
        await sequence.clearHistory();
        return 0;
      }
      const now = new Date();
      await fs.utimes(file, now, now).catch(() => undefined); // newest-used survives pruning
      return restored.length;
    } catch (error) {
      logOnce('load', `loading ${file} failed, evaluating normally: ${(error as Error).message}`);
      await sequence.clearHistory().catch(() => undefined);
      await fs.rm(file, { force: true }).catch(() => undefined);
      return 0;
    }
  }

  /** Saves `sequence`'s whole current state as `key` (temp + rename), then prunes. Never throws. */
  async save(sequence: LlamaContextSequence, key: string): Promise<boolean> {
    const temp = path.join(this.dir, `${key}.${process.pid}.${Date.now()}.tmp`);
    try {
      await fs.mkdir(this.dir, { recursive: true });
      await sequence.saveStateToFile(temp);
      const file = path.join(this.dir, `${key}-${await fileHash(temp)}${suffix}`);
      await fs.rename(temp, file);
      await this.prune();
      return true;
    } catch (error) {
      logOnce('save', `saving a state file in ${this.dir} failed: ${(error as Error).message}`);
      await fs.rm(temp, { force: true }).catch(() => undefined);
      return false;
    }
  }

  /** Keeps the newest state files within the file and byte limits; removes stale temp files. */
  async prune(): Promise<void> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const files: { file: string; size: number; mtimeMs: number }[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat?.isFile()) continue;
      if (name.endsWith('.tmp')) {
        if (Date.now() - stat.mtimeMs > 3_600_000) await fs.rm(file, { force: true }).catch(() => undefined);
        continue;
      }
      if (name.endsWith(suffix)) files.push({ file, size: stat.size, mtimeMs: stat.mtimeMs });
    }
    files.sort((a, b) => b.mtimeMs - a.mtimeMs);
    let total = 0;
    for (const [i, f] of files.entries()) {
      total += f.size;
      if (i >= this.maxFiles || (i > 0 && total > this.maxBytes)) await fs.rm(f.file, { force: true }).catch(() => undefined);
    }
  }
}

/** SHA-256 of a file's content, hex, first 32 digits. */
async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 32);
}
