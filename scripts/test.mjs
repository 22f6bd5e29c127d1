#!/usr/bin/env node
// `npm test`: type-checks, then runs every test/**/*.test.ts with node's test runner (through tsx).
// Extra args filter test files by substring: `npm test -- workspace model/`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fg from 'fast-glob';

const filters = process.argv.slice(2);
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('Type check failed.');
  process.exit(tsc.status ?? 1);
}
let files = (await fg('test/**/*.test.ts', { ignore: ['**/node_modules/**', 'test/eval/tasks/**', 'test/eval/codebases/**'] })).sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
// Tests that load a model keep its KV-state files in a folder of their own, not the user's cache.
const kvCacheDir = process.env.ASSIST_KV_CACHE_DIR ?? mkdtempSync(path.join(tmpdir(), 'assist-test-kv-'));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0', ASSIST_KV_CACHE_DIR: kvCacheDir } },
);
if (!process.env.ASSIST_KV_CACHE_DIR) rmSync(kvCacheDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
