/**
 * The first run's offer as text: which model, why this one, its download size, the memory it
 * needs against what is free, the free disk where it goes. Plain values in, a string out.
 */
import chalk from 'chalk';
import type { CatalogEntry } from '../../model/catalog.ts';
import { formatMemory, type DiskCheck, type MachineFacts } from '../../model/recommend-model.ts';
import { formatDownloadSize } from '../model-download.ts';

/** A model offered for download, and why. */
export interface ModelOffer {
  entry: CatalogEntry;
  /**
   * `recommended`: the catalog's default, which fits; `smaller`: the default does not fit (see
   * `reason`); `chosen`: the configuration names this model, which is not downloaded yet.
   */
  why: 'recommended' | 'smaller' | 'chosen';
  /** For `smaller`: "this machine has … free; the default, …, needs …". */
  reason?: string;
  disk: DiskCheck;
  /** A smaller model that fits the disk when `entry` does not. */
  alternative?: CatalogEntry;
  /** Make it the current model once downloaded (true unless the configuration names it). */
  makeCurrent: boolean;
}

/** The offer shown before asking (Y/n). */
export function formatModelOffer(offer: ModelOffer, machine: MachineFacts, dir: string): string {
  const { entry } = offer;
  const lines: string[] = [];
  switch (offer.why) {
    case 'recommended':
      lines.push('No model is set up yet. assist runs a model on this machine; the one recommended for it:');
      break;
    case 'smaller':
      lines.push(`No model is set up yet. The smaller ${entry.name} is offered because ${offer.reason}:`);
      break;
    case 'chosen':
      lines.push(`Model "${entry.name}" is chosen (model.name, --model or \`assist models use\`) but not downloaded yet:`);
      break;
    default:
      return offer.why satisfies never;
  }
  const partial = entry.sizeBytes - offer.disk.neededBytes;
  const resumes = partial > 0 ? ` (${formatDownloadSize(partial)} already downloaded: it resumes)` : '';
  const tight = entry.memoryBytes > machine.freeMemoryBytes ? chalk.yellow(' — more than is free now: it may not load') : '';
  const free =
    machine.totalMemoryBytes > machine.freeMemoryBytes
      ? `${formatMemory(machine.freeMemoryBytes)} free of ${formatMemory(machine.totalMemoryBytes)}`
      : `${formatMemory(machine.freeMemoryBytes)} free`;
  const disk = offer.disk.freeBytes === null ? 'free space unknown' : `${formatDownloadSize(offer.disk.freeBytes)} free`;
  lines.push(
    '',
    `  ${chalk.bold(entry.name)}  ${chalk.dim(entry.description)}`,
    `  download  ${formatDownloadSize(entry.sizeBytes)}${resumes}${entry.sha256 ? ', checked against its sha256' : ''}`,
    `  memory    needs ${formatMemory(entry.memoryBytes)}${tight}; this machine: ${free}, ${machine.cores} core${machine.cores === 1 ? '' : 's'}`,
    `  goes to   ${dir} (${disk})`,
    `  license   ${entry.license}`,
    '',
  );
  return lines.join('\n') + '\n';
}
