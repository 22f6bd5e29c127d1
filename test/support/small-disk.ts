/**
 * A real, small file system for disk-full tests: a tmpfs of a given size mounted on a temp folder
 * (root can do this, and CI runs as root). Without the privilege the test is skipped locally and
 * fails under CI (`CI` set), never silently passes. `fill` takes the free space away with a filler
 * file, so the code under test meets a real ENOSPC (and a real short write) from the kernel.
 */
import type { TestContext } from 'node:test';
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, ftruncateSync, mkdtempSync, openSync, rmSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SmallDisk {
  /** The mount point; put test folders inside it. */
  dir: string;
  /** Fills the disk so that only about `leaveBytes` (rounded to pages) remain free. */
  fill(leaveBytes?: number): void;
  /** Removes the filler: the space is back. */
  free(): void;
  /** Bytes free now. */
  available(): number;
  /** Changes the size of the file system (tmpfs remount), keeping its files. */
  resize(sizeBytes: number): void;
}

const page = 4096;

function run(command: string, args: string[]): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return result.error.message;
  if (result.status !== 0) return `${command} ${args.join(' ')}: ${result.stderr.trim() || `exit ${result.status}`}`;
  return null;
}

/** Mounts a tmpfs of `sizeBytes` for this test (unmounted after it), or skips (fails under CI) when that is not allowed. */
export function mountSmallDisk(t: TestContext, sizeBytes: number): SmallDisk | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'assist-small-disk-'));
  const problem = run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0755`, 'tmpfs', dir]);
  if (problem) {
    rmSync(dir, { recursive: true, force: true });
    const reason = `cannot mount a small tmpfs for a disk-full test (needs root): ${problem}`;
    if (process.env.CI) throw new Error(reason);
    t.skip(reason);
    return null;
  }
  const filler = path.join(dir, '.filler');
  t.after(() => {
    if (run('umount', [dir]) !== null) run('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const available = () => {
    const st = statfsSync(dir);
    return st.bavail * st.bsize;
  };
  return {
    dir,
    available,
    fill(leaveBytes = 0) {
      const fd = openSync(filler, 'a');
      try {
        const chunk = Buffer.alloc(64 * 1024, 0x2e);
        for (;;) {
          try {
            if (writeSync(fd, chunk) === 0) break;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
            throw error;
          }
        }
        if (leaveBytes > 0) ftruncateSync(fd, Math.max(0, fstatSync(fd).size - Math.ceil(leaveBytes / page) * page));
      } finally {
        closeSync(fd);
      }
    },
    free() {
      try {
        unlinkSync(filler);
      } catch {
        // nothing to free
      }
    },
    resize(size) {
      const failed = run('mount', ['-o', `remount,size=${size}`, dir]);
      if (failed) throw new Error(failed);
    },
  };
}
