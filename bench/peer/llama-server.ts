/**
 * llama-cpp-python's OpenAI-compatible server on loopback, serving the same GGUF assist runs, with
 * the same context size and threads. Started once per bench run and stopped at its end (and on
 * Ctrl-C or an error, through child-processes.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import { exited, spawnTracked, stopGroup } from './child-processes.ts';
import type { PythonTool } from './python-env.ts';

export interface LlamaServerOptions {
  tool: PythonTool;
  modelPath: string;
  /** The name the server reports and aider asks for (`openai/<alias>`). */
  alias: string;
  contextSize: number;
  threads: number;
  /** The server's stdout and stderr go here. */
  logFile: string;
  /** How long loading may take (default 3 minutes). */
  readyTimeoutMs?: number;
}

/** A running server. */
export interface LlamaServer {
  /** e.g. `http://127.0.0.1:41234/v1` */
  baseUrl: string;
  alias: string;
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The server's command line (after the interpreter). */
export function serverArgs(options: Pick<LlamaServerOptions, 'modelPath' | 'alias' | 'contextSize' | 'threads'>, port: number): string[] {
  return [
    '-m',
    'llama_cpp.server',
    '--model',
    options.modelPath,
    '--model_alias',
    options.alias,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--n_ctx',
    String(options.contextSize),
    '--n_threads',
    String(options.threads),
    '--n_threads_batch',
    String(options.threads),
    '--n_gpu_layers',
    '0',
  ];
}

/** Starts the server and waits until `GET /v1/models` answers. Throws with the log's tail if it dies. */
export async function startLlamaServer(options: LlamaServerOptions): Promise<LlamaServer> {
  const port = await freePort();
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const tail: string[] = [];
  const child: ChildProcess = spawnTracked(options.tool.python, serverArgs(options, port), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (d: Buffer) => {
      log.write(d);
      tail.push(...d.toString().split('\n'));
      tail.splice(0, Math.max(0, tail.length - 20));
    });
  }
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const stop = async () => {
    await stopGroup(child);
    await new Promise((resolve) => log.end(resolve));
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  const died = exited(child).then(({ code, signal }) => ({ died: true as const, code, signal }));
  try {
    for (;;) {
      const state = await Promise.race([died, ready(baseUrl).then((ok) => ({ died: false as const, ok }))]);
      if (state.died)
        throw new Error(
          `the model server exited (${state.code ?? state.signal}) before it was ready. Its last lines (full log ${options.logFile}):\n${tail.join('\n')}`,
        );
      if (state.ok) return { baseUrl, alias: options.alias, stop };
      if (Date.now() > deadline)
        throw new Error(`the model server did not answer within ${Math.round((options.readyTimeoutMs ?? 180_000) / 1000)} s; see ${options.logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

async function ready(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/models`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}
