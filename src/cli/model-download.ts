/**
 * The one download path of the CLI, used by `assist models pull` and by the first run: a progress
 * bar on a terminal (a line per tenth otherwise), "resuming at …" when an unfinished download
 * continues, a note while the checksum is checked, and, when Ctrl-C stops it, where the bytes so
 * far are kept and how to resume. Heavy modules load only when a download starts.
 */
import { statSync } from 'node:fs';
import type { Config } from '../config/schema.ts';
import type { PullResult } from '../model/model-store.ts';
import { UserError } from './user-error.ts';

/** A download size as `models list` shows it: `1.1 GB`, `491.4 MB`. */
export function formatDownloadSize(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

export interface PullWithProgressOptions {
  config: Pick<Config, 'model'>;
  /** Stops the download (the caller's Ctrl-C); the unfinished file is kept. */
  signal: AbortSignal;
  /** How to resume, for the message after Ctrl-C: "run `assist models pull NAME` again". */
  resumeHint: string;
  /** Where the bar and notes go; default stderr. */
  stream?: NodeJS.WriteStream;
}

/** Downloads a catalog model or a GGUF URL into the models dir (see the module doc). Setup errors become a UserError. */
export async function pullWithProgress(nameOrUrl: string, options: PullWithProgressOptions): Promise<PullResult> {
  const [store, { loadCatalog, findCatalogEntry }, { ModelSetupError }, { default: cliProgress }] = await Promise.all([
    import('../model/model-store.ts'),
    import('../model/catalog.ts'),
    import('../model/language-model.ts'),
    import('cli-progress'),
  ]);
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const checksummed = (() => {
    try {
      return !!findCatalogEntry(loadCatalog(), nameOrUrl)?.sha256;
    } catch {
      return false;
    }
  })();
  const bar = new cliProgress.SingleBar(
    { format: `${nameOrUrl} [{bar}] {percentage}% | {done} of {size} | eta {eta_formatted}`, hideCursor: true, stream },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let running = false;
  let verifying = false;
  let lastTenth = -1;
  const stopBar = () => {
    if (running) bar.stop();
    running = false;
  };
  try {
    return await store.pullModel(nameOrUrl, {
      config: options.config,
      signal: options.signal,
      onProgress: ({ received, total, resumed }) => {
        const size = total ?? received;
        const labels = { done: formatDownloadSize(received), size: formatDownloadSize(size) };
        if (!started) {
          started = true;
          if (resumed) stream.write(`resuming at ${formatDownloadSize(received)}\n`);
          if (tty) {
            bar.start(size, received, labels);
            running = true;
          }
        }
        if (tty) bar.update(received, labels);
        else if (total) {
          const tenth = Math.floor((received / total) * 10);
          if (tenth !== lastTenth) {
            lastTenth = tenth;
            stream.write(`${tenth * 10}% (${formatDownloadSize(received)} of ${formatDownloadSize(total)})\n`);
          }
        }
        if (checksummed && total !== undefined && received >= total && !verifying) {
          verifying = true;
          stopBar();
          stream.write('checking the sha256 checksum…\n');
        }
      },
    });
  } catch (error) {
    stopBar();
    if (options.signal.aborted) {
      const part = `${store.pullDestination(nameOrUrl, { config: options.config })}.part`;
      let kept = 0;
      try {
        kept = statSync(part).size;
      } catch {
        // nothing arrived
      }
      const where =
        kept > 0
          ? `The ${formatDownloadSize(kept)} received so far are kept in ${part}: ${options.resumeHint} to resume.`
          : `Nothing was kept; ${options.resumeHint} to start it again.`;
      throw new UserError(`Download stopped (Ctrl-C). ${where}`, 130);
    }
    if (error instanceof ModelSetupError) throw new UserError(error.message);
    throw error;
  } finally {
    stopBar();
  }
}
