/**
 * Downloads one file over HTTP(S) into `<dest>.part`, resuming a broken download with an HTTP
 * Range request, verifying size (and SHA-256 when known), and renaming into place only when
 * complete. A failure leaves at most the `.part` file, which the next attempt continues; a full
 * disk stops at once (no retries) and says how many bytes are still needed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { freeBytes, isDiskFull } from '../workspace/full-write.ts';
import { ModelSetupError } from './language-model.ts';

/** A download that failed; the message says whether running the same command again resumes it. */
export class DownloadError extends ModelSetupError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DownloadError';
  }
}

export interface DownloadProgress {
  /** Bytes of the file on disk so far (including a resumed part). */
  received: number;
  /** Total size, when the server or the catalog says. */
  total?: number;
  /** True when this transfer continued an earlier `.part` file. */
  resumed: boolean;
}

export interface DownloadOptions {
  url: string;
  /** Final path; the transfer writes `<dest>.part` first. */
  dest: string;
  /** Exact size in bytes the file must have. */
  expectedSize?: number;
  /** Lowercase hex SHA-256 the file must have. */
  sha256?: string | null;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Automatic resumes after a dropped connection within this call. Default 3. */
  retries?: number;
  /** Fail when no byte arrives for this long. Default 60 s. */
  idleTimeoutMs?: number;
  /** Require the file to start with this magic (e.g. `GGUF`), so an HTML error page is never kept. */
  magic?: string;
}

async function partSize(part: string): Promise<number> {
  try {
    return (await stat(part)).size;
  } catch {
    return 0;
  }
}

/** Downloads `url` to `dest` (see the module doc). Resolves with the final size. */
export async function download(options: DownloadOptions): Promise<{ sizeBytes: number; resumed: boolean }> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await transfer(options);
    } catch (error) {
      const interrupted = error instanceof InterruptedError;
      if (!interrupted || attempt >= retries || options.signal?.aborted) {
        if (interrupted) {
          const have = await partSize(`${options.dest}.part`);
          throw new DownloadError(
            `The download of ${options.url} was interrupted after ${have} bytes (${error.message}). Run the same command again to resume.`,
            { cause: error },
          );
        }
        throw error;
      }
    }
  }
}

/** A transfer that broke off; the `.part` file is kept for a resume. */
class InterruptedError extends Error {}

async function transfer(options: DownloadOptions): Promise<{ sizeBytes: number; resumed: boolean }> {
  const part = `${options.dest}.part`;
  let have = await partSize(part);
  if (options.expectedSize !== undefined && have > options.expectedSize) {
    await rm(part, { force: true });
    have = 0;
  }
  const controller = new AbortController();
  const onAbort = () => controller.abort(new DownloadError('The download was cancelled; run the same command again to resume.'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const idleMs = options.idleTimeoutMs ?? 60_000;
  let idle: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => controller.abort(new InterruptedError(`no data for ${idleMs} ms`)), idleMs);
  };
  try {
    touch();
    let response: Response;
    try {
      response = await fetch(options.url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      if (controller.signal.reason instanceof DownloadError) throw controller.signal.reason;
      throw new InterruptedError(`cannot connect: ${describe(error)}`);
    }
    if (response.status === 416 && have > 0) {
      // The part may already be complete; otherwise it no longer matches the server's file.
      await response.body?.cancel();
      const total = totalFromContentRange(response.headers.get('content-range'));
      if (total === have) return await finish(options, part, have, false);
      await rm(part, { force: true });
      throw new InterruptedError('the server rejected the resume range; starting over');
    }
    if (!response.ok) {
      await response.body?.cancel();
      const retryable = response.status >= 500 || response.status === 429;
      const message = `${options.url} answered ${response.status} ${response.statusText}`;
      if (retryable) throw new InterruptedError(message);
      throw new DownloadError(`${message}. Check the name or URL (\`assist models list\`).`);
    }
    const resumed = response.status === 206 && have > 0;
    if (!resumed) have = 0;
    const length = Number(response.headers.get('content-length'));
    const total = resumed
      ? (totalFromContentRange(response.headers.get('content-range')) ?? (Number.isFinite(length) && length > 0 ? have + length : undefined))
      : Number.isFinite(length) && length > 0
        ? length
        : undefined;
    if (options.expectedSize !== undefined && total !== undefined && total !== options.expectedSize) {
      await response.body?.cancel();
      throw new DownloadError(
        `Size mismatch for ${options.url}: the catalog says ${options.expectedSize} bytes but the server has ${total}. The catalog entry or the URL ` +
          `is out of date.`,
      );
    }
    const expectedTotal = options.expectedSize ?? total;
    let received = have;
    options.onProgress?.({ received, total: expectedTotal, resumed });
    if (!response.body) throw new InterruptedError('empty response body');
    const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      touch();
      received += chunk.length;
      options.onProgress?.({ received, total: expectedTotal, resumed });
    });
    const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
    try {
      await pipeline(body, out);
    } catch (error) {
      // the part's size is where a resume starts: wait until a write still under way is on disk (else the
      // part grew after the next attempt measured it, and the resumed bytes overlapped: a size mismatch)
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      if (controller.signal.reason instanceof DownloadError) throw controller.signal.reason;
      if (isDiskFull(error)) throw await diskFull(options.url, part, expectedTotal, error);
      throw new InterruptedError(describe(controller.signal.reason ?? error));
    }
    const size = await partSize(part);
    if (expectedTotal !== undefined && size < expectedTotal) throw new InterruptedError(`the connection closed at ${size} of ${expectedTotal} bytes`);
    return await finish(options, part, size, resumed);
  } finally {
    clearTimeout(idle);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function finish(options: DownloadOptions, part: string, size: number, resumed: boolean): Promise<{ sizeBytes: number; resumed: boolean }> {
  if (options.expectedSize !== undefined && size !== options.expectedSize) {
    await rm(part, { force: true });
    throw new DownloadError(
      `Size mismatch: ${options.url} gave ${size} bytes but ${options.expectedSize} were expected. The partial file was deleted; try again, or check ` +
        `the catalog entry.`,
    );
  }
  if (options.magic) {
    const head = Buffer.alloc(options.magic.length);
    const handle = await open(part, 'r');
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    if (head.toString('latin1') !== options.magic) {
      await rm(part, { force: true });
      throw new DownloadError(
        `${options.url} did not return a ${options.magic} file (it starts with ${JSON.stringify(head.toString('latin1'))}). Check the URL.`,
      );
    }
  }
  if (options.sha256) {
    const actual = await sha256File(part);
    if (actual !== options.sha256.toLowerCase()) {
      await rm(part, { force: true });
      throw new DownloadError(
        `Checksum mismatch for ${options.url}: expected sha256 ${options.sha256}, got ${actual}. The file was deleted; try again, and report it if it repeats.`,
      );
    }
  }
  await rename(part, options.dest);
  return { sizeBytes: size, resumed };
}

/** The download stopped on a full disk: the part is kept for a resume, and the message says how much room is missing. */
async function diskFull(url: string, part: string, total: number | undefined, cause: unknown): Promise<DownloadError> {
  const have = await partSize(part);
  const free = freeBytes(part);
  const needed = total === undefined ? 'more bytes needed' : `${total - have} bytes still needed`;
  return new DownloadError(
    `The download of ${url} stopped: the disk is full (${needed}${free === null ? '' : `, ${free} free`}). ` +
      `The ${have} bytes received so far are kept in ${part}; free some space on that disk and run the same command again to resume.`,
    { cause },
  );
}

/** Lowercase hex SHA-256 of a file. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function totalFromContentRange(header: string | null): number | undefined {
  const match = header?.match(/\/(\d+)\s*$/);
  return match ? Number(match[1]) : undefined;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
