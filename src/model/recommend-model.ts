/**
 * Which catalog model a new user is offered: the catalog's default when this machine has the
 * memory free for it, else the largest model that fits, with the reason in words. Pure: the
 * caller measures the machine (`measureMachine`), a test gives the numbers.
 *
 * Memory decides the model (a model that does not fit in free memory is refused at load, see
 * `EmbeddedModel.load`); disk only decides whether the download can start, because disk space is
 * easier to make than memory. Cores are shown with the offer but change nothing: the catalog
 * states no CPU need, and its default is already the model for 2-4 cores.
 */
import { defaultCatalogEntry, type Catalog, type CatalogEntry } from './catalog.ts';

/** What the recommendation looks at. */
export interface MachineFacts {
  totalMemoryBytes: number;
  /** Memory available now: what loading a model is checked against. */
  freeMemoryBytes: number;
  /** Free bytes on the disk of the models directory; null when unknown. */
  freeDiskBytes: number | null;
  cores: number;
  /** Bytes already downloaded (an unfinished `.part` file), by catalog name. */
  partialBytes?: Readonly<Record<string, number>>;
}

/** Whether the download of one model fits on the disk. */
export interface DiskCheck {
  /** Bytes still to download: the size less what a partial download already holds. */
  neededBytes: number;
  freeBytes: number | null;
  /** True when the rest fits (or the free space is unknown). */
  enough: boolean;
}

/**
 * `default`: the catalog's default fits; `smaller`: it does not, and `entry` is the largest that
 * does; `none`: no model fits in the memory free now. Where the disk is too small for `entry`,
 * `alternative` is the largest smaller model that fits both memory and disk, if any.
 */
export type ModelRecommendation =
  | { kind: 'default'; entry: CatalogEntry; disk: DiskCheck; alternative?: CatalogEntry }
  | { kind: 'smaller'; entry: CatalogEntry; insteadOf: CatalogEntry; reason: string; disk: DiskCheck; alternative?: CatalogEntry }
  | { kind: 'none'; reason: string; smallest?: CatalogEntry };

/** Memory as people read it: `512 MiB`, `3.2 GiB`, `1.5 TiB`. */
export function formatMemory(bytes: number): string {
  const units = [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
  ] as const;
  for (const [unit, size] of units) {
    if (bytes >= size) return unit === 'MiB' ? `${Math.round(bytes / size)} MiB` : `${(bytes / size).toFixed(1)} ${unit}`;
  }
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/** The disk check for downloading `entry` on `machine`. */
export function checkDisk(entry: CatalogEntry, machine: MachineFacts): DiskCheck {
  const neededBytes = Math.max(0, entry.sizeBytes - (machine.partialBytes?.[entry.name] ?? 0));
  return { neededBytes, freeBytes: machine.freeDiskBytes, enough: machine.freeDiskBytes === null || neededBytes <= machine.freeDiskBytes };
}

function memoryFree(machine: MachineFacts): string {
  const of = machine.totalMemoryBytes > machine.freeMemoryBytes ? ` (of ${formatMemory(machine.totalMemoryBytes)})` : '';
  return `this machine has ${formatMemory(machine.freeMemoryBytes)} of memory free${of}`;
}

/** Largest first (by memory, then size), so the first that fits is the best that fits. */
function largestFirst(models: readonly CatalogEntry[]): CatalogEntry[] {
  return [...models].sort((a, b) => b.memoryBytes - a.memoryBytes || b.sizeBytes - a.sizeBytes);
}

/** The model to offer on `machine` (see the module doc). */
export function recommendModel(catalog: Catalog, machine: MachineFacts): ModelRecommendation {
  const preferred = defaultCatalogEntry(catalog);
  if (!preferred) return { kind: 'none', reason: 'the model catalog lists no models' };
  const fitsMemory = (m: CatalogEntry) => m.memoryBytes <= machine.freeMemoryBytes;
  const withDisk = (entry: CatalogEntry) => {
    const disk = checkDisk(entry, machine);
    if (disk.enough) return { disk };
    const alternative = largestFirst(catalog.models).find((m) => m.memoryBytes < entry.memoryBytes && fitsMemory(m) && checkDisk(m, machine).enough);
    return alternative ? { disk, alternative } : { disk };
  };
  if (fitsMemory(preferred)) return { kind: 'default', entry: preferred, ...withDisk(preferred) };
  const entry = largestFirst(catalog.models).find(fitsMemory);
  if (!entry) {
    const smallest = largestFirst(catalog.models).at(-1)!;
    return {
      kind: 'none',
      smallest,
      reason: `${memoryFree(machine)}; the smallest model in the catalog, ${smallest.name}, needs ${formatMemory(smallest.memoryBytes)}`,
    };
  }
  return {
    kind: 'smaller',
    entry,
    insteadOf: preferred,
    reason: `${memoryFree(machine)}; the default, ${preferred.name}, needs ${formatMemory(preferred.memoryBytes)}`,
    ...withDisk(entry),
  };
}
