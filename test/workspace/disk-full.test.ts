/**
 * A full disk on a real small tmpfs: an apply (or undo) that does not fit changes nothing, leaves
 * no temp file and no checkpoint, and says how many bytes it needed; the editing tools report it
 * as `disk_full`, and once there is room the same change applies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaults } from '../../src/config/schema.ts';
import { DiskFullError } from '../../src/workspace/full-write.ts';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import { writeFileTool } from '../../tools/write_file.ts';
import type { ToolContext } from '../../tools/tool.ts';
import { mountSmallDisk } from '../support/small-disk.ts';

/** Every file name under `dir`, recursively (folders end in /). */
function listAll(dir: string, rel = ''): string[] {
  if (!existsSync(path.join(dir, rel))) return [];
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(`${child}/`, ...listAll(dir, child));
    else out.push(child);
  }
  return out.sort();
}

const big = (ch: string) => `${ch.repeat(99)}\n`.repeat(2000); // 200 KB

test('an apply that does not fit on the disk writes nothing, removes its temps and says how many bytes it needed', async (t) => {
  const disk = mountSmallDisk(t, 1024 * 1024);
  if (!disk) return;
  const root = path.join(disk.dir, 'project');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  writeFileSync(path.join(root, 'src/a.txt'), 'old a\n');
  writeFileSync(path.join(root, 'src/b.txt'), 'old b\n');
  const ws = openWorkspace(root);
  const changes = [
    await ws.proposeChange('src/b.txt', 'new b\n'),
    await ws.proposeChange('src/new/c.txt', 'c\n'),
    await ws.proposeChange('src/a.txt', big('a')),
  ];
  const before = listAll(root);

  // Room for the checkpoint and part of the new a.txt: the kernel makes a short write.
  disk.fill(64 * 1024);
  await assert.rejects(ws.apply(changes), (error: unknown) => {
    assert.ok(error instanceof DiskFullError, String(error));
    assert.match(error.message, /^Not applied: the disk is full \((\d+) bytes needed\)\. No file was changed; \d+ bytes are free on the disk that holds /);
    assert.ok(error.bytesNeeded >= 200_000, `needs at least the new a.txt: ${error.bytesNeeded}`);
    return true;
  });
  assert.equal(readFileSync(path.join(root, 'src/a.txt'), 'utf8'), 'old a\n', 'no truncated prefix: the old file');
  assert.equal(readFileSync(path.join(root, 'src/b.txt'), 'utf8'), 'old b\n', 'nothing of the set was renamed');
  assert.deepEqual(
    listAll(root).filter((f) => !f.startsWith('.assist/')),
    before.filter((f) => !f.startsWith('.assist/')),
    'no temp file, no created folder',
  );
  assert.deepEqual(listAll(path.join(root, '.assist', 'checkpoints')), [], 'the checkpoint of the set is gone');

  // With no room at all even the checkpoint cannot be written: the same clean refusal.
  disk.fill();
  await assert.rejects(ws.apply(changes), /: Not applied: the disk is full/);
  assert.deepEqual(listAll(path.join(root, '.assist', 'checkpoints')), []);

  disk.free();
  await ws.apply(changes);
  assert.equal(readFileSync(path.join(root, 'src/a.txt'), 'utf8'), big('a'));
  assert.equal(readFileSync(path.join(root, 'src/new/c.txt'), 'utf8'), 'c\n');

  disk.fill();
  await assert.rejects(ws.undo(), /: Not undone: the disk is full \(\d+ bytes needed\)/);
  assert.equal(readFileSync(path.join(root, 'src/a.txt'), 'utf8'), big('a'), 'a failed undo changes nothing either');
  assert.equal(readFileSync(path.join(root, 'src/b.txt'), 'utf8'), 'new b\n');
  disk.free();
  assert.deepEqual(await ws.undo(), ['src/b.txt', 'src/new/c.txt', 'src/a.txt']);
  assert.equal(readFileSync(path.join(root, 'src/a.txt'), 'utf8'), 'old a\n');
});

test('write_file on a full disk: a disk_full tool result (not an exception), and the next call works', async (t) => {
  const disk = mountSmallDisk(t, 1024 * 1024);
  if (!disk) return;
  const root = path.join(disk.dir, 'project');
  mkdirSync(root);
  writeFileSync(path.join(root, 'main.py'), 'print(1)\n');
  const ctx: ToolContext = {
    root,
    config: structuredClone(defaults),
    workspace: openWorkspace(root),
    signal: new AbortController().signal,
    approve: async () => ({ answer: 'yes' }),
  };
  await ctx.workspace.readText('main.py');
  disk.fill(32 * 1024);
  const result = await writeFileTool.execute({ path: 'main.py', content: `# ${'x'.repeat(300_000)}\nprint(2)\n` }, ctx);
  assert.equal(result.error?.code, 'disk_full', result.forModel);
  assert.match(result.forModel, /^Error \(disk_full\): Not applied: the disk is full \(\d+ bytes needed\)/);
  assert.equal(readFileSync(path.join(root, 'main.py'), 'utf8'), 'print(1)\n');
  assert.deepEqual(ctx.workspace.pending(), [], 'nothing stays staged');

  disk.free();
  const again = await writeFileTool.execute({ path: 'main.py', content: 'print(2)\n' }, ctx);
  assert.equal(again.error, undefined, again.forModel);
  assert.equal(readFileSync(path.join(root, 'main.py'), 'utf8'), 'print(2)\n');
});
