/**
 * Two-phase file replacement: every new content is first written completely (looping on short
 * writes, fsynced, size checked: full-write.ts) to a temp file next to its target; only when all
 * temps exist are they renamed over their targets. A failure in phase one (a full disk) renames
 * nothing and removes the temps. A caller may journal the renames (`RenameHooks`), so that a
 * process killed between them is finished or undone as one set on the next start
 * (apply-journal.ts); temp files a crash leaves are removed by the next apply or workspace open
 * (apply-temps.ts).
 */
import { chmodSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { applyTempPath, removeStaleApplyTemps } from './apply-temps.ts';
import { DiskFullError, diskFullReason, isDiskFull, syncDir, writeNewFileFully } from './full-write.ts';

/** One file operation of a set: write `bytes` (with `mode` when given) or delete (`bytes: null`). */
export interface FileWrite {
  /** Absolute real path of the target. */
  target: string;
  bytes: Buffer | null;
  mode: number | null;
}

/** What the caller does around the renames of a set. */
export interface RenameHooks {
  /**
   * Called once every temp is complete, before the first rename; `temps[i]` is the temp path of
   * `writes[i]` (null for a deletion). If it throws, nothing is renamed and the temps are removed.
   */
  beforeRenames(temps: Array<string | null>): void;
  /** Called after the last rename and deletion are done (and synced). */
  afterRenames(): void;
}

let counter = 0;

/**
 * Applies a set of writes and deletions in two phases; on a failure in phase one nothing changes
 * (a full disk is a `DiskFullError` naming the bytes the whole set needs).
 */
export function writeFilesAtomically(writes: FileWrite[], hooks?: RenameHooks): void {
  removeStaleApplyTemps(writes.map((write) => path.dirname(write.target)));
  const temps: Array<string | null> = writes.map(() => null);
  try {
    writes.forEach((write, i) => {
      if (write.bytes === null) return;
      const tmp = applyTempPath(write.target, counter++);
      writeNewFileFully(tmp, write.bytes, write.mode ?? undefined);
      temps[i] = tmp;
      if (write.mode !== null) chmodSync(tmp, write.mode);
    });
    hooks?.beforeRenames(temps);
  } catch (error) {
    for (const tmp of temps) {
      if (tmp === null) continue;
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
    if (isDiskFull(error)) {
      const needed = writes.reduce((sum, w) => sum + (w.bytes?.length ?? 0), 0);
      throw new DiskFullError(`Cannot write ${writes.length} file${writes.length === 1 ? '' : 's'}: ${diskFullReason(needed)}.`, needed, { cause: error });
    }
    throw error;
  }
  const dirs = new Set<string>();
  writes.forEach((write, i) => {
    const tmp = temps[i];
    if (tmp === null) return;
    renameSync(tmp, write.target);
    dirs.add(path.dirname(write.target));
  });
  for (const write of writes) {
    if (write.bytes !== null) continue;
    try {
      unlinkSync(write.target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    dirs.add(path.dirname(write.target));
  }
  for (const dir of dirs) syncDir(dir);
  hooks?.afterRenames();
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
