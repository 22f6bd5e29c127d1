/**
 * Writing bytes completely or failing cleanly. `writeSync` may write fewer bytes than asked (a
 * nearly full disk does exactly that), so every write here loops until all bytes are down, is
 * fsynced, and has its size checked; on any failure what was half-written is removed again (or cut
 * off, for an append) and a full disk becomes a `DiskFullError` that says how many bytes were
 * needed. The one place the apply, checkpoints, the session log, `assist run`'s output, the index
 * cache and model downloads get this from.
 */
import { closeSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, openSync, renameSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** A write that did not fit on its disk; nothing half-written was left behind. */
export class DiskFullError extends Error {
  readonly code = 'disk_full';
  constructor(
    message: string,
    /** Bytes the failed operation needed to write. */
    readonly bytesNeeded: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DiskFullError';
  }
}

/** Whether an error means the file system has no room left (ENOSPC, or a quota: EDQUOT). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return error instanceof DiskFullError || code === 'ENOSPC' || code === 'EDQUOT';
}

/** "the disk is full (N bytes needed)", the words every disk-full message shares. */
export function diskFullReason(bytesNeeded: number): string {
  return `the disk is full (${bytesNeeded} bytes needed)`;
}

/** Bytes available to this user on the file system holding `file` (or its nearest existing folder), or null. */
export function freeBytes(file: string): number | null {
  for (let dir = file; ; dir = path.dirname(dir)) {
    try {
      const st = statfsSync(dir);
      return st.bavail * st.bsize;
    } catch {
      if (path.dirname(dir) === dir) return null;
    }
  }
}

/** A sentence for after `diskFullReason`: how much room there is now and what to do. */
export function diskFullAdvice(file: string): string {
  const free = freeBytes(file);
  const where = path.dirname(file);
  return `${free === null ? '' : `${free} bytes are free on the disk that holds ${where}; `}free some space there and try again.`;
}

/** Writes all of `bytes` at the current position of `fd`, looping on short writes. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    const written = writeSync(fd, bytes, done, bytes.length - done);
    if (written <= 0) throw Object.assign(new Error(`ENOSPC: no space left on device, write (0 of ${bytes.length - done} bytes written)`), { code: 'ENOSPC' });
    done += written;
  }
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

function tryUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function failure(error: unknown, file: string, bytesNeeded: number): Error {
  if (error instanceof DiskFullError) return error;
  if (isDiskFull(error)) return new DiskFullError(`Cannot write ${file}: ${diskFullReason(bytesNeeded)}.`, bytesNeeded, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Creates `file` (which must not exist) holding exactly `data`: all bytes written, fsynced, size
 * checked. On any failure the file is removed and the error thrown (`DiskFullError` for a full disk).
 */
export function writeNewFileFully(file: string, data: Uint8Array | string, mode?: number): void {
  const bytes = toBytes(data);
  let fd: number;
  try {
    fd = openSync(file, 'wx', mode ?? 0o666);
  } catch (error) {
    throw failure(error, file, bytes.length);
  }
  try {
    writeAll(fd, bytes);
    fsyncSync(fd);
    const size = fstatSync(fd).size;
    if (size !== bytes.length) throw new Error(`${file} holds ${size} bytes after writing ${bytes.length}; the write was not complete.`);
  } catch (error) {
    tryClose(fd);
    tryUnlink(file);
    throw failure(error, file, bytes.length);
  }
  try {
    closeSync(fd);
  } catch (error) {
    tryUnlink(file);
    throw failure(error, file, bytes.length);
  }
}

let serial = 0;

/**
 * Replaces `file` with `data` atomically: a complete, fsynced temp file next to it, then a rename.
 * On failure `file` is as it was and the temp is gone.
 */
export function replaceFileFully(file: string, data: Uint8Array | string): void {
  const temp = `${file}.${process.pid}-${serial++}.writing`;
  const bytes = toBytes(data);
  writeNewFileFully(temp, bytes);
  try {
    renameSync(temp, file);
  } catch (error) {
    tryUnlink(temp);
    throw failure(error, file, bytes.length);
  }
}

/**
 * Appends `data` to the file open as `fd` (with flag `a`) whole or not at all: an append that
 * fails is cut off again, so the file never ends in a torn record. Flushed with fdatasync.
 */
export function appendFully(fd: number, data: Uint8Array | string, file = 'the file'): void {
  const bytes = toBytes(data);
  const size = fstatSync(fd).size;
  try {
    writeAll(fd, bytes);
    fdatasyncSync(fd);
  } catch (error) {
    try {
      ftruncateSync(fd, size);
    } catch {
      // nothing more can be done; a reader skips a torn last line
    }
    throw failure(error, file, bytes.length);
  }
}

/** fsyncs a folder so that renames and unlinks in it survive a crash (best effort: some file systems refuse). */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here; the rename itself is still atomic
  }
  if (fd !== undefined) tryClose(fd);
}

function tryClose(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // best effort
  }
}
