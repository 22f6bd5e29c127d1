#!/usr/bin/env node
// `npm test`: checks formatting and lint rules (Biome), type-checks, then runs every
// test/**/*.test.ts with node's test runner (through tsx). Extra args filter test files by
// substring: `npm test -- workspace model/`; `--tier unit` (or engine, docker; comma-separated)
// runs one tier (scripts/test-tiers.mjs): `npm test -- --tier unit` is the fast loop.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fg from 'fast-glob';
import { tierOf, tiers } from './test-tiers.mjs';

const args = process.argv.slice(2);
const tierAt = args.indexOf('--tier');
const wanted = tierAt >= 0 ? (args[tierAt + 1] ?? '').split(',').filter(Boolean) : [];
const filters = args.filter((_, i) => tierAt < 0 || (i !== tierAt && i !== tierAt + 1));
if (tierAt >= 0 && (wanted.length === 0 || wanted.some((t) => !tiers.includes(t)))) {
  console.error(`--tier takes ${tiers.join(', ')} (comma-separated), not "${args[tierAt + 1] ?? ''}".`);
  process.exit(2);
}
const biome = spawnSync(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'check', '--reporter=summary'], { stdio: 'inherit' });
if (biome.status !== 0) {
  console.error('Format or lint check failed: `npx biome check --write` fixes what it can.');
  process.exit(biome.status ?? 1);
}
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('Type check failed.');
  process.exit(tsc.status ?? 1);
}
let files = (await fg('test/**/*.test.ts', { ignore: ['**/node_modules/**', 'test/eval/tasks/**', 'test/eval/codebases/**'] })).sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (wanted.length) files = files.filter((f) => wanted.includes(tierOf(f)));
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
// Tests that load a model keep its KV-state files in a folder of their own, not the user's cache.
const kvCacheDir = process.env.ASSIST_KV_CACHE_DIR ?? mkdtempSync(path.join(tmpdir(), 'assist-test-kv-'));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, FORCE_COLOR: '0', ASSIST_KV_CACHE_DIR: kvCacheDir },
});
if (!process.env.ASSIST_KV_CACHE_DIR) rmSync(kvCacheDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
