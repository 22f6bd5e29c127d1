/**
 * Where parse worker threads load their code from. Workers do not inherit the TypeScript loader
 * of the main thread, and registering tsx in each worker costs a few hundred milliseconds, so
 * the worker (parse-worker.ts and what it imports) is bundled once per process with esbuild
 * into one plain ES module, handed to workers as a data: URL. If bundling fails, workers start
 * from parse-worker-entry.mjs, which registers tsx itself.
 */
import { Buffer } from 'node:buffer';
import { fileURLToPath } from 'node:url';

let source: Promise<URL> | undefined;
let settled: URL | undefined;

/** The module URL a parse worker starts from (bundled at the first call). */
export function parseWorkerSource(): Promise<URL> {
  source ??= bundleWorker()
    .catch(() => new URL('./parse-worker-entry.mjs', import.meta.url))
    .then((url) => (settled = url));
  return source;
}

/** The URL `parseWorkerSource` resolved to, once it has; else undefined (no waiting). */
export function bundledWorkerSource(): URL | undefined {
  return settled;
}

async function bundleWorker(): Promise<URL> {
  const { build } = await import('esbuild');
  const entry = new URL('./parse-worker.ts', import.meta.url);
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    // every bundled module lives in this folder, so they all keep resolving queries/ and grammars from here
    define: { 'import.meta.url': JSON.stringify(entry.href) },
    plugins: [
      {
        name: 'absolute-packages',
        setup(bundler) {
          bundler.onResolve({ filter: /^[^./]/ }, (args) => ({
            path: args.path.startsWith('node:') ? args.path : import.meta.resolve(args.path),
            external: true,
          }));
        },
      },
    ],
  });
  const code = result.outputFiles[0].text;
  return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
