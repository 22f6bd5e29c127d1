import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { defaults } from '../../src/config/schema.ts';
import { cachePaths, indexFormatVersion } from '../../src/index/index-cache.ts';
import { openIndex } from '../../src/index/open-index.ts';
import type { RepoIndex } from '../../src/index/repo-index.ts';
import { tempProject } from './fixture-project.ts';
import { mountSmallDisk } from '../support/small-disk.ts';

/** Everything a query can see, as one comparable value. */
function dump(index: RepoIndex): unknown {
  return {
    files: index.files(),
    outlines: Object.fromEntries(index.files().map((f) => [f, index.outline(f)])),
    notes: index.notes?.(),
    map: index.repoMap({ tokenBudget: 10_000 }),
  };
}

async function coldDump(root: string): Promise<unknown> {
  rmSync(path.join(root, '.assist'), { recursive: true, force: true });
  const cold = openIndex(root, defaults, { threads: 1 });
  await cold.update();
  return dump(cold);
}

/** Rewrites a file and moves its mtime forward, as an editor save does. */
function edit(file: string, text: string): void {
  const before = statSync(file).mtimeMs;
  writeFileSync(file, text);
  const later = new Date(before + 2000);
  utimesSync(file, later, later);
}

test('edit, add and delete a file: the update re-parses only those and equals a cold rebuild', async () => {
  const { root, cleanup } = tempProject('golden');
  try {
    const index = openIndex(root, defaults, { threads: 1 });
    const first = await index.update();
    assert.equal(first.parsed, first.files);
    assert.equal(first.files, 7);
    assert.deepEqual(await index.update(), { parsed: 0, removed: 0, files: 7 });

    edit(
      path.join(root, 'src/util/format.ts'),
      readFileSync(path.join(root, 'src/util/format.ts'), 'utf8') + '\nexport function formatMoney(v: number): string {\n  return formatNumber(v);\n}\n',
    );
    mkdirSync(path.join(root, 'lib'));
    writeFileSync(path.join(root, 'lib/extra.py'), 'def extra_helper():\n    return 1\n');
    rmSync(path.join(root, 'src/stats.ts'));

    const second = await index.update();
    assert.deepEqual(second, { parsed: 2, removed: 1, files: 7 });
    assert.equal(index.outline('src/stats.ts'), undefined);
    assert.deepEqual(
      index.symbols('extra_helper').defs.map((d) => `${d.path}:${d.line}`),
      ['lib/extra.py:1'],
    );
    assert.ok(index.outline('src/util/format.ts')!.some((d) => d.name === 'formatMoney' && d.line === 11));

    const incremental = dump(index);
    // a fresh process reads the cache and sees the same thing without parsing
    const reopened = openIndex(root, defaults, { threads: 1 });
    assert.deepEqual(await reopened.update(), { parsed: 0, removed: 0, files: 7 });
    assert.deepEqual(dump(reopened), incremental);
    assert.deepEqual(incremental, await coldDump(root));
  } finally {
    cleanup();
  }
});

test('a cache of another format version is not read, and is rebuilt', async () => {
  const { root, cleanup } = tempProject('golden');
  try {
    await openIndex(root, defaults, { threads: 1 }).update();
    const paths = cachePaths(root);
    for (const file of [paths.manifest, paths.symbols]) {
      const text = readFileSync(file, 'utf8');
      assert.match(text, new RegExp(`^\\{"version":"${indexFormatVersion}-[0-9a-f]+",`));
      // same name, other version in the header, and planted content that must never surface
      writeFileSync(file, text.replace(/^\{"version":"[^"]*"/, '{"version":"0-old"').replaceAll('computeArea', 'plantedName'));
    }
    const index = openIndex(root, defaults, { threads: 1 });
    const result = await index.update();
    assert.equal(result.parsed, 7, 'every file is parsed again');
    assert.equal(index.symbols('plantedName').defs.length, 0);
    assert.equal(index.symbols('computeArea').defs.length, 1);
    assert.ok(readFileSync(paths.manifest, 'utf8').startsWith(`{"version":"${indexFormatVersion}-`));
  } finally {
    cleanup();
  }
});

test('a manifest whose symbols file is gone or from another build is rebuilt, not trusted', async () => {
  const { root, cleanup } = tempProject('golden');
  try {
    await openIndex(root, defaults, { threads: 1 }).update();
    rmSync(cachePaths(root).symbols);
    const index = openIndex(root, defaults, { threads: 1 });
    // nothing changed on disk, so the update is cheap; the queries notice and the next update rebuilds
    await index.update();
    edit(path.join(root, 'README.md'), '# changed\n');
    const result = await index.update();
    assert.equal(result.parsed, 7);
    assert.equal(index.symbols('computeArea').defs.length, 1);
  } finally {
    cleanup();
  }
});

test('ignored, large, minified and generated files are listed without symbols, with a note', async () => {
  const { root, cleanup } = tempProject('golden');
  try {
    writeFileSync(path.join(root, '.gitignore'), 'build/\n');
    mkdirSync(path.join(root, 'build'));
    writeFileSync(path.join(root, 'build/out.ts'), 'export function ignoredOne() {}\n');
    writeFileSync(path.join(root, '.assistignore'), 'secret.py\n');
    writeFileSync(path.join(root, 'secret.py'), 'def hidden_one():\n    pass\n');
    writeFileSync(path.join(root, 'big.ts'), `export function bigOne() {}\n${'// filler line of text\n'.repeat(400)}`);
    writeFileSync(path.join(root, 'app.min.js'), `function minOne(){return 1}${';var a=1'.repeat(700)}\n`);
    writeFileSync(path.join(root, 'gen.go'), '// Code generated by protoc. DO NOT EDIT.\npackage x\n\nfunc GenOne() {}\n');
    const index = openIndex(root, { ...defaults, index: { ...defaults.index, maxFileBytes: 8000 } }, { threads: 1 });
    await index.update();
    const files = index.files();
    assert.ok(!files.includes('build/out.ts'));
    assert.ok(!files.includes('secret.py'));
    for (const name of ['bigOne', 'minOne', 'GenOne']) assert.equal(index.symbols(name).defs.length, 0, name);
    const notes = Object.fromEntries((index.notes?.() ?? []).map((n) => [n.path, n.note]));
    assert.match(notes['big.ts'], /larger than index.maxFileBytes/);
    assert.match(notes['app.min.js'], /minified/);
    assert.match(notes['gen.go'], /generated/);
    assert.deepEqual(index.outline('big.ts'), []);
  } finally {
    cleanup();
  }
});

test('a cache that does not fit on the disk (real tmpfs) is a warning, once; the index works and leaves no temp file', async (t) => {
  const disk = mountSmallDisk(t, 512 * 1024);
  if (!disk) return;
  const { root: fixture, cleanup } = tempProject('golden');
  try {
    const root = path.join(disk.dir, 'project');
    cpSync(fixture, root, { recursive: true });
    mkdirSync(cachePaths(root).dir, { recursive: true });
    disk.fill();
    const index = openIndex(root, defaults, { threads: 1 });
    const first = await index.update();
    assert.equal(first.files, 7);
    assert.match(first.warning ?? '', /^The index cache could not be saved in \S+ \(the disk is full \(\d+ bytes needed\)\); the index works from memory/);
    assert.ok(index.symbols('formatNumber').defs.length > 0, 'queries work from memory');
    assert.deepEqual(readdirSync(cachePaths(root).dir), [], 'nothing half-written is left');

    edit(path.join(root, 'src/stats.ts'), `${readFileSync(path.join(root, 'src/stats.ts'), 'utf8')}\nexport const more = 1;\n`);
    assert.deepEqual(await index.update(), { parsed: 1, removed: 0, files: 7 }, 'said once, not on every update');

    disk.free();
    const reopened = openIndex(root, defaults, { threads: 1 });
    assert.equal((await reopened.update()).warning, undefined);
    assert.deepEqual(readdirSync(cachePaths(root).dir).sort(), [path.basename(cachePaths(root).manifest), path.basename(cachePaths(root).symbols)].sort());
  } finally {
    cleanup();
  }
});
