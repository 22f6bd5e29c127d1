import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildMap } from '../../src/cli/commands/map.ts';
import { UserError } from '../../src/cli/user-error.ts';
import { fixturesDir, tempProject } from './fixture-project.ts';

const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'assist.js');

test('assist map --budget --focus prints the golden map on stdout, progress on stderr', () => {
  const { root, cleanup } = tempProject('golden');
  try {
    const run = spawnSync(process.execPath, [bin, 'map', '--budget', '120', '--focus', 'src/main.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ASSIST_CONFIG: path.join(root, 'no-user-config.json') },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, readFileSync(path.join(fixturesDir, 'golden', 'expected', 'map-focus-main-120.txt'), 'utf8'));
    assert.match(run.stderr, /indexing 7 files/);
    assert.match(run.stderr, /7 files indexed \(7 parsed now, 0 removed\)/);
  } finally {
    cleanup();
  }
});

test('a focus file outside the index is a clear error', async () => {
  const { root, cleanup } = tempProject('golden');
  try {
    await assert.rejects(
      buildMap({ focus: ['src/nope.ts'] }, root),
      (error: Error) => error instanceof UserError && /no such file in the index/.test(error.message),
    );
    await assert.rejects(
      buildMap({ focus: ['../elsewhere.ts'] }, root),
      (error: Error) => error instanceof UserError && /outside the project/.test(error.message),
    );
    // relative to the current directory, like any path argument
    writeFileSync(path.join(root, '.assistrc.json'), '{}\n');
    const map = await buildMap({ focus: ['main.ts'], budget: 120 }, path.join(root, 'src'));
    assert.ok(map.startsWith('src/render.ts:'));
  } finally {
    cleanup();
  }
});
