import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/load.ts';
import { defaults } from '../../src/config/schema.ts';

function tempProject(files: Record<string, unknown>): { root: string; user: string; done: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'assist-config-'));
  const userDir = path.join(root, 'home');
  mkdirSync(userDir);
  const user = path.join(userDir, 'config.json');
  for (const [name, value] of Object.entries(files)) {
    const file = name === 'user' ? user : path.join(root, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return { root, user, done: () => rmSync(root, { recursive: true, force: true }) };
}

test('no files: the defaults, each marked as default', () => {
  const p = tempProject({});
  try {
    const { config, sources } = loadConfig({ root: p.root, userConfigPath: p.user });
    assert.deepEqual(config, defaults);
    assert.equal(sources['agent.maxAttempts'].source, 'default');
  } finally {
    p.done();
  }
});

test('merge order: defaults < user < project < flags, with the source of each value', () => {
  const p = tempProject({
    user: { agent: { maxAttempts: 7, maxSteps: 11 }, sandbox: { memoryMb: 256 } },
    '.assistrc.json': { agent: { maxAttempts: 3 } },
  });
  try {
    const { config, sources } = loadConfig({ root: p.root, userConfigPath: p.user, flags: { agent: { maxSteps: 4 } } });
    assert.equal(config.agent.maxAttempts, 3);
    assert.equal(config.agent.maxSteps, 4);
    assert.equal(config.sandbox.memoryMb, 256);
    assert.equal(config.model.backend, 'embedded');
    assert.deepEqual(sources['agent.maxAttempts'], { source: 'project', file: path.join(p.root, '.assistrc.json') });
    assert.deepEqual(sources['sandbox.memoryMb'], { source: 'user', file: p.user });
    assert.deepEqual(sources['agent.maxSteps'], { source: 'flag' });
  } finally {
    p.done();
  }
});

test('an unknown key is an error naming the file and the key', () => {
  const p = tempProject({ '.assistrc.json': { agent: { maxAtempts: 3 } } });
  try {
    assert.throws(
      () => loadConfig({ root: p.root, userConfigPath: p.user }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.key, 'agent.maxAtempts');
        assert.match(error.message, /\.assistrc\.json/);
        assert.match(error.message, /agent\.maxAtempts/);
        assert.match(error.message, /maxAttempts/, 'lists the known keys so the typo is obvious');
        return true;
      },
    );
  } finally {
    p.done();
  }
});

test('an unknown section is an error', () => {
  const p = tempProject({ user: { modle: {} } });
  try {
    assert.throws(() => loadConfig({ root: p.root, userConfigPath: p.user }), /unknown key "modle"/);
  } finally {
    p.done();
  }
});

test('a wrong type or value is an error naming the file and the key', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ agent: { maxSteps: 'ten' } }, 'agent.maxSteps', /must be integer/],
    [{ agent: { approvalMode: 'yolo' } }, 'agent.approvalMode', /must be one of "suggest", "auto-edit", "full-auto"/],
    [{ sandbox: { memoryMb: 1 } }, 'sandbox.memoryMb', /must be >= 16/],
    [{ openai: { baseUrl: 'localhost:8080' } }, 'openai.baseUrl', /must match/],
  ];
  for (const [file, key, message] of cases) {
    const p = tempProject({ '.assistrc.json': file });
    try {
      assert.throws(
        () => loadConfig({ root: p.root, userConfigPath: p.user }),
        (error: unknown) => error instanceof ConfigError && error.key === key && message.test(error.message),
        key,
      );
    } finally {
      p.done();
    }
  }
});

test('invalid JSON names the file and says what to do', () => {
  const p = tempProject({ '.assistrc.json': '{ "agent": ' });
  try {
    assert.throws(() => loadConfig({ root: p.root, userConfigPath: p.user }), /\.assistrc\.json is not valid JSON.*Fix the file/);
  } finally {
    p.done();
  }
});

test('flags are validated like a file', () => {
  const p = tempProject({});
  try {
    assert.throws(
      () => loadConfig({ root: p.root, userConfigPath: p.user, flags: { agent: { maxAttempts: 0 } } }),
      /command-line flags: "agent.maxAttempts" must be >= 1/,
    );
  } finally {
    p.done();
  }
});
