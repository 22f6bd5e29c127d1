/**
 * The first run sets itself up. When `assist`, `assist run` or `assist ask` finds no model, it
 * offers the catalog's recommended model for this machine (`recommendModel`: the default, or the
 * largest that fits in the memory free, with the reason), or the catalog model the configuration
 * names when that one is not downloaded yet. In a terminal it shows the offer and asks (Y/n);
 * `--yes` accepts without asking. Accepted, the model is downloaded through the same path as
 * `assist models pull` (progress bar, resume, size and checksum), made the current model, and the
 * command goes on as if it had been there. Without a terminal and without `--yes` it prints the one
 * command to run and stops (exit 2); a disk too small for the download stops it before it starts.
 */
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { confirm } from '@inquirer/prompts';
import chalk from 'chalk';
import type { Config } from '../config/schema.ts';
import { findCatalogEntry, loadCatalog } from '../model/catalog.ts';
import { measureMachine } from '../model/machine-facts.ts';
import { pullDestination, useModel } from '../model/model-store.ts';
import { modelsDir } from '../model/models-dir.ts';
import { NoModelError, resolveModelPath } from '../model/open-model.ts';
import { checkDisk, formatMemory, recommendModel, type MachineFacts } from '../model/recommend-model.ts';
import { formatDownloadSize, pullWithProgress } from './model-download.ts';
import { formatModelOffer, type ModelOffer } from './render/model-offer.ts';
import { UserError } from './user-error.ts';

export interface FirstRunOptions {
  config: Config;
  /** Accept the offer without asking (`--yes`). */
  yes: boolean;
  /** A person can be asked: stdin and stdout are terminals. */
  interactive: boolean;
  /** The caller's Ctrl-C: cancels the question or the download (which is kept for a resume). */
  signal: AbortSignal;
  /** The command that starts this again, for advice (`npx assist`); default "the same command". */
  rerun?: string;
}

interface OfferPlan {
  offer: ModelOffer;
  machine: MachineFacts;
  dir: string;
}

/** How the user runs assist, to name in advice: `npx assist` when started through npx, else `assist`. */
export function assistCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_command === 'exec' ? 'npx assist' : 'assist';
}

/**
 * Runs `open`; when it fails for want of a model that can be downloaded, sets one up (see the
 * module doc) and runs `open` again. Every other error passes through.
 */
export async function openWithFirstRun<T>(open: () => Promise<T>, options: FirstRunOptions): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof NoModelError) || error.kind === 'unknown' || options.config.model.backend !== 'embedded') throw error;
    await setUpModel(error, options);
    return await open();
  }
}

/** The text for a model that is missing where nobody can be asked (`assist` without a terminal); null when a model is there. */
export function missingModelAdvice(config: Config): string | null {
  if (config.model.backend !== 'embedded') return null;
  try {
    resolveModelPath(config);
    return null;
  } catch (error) {
    if (!(error instanceof NoModelError) || error.kind === 'unknown') return error instanceof Error ? error.message : String(error);
    try {
      return nonInteractiveAdvice(planOffer(error, config).offer, 'then start assist in a terminal');
    } catch (problem) {
      if (problem instanceof UserError) return problem.message;
      throw problem;
    }
  }
}

/** The offer for this NoModelError on this machine, with what it was based on. Throws UserError when nothing fits. */
function planOffer(error: NoModelError, config: Config): OfferPlan {
  const catalog = loadCatalog();
  const dir = modelsDir(config);
  const machine = measureMachine(dir, catalog);
  const wanted = error.kind === 'not-downloaded' && error.wanted ? findCatalogEntry(catalog, error.wanted) : undefined;
  if (wanted) return { offer: { entry: wanted, why: 'chosen', disk: checkDisk(wanted, machine), makeCurrent: false }, machine, dir };
  const pick = recommendModel(catalog, machine);
  switch (pick.kind) {
    case 'none': {
      const advice = pick.smallest
        ? ` Close other programs and try again, or take it anyway with \`${assistCommand()} models pull ${pick.smallest.name}\`.`
        : '';
      throw new UserError(
        `No model is set up, and none in the catalog fits this machine now: ${pick.reason}.${advice} ` +
          `A GGUF you have can be imported with \`${assistCommand()} models import PATH\`, or assist can use a model server (README, "A model server ` +
          `instead").`,
      );
    }
    case 'default':
      return {
        offer: { entry: pick.entry, why: 'recommended', disk: pick.disk, ...(pick.alternative ? { alternative: pick.alternative } : {}), makeCurrent: true },
        machine,
        dir,
      };
    case 'smaller':
      return {
        offer: {
          entry: pick.entry,
          why: 'smaller',
          reason: pick.reason,
          disk: pick.disk,
          ...(pick.alternative ? { alternative: pick.alternative } : {}),
          makeCurrent: true,
        },
        machine,
        dir,
      };
    default:
      return pick satisfies never;
  }
}

/** Sizes rounded up, so that "free 0.7 GB more" is never too little. */
function atLeast(bytes: number): string {
  return bytes >= 1e9 ? `${Math.ceil(bytes / 1e8) / 10} GB` : `${Math.ceil(bytes / 1e5) / 10} MB`;
}

function notEnoughDisk(offer: ModelOffer, dir: string): UserError {
  const { entry, disk } = offer;
  const free = disk.freeBytes ?? 0;
  const other = offer.alternative
    ? ` Or take the smaller ${offer.alternative.name} (${formatDownloadSize(offer.alternative.sizeBytes)}), which fits: \`${assistCommand()} models ` +
      `pull ${offer.alternative.name}\`.`
    : '';
  return new UserError(
    `Not enough disk for ${entry.name}: the download needs ${formatDownloadSize(disk.neededBytes)} and ${formatDownloadSize(free)} is free in ${dir}. ` +
      `Free at least ${atLeast(disk.neededBytes - free)} there, or set model.modelsDir (or ASSIST_MODELS_DIR) to a folder on a larger disk, then run ` +
      `assist again.${other}`,
  );
}

function nonInteractiveAdvice(offer: ModelOffer, then: string): string {
  const { entry } = offer;
  const what = offer.why === 'chosen' ? `Model "${entry.name}" is not downloaded yet` : 'No model is set up';
  const why = offer.why === 'smaller' ? ` (the smaller one, because ${offer.reason})` : '';
  return (
    `${what}, and without a terminal assist does not ask to download one. Run:\n\n` +
    `  ${assistCommand()} models pull ${entry.name}\n\n` +
    `to download ${entry.name}${why}: ${formatDownloadSize(entry.sizeBytes)}, needs ${formatMemory(entry.memoryBytes)} of memory; ${then}.`
  );
}

/** Offers, asks, downloads and makes current; throws UserError when no model was set up. */
async function setUpModel(error: NoModelError, options: FirstRunOptions): Promise<void> {
  const { offer, machine, dir } = planOffer(error, options.config);
  const { entry } = offer;
  const out = options.interactive ? process.stdout : process.stderr;
  const storeOptions = { config: options.config };
  const use = () => {
    if (!offer.makeCurrent) return;
    useModel(entry.name, storeOptions);
    out.write(`It is now the current model (\`${assistCommand()} models use NAME\` picks another).\n`);
  };
  if (existsSync(pullDestination(entry.name, storeOptions))) {
    out.write(`${entry.name} is already in ${dir}.\n`);
    use();
    return;
  }
  if (!options.interactive && !options.yes)
    throw new UserError(nonInteractiveAdvice(offer, 'then run this command again (or add --yes to download it without asking)'));
  out.write(formatModelOffer(offer, machine, dir));
  if (!offer.disk.enough) throw notEnoughDisk(offer, dir);
  const declined = (interrupted: boolean) =>
    new UserError(
      `${interrupted ? 'Cancelled (Ctrl-C): n' : 'N'}o model was downloaded. Get it later with \`${assistCommand()} models pull ${entry.name}\` ` +
        `(\`${assistCommand()} models list\` shows the others), ` +
        `or import a GGUF you have with \`${assistCommand()} models import PATH\`.`,
      interrupted ? 130 : 1,
    );
  if (options.yes) out.write(chalk.dim(`--yes: downloading ${entry.name} without asking.\n`));
  else {
    const answer = await confirmDownload(`Download ${entry.name} (${formatDownloadSize(offer.disk.neededBytes)}) now?`, options.signal);
    if (answer !== 'yes') throw declined(answer === 'interrupted');
  }
  const result = await pullWithProgress(entry.name, {
    config: options.config,
    signal: options.signal,
    resumeHint: `run ${options.rerun ? `\`${options.rerun}\`` : 'the same command'} again (or \`${assistCommand()} models pull ${entry.name}\`)`,
  });
  const checked = entry.sha256 ? ' (size and sha256 checked)' : entry.sizeIsExact ? ' (size checked)' : '';
  out.write(`${chalk.green('✓')} ${result.name}: downloaded ${formatDownloadSize(result.sizeBytes)}${checked} → ${result.path}\n`);
  use();
}

/** Asks (Y/n) on the terminal. */
async function confirmDownload(message: string, signal: AbortSignal): Promise<'yes' | 'no' | 'interrupted'> {
  // The prompt ends its output stream when done; give it a pipe that never ends stdout.
  const sink = new PassThrough();
  sink.pipe(process.stdout, { end: false });
  try {
    return (await confirm({ message, default: true }, { input: process.stdin, output: sink, signal })) ? 'yes' : 'no';
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') return 'interrupted';
    throw error;
  } finally {
    sink.unpipe(process.stdout);
  }
}
