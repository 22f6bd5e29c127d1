/**
 * A tiny, random-weight GGUF that llama.cpp accepts, written at test time with no dependencies.
 * It proves the plumbing of the real engine (load, tokenize, chat template, grammar, KV cache),
 * not the quality of anything it says.
 *
 * Layout (FACTS.md): GGUF v3, arch `llama`, 2 layers, 64 wide, SentencePiece-style vocabulary with
 * control tokens, the 256 byte tokens and ordinary pieces (every printable ASCII character, and
 * every prefix of common words, JSON punctuation and tool names), a ChatML chat template.
 */
import { mkdir, rename, writeFile, stat, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LlamaModel, Token } from 'node-llama-cpp';
import { TokenBias } from 'node-llama-cpp';

export interface TinyGgufOptions {
  /** Seed of the random weights (same seed, same bytes). Default 1. */
  seed?: number;
  /** `llama.context_length` written in the file. Default 4096. */
  contextLength?: number;
  /**
   * Declares one more F32 tensor of this many bytes whose data is left out of the returned bytes
   * (`writeTinyGguf` extends the file sparsely to hold it): a model "too large for memory" that
   * costs no disk. Such a file is only for checks made before loading.
   */
  oversizedTensorBytes?: number;
  /**
   * Adds the fill-in-the-middle control tokens of Qwen2.5-Coder (`<|fim_prefix|>`, `<|fim_middle|>`,
   * `<|fim_suffix|>`, `<|fim_pad|>`, `<|repo_name|>`, `<|file_sep|>`) after the rest of the vocabulary, and
   * names the first three in the metadata, so the engine offers infill.
   */
  fim?: boolean;
}

/** The fill-in-the-middle tokens of `TinyGgufOptions.fim`, in id order after the ordinary pieces. */
export const FIM_TOKENS = ['<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>'];

const EMBED = 64;
const LAYERS = 2;
const FF = 128;
const HEADS = 4;

/** Bumped whenever the generated file changes, so the cache never serves a stale one. */
const FORMAT_VERSION = 1;

/** Id of `<0x00>`; byte token `b` has id `FIRST_BYTE_TOKEN + b`. */
export const FIRST_BYTE_TOKEN = 5;

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const WORDS = [
  // JSON and action structure
  'thought',
  'tool',
  'args',
  'answer',
  'text',
  'null',
  'true',
  'false',
  'path',
  'paths',
  'query',
  'pattern',
  'glob',
  'dir',
  'name',
  'symbol',
  'content',
  'line',
  'lines',
  'start',
  'end',
  'startLine',
  'endLine',
  'old',
  'new',
  'oldText',
  'newText',
  'command',
  'code',
  'language',
  'limit',
  'offset',
  'edits',
  'replace',
  'search',
  'find',
  // tool names
  'read_file',
  'write_file',
  'edit_file',
  'create_file',
  'delete_file',
  'list_files',
  'list_dir',
  'search_code',
  'grep',
  'find_symbol',
  'find_symbols',
  'outline',
  'repo_map',
  'run_tests',
  'run_in_sandbox',
  'run_command',
  'apply_patch',
  'move_file',
  'rename_file',
  'rename_symbol',
  'read',
  'write',
  'edit',
  'list',
  'run',
  'test',
  'tests',
  // common words
  'the',
  'a',
  'an',
  'and',
  'or',
  'to',
  'of',
  'in',
  'is',
  'it',
  'for',
  'file',
  'files',
  'function',
  'def',
  'class',
  'return',
  'import',
  'from',
  'const',
  'let',
  'print',
  'main',
  'src',
  'index',
  'python',
  'rust',
  'typescript',
  'javascript',
  'fix',
  'bug',
  'add',
  'check',
  'first',
  'then',
  'need',
  'will',
  'this',
  'that',
  'with',
  'fib',
  'hello',
  'world',
  'done',
  'error',
  'passed',
  'failed',
];

/** The token pieces in id order, with their types (1 normal, 2 unknown, 3 control, 6 byte). */
export function tinyVocabulary(): { tokens: string[]; types: number[]; scores: number[] } {
  const tokens = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>'];
  const types = [2, 3, 3, 3, 3];
  const scores = [0, 0, 0, 0, 0];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
    scores.push(0);
  }
  const pieces = new Set<string>();
  for (let c = 0x21; c < 0x7f; c++) pieces.add(String.fromCharCode(c));
  pieces.add('\u2581');
  const addWithPrefixes = (word: string) => {
    for (let i = 2; i <= word.length; i++) pieces.add(word.slice(0, i));
  };
  for (const word of WORDS) {
    addWithPrefixes(word);
    addWithPrefixes(`\u2581${word}`);
    addWithPrefixes(`"${word}"`);
  }
  for (const p of ['{"', '":', '",', '"}', '":"', '","', '"},', '}}', '{}', '[]', '":{', '":[', ': ', ', ', '\u2581\u2581', '\u2581\u2581\u2581\u2581'])
    addWithPrefixes(p);
  for (let n = 0; n < 100; n++) pieces.add(String(n));
  for (const piece of pieces) {
    tokens.push(piece);
    types.push(1);
    scores.push(-1 / piece.length);
  }
  return { tokens, types, scores };
}

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest) this.push(Buffer.alloc(alignment - rest));
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type Value = { u32: number } | { f32: number } | { str: string } | { bool: boolean } | { strs: string[] } | { f32s: number[] } | { i32s: number[] };

function writeKv(w: Writer, key: string, value: Value): void {
  w.str(key);
  if ('u32' in value) w.u32(4), w.u32(value.u32);
  else if ('f32' in value) w.u32(6), w.f32(value.f32);
  else if ('str' in value) w.u32(8), w.str(value.str);
  else if ('bool' in value) w.u32(7), w.push(Buffer.from([value.bool ? 1 : 0]));
  else if ('strs' in value) {
    w.u32(9), w.u32(8), w.u64(value.strs.length);
    for (const s of value.strs) w.str(s);
  } else if ('f32s' in value) {
    w.u32(9), w.u32(6), w.u64(value.f32s.length);
    for (const f of value.f32s) w.f32(f);
  } else {
    w.u32(9), w.u32(5), w.u64(value.i32s.length);
    const b = Buffer.alloc(4 * value.i32s.length);
    value.i32s.forEach((v, i) => b.writeInt32LE(v, i * 4));
    w.push(b);
  }
}

/** The GGUF bytes of the tiny model. */
export function tinyGgufBytes(options: TinyGgufOptions = {}): Buffer {
  const rand = random(options.seed ?? 1);
  const vocab = tinyVocabulary();
  const firstFim = vocab.tokens.length;
  if (options.fim) {
    for (const token of FIM_TOKENS) {
      vocab.tokens.push(token);
      vocab.types.push(3);
      vocab.scores.push(0);
    }
  }
  const nVocab = vocab.tokens.length;
  const tensors: Array<{ name: string; dims: number[]; data: Float32Array | null }> = [];
  const tensor = (name: string, dims: number[], fill: 'ones' | number) => {
    const size = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = fill === 'ones' ? 1 : (rand() * 2 - 1) * fill;
    tensors.push({ name, dims, data });
  };
  tensor('token_embd.weight', [EMBED, nVocab], 1);
  tensor('output_norm.weight', [EMBED], 'ones');
  tensor('output.weight', [EMBED, nVocab], 0.5);
  for (let l = 0; l < LAYERS; l++) {
    tensor(`blk.${l}.attn_norm.weight`, [EMBED], 'ones');
    for (const t of ['attn_q', 'attn_k', 'attn_v', 'attn_output']) tensor(`blk.${l}.${t}.weight`, [EMBED, EMBED], 0.2);
    tensor(`blk.${l}.ffn_norm.weight`, [EMBED], 'ones');
    tensor(`blk.${l}.ffn_gate.weight`, [EMBED, FF], 0.2);
    tensor(`blk.${l}.ffn_up.weight`, [EMBED, FF], 0.2);
    tensor(`blk.${l}.ffn_down.weight`, [FF, EMBED], 0.2);
  }
  if (options.oversizedTensorBytes) tensors.push({ name: 'assist.oversized', dims: [Math.ceil(options.oversizedTensorBytes / 4)], data: null });
  const kvs: Array<[string, Value]> = [
    ['general.architecture', { str: 'llama' }],
    ['general.name', { str: 'assist-tiny-test' }],
    ['general.alignment', { u32: 32 }],
    ['llama.context_length', { u32: options.contextLength ?? 4096 }],
    ['llama.embedding_length', { u32: EMBED }],
    ['llama.block_count', { u32: LAYERS }],
    ['llama.feed_forward_length', { u32: FF }],
    ['llama.attention.head_count', { u32: HEADS }],
    ['llama.attention.head_count_kv', { u32: HEADS }],
    ['llama.rope.dimension_count', { u32: EMBED / HEADS }],
    ['llama.attention.layer_norm_rms_epsilon', { f32: 1e-5 }],
    ['tokenizer.ggml.model', { str: 'llama' }],
    ['tokenizer.ggml.tokens', { strs: vocab.tokens }],
    ['tokenizer.ggml.scores', { f32s: vocab.scores }],
    ['tokenizer.ggml.token_type', { i32s: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', { u32: 0 }],
    ['tokenizer.ggml.bos_token_id', { u32: 1 }],
    ['tokenizer.ggml.eos_token_id', { u32: 4 }],
    ['tokenizer.ggml.add_bos_token', { bool: false }],
    ['tokenizer.chat_template', { str: CHATML_TEMPLATE }],
    ...(options.fim
      ? ([
          ['tokenizer.ggml.fim_pre_token_id', { u32: firstFim }],
          ['tokenizer.ggml.fim_mid_token_id', { u32: firstFim + 1 }],
          ['tokenizer.ggml.fim_suf_token_id', { u32: firstFim + 2 }],
          ['tokenizer.ggml.fim_pad_token_id', { u32: firstFim + 3 }],
          ['tokenizer.ggml.fim_rep_token_id', { u32: firstFim + 4 }],
          ['tokenizer.ggml.fim_sep_token_id', { u32: firstFim + 5 }],
        ] as Array<[string, Value]>)
      : []),
  ];
  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kvs.length);
  for (const [key, value] of kvs) writeKv(w, key, value);
  let offset = 0;
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(0); // F32
    w.u64(offset);
    offset += Math.ceil((t.dims.reduce((a, b) => a * b, 1) * 4) / 32) * 32;
  }
  w.pad(32);
  for (const t of tensors) {
    if (!t.data) continue;
    w.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    w.pad(32);
  }
  return w.buffer();
}

/** Writes the tiny model to `file` (atomically: a temp file, then rename). */
export async function writeTinyGguf(file: string, options: TinyGgufOptions = {}): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const bytes = tinyGgufBytes(options);
  await writeFile(temp, bytes);
  if (options.oversizedTensorBytes) await truncate(temp, bytes.length + Math.ceil(options.oversizedTensorBytes / 32) * 32);
  await rename(temp, file);
}

/**
 * The path of the tiny model in a cache dir under the OS temp dir, generated on first use. Safe
 * when several test processes call it at once (each writes its own temp file, then renames).
 */
export async function tinyGgufPath(options: { fim?: boolean } = {}): Promise<string> {
  const file = path.join(os.tmpdir(), 'assist-test-cache', `tiny-v${FORMAT_VERSION}${options.fim ? '-fim' : ''}.gguf`);
  try {
    if ((await stat(file)).size > 0) return file;
  } catch {
    // not generated yet
  }
  await writeTinyGguf(file, options);
  return file;
}

/**
 * Token bias for generating from random weights under a grammar: bans every byte token except
 * `<0x0A>`, since byte tokens can form characters the grammar counts differently from JavaScript.
 */
export function banByteTokens(model: LlamaModel): TokenBias {
  const bias = new TokenBias(model.tokenizer);
  for (let b = 0; b < 256; b++) {
    if (b !== 0x0a) bias.set((FIRST_BYTE_TOKEN + b) as Token, 'never');
  }
  return bias;
}
