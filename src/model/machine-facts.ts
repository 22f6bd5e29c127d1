/**
 * The facts `recommendModel` needs, measured on this machine: memory (total and available now,
 * within a cgroup's limit when one is set, as in a container), cores, free disk where models go,
 * and how much of each catalog model an unfinished download already holds.
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeBytes } from '../workspace/full-write.ts';
import type { Catalog } from './catalog.ts';
import type { MachineFacts } from './recommend-model.ts';

/** The memory limit of this process's cgroup, when it is below the machine's memory. */
function memoryLimit(total: number): number {
  const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  return limit && limit > 0 && limit < total ? limit : total;
}

/** Measures this machine for a download into the models directory `dir`. */
export function measureMachine(dir: string, catalog: Catalog): MachineFacts {
  const totalMemoryBytes = memoryLimit(os.totalmem());
  const partialBytes: Record<string, number> = {};
  for (const entry of catalog.models) {
    try {
      partialBytes[entry.name] = statSync(path.join(dir, `${entry.file}.part`)).size;
    } catch {
      // no unfinished download of this one
    }
  }
  return {
    totalMemoryBytes,
    freeMemoryBytes: Math.min(os.freemem(), totalMemoryBytes),
    freeDiskBytes: freeBytes(dir),
    cores: os.availableParallelism(),
    partialBytes,
  };
}
