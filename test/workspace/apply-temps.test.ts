/**
 * Crash leftovers of an atomic apply (`.NAME.assist-PID-N.tmp`): a process killed between writing
 * its temp files and renaming them leaves them; the next workspace open or apply removes the stale
 * ones, and nothing else. A process killed between the renames of a set leaves a journal: the next
 * open finishes the set, or undoes it, as one, and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
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

/** Runs crash-mid-apply.ts on the project and checks that it was killed where asked. */
function crashChild(root: string, point: string, phase?: 'undo'): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'crash-mid-apply.ts'), root, point, ...(phase ? [phase] : [])], {
    encoding: 'utf8',
  });
  assert.equal(child.signal, 'SIGKILL', `the child was not killed (exit ${child.status}): ${child.stderr}`);
}

/** A project of 20 files src/f00.txt … src/f19.txt holding "old N". */
function twentyFiles(): { root: string; cleanup(): void } {
  const files: Record<string, string> = {};
  for (let i = 0; i < 20; i++) files[`src/f${String(i).padStart(2, '0')}.txt`] = `old ${i}\n`;
  return tempProject(files);
}

/** How many of the 20 files have the new content, and the temp files left in src/. */
function state(root: string): { changed: number; unchanged: number; temps: string[] } {
  let changed = 0;
  let unchanged = 0;
  for (let i = 0; i < 20; i++) {
    const text = readFileSync(path.join(root, `src/f${String(i).padStart(2, '0')}.txt`), 'utf8');
    if (text === `old ${i}\nnew\n`) changed++;
    else if (text === `old ${i}\n`) unchanged++;
  }
  return { changed, unchanged, temps: readdirSync(path.join(root, 'src')).filter((n) => n.endsWith('.tmp')) };
}

const journals = (root: string) =>
  readdirSync(path.join(root, '.assist', 'checkpoints')).filter((id) => existsSync(path.join(root, '.assist', 'checkpoints', id, 'journal.json')));

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

test('an apply killed before its renames leaves temp files; opening the workspace removes them and nothing else', async () => {
  const p = tempProject({ 'src/a.txt': 'a1\n', 'src/b.txt': 'b1\n', 'notes.txt': 'n1\n' });
  try {
    // The child applies a change set of two files and is killed before its first rename.
    crashChild(p.root, 'journal');
    const left = readdirSync(path.join(p.root, 'src')).filter((n) => n.endsWith('.tmp'));
    assert.equal(left.length, 2, `the crash left the temps: ${left.join(', ')}`);
    assert.equal(readFileSync(path.join(p.root, 'src/a.txt'), 'utf8'), 'a1\n', 'targets are untouched');

    const unrelated = ['.a.txt.assist-x-0.tmp', 'a.txt.assist-1-0.tmp', '.a.txt.assist-1-0.tmp.bak', '.a.txt.assist-0-1.tmp', 'mine.tmp'];
    for (const name of unrelated) writeFileSync(path.join(p.root, 'src', name), 'keep\n');

    const ws = openWorkspace(p.root);
    assert.deepEqual(readdirSync(path.join(p.root, 'src')).sort(), ['a.txt', 'b.txt', ...unrelated].sort());
    assert.equal(await ws.readText('src/b.txt'), 'b1\n');
    assert.deepEqual(ws.notices(), [], 'no rename had happened: nothing to finish or undo');
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

test('a set killed after 16 of its 20 renames is completed on the next open, with a message; /undo still restores all 20', async () => {
  const p = twentyFiles();
  try {
    crashChild(p.root, 'rename:16');
    assert.deepEqual(state(p.root), { changed: 16, unchanged: 4, temps: state(p.root).temps });
    assert.equal(state(p.root).temps.length, 4, 'the four temps not yet renamed are there');
    assert.equal(journals(p.root).length, 1, 'the journal of the set is on disk');

    const ws = openWorkspace(p.root);
    assert.deepEqual(state(p.root), { changed: 20, unchanged: 0, temps: [] });
    assert.equal(journals(p.root).length, 0);
    assert.equal(ws.notices().length, 1);
    assert.match(
      ws.notices()[0],
      /stopped while applying a change set \(20 files, checkpoint \S+\) after 16 of 20 files were written\. The set has been completed: src\/f00\.txt, .* and 15 more now have the approved content\. \/undo restores/,
    );

    assert.equal((await ws.undo())?.length, 20);
    assert.deepEqual(state(p.root), { changed: 0, unchanged: 20, temps: [] });
    assert.deepEqual(openWorkspace(p.root).notices(), [], 'repaired once, not again');
  } finally {
    p.cleanup();
  }
});

test('a set killed between its renames whose remaining new content is lost is undone as a whole', async () => {
  const p = twentyFiles();
  try {
    crashChild(p.root, 'rename:4');
    const { temps } = state(p.root);
    assert.equal(temps.length, 16);
    unlinkSync(path.join(p.root, 'src', temps[3])); // e.g. removed by hand, or by another tool

    const ws = openWorkspace(p.root);
    assert.deepEqual(state(p.root), { changed: 0, unchanged: 20, temps: [] });
    assert.equal(ws.notices().length, 1);
    assert.match(
      ws.notices()[0],
      /after 4 of 20 files were written, and the new content of src\/f\d\d\.txt was lost, so it could not be completed\. The set has been undone: .* are as before it\./,
    );
    assert.equal(await ws.undo(), null, 'the set counts as undone');
  } finally {
    p.cleanup();
  }
});

test('an /undo killed between its renames is completed on the next open', async () => {
  const p = twentyFiles();
  try {
    crashChild(p.root, 'rename:7', 'undo');
    assert.deepEqual({ ...state(p.root), temps: state(p.root).temps.length }, { changed: 13, unchanged: 7, temps: 13 });

    const ws = openWorkspace(p.root);
    assert.deepEqual(state(p.root), { changed: 0, unchanged: 20, temps: [] });
    assert.match(ws.notices()[0], /stopped while undoing a change set \(20 files, checkpoint \S+\)\. The undo has been completed/);
    assert.equal(await ws.undo(), null, 'the checkpoint is marked undone');
  } finally {
    p.cleanup();
  }
});

test('a file edited by hand after the crash is never overwritten: the set is left as it is, and the message names the file', async () => {
  const p = twentyFiles();
  try {
    crashChild(p.root, 'rename:10');
    writeFileSync(path.join(p.root, 'src/f15.txt'), 'edited by hand\n');
    const ws = openWorkspace(p.root);
    assert.equal(readFileSync(path.join(p.root, 'src/f15.txt'), 'utf8'), 'edited by hand\n');
    assert.deepEqual(state(p.root), { changed: 10, unchanged: 9, temps: [] });
    assert.match(
      ws.notices()[0],
      /and src\/f15\.txt changed since, so the set was neither finished nor undone: 10 of its files have the new content and 9 the old\. Check that file by hand\./,
    );
    assert.equal(journals(p.root).length, 0);
  } finally {
    p.cleanup();
  }
});

test('a planted journal cannot move files outside the project or into .git', async () => {
  const p = twentyFiles();
  const outside = tempProject({ 'secret.txt': 'keep\n' });
  try {
    crashChild(p.root, 'rename:2');
    const id = journals(p.root)[0];
    const manifestFile = path.join(p.root, '.assist', 'checkpoints', id, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.entries[5].path = path.relative(p.root, path.join(outside.root, 'secret.txt'));
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const ws = openWorkspace(p.root);
    assert.match(ws.notices()[0], /Ignored the change-set journal of checkpoint \S+: .*outside the project.* No file was changed\./);
    assert.equal(readFileSync(path.join(outside.root, 'secret.txt'), 'utf8'), 'keep\n');
    assert.deepEqual(state(p.root), { changed: 2, unchanged: 18, temps: [] }, 'left as it was (the temps are swept)');
  } finally {
    p.cleanup();
    outside.cleanup();
  }
});

test('a session opened after such a crash tells the user what was repaired', async (t) => {
  const { ScriptedModel } = await import('../../src/model/scripted-model.ts');
  const { startSession, testConfig } = await import('../agent/harness.ts');
  const p = twentyFiles();
  try {
    crashChild(p.root, 'rename:16');
    const opened = await startSession(t, {
      root: p.root,
      config: testConfig({}, { index: { ...testConfig().index, enabled: false } }),
      model: new ScriptedModel([]),
      readOnly: true,
    });
    t.after(() => opened?.session.dispose());
    const notices = opened!.events.filter((e) => e.type === 'notice').map((e) => (e as { message: string }).message);
    assert.equal(notices.filter((m) => /The set has been completed/.test(m)).length, 1, notices.join('\n'));
    assert.deepEqual(state(p.root), { changed: 20, unchanged: 0, temps: [] });
  } finally {
    p.cleanup();
  }
});

test('a rename that fails in the middle of a set in this process is finished at once, and the error says so', async () => {
  const p = twentyFiles();
  const original = fs.renameSync;
  let renames = 0;
  fs.renameSync = (from, to) => {
    if (/\.assist-\d+-\d+\.tmp$/.test(String(from)) && renames++ === 5) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
    original(from, to);
  };
  syncBuiltinESMExports();
  try {
    const ws = openWorkspace(p.root);
    const changes = [];
    for (let i = 0; i < 20; i++) {
      const rel = `src/f${String(i).padStart(2, '0')}.txt`;
      changes.push(await ws.proposeChange(rel, `${await ws.readText(rel)}new\n`));
    }
    await assert.rejects(
      ws.apply(changes),
      /^Error: EIO: i\/o error, rename\. A rename failed while applying a change set \(20 files, checkpoint \S+\) after 5 of 20 files were written\. The set has been completed/,
    );
    assert.deepEqual(state(p.root), { changed: 20, unchanged: 0, temps: [] });
    assert.equal(journals(p.root).length, 0);
  } finally {
    fs.renameSync = original;
    syncBuiltinESMExports();
    p.cleanup();
  }
});
