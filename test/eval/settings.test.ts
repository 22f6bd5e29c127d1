/** How `assist eval` and the eval bench turn flags (and the settings assist loads) into a run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaults } from '../../src/config/schema.ts';
import { defaultTaskTimeoutMs } from '../../src/eval/runner.ts';
import { benchEvalSettings, EvalFlagError, parseEvalFlags } from '../../src/eval/settings.ts';

const gguf = '/models/qwen.gguf';

test('with no flags the bench runs with exactly what assist loads with no settings file, on the given model', () => {
  const { config, selection, taskTimeoutMs, overrides } = benchEvalSettings([], gguf);
  assert.deepEqual(config, { ...defaults, model: { ...defaults.model, backend: 'embedded', name: gguf } });
  assert.equal(config.model.contextSize, 0, "0: the model's own context, capped to memory by the engine");
  assert.deepEqual(selection, {});
  assert.deepEqual(overrides, {});
  assert.equal(taskTimeoutMs, defaultTaskTimeoutMs);
  assert.equal(defaultTaskTimeoutMs, 15 * 60_000);
});

test("the bench ignores the user's and the project's settings files", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-bench-settings-'));
  const saved = { config: process.env.ASSIST_CONFIG, cwd: process.cwd() };
  try {
    await fs.writeFile(path.join(dir, 'user.json'), JSON.stringify({ agent: { maxSteps: 3 }, model: { maxTokens: 64 } }));
    await fs.writeFile(path.join(dir, '.assistrc.json'), JSON.stringify({ agent: { maxAttempts: 1 } }));
    process.env.ASSIST_CONFIG = path.join(dir, 'user.json');
    process.chdir(dir);
    const { config } = benchEvalSettings([], gguf);
    assert.equal(config.agent.maxSteps, defaults.agent.maxSteps);
    assert.equal(config.agent.maxAttempts, defaults.agent.maxAttempts);
    assert.equal(config.model.maxTokens, defaults.model.maxTokens);
  } finally {
    process.chdir(saved.cwd);
    if (saved.config === undefined) delete process.env.ASSIST_CONFIG;
    else process.env.ASSIST_CONFIG = saved.config;
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('bench flags override the settings and pick the tasks', () => {
  const args = [
    '--context-size',
    '8192',
    '--max-tokens',
    '512',
    '--max-steps',
    '12',
    '--max-attempts',
    '2',
    '--tasks',
    'py-hello, rust-add',
    '--kinds',
    'fix,refactor',
    '--limit',
    '1',
    '--repeat',
    '3',
    '--task-timeout',
    '60',
  ];
  const { config, selection, taskTimeoutMs } = benchEvalSettings(args, gguf);
  assert.equal(config.model.contextSize, 8192);
  assert.equal(config.model.maxTokens, 512);
  assert.equal(config.agent.maxSteps, 12);
  assert.equal(config.agent.maxAttempts, 2);
  assert.equal(config.model.threads, defaults.model.threads, 'what no flag names stays the default');
  assert.equal(config.model.temperature, defaults.model.temperature);
  assert.deepEqual(selection, { ids: ['py-hello', 'rust-add'], kinds: ['fix', 'refactor'], limit: 1, repeat: 3 });
  assert.equal(taskTimeoutMs, 60_000);
  assert.equal(benchEvalSettings(['--context-size', '0'], gguf).config.model.contextSize, 0);
});

test('a bad flag is an error that names it and what it accepts', () => {
  const rejects = (args: string[], pattern: RegExp) =>
    assert.throws(
      () => benchEvalSettings(args, gguf),
      (e: Error) => e instanceof EvalFlagError && pattern.test(e.message),
      args.join(' '),
    );
  rejects(['--max-steps', '0'], /--max-steps must be a whole number from 1 to 1000, not "0"/);
  rejects(['--context-size=-1'], /--context-size must be a whole number from 0 to 1048576/);
  rejects(['--limit', 'two'], /--limit must be a whole number/);
  rejects(['--repeat', '0'], /--repeat must be a whole number from 1 to 100/);
  rejects(['--task-timeout', '1.5'], /--task-timeout must be a whole number/);
  rejects(['--kinds', 'fix,essay'], /--kinds: unknown kind\(s\) essay\. Known: write, fix, refactor, add-test, question, exercise/);
  rejects(['--max-step', '3'], /Unknown option '--max-step'.*Flags: --context-size/);
  rejects(['--limit'], /--limit/);
});

test('assist eval reads the same flags into the same settings layer', () => {
  const plan = parseEvalFlags({ contextSize: '4096', maxSteps: '8', kinds: 'question' });
  assert.deepEqual(plan.overrides, { model: { contextSize: 4096 }, agent: { maxSteps: 8 } });
  assert.deepEqual(plan.selection, { kinds: ['question'] });
  assert.deepEqual(parseEvalFlags({}), { overrides: {}, selection: {}, taskTimeoutMs: defaultTaskTimeoutMs });
});

test('--action-format chooses the protocol for an A/B, and only text or json', () => {
  assert.equal(parseEvalFlags({ actionFormat: 'json' }).overrides.agent?.actionFormat, 'json');
  assert.throws(() => parseEvalFlags({ actionFormat: 'xml' }), /--action-format must be one of text, json, not "xml"/);
});
