import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog, shippedCatalogPath } from '../../src/model/catalog.ts';
import { tinyGgufBytes } from '../support/tiny-gguf.ts';

const bin = fileURLToPath(new URL('../../bin/assist.js', import.meta.url));
const gguf = tinyGgufBytes({ seed: 5 });
let server: http.Server;
let dir: string;
let env: NodeJS.ProcessEnv;

function assist(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'assist-models-cli-'));
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': gguf.length, connection: 'close' });
    res.end(gguf);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/t.gguf`;
  const catalog = {
    models: [
      {
        name: 'tiny',
        description: 'tiny test model',
        file: 'tiny.gguf',
        urls: [url],
        sizeBytes: gguf.length,
        sizeIsExact: true,
        memoryBytes: 1e6,
        contextSize: 4096,
        license: 'MIT',
        chatFormat: 'chatml',
        sha256: null,
      },
    ],
  };
  await writeFile(path.join(dir, 'catalog.json'), JSON.stringify(catalog));
  env = {
    ...process.env,
    NO_COLOR: '1',
    ASSIST_CATALOG: path.join(dir, 'catalog.json'),
    ASSIST_MODELS_DIR: path.join(dir, 'models'),
    ASSIST_CONFIG: path.join(dir, 'no-user-config.json'),
  };
});
after(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

test('the shipped catalog is valid: a laptop model, a mid one and gpt-oss-20b, all https GGUFs', () => {
  const catalog = loadCatalog(shippedCatalogPath());
  assert.ok(catalog.models.length >= 3);
  assert.ok(catalog.models.some((m) => m.name === 'gpt-oss-20b'));
  for (const m of catalog.models) {
    assert.ok(
      m.urls.every((u) => u.startsWith('https://') && u.endsWith('.gguf')),
      m.name,
    );
    assert.ok(m.memoryBytes > m.sizeBytes * 0.9, m.name);
  }
});

test('assist models: pull, list, use, rm and a refused import through the real CLI', async () => {
  const empty = await assist('models', 'list');
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /tiny .*not downloaded/);
  assert.match(empty.stdout, /assist models pull NAME/);

  const pull = await assist('models', 'pull', 'tiny');
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, /tiny: downloaded/);
  assert.match(pull.stdout, /now the current model/);
  assert.match(pull.stderr, /100%/);
  assert.ok(existsSync(path.join(dir, 'models', 'tiny.gguf')));
  assert.match((await assist('models', 'list')).stdout, /\* tiny .*installed/);

  await writeFile(path.join(dir, 'notes.gguf'), 'just text');
  const bad = await assist('models', 'import', 'notes.gguf');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: .*notes.gguf is not a GGUF model file/);
  assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/, 'no stack trace');

  const unknown = await assist('models', 'pull', 'nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /No model named "nope" in the catalog. Known: tiny/);

  const rmResult = await assist('models', 'rm', 'tiny');
  assert.equal(rmResult.code, 0, rmResult.stderr);
  assert.ok(!existsSync(path.join(dir, 'models', 'tiny.gguf')));
  const use = await assist('models', 'use', 'tiny');
  assert.equal(use.code, 2);
  assert.match(use.stderr, /Download it with `assist models pull tiny`/);
});
