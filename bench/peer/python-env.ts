/**
 * The peer bench's Python tools, installed on first use into virtualenvs under the user cache
 * (`$XDG_CACHE_HOME/assist/peer/`, else `~/.cache/assist/peer/`) and reused afterwards:
 *
 * - `aider-<version>/`: `aider-chat`, pinned;
 * - `llama-cpp-python-<version>/`: `llama-cpp-python[server]`, pinned, installed from a wheel that
 *   is built from source once (llama.cpp compiled with cmake; minutes on 2 cores) and kept in
 *   `wheels/`, so a venv can be recreated without compiling again.
 *
 * A venv counts as installed when its `installed.json` exists (written last); a half-finished one
 * is removed and installed again. pip's full output goes to `install.log` in the venv.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The pinned versions. Changing one installs a new venv next to the old one. */
export const peerVersions = { aider: '0.86.2', llamaCppPython: '0.3.36' } as const;

/** Where the peer bench keeps its venvs and the built wheel. */
export function peerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'assist', 'peer');
}

/** An installed tool: its venv, the Python in it, and how long installing took (0 when reused). */
export interface PythonTool {
  venv: string;
  python: string;
  bin: (name: string) => string;
  installSeconds: number;
}

/** One line of progress (the caller shows it). */
export type ProgressLine = (line: string) => void;

/** The base interpreter: `$ASSIST_PYTHON`, else `python3`. aider needs 3.10 to 3.12. */
function basePython(): string {
  return process.env.ASSIST_PYTHON ?? 'python3';
}

/** aider-chat, pinned, in its own venv. */
export async function ensureAider(progress: ProgressLine): Promise<PythonTool> {
  const venv = path.join(peerCacheDir(), `aider-${peerVersions.aider}`);
  return ensureVenv(venv, `aider-chat ${peerVersions.aider}`, progress, async (log) => {
    await pip(venv, ['install', '--disable-pip-version-check', `aider-chat==${peerVersions.aider}`], log, progress, 'aider');
  });
}

/** llama-cpp-python[server], pinned, in its own venv, from the cached wheel (built once). */
export async function ensureLlamaServer(progress: ProgressLine): Promise<PythonTool> {
  const version = peerVersions.llamaCppPython;
  const venv = path.join(peerCacheDir(), `llama-cpp-python-${version}`);
  const wheels = path.join(peerCacheDir(), 'wheels');
  return ensureVenv(venv, `llama-cpp-python[server] ${version}`, progress, async (log) => {
    await fs.mkdir(wheels, { recursive: true });
    const built = (await fs.readdir(wheels)).some((f) => f.startsWith(`llama_cpp_python-${version}-`) && f.endsWith('.whl'));
    if (!built) {
      progress(`building llama-cpp-python ${version} from source (compiles llama.cpp once; several minutes on 2 cores)`);
      const env = { CMAKE_ARGS: '-DGGML_NATIVE=ON -DLLAMA_CURL=OFF', CMAKE_BUILD_PARALLEL_LEVEL: String(Math.max(1, os.availableParallelism())) };
      await pip(venv, ['wheel', '--disable-pip-version-check', '--no-deps', '-w', wheels, `llama-cpp-python==${version}`], log, progress, 'build', env);
    }
    await pip(venv, ['install', '--disable-pip-version-check', '--find-links', wheels, `llama-cpp-python[server]==${version}`], log, progress, 'server');
  });
}

async function ensureVenv(venv: string, what: string, progress: ProgressLine, install: (log: NodeJS.WritableStream) => Promise<void>): Promise<PythonTool> {
  const tool: PythonTool = { venv, python: path.join(venv, 'bin', 'python'), bin: (name) => path.join(venv, 'bin', name), installSeconds: 0 };
  if (await fs.stat(path.join(venv, 'installed.json')).catch(() => null)) return tool;
  const started = Date.now();
  progress(`installing ${what} into ${venv} (first use only)`);
  await fs.rm(venv, { recursive: true, force: true });
  await fs.mkdir(path.dirname(venv), { recursive: true });
  await run(basePython(), ['-m', 'venv', venv], undefined, () => {});
  const log = createWriteStream(path.join(venv, 'install.log'), { flags: 'a' });
  try {
    await install(log);
  } catch (error) {
    throw new Error(`Installing ${what} failed; the log is ${path.join(venv, 'install.log')}.\n${(error as Error).message}`);
  } finally {
    await new Promise((resolve) => log.end(resolve));
  }
  tool.installSeconds = Math.round((Date.now() - started) / 1000);
  await fs.writeFile(path.join(venv, 'installed.json'), JSON.stringify({ what, installSeconds: tool.installSeconds, at: new Date().toISOString() }) + '\n');
  progress(`installed ${what} in ${tool.installSeconds} s`);
  return tool;
}

/** Runs the venv's pip, logging everything and reporting pip's milestones as progress. */
function pip(venv: string, args: string[], log: NodeJS.WritableStream, progress: ProgressLine, label: string, env: Record<string, string> = {}): Promise<void> {
  const milestone = /^\s*(Collecting|Building wheel|Installing collected|Successfully|  Building|-- Build files)/;
  const started = Date.now();
  return run(path.join(venv, 'bin', 'python'), ['-m', 'pip', ...args], env, (line) => {
    log.write(line + '\n');
    if (milestone.test(line)) progress(`  ${label} ${Math.round((Date.now() - started) / 1000)}s: ${line.trim().slice(0, 100)}`);
  });
}

function run(command: string, args: string[], env: Record<string, string> | undefined, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PIP_NO_INPUT: '1', ...env } });
    const tail: string[] = [];
    const feed = (stream: NodeJS.ReadableStream) => {
      let rest = '';
      stream.on('data', (d: Buffer) => {
        const lines = (rest + d.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          tail.push(line);
          if (tail.length > 30) tail.shift();
          onLine(line);
        }
      });
    };
    feed(child.stdout);
    feed(child.stderr);
    child.on('error', (e) => reject(new Error(`could not start ${command}: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`))));
  });
}
