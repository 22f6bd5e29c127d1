/**
 * The launch bundle: src/cli/main.ts and everything it imports from src/ and tools/, built by
 * esbuild into plain ES modules under node_modules/.cache/assist-launch/, so that a launch does not
 * compile TypeScript module by module through tsx (about 200 ms of a 300 ms `assist --version`).
 *
 * A bundle runs only while it matches the sources exactly. Its manifest lists every file that
 * went into it (esbuild's metafile, plus tsconfig.json, this file and esbuild's package.json)
 * with size and mtime; any difference (an edit, a touch, a deleted file, a file restored with an
 * older time) means rebuild. A build that may have read a file mid-edit (one changed within two
 * seconds of the build's start, or during it) is used by its own launch but not recorded, so the
 * next launch builds again. Packages stay external: node resolves them at run time from the
 * node_modules above the cache (native modules load as usual; an npm install is never stale).
 * Each module keeps its own import.meta.url, .filename and .dirname, so paths built from them
 * (prompts/, models/catalog.json, src/index/queries/) resolve as they do from source. Dynamic
 * imports become separate chunks, so the bundle loads as lazily as the source does.
 *
 * A build that was not recorded is removed when the process that made it exits. A replaced build
 * is removed an hour after it was replaced: a launch that started from it loads its chunks in its
 * first moments (a session, when it opens), so an hour is ample.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bumped when the build options change in a way the recorded inputs would not show. */
const formatVersion = 1;
const keepReplacedMs = 60 * 60 * 1000;
const buildName = /^b-[0-9a-z]+-\d+$/;
const manifestTemp = /^manifest\.json\.\d+\.tmp$/;

/**
 * Where a bundle for `root` lives and what it starts from.
 * @param {string} root the directory holding src/ (and node_modules/)
 * @param {string} [entry] the entry module, relative to root
 */
export function bundleLocation(root, entry = 'src/cli/main.ts') {
  const dir = path.join(root, 'node_modules', '.cache', 'assist-launch');
  return { root, entry, dir, manifest: path.join(dir, 'manifest.json') };
}

/**
 * The URL of an up-to-date bundle's entry module: the existing one when its inputs are unchanged,
 * else a fresh build. Throws when it cannot build (no esbuild, a read-only install, a syntax
 * error); the caller then runs from source.
 * @param {import('./launch-bundle.js').BundleLocation} where
 * @returns {Promise<string>}
 */
export async function launchBundle(where) {
  return currentBundle(where) ?? (await buildBundle(where));
}

/**
 * The entry URL of the recorded bundle if every input is exactly as recorded, else undefined.
 * @param {import('./launch-bundle.js').BundleLocation} where
 * @returns {string | undefined}
 */
export function currentBundle(where) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(where.manifest, 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.version !== formatVersion || manifest.root !== where.root || manifest.entry !== where.entry) return undefined;
  for (const [file, size, mtimeMs] of manifest.inputs) {
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st || st.size !== size || st.mtimeMs !== mtimeMs) return undefined;
  }
  const main = path.join(where.dir, manifest.build, manifest.main);
  return statSync(main, { throwIfNoEntry: false }) ? pathToFileURL(main).href : undefined;
}

/**
 * Builds a new bundle, records it when no input changed meanwhile, and returns its entry URL.
 * @param {import('./launch-bundle.js').BundleLocation} where
 * @returns {Promise<string>}
 */
export async function buildBundle(where) {
  const { build } = await import('esbuild');
  const started = Date.now();
  const id = `b-${started.toString(36)}-${process.pid}`;
  const outdir = path.join(where.dir, id);
  mkdirSync(where.dir, { recursive: true });
  let result;
  try {
    result = await build({
      absWorkingDir: where.root,
      entryPoints: [where.entry],
      outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      metafile: true,
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
      define: ownLocation,
      plugins: [ownSourceUrl],
    });
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  const inputs = [...Object.keys(result.metafile.inputs).map((file) => path.resolve(where.root, file)), ...toolInputs(where.root)].map((file) => {
    const st = statSync(file);
    return [file, st.size, st.mtimeMs];
  });
  const main = path.relative(outdir, path.resolve(where.root, Object.entries(result.metafile.outputs).find(([, out]) => out.entryPoint === where.entry)[0]));
  // The margin covers file systems whose timestamps are whole seconds (or two).
  if (inputs.every(([, , mtimeMs]) => mtimeMs < started - 2000)) {
    const replaced = recordedBuild(where);
    if (replaced) touch(path.join(where.dir, replaced));
    const temp = `${where.manifest}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ version: formatVersion, root: where.root, entry: where.entry, build: id, main, inputs }));
    renameSync(temp, where.manifest);
  } else {
    process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  }
  removeReplacedBuilds(where, id);
  return pathToFileURL(path.join(outdir, main)).href;
}

/** Files that shape the output without being bundled. */
function toolInputs(root) {
  const files = [fileURLToPath(import.meta.url), createRequire(import.meta.url).resolve('esbuild/package.json')];
  const tsconfig = path.join(root, 'tsconfig.json');
  if (statSync(tsconfig, { throwIfNoEntry: false })) files.push(tsconfig);
  return files;
}

/** What `define` puts in place of each `import.meta` property that names the module's own file. */
const ownLocation = { 'import.meta.url': '__assistSourceUrl', 'import.meta.filename': '__assistSourceFile', 'import.meta.dirname': '__assistSourceDir' };

/**
 * Gives every source module constants holding its own file URL, path and folder, which `define`
 * substitutes for import.meta.url, .filename and .dirname (in code only, never inside strings).
 * They go on the first line, so source-map line numbers stay right. Any other use of
 * import.meta that would depend on where the module lies (import.meta.resolve of a relative
 * path) fails the build, so the launch runs from source instead of running something different.
 * @type {import('esbuild').Plugin}
 */
const ownSourceUrl = {
  name: 'own-source-url',
  setup(bundler) {
    bundler.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      for (const use of source.matchAll(/\bimport\.meta\b(?:\.(\w+)(\(\s*['"`][./])?)?/g)) {
        const [text, property, relativeResolve] = use;
        if (!property || !(`import.meta.${property}` in ownLocation || (property === 'resolve' && !relativeResolve))) {
          throw new Error(`${args.path}: \`${text}\` would point into the bundle, not the source`);
        }
      }
      const header =
        `const __assistSourceUrl = ${JSON.stringify(pathToFileURL(args.path).href)}, __assistSourceFile = ${JSON.stringify(args.path)}, ` +
        `__assistSourceDir = ${JSON.stringify(path.dirname(args.path))};`;
      return { contents: header + source, loader: 'ts' };
    });
  },
};

function recordedBuild(where) {
  try {
    return JSON.parse(readFileSync(where.manifest, 'utf8')).build;
  } catch {
    return undefined;
  }
}

/** Marks when a build was replaced: its mtime is what `removeReplacedBuilds` ages. */
function touch(dir) {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // already removed
  }
}

/** Builds (and manifest temp files) other than `keep` and the recorded one, replaced over an hour ago. */
function removeReplacedBuilds(where, keep) {
  let names;
  try {
    names = readdirSync(where.dir);
  } catch {
    return;
  }
  const recorded = recordedBuild(where);
  const now = Date.now();
  for (const name of names) {
    if (name === keep || name === recorded || !(buildName.test(name) || manifestTemp.test(name))) continue;
    const file = path.join(where.dir, name);
    const st = statSync(file, { throwIfNoEntry: false });
    if (st && now - st.mtimeMs > keepReplacedMs) rmSync(file, { recursive: true, force: true });
  }
}

// `node bin/launch-bundle.js --build` (npm's prepare script): builds the bundle at install, so the
// first launch is as fast as the others and a read-only install has one.
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url && process.argv.includes('--build')) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  try {
    await launchBundle(bundleLocation(root));
  } catch (error) {
    // Not fatal: assist then builds it on first launch, or runs from source.
    process.stderr.write(`assist: the launch bundle was not built (${error?.message ?? error}); the first launch builds it.\n`);
  }
}
