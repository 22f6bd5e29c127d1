/**
 * Huge, binary and minified files stay held: read_file reads them in bounded slices with a note on
 * how to read on, and list_files marks them. "Never whole" is proven with a sparse 3 GiB file:
 * reading it whole is impossible (Node refuses files over 2 GiB), slices of it work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { openIndex } from '../../src/index/open-index.ts';
import { listFilesTool } from '../../tools/list_files.ts';
import { readFileTool } from '../../tools/read_file.ts';
import { windowChars } from '../../tools/read-slices.ts';
import { makeProject } from './tool-context.ts';

/** A sparse file of `size` bytes starting with `head` (the rest reads as NUL bytes, and takes no disk). */
function sparseFile(file: string, head: string, size: number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

const gib3 = 3 * 1024 * 1024 * 1024;
const read = (p: string, startLine: number | null = null, endLine: number | null = null) => ({ path: p, startLine, endLine });
const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `log line ${from + i}`).join('\n') + '\n';

test('a huge text file is read in line slices from disk, never whole, with a note on how to read on', async () => {
  const p = makeProject();
  try {
    sparseFile(path.join(p.root, 'huge.log'), numbered(1, 5000), gib3);
    const first = await readFileTool.execute(read('huge.log'), p.ctx);
    assert.equal(first.error, undefined, first.forModel);
    assert.match(first.forModel, /^huge\.log \(lines 1-400; huge\.log is 3072\.0 MB, too large to read whole, so it is read in slices\)\n1\| log line 1\n/);
    assert.match(
      first.forModel,
      /\n400\| log line 400\n\[More lines follow\. Call read_file with startLine 401 to read on, or search_code to find a line\.\]$/,
    );
    const later = await readFileTool.execute(read('huge.log', 4990, 4995), p.ctx);
    assert.match(later.forModel, /^huge\.log \(lines 4990-4995; /);
    assert.match(later.forModel, /\n4995\| log line 4995\n\[More lines follow/);
    assert.equal(p.workspace.pending().length, 0);
  } finally {
    p.cleanup();
  }
});

test('a minified file is shown in windows that startLine counts; a huge one is read from disk window by window', async () => {
  const bundle = `!function(){${'var a=1;'.repeat(40_000)}}();`;
  const p = makeProject({ files: { 'dist/app.min.js': bundle } });
  try {
    const first = await readFileTool.execute(read('dist/app.min.js'), p.ctx);
    const total = Math.ceil(bundle.length / windowChars);
    assert.ok(
      first.forModel.startsWith(
        `dist/app.min.js is minified (1 line of up to thousands of characters): shown in windows of ${windowChars} characters, which startLine/endLine count here. Windows 1-10 of ${total} (characters 0-39999):\n!function(){var a=1;`,
      ),
      first.forModel.slice(0, 300),
    );
    assert.ok(first.forModel.endsWith(`[Windows 11-${total} follow. Call read_file with startLine 11 to read on, or search_code to find a text in it.]`));
    assert.ok(first.forModel.length < 41_000);
    const last = await readFileTool.execute(read('dist/app.min.js', total, null), p.ctx);
    assert.ok(last.forModel.endsWith(`${bundle.slice((total - 1) * windowChars)}\n[End of file.]`));

    sparseFile(path.join(p.root, 'dist/huge.min.js'), `var x="${'é'.repeat(40_000)}";`, gib3);
    const huge = await readFileTool.execute(read('dist/huge.min.js', 2, 2), p.ctx);
    assert.match(
      huge.forModel,
      /^dist\/huge\.min\.js is 3072\.0 MB, too large to read whole, and minified \(very long lines\): shown in windows of 4000 bytes.*Windows 2-2 of 805307 \(bytes 4000-7999\):\né+\n\[Windows 3-805307 follow/,
    );
  } finally {
    p.cleanup();
  }
});

test('a huge binary file is refused as binary without being read; list_files marks huge, binary and minified files', async () => {
  const p = makeProject({
    files: {
      'src/a.ts': 'export const a = 1;\n',
      'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]),
      'dist/app.min.js': `var b=${'1+'.repeat(5000)}1;`,
    },
  });
  try {
    sparseFile(path.join(p.root, 'disk.img'), '', gib3);
    sparseFile(path.join(p.root, 'huge.min.js'), `var x="${'y'.repeat(20_000)}";`, gib3);
    assert.equal((await readFileTool.execute(read('disk.img'), p.ctx)).error?.code, 'binary');
    p.ctx.index = openIndex(p.root, p.ctx.config, { threads: 1 });
    await p.ctx.index.update();
    const listed = await listFilesTool.execute({ glob: null, dir: null }, p.ctx);
    assert.equal(
      listed.forModel,
      'assets/logo.png  [binary]\ndisk.img  [binary; 3072.0 MB]\ndist/app.min.js  [minified]\nhuge.min.js  [minified; 3072.0 MB: read_file reads it in slices]\nsrc/a.ts\n[5 files.]',
    );
  } finally {
    p.cleanup();
  }
});
