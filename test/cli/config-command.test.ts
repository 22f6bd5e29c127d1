import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const bin = path.resolve('bin/assist.js');

function assist(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ASSIST_CONFIG: path.join(cwd, 'no-user-config.json'), NO_COLOR: '1' },
  });
}

test('assist config prints each effective value with its source', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'assist-cli-'));
  try {
    writeFileSync(path.join(root, '.assistrc.json'), JSON.stringify({ agent: { maxAttempts: 9 } }));
    const result = assist(root, 'config');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /maxAttempts\s+9\s+project \(.*\.assistrc\.json\)/);
    assert.match(result.stdout, /maxSteps\s+30\s+default/);
    const json = JSON.parse(assist(root, 'config', '--json').stdout);
    assert.equal(json.config.agent.maxAttempts, 9);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a bad config file is one clear message and exit code 2, not a stack trace', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'assist-cli-'));
  try {
    writeFileSync(path.join(root, '.assistrc.json'), JSON.stringify({ sandbox: { backnd: 'docker' } }));
    const result = assist(root, 'config');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^error: .*\.assistrc\.json: unknown key "sandbox\.backnd"/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('assist config lists project settings that were ignored; other commands warn once, naming the key and the file', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'assist-cli-'));
  try {
    const file = path.join(root, '.assistrc.json');
    writeFileSync(file, JSON.stringify({ sandbox: { backend: 'none' }, agent: { approvalMode: 'full-auto', maxSteps: 9 } }));
    const result = assist(root, 'config');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /ignored from the project file/);
    assert.match(result.stdout, /sandbox\.backend\s+"none"\s+a project may only make it stricter/);
    assert.match(result.stdout, /agent\.approvalMode\s+"full-auto"/);
    assert.match(result.stdout, /^\s+backend\s+"auto"\s+default$/m);
    assert.match(result.stdout, /maxSteps\s+9\s+project/);
    const json = JSON.parse(assist(root, 'config', '--json').stdout);
    assert.deepEqual(
      json.ignored.map((i: { key: string }) => i.key),
      ['sandbox.backend', 'agent.approvalMode'],
    );
    const models = assist(root, 'models', 'list');
    assert.equal(models.status, 0, models.stderr);
    const warnings = models.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    assert.equal(warnings.length, 2, models.stderr);
    assert.ok(warnings[0].includes(file) && warnings[0].includes('sandbox.backend to "none"; ignored'), warnings[0]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('assist config --doc prints the settings table the README holds', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'assist-cli-'));
  try {
    const result = assist(root, 'config', '--doc');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^\| key \| allowed \| default \| in a project file \| what it does \|$/m);
    assert.match(result.stdout, /^\| `sandbox\.backend` \| .* \| only make it stricter/m);
    assert.ok(readFileSync(path.resolve('README.md'), 'utf8').includes(result.stdout));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a number out of range in a config file, or in a flag, names the file (or flag), the key and the range', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'assist-cli-'));
  try {
    writeFileSync(path.join(root, '.assistrc.json'), '{ "sandbox": { "pids": 1e309 } }');
    const result = assist(root, 'config');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^error: .*\.assistrc\.json: "sandbox\.pids" must be a whole number from 1 to 4194304, not a number too large to hold/);
    rmSync(path.join(root, '.assistrc.json'));
    const flag = assist(root, 'run', 'x', '--max-steps', '1e309');
    assert.notEqual(flag.status, 0);
    assert.match(flag.stderr, /--max-steps <n>' argument '1e309' is invalid\. expected a whole number from 1 to 1000/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
