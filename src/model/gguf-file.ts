/**
 * Checks a model file before anything loads it: the GGUF magic, a header whose every count and
 * length fits in the file (checked here, before node-llama-cpp reads it: a hostile header cannot
 * make it loop or allocate), and a size that holds all the tensor data (a truncated download fails
 * here, not mid-load). A bad file is a ModelSetupError "… is not a valid GGUF: …".
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { GgufFileInfo, GgufInsights, Llama } from 'node-llama-cpp';
import { ModelSetupError } from './language-model.ts';

/** What the header of a valid GGUF says. */
export interface GgufSummary {
  path: string;
  sizeBytes: number;
  architecture: string;
  /** `general.name`, when the file has one. */
  name?: string;
  trainContextSize?: number;
  chatTemplate?: string;
  fileInfo: GgufFileInfo;
  insights: GgufInsights;
}

const MAGIC = 'GGUF';

/** Reads and checks a GGUF header. Throws ModelSetupError with a clear message when it is not usable. */
export async function inspectGgufFile(file: string, llama?: Llama): Promise<GgufSummary> {
  let sizeBytes: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ModelSetupError(`${file} is not a file. Give the path of a .gguf model file.`);
    sizeBytes = info.size;
  } catch (error) {
    if (error instanceof ModelSetupError) throw error;
    throw new ModelSetupError(`Cannot read the model file ${file}: ${(error as Error).message}.`, { cause: error });
  }
  const head = Buffer.alloc(4);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head.toString('latin1') !== MAGIC) {
    throw new ModelSetupError(
      `${file} is not a GGUF model file (it does not start with "GGUF"). assist runs GGUF models: ` +
        'download one with `assist models pull NAME` or convert the model to GGUF first.',
    );
  }
  try {
    checkGgufStructure(file, sizeBytes);
  } catch (error) {
    if (!(error instanceof InvalidGguf)) throw new ModelSetupError(`Cannot read the model file ${file}: ${(error as Error).message}.`, { cause: error });
    throw new ModelSetupError(`${file} is not a valid GGUF: ${error.message}. The file is corrupt or was cut off; download or import it again.`);
  }
  let fileInfo: GgufFileInfo;
  try {
    // loaded here, not at the top: `assist models list` should not pay for the engine's import
    const { readGgufFileInfo } = await import('node-llama-cpp');
    fileInfo = await readGgufFileInfo(file, { sourceType: 'filesystem', spliceSplitFiles: false, logWarnings: false });
  } catch (error) {
    throw new ModelSetupError(
      `${file} is a corrupt GGUF file (its header cannot be read: ${(error as Error).message}). Delete it and download or import it again.`,
      { cause: error },
    );
  }
  const { GgufInsights } = await import('node-llama-cpp');
  const insights = await GgufInsights.from(fileInfo, llama);
  const needed = fileInfo.metadataSize + (fileInfo.tensorInfoSize ?? 0) + insights.modelSize;
  if (sizeBytes < needed) {
    throw new ModelSetupError(
      `${file} is not a valid GGUF: it is truncated (${sizeBytes} bytes, but its tensors need at least ${needed}). ` +
        'The download was probably cut off; pull or import it again.',
    );
  }
  const metadata = fileInfo.metadata as { general?: { architecture?: string; name?: string }; tokenizer?: { chat_template?: string } };
  return {
    path: file,
    sizeBytes,
    architecture: String(metadata.general?.architecture ?? 'unknown'),
    name: metadata.general?.name,
    trainContextSize: insights.trainContextSize,
    chatTemplate: metadata.tokenizer?.chat_template,
    fileInfo,
    insights,
  };
}

/** A header that does not fit its file; the message is the reason, for "not a valid GGUF: …". */
class InvalidGguf extends Error {}

/** Bytes of each fixed-size GGUF value type (uint8 … float64); 8 = string, 9 = array. */
const fixedSize: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const stringType = 8;
const arrayType = 9;
/** GGML_MAX_DIMS. */
const maxDims = 4;

/** What is being read, for the error message; a function when building the text would cost in a hot loop. */
type Label = string | (() => string);
const text = (label: Label): string => (typeof label === 'string' ? label : label());

/** Sequential little-endian reads through a window of the file, each checked against the file's size. */
class HeaderReader {
  pos = 0;
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  get remaining(): number {
    return this.size - this.pos;
  }

  /** Fails unless `n` more bytes exist (n may be a bigint read from the file). */
  need(n: number | bigint, what: Label): number {
    if (typeof n === 'number' ? n > this.remaining : n > BigInt(this.remaining)) {
      throw new InvalidGguf(`${text(what)} needs ${n} bytes at offset ${this.pos}, but the file ends ${this.remaining} bytes later`);
    }
    return Number(n);
  }

  skip(n: number | bigint, what: Label): void {
    this.pos += this.need(n, what);
  }

  /** Makes the next `n` bytes readable in the window and returns their offset there (advancing past them). */
  private take(n: number, what: Label): number {
    this.need(n, what);
    if (this.pos < this.windowStart || this.pos + n > this.windowStart + this.window.length) {
      const length = Math.min(Math.max(n, 1 << 20), this.size - this.pos);
      const buffer = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const got = readSync(this.fd, buffer, read, length - read, this.pos + read);
        if (got === 0) throw new InvalidGguf(`the file ended while reading ${text(what)} (it shrank while being checked)`);
        read += got;
      }
      this.window = buffer;
      this.windowStart = this.pos;
    }
    const start = this.pos - this.windowStart;
    this.pos += n;
    return start;
  }

  bytes(n: number, what: Label): Buffer {
    const start = this.take(n, what);
    return this.window.subarray(start, start + n);
  }

  u32(what: Label): number {
    const at = this.take(4, what); // before reading `window`: taking may replace it
    return this.window.readUInt32LE(at);
  }

  u64(what: Label): bigint {
    const at = this.take(8, what);
    return this.window.readBigUInt64LE(at);
  }

  /** A u64 length, checked to fit in the rest of the file (the hot path of string arrays: no bigint). */
  length(what: Label, of: Label): number {
    const at = this.take(8, what);
    const high = this.window.readUInt32LE(at + 4);
    const n = high > 0x1fffff ? this.window.readBigUInt64LE(at) : high * 2 ** 32 + this.window.readUInt32LE(at);
    return this.need(n, of);
  }
}

/**
 * Walks the whole header (metadata and tensor infos) without keeping it, checking every count and
 * length against the bytes left in the file before using it. Throws InvalidGguf with the reason.
 */
function checkGgufStructure(file: string, size: number): void {
  const fd = openSync(file, 'r');
  try {
    const r = new HeaderReader(fd, size);
    if (r.bytes(4, 'the magic number').toString('latin1') !== MAGIC) throw new InvalidGguf('it does not start with "GGUF"');
    const version = r.u32('the version number');
    if (version === 1) throw new InvalidGguf('it is GGUF version 1, which llama.cpp no longer reads');
    if (version !== 2 && version !== 3) throw new InvalidGguf(`it claims GGUF version ${version}; versions 2 and 3 exist`);
    const tensors = r.u64('the tensor count');
    const entries = r.u64('the metadata entry count');
    // A metadata entry takes at least 13 bytes (key length, type, a one-byte value); a tensor info 24.
    if (entries * 13n > BigInt(r.remaining)) throw new InvalidGguf(`it claims ${entries} metadata entries, more than its ${size} bytes can hold`);
    if (tensors * 24n > BigInt(r.remaining)) throw new InvalidGguf(`it claims ${tensors} tensors, more than its ${size} bytes can hold`);
    let alignment = 32;
    for (let i = 0n; i < entries; i++) {
      const keyLength = r.u64(`the key length of metadata entry ${i}`);
      r.need(keyLength, `the key of metadata entry ${i}`);
      const key =
        keyLength <= 256n
          ? r.bytes(Number(keyLength), `the key of metadata entry ${i}`).toString('utf8')
          : (r.skip(keyLength, `the key of metadata entry ${i}`), '');
      const where = key ? `metadata "${key.slice(0, 80)}"` : `metadata entry ${i}`;
      const type = r.u32(`the type of ${where}`);
      if (key === 'general.alignment' && type === 4) {
        alignment = r.u32(where);
        if (alignment === 0 || (alignment & (alignment - 1)) !== 0) throw new InvalidGguf(`its general.alignment is ${alignment}, not a power of two`);
        continue;
      }
      skipValue(r, type, where);
    }
    let lastOffset = 0n;
    for (let i = 0n; i < tensors; i++) {
      const nameLength = r.u64(`the name length of tensor ${i}`);
      r.skip(nameLength, `the name of tensor ${i}`);
      const dims = r.u32(`the dimension count of tensor ${i}`);
      if (dims > maxDims) throw new InvalidGguf(`tensor ${i} claims ${dims} dimensions; GGUF tensors have at most ${maxDims}`);
      r.skip(dims * 8 + 4, `the shape and type of tensor ${i}`);
      const offset = r.u64(`the data offset of tensor ${i}`);
      if (offset > lastOffset) lastOffset = offset;
    }
    const dataStart = BigInt(Math.ceil(r.pos / alignment) * alignment);
    if (tensors > 0n && dataStart + lastOffset > BigInt(size)) {
      throw new InvalidGguf(`it is truncated (${size} bytes, but the data of its tensors starts as far as byte ${dataStart + lastOffset})`);
    }
  } finally {
    closeSync(fd);
  }
}

function skipValue(r: HeaderReader, type: number, where: string): void {
  const fixed = fixedSize[type];
  if (fixed !== undefined) return r.skip(fixed, where);
  if (type === stringType) return r.skip(r.length(`the length of ${where}`, `the text of ${where}`), '');
  if (type !== arrayType) throw new InvalidGguf(`${where} has value type ${type}, which GGUF does not define`);
  const itemType = r.u32(`the item type of ${where}`);
  const count = r.u64(`the item count of ${where}`);
  const itemSize = fixedSize[itemType] ?? (itemType === stringType ? 8 : undefined);
  if (itemSize === undefined) {
    throw new InvalidGguf(
      itemType === arrayType
        ? `${where} is an array of arrays, which GGUF readers do not accept`
        : `${where} is an array of value type ${itemType}, which GGUF does not define`,
    );
  }
  if (count * BigInt(itemSize) > BigInt(r.remaining))
    throw new InvalidGguf(`${where} claims an array of ${count} items, more than the ${r.remaining} bytes left in the file can hold`);
  if (itemType !== stringType) return r.skip(count * BigInt(itemSize), where);
  for (let i = 0; i < count; i++)
    r.skip(
      r.length(
        () => `the length of item ${i} of ${where}`,
        () => `item ${i} of ${where}`,
      ),
      '',
    );
}
