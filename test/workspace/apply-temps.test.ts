/**
 * Crash leftovers of an atomic apply (`.NAME.assist-PID-N.tmp`): a process killed between writing
 * its temp files and renaming them leaves them; the next workspace open or apply removes the stale
 * ones, and nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import { applyTempPath, removeStaleApplyTemps, staleTempAgeMs } from '../../src/workspace/apply-temps.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function tempProject(files: Record<string, string>): { root: string; cleanup(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'assist-temps-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

test('an apply killed before its renames leaves temp files; opening the workspace removes them and nothing else', async () => {
  const p = tempProject({ 'src/a.txt': 'a1\n', 'src/b.txt': 'b1\n', 'notes.txt': 'n1\n' });
  try {
    // The child applies a change set of two files and is killed at its first rename.
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'crash-mid-apply.ts'), p.root], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    const left = readdirSync(path.join(p.root, 'src')).filter((n) => n.endsWith('.tmp'));
    assert.equal(left.length, 2, `the crash left the temps: ${left.join(', ')}`);
    assert.equal(readFileSync(path.join(p.root, 'src/a.txt'), 'utf8'), 'a1\n', 'targets are untouched');

    const unrelated = ['.a.txt.assist-x-0.tmp', 'a.txt.assist-1-0.tmp', '.a.txt.assist-1-0.tmp.bak', '.a.txt.assist-0-1.tmp', 'mine.tmp'];
    for (const name of unrelated) writeFileSync(path.join(p.root, 'src', name), 'keep\n');

    const ws = openWorkspace(p.root);
    assert.deepEqual(readdirSync(path.join(p.root, 'src')).sort(), ['a.txt', 'b.txt', ...unrelated].sort());
    assert.equal(await ws.readText('src/b.txt'), 'b1\n');
  } finally {
    p.cleanup();
  }
});

test('stale means: its process is gone, it is this process, or it is old; a live process keeps a fresh one', async () => {
  const p = tempProject({ 'a.txt': 'a\n' });
  try {
    const target = path.join(p.root, 'a.txt');
    const dead = applyTempPath(target, 1).replace(`-${process.pid}-`, `-${await deadPid()}-`);
    const ours = applyTempPath(target, 2);
    const liveFresh = applyTempPath(target, 3).replace(`-${process.pid}-`, `-${process.ppid}-`);
    const liveOld = applyTempPath(target, 4).replace(`-${process.pid}-`, `-${process.ppid}-`);
    for (const file of [dead, ours, liveFresh, liveOld]) writeFileSync(file, 'x');
    const old = new Date(Date.now() - staleTempAgeMs - 60_000);
    utimesSync(liveOld, old, old);
    symlinkSync(target, applyTempPath(target, 5).replace(`-${process.pid}-`, `-${await deadPid()}-`)); // not a regular file

    const removed = removeStaleApplyTemps([p.root, p.root, path.join(p.root, 'missing-dir')]);
    assert.deepEqual(removed.sort(), [dead, ours, liveOld].sort());
    assert.ok(existsSync(liveFresh), 'a live process may be applying right now');
    assert.equal(readdirSync(p.root).length, 3, 'a.txt, the live temp and the symlink remain');
  } finally {
    p.cleanup();
  }
});

test('an apply removes stale temps in the folders it writes to', async () => {
  const p = tempProject({ 'lib/x.txt': 'x1\n', 'other/y.txt': 'y\n' });
  try {
    const pid = await deadPid();
    const inLib = path.join(p.root, 'lib', `.x.txt.assist-${pid}-7.tmp`);
    const inOther = path.join(p.root, 'other', `.y.txt.assist-${pid}-8.tmp`);
    const ws = openWorkspace(p.root); // no checkpoint yet: the open sweeps nothing
    writeFileSync(inLib, 'half');
    writeFileSync(inOther, 'half');
    const change = await ws.proposeChange('lib/x.txt', 'x2\n');
    await ws.apply([change]);
    assert.equal(readFileSync(path.join(p.root, 'lib/x.txt'), 'utf8'), 'x2\n');
    assert.equal(existsSync(inLib), false, 'swept before writing');
    assert.equal(existsSync(inOther), true, 'a folder the apply does not touch is not read');
  } finally {
    p.cleanup();
  }
});
