/**
 * Two-phase file replacement: every new content is first written (and fsynced) to a temp file
 * next to its target; only when all temps exist are they renamed over their targets. A crash at
 * any point leaves each target either old or new, never half-written (and at worst temp files,
 * which the next apply or workspace open removes: see apply-temps.ts).
 */
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { applyTempPath, removeStaleApplyTemps } from './apply-temps.ts';

/** One file operation of a set: write `bytes` (with `mode` when given) or delete (`bytes: null`). */
export interface FileWrite {
  /** Absolute real path of the target. */
  target: string;
  bytes: Buffer | null;
  mode: number | null;
}

let counter = 0;

/** Applies a set of writes and deletions in two phases; on a failure in phase one nothing changes. */
export function writeFilesAtomically(writes: FileWrite[]): void {
  removeStaleApplyTemps(writes.map((write) => path.dirname(write.target)));
  const temps: Array<{ tmp: string; target: string }> = [];
  try {
    for (const write of writes) {
      if (write.bytes === null) continue;
      const tmp = applyTempPath(write.target, counter++);
      const fd = openSync(tmp, 'wx', write.mode ?? 0o666);
      temps.push({ tmp, target: write.target });
      try {
        writeSync(fd, write.bytes);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (write.mode !== null) chmodSync(tmp, write.mode);
    }
  } catch (error) {
    for (const { tmp } of temps) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
    throw error;
  }
  for (const { tmp, target } of temps) renameSync(tmp, target);
  for (const write of writes) {
    if (write.bytes !== null) continue;
    try {
      unlinkSync(write.target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** Directories (absolute, outermost first) that must be created for `file` to be written. */
export function missingDirs(file: string): string[] {
  const missing: string[] = [];
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) throw new Error(`${dir} is a file, so ${file} cannot be created under it.`);
      break;
    }
    missing.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  return missing;
}

/** Creates directories (outermost first). */
export function createDirs(dirs: string[]): void {
  for (const dir of dirs) mkdirSync(dir, { recursive: true });
}
