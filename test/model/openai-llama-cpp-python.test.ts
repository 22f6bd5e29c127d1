/**
 * The `openai` backend against a REAL `llama-cpp-python[server]` (0.3.36, from PyPI), serving the
 * tiny GGUF. Opt-in by presence: it runs where that server is installed, which the peer bench
 * does once (`npm run bench -- peer` builds the wheel and keeps a venv in
 * `~/.cache/assist/peer/llama-cpp-python-0.3.36/`), or where `ASSIST_LLAMA_CPP_PYTHON` names a
 * Python that has it. CI never builds it (compiling llama.cpp takes minutes); elsewhere the test
 * says how to get it and skips.
 */
import { freePort } from '../../bench/peer/llama-server.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaults } from '../../src/config/schema.ts';
import { actionProtocol } from '../../src/model/action-protocol.ts';
import { ModelError, type ChatMessage } from '../../src/model/language-model.ts';
import { OpenAIModel } from '../../src/model/openai.ts';
import { builtinTools } from '../../tools/index.ts';
import { orderTools } from '../../tools/tool.ts';
import { tinyGgufPath } from '../support/tiny-gguf.ts';
import { representativeSchema } from './fixtures.ts';

const pinned = '0.3.36';

function serverPython(): string | undefined {
  if (process.env.ASSIST_LLAMA_CPP_PYTHON) return process.env.ASSIST_LLAMA_CPP_PYTHON;
  const cache = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  const python = path.join(cache, 'assist', 'peer', `llama-cpp-python-${pinned}`, 'bin', 'python');
  return existsSync(python) && existsSync(path.join(path.dirname(python), '..', 'installed.json')) ? python : undefined;
}

/** Starts the server on the tiny GGUF and waits for `/v1/models`; rejects with its output if it dies first. */
async function startServer(python: string, nCtx: number): Promise<{ baseUrl: string; child: ChildProcess }> {
  const port = await freePort();
  const args = [
    '-m',
    'llama_cpp.server',
    '--model',
    await tinyGgufPath(),
    '--model_alias',
    'tiny',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--n_ctx',
    String(nCtx),
    '--n_threads',
    '1',
  ];
  const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`llama-cpp-python exited (${code}):\n${output}`))));
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const ready = (async () => {
    for (;;) {
      try {
        if ((await fetch(`${baseUrl}/models`, { signal: AbortSignal.timeout(2000) })).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  try {
    await Promise.race([
      ready,
      exited,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`llama-cpp-python did not start in 60 s:\n${output}`)), 60_000).unref()),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  exited.catch(() => undefined);
  return { baseUrl, child };
}

const messages: ChatMessage[] = [{ role: 'user', content: 'hello' }];

test(`a real llama-cpp-python[server] ${pinned}: grammar found by probe, JSON and text protocol steps under GBNF, the context learned from its overflow`, {
  timeout: 240_000,
}, async (t) => {
  const python = serverPython();
  if (!python) {
    t.skip(`no llama-cpp-python[server] ${pinned}: \`npm run bench -- peer\` installs one, or set ASSIST_LLAMA_CPP_PYTHON to a Python that has it`);
    return;
  }
  const { baseUrl, child } = await startServer(python, 1024);
  try {
    const config = structuredClone(defaults);
    config.openai.baseUrl = baseUrl;
    config.openai.model = 'tiny';
    config.openai.retries = 0;
    config.openai.timeoutMs = 60_000;
    const model = await OpenAIModel.connect(config);
    assert.deepEqual(model.info.server, {
      kind: 'llama-cpp-python',
      constraint: 'grammar',
      constraintFrom: 'probe',
      contextFrom: 'assumed: the server does not say; set model.contextSize',
      contextAssumed: true,
    });
    assert.equal(model.info.grammar, true);
    assert.ok((await model.countTokensExact('hello world')) > 0, '/extras/tokenize');

    const json = await model.next(messages, representativeSchema, { maxTokens: 300, temperature: 0, seed: 1 });
    assert.ok(['read_file', 'search_code', 'edit_file', 'run_tests', 'answer'].includes(json.action.tool), json.raw);

    const tools = orderTools(builtinTools);
    const protocol = actionProtocol('text', tools, { maxThoughtLength: 24, maxAnswerLength: 24 });
    const files = ['app.py', 'lib/util.py'];
    const step = protocol.constrain(
      tools.filter((tool) => tool.name === 'read_file'),
      { files, seen: new Map() },
    );
    for (const seed of [1, 2, 3]) {
      const text = await model.next(messages, step.schema, { text: step.text!, maxTokens: 300, temperature: 0.8, seed });
      if (text.action.tool === 'read_file') assert.ok(files.includes(text.action.args.path as string), `the server applied the workspace grammar: ${text.raw}`);
      else assert.equal(text.action.tool, 'answer');
    }

    const huge: ChatMessage[] = [{ role: 'user', content: 'word '.repeat(1200) }];
    await assert.rejects(
      model.next(huge, representativeSchema),
      (e: unknown) => e instanceof ModelError && e.code === 'context_overflow' && /of 1024 tokens/.test(e.message),
    );
    assert.equal(model.info.contextSize, 1024, 'learned from the server');
  } finally {
    child.kill('SIGTERM');
  }
});
