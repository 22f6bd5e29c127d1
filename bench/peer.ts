/**
 * `npm run bench -- peer [--tasks ID,ID] [--kinds KIND,KIND] [--limit N] [--time-limit SECONDS]
 * [--edit-format whole|diff] [--threads N] [--only aider|assist]`: aider side by side with assist
 * on the suite's tasks that aider can do (write, fix, refactor, add-test, exercise), with the same
 * GGUF (the catalog default, Qwen2.5-Coder-1.5B, unless ASSIST_REAL_MODEL names another).
 *
 * assist runs first, through `runEval`, as a user runs it (default settings: the model's own
 * context capped by memory, default steps, attempts, tokens and temperature). Then
 * llama-cpp-python's OpenAI-compatible server serves the same file with the context assist got,
 * the same threads and temperature, and aider runs each task (bench/peer/aider-runner.ts). Each
 * tool is alone on the CPU, with the same time limit per task; both are judged by the task's hidden
 * check in the sandbox. aider and the server are installed on first use (bench/peer/python-env.ts).
 *
 * Prints a table, then last
 * {"bench":"peer","model":…,"tasks":N,"assist":{"passed":…,"medianSeconds":…},"aider":{…},"byKind":{…},"settings":{…}}.
 * Logs: output/peer_<timestamp>/ (assist/: the eval's results and sessions; aider/<task>/: aider's
 * stdout, chat history, model traffic, finished files and check output; aider/server.log).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { defaults, type Config } from '../src/config/schema.ts';
import { runEval } from '../src/eval/runner.ts';
import { loadSuite, type EvalTask } from '../src/eval/suite.ts';
import { defaultThreads } from '../src/model/embedded.ts';
import { openModel } from '../src/model/open-model.ts';
import { installSandboxExitCleanup, openSandbox } from '../src/sandbox/open-sandbox.ts';
import { ensureRealModel } from '../test/e2e/real-model.ts';
import { runAiderTask, writeAiderModelFiles, type AiderTaskResult } from './peer/aider-runner.ts';
import { parsePeerArgs, PeerArgsError, type PeerArgs } from './peer/args.ts';
import { startLlamaServer } from './peer/llama-server.ts';
import { ensureAider, ensureLlamaServer, peerVersions, type PythonTool } from './peer/python-env.ts';
import { formatPeerTable, summarizePeer, type PeerRow, type ToolOutcome } from './peer/summary.ts';
import { selectPeerTasks } from './peer/tasks.ts';

/** A folder name for this run: `peer_20261121-051200`. */
export function peerRunName(now = new Date()): string {
  return `peer_${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}

/** Prints install progress: one line rewritten in place on a terminal, milestones every 15 s otherwise. */
function progressPrinter(): (line: string) => void {
  let lastShown = 0;
  return (line) => {
    const detail = line.startsWith('  ');
    if (process.stdout.isTTY) {
      process.stdout.write(`\r\x1b[2K${line.trim().slice(0, (process.stdout.columns || 100) - 1)}${detail ? '' : '\n'}`);
    } else if (!detail || Date.now() - lastShown > 15_000) {
      lastShown = Date.now();
      console.log(line);
    }
  };
}

export default async function bench(argv: string[]): Promise<void> {
  let args: PeerArgs;
  try {
    args = parsePeerArgs(argv);
  } catch (error) {
    if (!(error instanceof PeerArgsError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const tasks = selectPeerTasks(await loadSuite(), args);
  if (tasks.length === 0) throw new Error('no tasks selected: check --tasks, --kinds and --limit');
  const threads = args.threads ?? defaultThreads();
  const runDir = path.resolve('output', peerRunName());
  await fs.mkdir(path.join(runDir, 'aider'), { recursive: true });
  installSandboxExitCleanup();

  const modelPath = await ensureRealModel(process.env.ASSIST_REAL_MODEL ?? 'qwen2.5-coder-1.5b');
  const progress = progressPrinter();
  const aider = args.only === 'assist' ? undefined : await ensureAider(progress);
  const server = args.only === 'assist' ? undefined : await ensureLlamaServer(progress);

  const config: Config = structuredClone(defaults);
  config.model = { ...config.model, backend: 'embedded', name: modelPath, gpu: false, threads };
  const probe = await openSandbox(config, { root: runDir });
  await probe.sandbox?.dispose();
  if (!probe.sandbox) throw new Error(`The hidden checks need a sandbox: ${probe.reason}`);

  console.log(
    `peer bench: ${tasks.length} tasks, model ${path.basename(modelPath)}, ${threads} thread(s), ${args.timeLimitSeconds} s per task; logs in ${runDir}`,
  );
  const { contextSize, modelName, assistRows } = await runAssist(tasks, config, args, runDir);
  const aiderRows =
    aider && server ? await runAider(tasks, { aider, server, modelPath, contextSize, threads, config, args, runDir }) : new Map<string, ToolOutcome>();

  const rows: PeerRow[] = tasks.map((t) => ({
    id: t.id,
    kind: t.kind,
    language: t.language,
    ...(assistRows.has(t.id) ? { assist: assistRows.get(t.id) } : {}),
    ...(aiderRows.has(t.id) ? { aider: aiderRows.get(t.id) } : {}),
  }));
  const summary = summarizePeer(modelName, rows, {
    contextSize,
    threads,
    temperature: config.model.temperature,
    maxSteps: config.agent.maxSteps,
    maxAttempts: config.agent.maxAttempts,
    maxTokens: config.model.maxTokens,
    timeLimitSeconds: args.timeLimitSeconds,
    aiderEditFormat: args.editFormat,
    aiderVersion: peerVersions.aider,
    server: `llama-cpp-python ${peerVersions.llamaCppPython}`,
  });
  await fs.writeFile(path.join(runDir, 'peer.json'), JSON.stringify({ summary, rows }, null, 2) + '\n');
  console.log(`\n${formatPeerTable(rows, summary)}\n\nresults: ${path.join(runDir, 'peer.json')}`);
  console.log(JSON.stringify(summary));
}

/** assist on the tasks (unless `--only aider`); the model is opened either way to learn its context size. */
async function runAssist(
  tasks: EvalTask[],
  config: Config,
  args: PeerArgs,
  runDir: string,
): Promise<{ contextSize: number; modelName: string; assistRows: Map<string, ToolOutcome> }> {
  const model = await openModel(config);
  const rows = new Map<string, ToolOutcome>();
  try {
    const contextSize = model.info.contextSize;
    if (args.only === 'aider') return { contextSize, modelName: model.info.name, assistRows: rows };
    console.log(
      `\nassist: context ${contextSize} tokens, maxSteps ${config.agent.maxSteps}, maxAttempts ${config.agent.maxAttempts}, maxTokens ` +
        `${config.model.maxTokens}`,
    );
    const run = await runEval({
      tasks,
      config,
      model,
      outDir: path.join(runDir, 'assist'),
      taskTimeoutMs: args.timeLimitSeconds * 1000,
      onProgress: (e) => {
        if (e.type === 'task-end')
          console.log(
            `assist [${e.index + 1}/${e.total}] ${e.result.id}: ${e.result.passed ? 'PASS' : 'fail'} ` +
              `(${e.result.seconds}s)${e.result.passed ? '' : ` ${e.result.reason}`}`,
          );
      },
    });
    for (const r of run.results) rows.set(r.id, { passed: r.passed, seconds: round(r.seconds + r.setupSeconds), ...(r.reason ? { reason: r.reason } : {}) });
    return { contextSize, modelName: run.model, assistRows: rows };
  } finally {
    await model.dispose();
  }
}

/** aider on the tasks, against llama-cpp-python's server on the same GGUF. */
async function runAider(
  tasks: EvalTask[],
  o: { aider: PythonTool; server: PythonTool; modelPath: string; contextSize: number; threads: number; config: Config; args: PeerArgs; runDir: string },
): Promise<Map<string, ToolOutcome>> {
  const alias = path.basename(o.modelPath).replace(/\.gguf$/i, '');
  const aiderDir = path.join(o.runDir, 'aider');
  console.log(
    `\naider ${peerVersions.aider}: edit format ${o.args.editFormat}, server llama-cpp-python ${peerVersions.llamaCppPython} (context ` +
      `${o.contextSize}, ${o.threads} thread(s))`,
  );
  const server = await startLlamaServer({
    tool: o.server,
    modelPath: o.modelPath,
    alias,
    contextSize: o.contextSize,
    threads: o.threads,
    logFile: path.join(aiderDir, 'server.log'),
  });
  const rows = new Map<string, ToolOutcome>();
  const results: AiderTaskResult[] = [];
  try {
    const setup = {
      aider: o.aider,
      baseUrl: server.baseUrl,
      alias,
      contextSize: o.contextSize,
      temperature: o.config.model.temperature,
      editFormat: o.args.editFormat,
      config: o.config,
      runDir: aiderDir,
    };
    const modelFiles = await writeAiderModelFiles(setup);
    for (const [index, task] of tasks.entries()) {
      const r = await runAiderTask(task, setup, modelFiles, path.join(aiderDir, task.id), o.args.timeLimitSeconds * 1000);
      results.push(r);
      rows.set(r.id, { passed: r.passed, seconds: r.seconds, ...(r.reason ? { reason: r.reason } : {}) });
      console.log(
        `aider [${index + 1}/${tasks.length}] ${r.id}: ${r.passed ? 'PASS' : 'fail'} (${r.seconds}s; ${r.files.length} file(s), tests: ` +
          `${r.testCommand ?? 'none'})${r.passed ? '' : ` ${r.reason}`}`,
      );
    }
  } finally {
    await server.stop();
    await fs.writeFile(path.join(aiderDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  }
  return rows;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
