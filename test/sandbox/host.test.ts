/** The explicit `none` backend: runs on the host in a temp copy, and says so loudly every time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import { unsandboxedWarning } from '../../src/sandbox/host-sandbox.ts';
import { smallConfig, tempProject } from './helpers.ts';

test('none: only when configured, loud in describe(), reason and every result', async () => {
  const project = await tempProject({ 'a.txt': 'disk\n' }, { 'a.txt': 'pending\n' });
  const { sandbox, reason } = await openSandbox(smallConfig({ backend: 'none' }), { root: project.root });
  try {
    assert.equal(sandbox?.kind, 'none');
    assert.match(reason, /WARNING.*NO isolation/);
    assert.match(sandbox!.describe(), /NOT SANDBOXED/);
    const r = await sandbox!.run({ command: 'cat a.txt; echo x > a.txt', files: project.snapshot });
    assert.equal(r.stdout, 'pending\n');
    assert.ok(r.stderr.startsWith(unsandboxedWarning));
    assert.equal(await fs.readFile(path.join(project.root, 'a.txt'), 'utf8'), 'disk\n', 'the temp copy was written, not the project');
  } finally {
    await sandbox?.dispose();
    await project.cleanup();
  }
});

test('none: a timeout kills the process group', async () => {
  const { sandbox } = await openSandbox(smallConfig({ backend: 'none', timeoutMs: 500 }), { root: process.cwd() });
  try {
    const r = await sandbox!.run({ command: 'sleep 30 & wait' });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
  } finally {
    await sandbox?.dispose();
  }
});
