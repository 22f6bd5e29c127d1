import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
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
