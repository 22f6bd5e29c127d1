/** `assist eval` as a person runs it: a child process of bin/assist.js. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The real command line; with ASSIST_TEST_SCRIPTED_MODEL set, the model is a scripted one injected from the test side.
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'scripted-assist.mjs');

async function assist(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ASSIST_CONFIG: path.join(cwd, 'no-user-config.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

test('bad eval flags are clear errors, before any model is opened', { timeout: 120_000 }, async () => {
  const cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-cli-'));
  try {
    const cases: Array<[string[], RegExp]> = [
      [['eval', '--max-attempts', '0'], /--max-attempts must be a whole number from 1 to 100, not "0"/],
      [['eval', '--max-steps', '1e309'], /--max-steps must be a whole number from 1 to 1000, not "1e309"/],
      [['eval', '--tasks', 'no-such-task'], /unknown task id\(s\): no-such-task\. Known: .*py-hello/],
      [['eval', '--kinds', 'fix,poem'], /--kinds: unknown kind\(s\) poem\. Known: write, fix/],
      [['eval', '--context-size', 'big'], /--context-size must be a whole number from 0 to 1048576, not "big"/],
      [['eval', '--tasks', 'py-hello', '--kinds', 'question'], /no chosen task is of kind question/],
      [['eval', '--suite', path.join(cwd, 'missing')], /cannot read suite .*missing: no such folder/],
      [['eval', '--backend', 'gpt'], /--backend must be one of embedded, openai/],
    ];
    for (const [args, message] of cases) {
      const r = await assist(args, cwd);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
    }
  } finally {
    await fs.rm(cwd, { recursive: true, force: true });
  }
});

test('assist eval --compare needs two readable result files, else a clear error', { timeout: 120_000 }, async () => {
  const cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-cli-'));
  try {
    await fs.writeFile(path.join(cwd, 'notes.json'), '{"results": "none"}');
    const cases: Array<[string[], RegExp]> = [
      [['eval', '--compare', path.join(cwd, 'notes.json')], /--compare takes two runs .*not 1/],
      [['eval', '--compare', path.join(cwd, 'gone'), path.join(cwd, 'notes.json')], /gone: no such file or folder/],
      [['eval', '--compare', path.join(cwd, 'notes.json'), path.join(cwd, 'notes.json')], /notes\.json is not the results of an eval run/],
      [['eval', '--compare', cwd, path.join(cwd, 'notes.json')], /is a folder without results\.json/],
    ];
    for (const [args, message] of cases) {
      const r = await assist(args, cwd);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
    }
  } finally {
    await fs.rm(cwd, { recursive: true, force: true });
  }
});

test('assist eval --json runs a question task with the scripted-model test hook and writes results.json', { timeout: 180_000 }, async () => {
  const cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-eval-cli-'));
  try {
    const task = path.join(cwd, 'suite', 'ask');
    await fs.mkdir(path.join(task, 'workspace'), { recursive: true });
    await fs.writeFile(
      path.join(task, 'task.json'),
      JSON.stringify({ id: 'ask', prompt: 'What is 6 times 7?', language: 'text', kind: 'question', answer: { pattern: '\\b42\\b' } }),
    );
    const script = path.join(cwd, 'script.json');
    await fs.writeFile(script, JSON.stringify([{ thought: 'arithmetic', tool: 'answer', args: { text: 'It is 42.' } }]));
    const r = await assist(['eval', '--suite', path.join(cwd, 'suite'), '--json', '--out', path.join(cwd, 'out')], cwd, { ASSIST_TEST_SCRIPTED_MODEL: script });
    assert.equal(r.code, 0, r.stderr);
    const run = JSON.parse(r.stdout) as {
      summary: { passed: number; tasks: number };
      resultsFile: string;
      results: Array<{ id: string; passed: boolean }>;
      settings: Record<string, number>;
    };
    assert.deepEqual(
      run.settings,
      { contextSize: 8192, maxTokens: 2048, temperature: 0.2, threads: 0, maxSteps: 30, maxAttempts: 5, taskTimeoutSeconds: 900, actionFormat: 'text' },
      "no settings file: the schema's defaults, as the bench uses",
    );
    assert.match(r.stderr, /context 8192, maxTokens 2048, maxSteps 30, maxAttempts 5, threads auto, 900 s per task/);
    assert.equal(run.summary.tasks, 1);
    assert.equal(run.summary.passed, 1);
    assert.equal(run.resultsFile, path.join(cwd, 'out', 'results.json'));
    assert.deepEqual(JSON.parse(await fs.readFile(run.resultsFile, 'utf8')).summary, run.summary);
    const table = await assist(['eval', '--suite', path.join(cwd, 'suite'), '--out', path.join(cwd, 'out2')], cwd, { ASSIST_TEST_SCRIPTED_MODEL: script });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /ask\s+text\s+question\s+PASS/);
    assert.match(table.stdout, /passed 1\/1 \(100%\)/);
    assert.match(table.stdout, /^question\s+1\s+1\s+100%/m, 'the per-kind table');
    assert.match(table.stdout, /^text\s+1\s+1\s+100%/m, 'the per-language table');

    const compared = await assist(['eval', '--compare', path.join(cwd, 'out'), path.join(cwd, 'out2', 'results.json')], cwd);
    assert.equal(compared.code, 0, compared.stderr);
    assert.match(compared.stdout, /^ask\s+question\s+PASS\s+PASS\s+1→1\s+.*still passing$/m);
    assert.match(compared.stdout, /^total\s+1\/1\s+1\/1\s+0$/m);
  } finally {
    await fs.rm(cwd, { recursive: true, force: true });
  }
});
