import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { languageIds, languageOf } from '../../src/index/languages.ts';
import { parseFiles } from '../../src/index/parse-pool.ts';
import { parseWorkerSource } from '../../src/index/parse-worker-source.ts';
import { fixturesDir } from './fixture-project.ts';

function fixtureJobs() {
  const jobs = [];
  for (const lang of languageIds) {
    const dir = path.join(fixturesDir, lang, 'input');
    for (const file of readdirSync(dir)) {
      const abs = path.join(dir, file);
      jobs.push({ path: `${lang}/${file}`, abs, lang: languageOf(file), size: statSync(abs).size });
    }
  }
  return jobs;
}

test('worker threads parse exactly what the calling thread parses, in job order', async () => {
  const jobs = fixtureJobs();
  assert.ok(jobs.length >= 13);
  const inline = await parseFiles(jobs, { maxFileBytes: 1 << 20, threads: 1 });
  const progress: number[] = [];
  const pooled = await parseFiles(jobs, {
    maxFileBytes: 1 << 20,
    threads: 2,
    minBytesForWorkers: 0,
    workersOnly: true,
    onProgress: (done) => progress.push(done),
  });
  assert.deepEqual(pooled, inline);
  assert.equal(progress.at(-1), jobs.length);
  assert.ok(inline.every((r) => r.defs.length > 0));
});

test('workers start from a bundled plain module, not through a TypeScript loader', async () => {
  const url = await parseWorkerSource();
  assert.equal(url.protocol, 'data:');
  const code = Buffer.from(url.href.slice(url.href.indexOf(',') + 1), 'base64').toString('utf8');
  assert.match(code, /parentPort/);
  assert.doesNotMatch(code, /from "tree-sitter"/, 'packages are imported by absolute URL');
});

test('an aborted parse rejects with the abort reason', async () => {
  const jobs = fixtureJobs();
  const controller = new AbortController();
  controller.abort(new Error('stop now'));
  await assert.rejects(parseFiles(jobs, { maxFileBytes: 1 << 20, threads: 2, minBytesForWorkers: 0, signal: controller.signal }), /stop now/);
  await assert.rejects(parseFiles(jobs, { maxFileBytes: 1 << 20, threads: 1, signal: controller.signal }), /stop now/);
});
