/**
 * Hostile and broken GGUF headers: every count and length is checked against the file's size
 * before it is used, so each of these fails at once with "not a valid GGUF: …" (a
 * ModelSetupError) instead of looping, allocating gigabytes, or throwing an internal TypeError.
 * No timing threshold: the test timeout is the guard (before the fix the first case ran for
 * minutes at 2 GB).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaults } from '../../src/config/schema.ts';
import { inspectGgufFile } from '../../src/model/gguf-file.ts';
import { ModelSetupError } from '../../src/model/language-model.ts';
import { importModel } from '../../src/model/model-store.ts';
import { tinyGgufPath } from '../support/tiny-gguf.ts';

const guard = { timeout: 30_000 };
let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'assist-gguf-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: bigint | number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
const header = (tensors: bigint | number, entries: bigint | number) => Buffer.concat([Buffer.from('GGUF'), u32(3), u64(tensors), u64(entries)]);

async function refused(name: string, bytes: Buffer, reason: RegExp): Promise<void> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  await assert.rejects(inspectGgufFile(file), (error: unknown) => {
    assert.ok(error instanceof ModelSetupError, `a ModelSetupError, not ${String(error)}`);
    assert.match(error.message, new RegExp(`^${file.replace(/[.]/g, '\\.')} is not a valid GGUF: `));
    assert.match(error.message, reason);
    return true;
  });
}

test('the 37-byte file that claims 2^40 metadata entries is refused at once', guard, async () => {
  const bytes = Buffer.concat([header(0, 2n ** 40n), Buffer.alloc(13, 0x41)]);
  assert.equal(bytes.length, 37);
  await refused('entries.gguf', bytes, /not a valid GGUF: it claims 1099511627776 metadata entries, more than its 37 bytes can hold\./);
});

test('a file that is only the magic number is refused (not an internal TypeError)', guard, async () => {
  await refused('magic.gguf', Buffer.from('GGUF'), /not a valid GGUF: the version number needs 4 bytes at offset 4, but the file ends 0 bytes later/);
});

test('a real tiny GGUF cut inside its metadata, its tensor infos, or its tensor data is refused', guard, async () => {
  const whole = await readFile(await tinyGgufPath());
  const tensorInfos = whole.indexOf(Buffer.from('token_embd.weight')) - 8;
  await refused('cut-metadata.gguf', whole.subarray(0, 2000), /not a valid GGUF: .*(needs \d+ bytes at offset \d+, but the file ends|more than)/);
  await refused('cut-tensor-info.gguf', whole.subarray(0, tensorInfos + 40), /not a valid GGUF: .*tensor 0/);
  await refused('cut-data.gguf', whole.subarray(0, Math.floor(whole.length * 0.8)), /not a valid GGUF: it is truncated \(\d+ bytes, but /);
  assert.equal((await inspectGgufFile(await tinyGgufPath())).architecture, 'llama', 'the whole file is fine');
});

test('a string length past the end of the file is refused', guard, async () => {
  const key = Buffer.concat([u64(1_000_000), Buffer.from('general.name')]);
  await refused('long-key.gguf', Buffer.concat([header(0, 1), key, u32(8), str('x')]), /the key of metadata entry 0 needs 1000000 bytes at offset 32/);
  const value = Buffer.concat([str('general.name'), u32(8), u64(2n ** 62n), Buffer.from('tiny')]);
  await refused('long-value.gguf', Buffer.concat([header(0, 1), value]), /the text of metadata "general\.name" needs 4611686018427387904 bytes/);
});

test('a huge array count, an array of arrays and an unknown type are refused', guard, async () => {
  const huge = Buffer.concat([str('tokenizer.ggml.tokens'), u32(9), u32(8), u64(2n ** 50n), str('a'), str('b')]);
  await refused(
    'huge-array.gguf',
    Buffer.concat([header(0, 1), huge]),
    /metadata "tokenizer\.ggml\.tokens" claims an array of 1125899906842624 items, more than the \d+ bytes left/,
  );
  const nested = Buffer.concat([str('x'), u32(9), u32(9), u64(1), u32(4), u64(1), u32(7)]);
  await refused('nested.gguf', Buffer.concat([header(0, 1), nested]), /metadata "x" is an array of arrays/);
  const unknown = Buffer.concat([str('x'), u32(99), Buffer.alloc(16)]);
  await refused('type.gguf', Buffer.concat([header(0, 1), unknown]), /metadata "x" has value type 99/);
  await refused('tensors.gguf', Buffer.concat([header(2n ** 60n, 0), Buffer.alloc(48)]), /it claims 1152921504606846976 tensors/);
  await refused('dims.gguf', Buffer.concat([header(1, 0), str('t'), u32(1000), Buffer.alloc(64)]), /tensor 0 claims 1000 dimensions/);
});

test('a valid GGUF whose metadata is larger than the 1 MiB read window is accepted', guard, async () => {
  const tiny = await readFile(await tinyGgufPath());
  // Inserted right after the 24-byte header: an array of 200,000 strings, then 100,000 one-byte
  // entries (the window then ends inside counts, types and lengths too), padded to keep the 32-byte alignment.
  const items = Array.from({ length: 200_000 }, (_, i) => `piece-${i}`);
  const parts = [str('assist.padding'), u32(9), u32(8), u64(items.length), ...items.map(str)];
  for (let i = 0; i < 100_000; i++) parts.push(str(`pad.${i.toString(36).padStart(5, '0')}`), u32(0), Buffer.from([i % 256]));
  const size = parts.reduce((n, b) => n + b.length, 0);
  parts[4 + items.length - 1] = str(`${items.at(-1)}${'x'.repeat((32 - (size % 32)) % 32)}`);
  const entries = Buffer.concat(parts);
  assert.ok(entries.length > 3 * 1024 * 1024 && entries.length % 32 === 0);
  const header = Buffer.from(tiny.subarray(0, 24));
  header.writeBigUInt64LE(tiny.readBigUInt64LE(16) + 100_001n, 16);
  const file = path.join(dir, 'big-metadata.gguf');
  await writeFile(file, Buffer.concat([header, entries, tiny.subarray(24)]));
  const summary = await inspectGgufFile(file);
  assert.equal(summary.architecture, 'llama');
  assert.equal((summary.fileInfo.metadata as { assist?: { padding?: string[] } }).assist?.padding?.length, 200_000);
});

test('assist models import refuses the hostile file promptly and copies nothing', guard, async () => {
  const file = path.join(dir, 'hostile.gguf');
  await writeFile(file, Buffer.concat([header(0, 2n ** 40n), Buffer.alloc(13)]));
  const config = structuredClone(defaults);
  config.model.modelsDir = path.join(dir, 'models');
  await assert.rejects(importModel(file, { config }), /hostile\.gguf is not a valid GGUF: it claims 1099511627776 metadata entries/);
  await assert.rejects(readFile(path.join(dir, 'models', 'hostile.gguf')), { code: 'ENOENT' });
});
