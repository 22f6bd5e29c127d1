import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readFileTool } from '../../tools/read_file.ts';
import { listFilesTool } from '../../tools/list_files.ts';
import { searchCodeTool } from '../../tools/search_code.ts';
import { writeFileTool } from '../../tools/write_file.ts';
import { editFileTool } from '../../tools/edit_file.ts';
import { editFilesTool } from '../../tools/edit_files.ts';
import { deleteFileTool } from '../../tools/delete_file.ts';
import { makeProject, readTree } from './tool-context.ts';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

test('read_file: line numbers, pages with a note, ranges, binary and missing files', async () => {
  const p = makeProject({
    files: {
      'big.txt': lines(1000),
      'small.txt': 'a\nb',
      'img.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
      'src/utils.ts': 'x\n',
      'pkg/__init__.py': '',
    },
  });
  try {
    const small = await readFileTool.execute({ path: 'small.txt', startLine: null, endLine: null }, p.ctx);
    assert.equal(small.forModel, 'small.txt (2 lines)\n1| a\n2| b\n[No newline at end of file.]');
    assert.equal(small.whole, 'small.txt');
    const empty = await readFileTool.execute({ path: 'pkg/__init__.py', startLine: null, endLine: null }, p.ctx);
    assert.deepEqual(
      [empty.forModel, empty.whole],
      ['pkg/__init__.py is empty (0 lines).', 'pkg/__init__.py'],
      'an empty file is shown whole: no need to read it again',
    );
    const page = await readFileTool.execute({ path: 'big.txt', startLine: null, endLine: null }, p.ctx);
    assert.match(page.forModel, /^big.txt \(lines 1-400 of 1000\)\n  1\| line 1\n/);
    assert.match(page.forModel, /\n400\| line 400\n\[600 more lines. Call read_file with startLine 401 to read on.\]$/);
    const range = await readFileTool.execute({ path: 'big.txt', startLine: 998, endLine: 2000 }, p.ctx);
    assert.equal(range.forModel, 'big.txt (lines 998-1000 of 1000)\n 998| line 998\n 999| line 999\n1000| line 1000');
    const past = await readFileTool.execute({ path: 'big.txt', startLine: 1001, endLine: null }, p.ctx);
    assert.equal(past.error, undefined, 'a start past the end reads the last lines instead of failing');
    assert.match(
      past.forModel,
      /^big.txt \(lines 961-1000 of 1000\)[^]*startLine 1001 is past the end: big.txt has only 1000 lines, so this shows its last lines/,
    );
    const oneLine = await readFileTool.execute({ path: 'big.txt', startLine: 500, endLine: 500 }, p.ctx);
    assert.match(oneLine.forModel, /^big.txt \(lines 495-534 of 1000\)\n495\| line 495\n/, 'a one-line range is widened to 40 lines, 5 before');
    assert.equal((await readFileTool.execute({ path: 'small.txt', startLine: 2, endLine: 2 }, p.ctx)).forModel, small.forModel, 'a short file comes whole');
    assert.match(
      (await readFileTool.execute({ path: 'big.txt', startLine: 999, endLine: 999 }, p.ctx)).forModel,
      /^big.txt \(lines 961-1000 of 1000\)/,
      'near the end the window moves back',
    );
    const backwards = await readFileTool.execute({ path: 'big.txt', startLine: 999, endLine: 4 }, p.ctx);
    assert.equal(
      backwards.forModel,
      'big.txt (lines 999-1000 of 1000)\n 999| line 999\n1000| line 1000\n[endLine 4 was before startLine 999, so this reads on from startLine.]',
      'an endLine before startLine reads on rather than failing',
    );
    const binary = await readFileTool.execute({ path: 'img.png', startLine: null, endLine: null }, p.ctx);
    assert.equal(binary.error?.code, 'binary');
    const missing = await readFileTool.execute({ path: 'src/util.ts', startLine: null, endLine: null }, p.ctx);
    assert.equal(missing.error?.code, 'not_found');
    assert.match(missing.forModel, /Did you mean "src\/utils.ts"/);
    assert.equal((await readFileTool.execute({ path: '../x', startLine: null, endLine: null }, p.ctx)).error?.code, 'outside_root');
  } finally {
    p.cleanup();
  }
});

test('list_files: ignores, glob, dir, missing dir with suggestion', async () => {
  const p = makeProject({ files: { '.gitignore': 'dist/\n', 'src/a.ts': '', 'src/b.js': '', 'dist/out.js': '', '.env': '', 'README.md': '' } });
  try {
    assert.equal((await listFilesTool.execute({ glob: null, dir: null }, p.ctx)).forModel, 'README.md\nsrc/a.ts\nsrc/b.js\n[3 files.]');
    assert.equal((await listFilesTool.execute({ glob: '*.ts', dir: null }, p.ctx)).forModel, 'src/a.ts\n[1 file matching "*.ts".]');
    assert.equal((await listFilesTool.execute({ glob: null, dir: 'src' }, p.ctx)).forModel, 'src/a.ts\nsrc/b.js\n[2 files under src/.]');
    const missing = await listFilesTool.execute({ glob: null, dir: 'scr' }, p.ctx);
    assert.equal(missing.error?.code, 'not_found');
    assert.match(missing.forModel, /Did you mean "src"/);
    assert.equal((await listFilesTool.execute({ glob: null, dir: '../..' }, p.ctx)).error?.code, 'outside_root');
  } finally {
    p.cleanup();
  }
});

test('search_code: path:line: text, context, cap note, bad regex', async () => {
  const p = makeProject({ files: { 'a.ts': 'const Foo = 1;\nfoo();\nbar();\n', 'b.ts': lines(100) } });
  try {
    const r = await searchCodeTool.execute({ query: 'foo', regex: null, caseSensitive: null, glob: null, contextLines: null, maxResults: null }, p.ctx);
    assert.equal(r.forModel, 'a.ts:1: const Foo = 1;\na.ts:2: foo();\n[2 matching lines in 1 file.]');
    const cs = await searchCodeTool.execute({ query: 'Foo', regex: null, caseSensitive: null, glob: null, contextLines: 1, maxResults: null }, p.ctx);
    assert.equal(cs.forModel, 'a.ts:1: const Foo = 1;\na.ts-2- foo();\n[1 matching line in 1 file.]');
    const capped = await searchCodeTool.execute(
      { query: 'line \\d+', regex: true, caseSensitive: null, glob: '*.ts', contextLines: null, maxResults: 3 },
      p.ctx,
    );
    assert.match(capped.forModel, /^b.ts:1: line 1\nb.ts:2: line 2\nb.ts:3: line 3\n\[Showing 3 of 100 matching lines in 1 file\./);
    assert.equal(
      (await searchCodeTool.execute({ query: '(', regex: true, caseSensitive: null, glob: null, contextLines: null, maxResults: null }, p.ctx)).error?.code,
      'invalid_args',
    );
    assert.equal(
      (await searchCodeTool.execute({ query: 'zzz', regex: null, caseSensitive: null, glob: null, contextLines: null, maxResults: null }, p.ctx)).forModel,
      'No matches.',
    );
  } finally {
    p.cleanup();
  }
});

test('approval answers: no (reason to the model), yes for a subset, edit (user text), always', async () => {
  const files = { 'a.txt': 'a\n', 'b.txt': 'b\n' };
  const args: Parameters<typeof editFilesTool.execute>[0] = {
    changes: [
      { path: 'a.txt', edits: null, content: 'A\n' },
      { path: 'b.txt', edits: [{ find: 'b', replace: 'B' }], content: null },
    ],
  };

  const no = makeProject({ files, answer: () => ({ answer: 'no', reason: 'use uppercase only in a.txt' }) });
  try {
    const r = await editFilesTool.execute(args, no.ctx);
    assert.equal(r.error?.code, 'rejected');
    assert.match(r.error!.message, /use uppercase only in a.txt/);
    assert.deepEqual(readTree(no.root), files);
    assert.equal(no.asked.length, 1);
    assert.equal(no.asked[0].kind === 'edit' && no.asked[0].changes.length, 2, 'the multi-file set is one approval');
    assert.deepEqual(no.workspace.pending(), []);
  } finally {
    no.cleanup();
  }

  const subset = makeProject({ files, answer: () => ({ answer: 'yes', paths: ['b.txt'] }) });
  try {
    const r = await editFilesTool.execute(args, subset.ctx);
    assert.equal(r.error, undefined);
    assert.match(r.forModel, /declined the changes to a.txt/);
    assert.deepEqual(readTree(subset.root), { 'a.txt': 'a\n', 'b.txt': 'B\n' });
  } finally {
    subset.cleanup();
  }

  const edited = makeProject({ files, answer: () => ({ answer: 'edit', edited: { 'a.txt': 'user text\n' } }) });
  try {
    const r = await editFilesTool.execute(args, edited.ctx);
    assert.match(r.forModel, /user edited the proposed text of a.txt/);
    assert.deepEqual(readTree(edited.root), { 'a.txt': 'user text\n', 'b.txt': 'B\n' });
  } finally {
    edited.cleanup();
  }

  const withNew: Parameters<typeof editFilesTool.execute>[0] = { changes: [...args.changes, { path: 'new.txt', edits: null, content: 'N\n' }] };
  const editedSubset = makeProject({ files, answer: () => ({ answer: 'edit', edited: { 'a.txt': 'user text\n' }, paths: ['a.txt'] }) });
  try {
    const r = await editFilesTool.execute(withNew, editedSubset.ctx);
    assert.match(r.forModel, /user edited the proposed text of a.txt/);
    assert.match(r.forModel, /declined the changes to b.txt, new.txt/);
    assert.deepEqual(readTree(editedSubset.root), { 'a.txt': 'user text\n', 'b.txt': 'b\n' }, 'a declined new file is not created');
  } finally {
    editedSubset.cleanup();
  }

  const always = makeProject({ files, answer: () => ({ answer: 'always' }) });
  try {
    assert.equal((await writeFileTool.execute({ path: 'a.txt', content: 'z\n' }, always.ctx)).error, undefined);
    assert.equal(readFileSync(path.join(always.root, 'a.txt'), 'utf8'), 'z\n');
  } finally {
    always.cleanup();
  }
});

test('edit_files: a file named twice with edits gets them all, in order; named twice with its whole content, it is refused', async () => {
  const p = makeProject({
    files: { 'pages.py': 'def count(total, size):\n    return total // size\n\n\ndef first():\n    return 0\n' },
    answer: () => ({ answer: 'yes' }),
  });
  try {
    const r = await editFilesTool.execute(
      {
        changes: [
          { path: 'pages.py', edits: [{ find: '    return total // size\n', replace: '    return -(-total // size)\n' }], content: null },
          { path: './pages.py', edits: [{ find: '    return 0\n', replace: '    return 1\n' }], content: null },
        ],
      },
      { ...p.ctx, seen: () => true },
    );
    assert.equal(r.error, undefined, r.forModel);
    assert.equal(
      readFileSync(path.join(p.root, 'pages.py'), 'utf8'),
      'def count(total, size):\n    return -(-total // size)\n\n\ndef first():\n    return 1\n',
    );
    const twice = await editFilesTool.execute(
      {
        changes: [
          { path: 'pages.py', edits: null, content: 'x = 1\n' },
          { path: 'pages.py', edits: [{ find: 'x', replace: 'y' }], content: null },
        ],
      },
      { ...p.ctx, seen: () => true },
    );
    assert.match(twice.error?.message ?? '', /appears more than once with its whole content/);
  } finally {
    p.cleanup();
  }
});

test('edit tools: stale file, cancelled turn, no-op, delete and undo of the tool change', async () => {
  const p = makeProject({ files: { 'a.txt': 'one\n', 'b.txt': 'two\n' } });
  try {
    await readFileTool.execute({ path: 'a.txt', startLine: null, endLine: null }, p.ctx);
    writeFileSync(path.join(p.root, 'a.txt'), 'user edit\n');
    const stale = await editFileTool.execute({ path: 'a.txt', edits: [{ find: 'user', replace: 'model' }] }, p.ctx);
    assert.equal(stale.error?.code, 'stale');
    assert.equal(readFileSync(path.join(p.root, 'a.txt'), 'utf8'), 'user edit\n');

    const same = await writeFileTool.execute({ path: 'b.txt', content: 'two\n' }, p.ctx);
    assert.match(same.forModel, /No change/);

    p.controller.abort();
    const aborted = await writeFileTool.execute({ path: 'b.txt', content: 'three\n' }, p.ctx);
    assert.equal(aborted.error?.code, 'aborted');
    assert.equal(readFileSync(path.join(p.root, 'b.txt'), 'utf8'), 'two\n');
  } finally {
    p.cleanup();
  }

  const d = makeProject({ files: { 'a.txt': 'one\n' } });
  try {
    assert.equal((await deleteFileTool.execute({ path: 'a.txt' }, d.ctx)).error, undefined);
    assert.deepEqual(readTree(d.root), {});
    assert.deepEqual(await d.workspace.undo(), ['a.txt']);
    assert.deepEqual(readTree(d.root), { 'a.txt': 'one\n' });
    assert.equal((await deleteFileTool.execute({ path: 'nope.txt' }, d.ctx)).error?.code, 'not_found');
  } finally {
    d.cleanup();
  }
});

test('approval cancelled mid-question: the turn is aborted and nothing is written', async () => {
  let p!: ReturnType<typeof makeProject>;
  p = makeProject({
    files: { 'a.txt': 'a\n' },
    answer: () => {
      p.controller.abort();
      return { answer: 'yes' };
    },
  });
  try {
    const r = await writeFileTool.execute({ path: 'a.txt', content: 'b\n' }, p.ctx);
    assert.equal(r.error?.code, 'aborted');
    assert.deepEqual(readTree(p.root), { 'a.txt': 'a\n' });
    assert.deepEqual(p.workspace.pending(), []);
  } finally {
    p.cleanup();
  }
});
