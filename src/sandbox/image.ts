/**
 * The sandbox image on this machine: status for `assist sandbox status`, and the offline build
 * (sandbox/build-offline.sh) for `assist sandbox build`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';

/** sandbox/build-offline.sh of this installation. */
export const buildScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sandbox/build-offline.sh');

export interface ImageInfo {
  id: string;
  created: string;
  sizeBytes: number;
}

/** The image's id, creation time and size, or undefined when it is absent (or Docker is down). */
export async function inspectImage(image: string, docker = new Docker()): Promise<ImageInfo | undefined> {
  try {
    const info = await docker.getImage(image).inspect();
    return { id: info.Id, created: info.Created, sizeBytes: info.Size };
  } catch {
    return undefined;
  }
}

/**
 * Builds (or, with `fromTar`, loads) the image by running build-offline.sh; its output goes to the
 * terminal. Resolves with the script's exit code.
 */
export function buildImage(options: { image: string; fromTar?: string; rebuildBase?: boolean }): Promise<number> {
  if (!existsSync(buildScript)) return Promise.reject(new Error(`the image build script is missing: ${buildScript}`));
  const args = [buildScript, '--image', options.image];
  if (options.fromTar) args.push('--from-tar', path.resolve(options.fromTar));
  if (options.rebuildBase) args.push('--rebuild-base');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
