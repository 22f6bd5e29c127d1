/**
 * Launch: `assist --version` and `--help` load no heavy package (from the launch bundle and from
 * source), and the launch bundle is rebuilt whenever it could run anything but the current source.
 * No timings here: `npm run bench -- launch` measures them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildBundle, bundleLocation, currentBundle, launchBundle } from '../../bin/launch-bundle.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repo, 'bin', 'assist.js');
const recordImports = path.join(repo, 'test', 'support', 'record-imports.mjs');

/** Packages that only some commands need, each costing tens to hundreds of milliseconds to load. */
const heavy = ['node-llama-cpp', 'tree-sitter', 'dockerode', '@inquirer', 'ajv', 'chalk', 'cli-progress', 'diff', 'fast-glob'];

/** NO_COLOR makes main.ts load chalk to turn colour off; launches without it must not need chalk. */
function withoutNoColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NO_COLOR: _, ...rest } = env;
  return rest;
}

function assist(args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'assist-launch-'));
  const log = path.join(dir, 'imports.txt');
  try {
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(recordImports).href, bin, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...withoutNoColor(process.env), ASSIST_CONFIG: path.join(dir, 'none.json'), RECORD_IMPORTS_TO: log, ...env },
    });
    let imports: string[] = [];
    try {
      imports = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    } catch {
      // nothing imported through the ES module loader
    }
    const packages = [...new Set(imports.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/.][^/]*)\//.exec(url)?.[1]).filter((p): p is string => !!p))];
    return { ...result, packages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [mode, env] of [
  ['the launch bundle', {}],
  ['source (tsx)', { ASSIST_FROM_SOURCE: '1' }],
] as const) {
  test(`--version and --help from ${mode} load no heavy package`, () => {
    assist(['--version'], env); // the first launch after an edit may build the bundle
    for (const args of [['--version'], ['--help'], ['help', 'run']]) {
      const run = assist(args, env);
      assert.equal(run.status, 0, run.stderr);
      const loaded = run.packages.filter((p) => heavy.some((h) => p === h || p.startsWith(`${h}/`) || p.startsWith(`${h}-`)));
      assert.deepEqual(loaded, [], `assist ${args.join(' ')} loaded ${loaded.join(', ')} (all: ${run.packages.join(', ')})`);
      assert.ok(run.packages.includes('commander'), 'the recorder saw the imports');
      if (!env.ASSIST_FROM_SOURCE) assert.ok(!run.packages.includes('tsx'), 'it ran from the bundle (this source bundles)');
    }
  });
}

test('the bundle and the source print the same help', () => {
  const fromBundle = assist(['--help']);
  const fromSource = assist(['--help'], { ASSIST_FROM_SOURCE: '1' });
  assert.equal(fromBundle.status, 0, fromBundle.stderr);
  assert.equal(fromBundle.stdout, fromSource.stdout);
  assert.match(fromBundle.stdout, /Usage: assist/);
});

/** A tiny project with the shape the bundler expects: an entry that imports a module and lazily another. */
function tinyProject() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'assist-bundle-'));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  write(
    'src/main.ts',
    "import { word } from './word.ts';\nexport const here: string = import.meta.url;\nexport const file: string = import.meta.filename;\nexport const dir: string = import.meta.dirname;\nexport const said = (): string => word;\nexport const later = () => import('./later.ts');\n",
  );
  write('src/word.ts', "export const word: string = 'one';\n");
  write('src/later.ts', "export const text = 'import.meta.url';\nexport const url: string = import.meta.url;\n");
  // Sources written just now would count as edited during the build; age them like a checkout.
  const past = new Date(Date.now() - 60_000);
  for (const rel of ['src/main.ts', 'src/word.ts', 'src/later.ts']) utimesSync(path.join(root, rel), past, past);
  const where = bundleLocation(root, 'src/main.ts');
  return { root, where, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

type TinyMain = { here: string; file: string; dir: string; said(): string; later(): Promise<{ text: string; url: string }> };

test('a launch bundle is reused while its sources are unchanged, and keeps each module its own import.meta.url', async () => {
  const p = tinyProject();
  try {
    assert.equal(currentBundle(p.where), undefined);
    const url = await launchBundle(p.where);
    assert.equal(currentBundle(p.where), url, 'recorded');
    assert.equal(await launchBundle(p.where), url, 'reused, not rebuilt');
    const main = (await import(url)) as TinyMain;
    assert.equal(main.said(), 'one');
    assert.equal(main.here, pathToFileURL(path.join(p.root, 'src/main.ts')).href);
    assert.equal(main.file, path.join(p.root, 'src/main.ts'));
    assert.equal(main.dir, path.join(p.root, 'src'));
    const later = await main.later();
    assert.equal(later.url, pathToFileURL(path.join(p.root, 'src/later.ts')).href);
    assert.equal(later.text, 'import.meta.url', 'strings are left alone');
    assert.ok(!readFileSync(fileURLToPath(url), 'utf8').includes(later.url), 'the lazily imported module is a chunk of its own');
  } finally {
    p.cleanup();
  }
});

test('any change to an input means a new bundle: an edit, an older restored file, a deletion', async () => {
  const p = tinyProject();
  try {
    const first = await launchBundle(p.where);
    const word = path.join(p.root, 'src/word.ts');
    const st = statSync(word);

    writeFileSync(word, "export const word: string = 'two';\n");
    utimesSync(word, st.atime, new Date(st.mtimeMs - 30_000)); // same size, older time: rsync -a, git stash pop
    assert.equal(currentBundle(p.where), undefined);
    const second = await launchBundle(p.where);
    assert.notEqual(second, first);
    assert.equal(((await import(second)) as TinyMain).said(), 'two');

    unlinkSync(path.join(p.root, 'src/later.ts'));
    assert.equal(currentBundle(p.where), undefined, 'a deleted input');
    await assert.rejects(launchBundle(p.where), 'a broken import fails the build; bin/assist.js then runs from source');
  } finally {
    p.cleanup();
  }
});

test('a bundle built while a source was being edited is not recorded, so the next launch builds again', async () => {
  const p = tinyProject();
  try {
    const word = path.join(p.root, 'src/word.ts');
    const now = new Date();
    utimesSync(word, now, now); // changed as the build starts
    const url = await buildBundle(p.where);
    assert.equal(((await import(url)) as TinyMain).said(), 'one', 'this launch runs what it built');
    assert.equal(currentBundle(p.where), undefined, 'but nothing is recorded');

    const script = `const { buildBundle, bundleLocation } = await import(${JSON.stringify(pathToFileURL(path.join(repo, 'bin', 'launch-bundle.js')).href)});
      console.log(await buildBundle(bundleLocation(${JSON.stringify(p.root)}, 'src/main.ts')));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(
      statSync(path.dirname(fileURLToPath(child.stdout.trim())), { throwIfNoEntry: false }),
      undefined,
      'an unrecorded build is removed when its process exits',
    );
  } finally {
    p.cleanup();
  }
});

test('a module that would resolve a relative path from the bundle fails the build (so the launch runs from source)', async () => {
  const p = tinyProject();
  try {
    p.write('src/word.ts', "export const word: string = import.meta.resolve('./later.ts');\n");
    await assert.rejects(buildBundle(p.where), /`import\.meta\.resolve\('\.` would point into the bundle/);
    assert.equal(currentBundle(p.where), undefined);
  } finally {
    p.cleanup();
  }
});

test('a bundle recorded for another root is not used (a copied checkout)', async () => {
  const p = tinyProject();
  const q = tinyProject();
  try {
    await launchBundle(p.where);
    mkdirSync(q.where.dir, { recursive: true });
    writeFileSync(q.where.manifest, readFileSync(p.where.manifest));
    assert.equal(currentBundle(q.where), undefined);
  } finally {
    p.cleanup();
    q.cleanup();
  }
});
