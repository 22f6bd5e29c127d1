/**
 * The temp files of an atomic apply: `.NAME.assist-PID-N.tmp`, next to the target NAME. A process
 * that dies between writing them and renaming them over their targets leaves them behind; they
 * are removed when a workspace opens (in the folders its checkpoints name) and before each apply
 * (in the folders it writes to). Only files of exactly this form are touched, and only stale ones.
 */
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';

const tempName = /^\..+\.assist-([1-9]\d*)-\d+\.tmp$/s;

/** Whether a base name has the form of an apply temp. */
export function isApplyTempName(name: string): boolean {
  return tempName.test(name) && !name.includes('/') && !name.includes(path.sep);
}

/** A temp file of another live process is left alone for this long (its pid may be reused later). */
export const staleTempAgeMs = 10 * 60 * 1000;

/** The temp path for the `serial`-th file written by this process. */
export function applyTempPath(target: string, serial: number): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.assist-${process.pid}-${serial}.tmp`);
}

export interface StaleTempOptions {
  now?: number;
  isAlive?: (pid: number) => boolean;
}

/** Whether a process with this pid exists (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes stale apply temps in `dirs` and returns their paths. Stale: written by a process that
 * is gone, or by this one (an apply runs synchronously, so none of ours is in flight while this
 * runs; the same pid may also be an earlier process's, as in containers), or older than
 * `staleTempAgeMs`. Never throws: an unreadable folder is skipped.
 */
export function removeStaleApplyTemps(dirs: Iterable<string>, options: StaleTempOptions = {}): string[] {
  const now = options.now ?? Date.now();
  const isAlive = options.isAlive ?? processAlive;
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = tempName.exec(name);
      if (!match) continue;
      const file = path.join(dir, name);
      const st = lstatSync(file, { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      const pid = Number(match[1]);
      const stale = pid === process.pid || !isAlive(pid) || now - st.mtimeMs > staleTempAgeMs;
      if (!stale) continue;
      try {
        unlinkSync(file);
        removed.push(file);
      } catch {
        // removed by someone else meanwhile, or not ours to remove
      }
    }
  }
  return removed;
}
