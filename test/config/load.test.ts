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

test('a wrong type or value is an error naming the file, the key and what is allowed', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ agent: { maxSteps: 'ten' } }, 'agent.maxSteps', /"agent\.maxSteps" must be a whole number from 1 to 1000, not "ten"/],
    [{ agent: { approvalMode: 'yolo' } }, 'agent.approvalMode', /"agent\.approvalMode" must be "suggest", "auto-edit" or "full-auto", not "yolo"/],
    [{ sandbox: { memoryMb: 1 } }, 'sandbox.memoryMb', /"sandbox\.memoryMb" must be a whole number from 16 to 1048576, not 1/],
    [{ openai: { baseUrl: 'localhost:8080' } }, 'openai.baseUrl', /"openai\.baseUrl" must be an http:\/\/ or https:\/\/ URL/],
    [{ model: { gpu: true } }, 'model.gpu', /must be "auto" or false, not true/],
    [{ secrets: { patterns: ['ok', ''] } }, 'secrets.patterns', /must be a list of up to 200 globs/],
    [{ agent: [] }, 'agent', /"agent" must be an object of settings/],
  ];
  for (const [file, key, message] of cases) {
    const p = tempProject({ user: file });
    try {
      assert.throws(
        () => loadConfig({ root: p.root, userConfigPath: p.user }),
        (error: unknown) => error instanceof ConfigError && error.key === key && message.test(error.message) && error.message.startsWith(p.user),
        key,
      );
    } finally {
      p.done();
    }
  }
});

test('numbers are finite and in range: 1e309 (Infinity once parsed) is an error naming the file, the key and the range', () => {
  const cases: Array<[object, string, RegExp]> = [
    [{ sandbox: { pids: 1e309 } }, 'sandbox.pids', /"sandbox\.pids" must be a whole number from 1 to 4194304, not a number too large to hold/],
    [{ sandbox: { memoryMb: 1e309 } }, 'sandbox.memoryMb', /from 16 to 1048576/],
    [{ sandbox: { cpus: 1e309 } }, 'sandbox.cpus', /"sandbox\.cpus" must be a number above 0 and at most 1024/],
    [{ sandbox: { cpus: 0 } }, 'sandbox.cpus', /above 0/],
    [{ model: { temperature: -1e309 } }, 'model.temperature', /must be a number from 0 to 2, not a negative number too large to hold/],
    [{ agent: { maxAttempts: 1e15 } }, 'agent.maxAttempts', /from 1 to 100, not 1000000000000000/],
    [{ openai: { maxResponseBytes: 10 } }, 'openai.maxResponseBytes', /from 1024 to 1073741824/],
  ];
  for (const [value, key, message] of cases) {
    // written by hand: JSON.stringify(Infinity) would give null
    const text = JSON.stringify(value, (_k, v) => (v === 1e309 ? '@INF@' : v === -1e309 ? '@-INF@' : v))
      .replace('"@INF@"', '1e309')
      .replace('"@-INF@"', '-1e309');
    for (const where of ['user', '.assistrc.json']) {
      const p = tempProject({ [where]: text });
      try {
        assert.throws(
          () => loadConfig({ root: p.root, userConfigPath: p.user }),
          (error: unknown) => {
            assert.ok(error instanceof ConfigError);
            assert.equal(error.key, key);
            assert.match(error.message, message);
            assert.ok(error.message.startsWith(where === 'user' ? p.user : path.join(p.root, '.assistrc.json')), error.message);
            return true;
          },
          `${key} in ${where}`,
        );
      } finally {
        p.done();
      }
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
      /command-line flags: "agent\.maxAttempts" must be a whole number from 1 to 100, not 0/,
    );
  } finally {
    p.done();
  }
});
