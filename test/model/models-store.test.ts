import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Catalog, CatalogEntry } from '../../src/model/catalog.ts';
import { importModel, listModels, pullModel, removeModel, useModel } from '../../src/model/model-store.ts';
import { currentModel, setCurrentModel } from '../../src/model/models-dir.ts';
import { NoModelError, openModel, resolveModelPath } from '../../src/model/open-model.ts';
import { ModelSetupError } from '../../src/model/language-model.ts';
import { defaults, type Config } from '../../src/config/schema.ts';
import { tinyGgufBytes } from '../support/tiny-gguf.ts';
import { mountSmallDisk } from '../support/small-disk.ts';

const gguf = tinyGgufBytes({ seed: 3 });
const sha = createHash('sha256').update(gguf).digest('hex');
const seen: Array<{ url: string; range?: string }> = [];
let server: http.Server;
let base: string;
let root: string;

function serve(req: http.IncomingMessage, res: http.ServerResponse, bytes: Buffer): void {
  const range = req.headers.range?.match(/^bytes=(\d+)-$/);
  if (range) {
    const start = Number(range[1]);
    if (start >= bytes.length) {
      res.writeHead(416, { 'content-range': `bytes */${bytes.length}` });
      return void res.end();
    }
    res.writeHead(206, { 'content-length': bytes.length - start, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
    return void res.end(bytes.subarray(start));
  }
  res.writeHead(200, { 'content-length': bytes.length, 'accept-ranges': 'bytes' });
  res.end(bytes);
}

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'assist-models-'));
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', range: req.headers.range });
    res.setHeader('connection', 'close');
    switch (req.url) {
      case '/tiny.gguf':
        return serve(req, res, gguf);
      case '/drop.gguf':
        if (!req.headers.range) {
          // Sends the headers and half the file, then drops the connection.
          res.writeHead(200, { 'content-length': gguf.length });
          res.write(gguf.subarray(0, Math.floor(gguf.length / 2)), () => res.destroy());
          return;
        }
        return serve(req, res, gguf);
      case '/page.gguf':
        res.writeHead(200, { 'content-type': 'text/html' });
        return void res.end('<html>please log in</html>');
      default:
        res.writeHead(404);
        return void res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await rm(root, { recursive: true, force: true });
});

function entry(name: string, urlPath: string, extra: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    name,
    description: 'test model',
    file: `${name}.gguf`,
    urls: [`${base}${urlPath}`],
    sizeBytes: gguf.length,
    sizeIsExact: true,
    memoryBytes: 1_000_000,
    contextSize: 4096,
    license: 'MIT',
    chatFormat: 'chatml',
    sha256: sha,
    ...extra,
  };
}

async function setup(): Promise<{ config: Config; catalog: Catalog; dir: string }> {
  const dir = await mkdtemp(path.join(root, 'dir-'));
  const config = structuredClone(defaults);
  config.model.modelsDir = dir;
  const catalog: Catalog = {
    models: [
      entry('tiny', '/tiny.gguf'),
      entry('flaky', '/drop.gguf'),
      entry('wrong-size', '/tiny.gguf', { sizeBytes: gguf.length + 10 }),
      entry('bad-sum', '/tiny.gguf', { sha256: '0'.repeat(64) }),
      entry('login-page', '/page.gguf', { sizeIsExact: false, sha256: null }),
      entry('gone', '/missing.gguf'),
    ],
  };
  return { config, catalog, dir };
}

test('with no model anywhere, the error says exactly how to get one', async () => {
  const { config, catalog } = await setup();
  assert.throws(
    () => resolveModelPath(config, catalog),
    (e: unknown) => {
      assert.ok(e instanceof NoModelError);
      assert.match(e.message, /`assist models pull NAME` \(NAME: tiny, flaky/);
      assert.match(e.message, /`assist models import PATH`/);
      return true;
    },
  );
  config.model.name = 'tiny';
  assert.throws(() => resolveModelPath(config, catalog), /Model "tiny" is not downloaded yet. Run `assist models pull tiny`/);
});

test('NoModelError says which case it is, so the first run knows what to offer', async () => {
  const { config, catalog, dir } = await setup();
  const kindOf = (c: Config) => {
    try {
      resolveModelPath(c, catalog);
    } catch (e) {
      assert.ok(e instanceof NoModelError);
      return { kind: e.kind, wanted: e.wanted };
    }
    assert.fail('expected a NoModelError');
  };
  assert.deepEqual(kindOf(config), { kind: 'none', wanted: undefined });
  setCurrentModel(dir, 'flaky');
  assert.deepEqual(kindOf(config), { kind: 'not-downloaded', wanted: 'flaky' }, 'the current model, from the catalog, is not downloaded');
  setCurrentModel(dir, 'imported-then-deleted.gguf');
  assert.deepEqual(kindOf(config), { kind: 'none', wanted: undefined }, 'a recorded model whose file is gone: nothing is set up');
  config.model.name = 'tiny';
  assert.deepEqual(kindOf(config), { kind: 'not-downloaded', wanted: 'tiny' });
  config.model.name = 'no-such-model';
  assert.deepEqual(kindOf(config), { kind: 'unknown', wanted: undefined }, 'a name the user typed that matches nothing is not guessed at');
});

test('pull downloads a catalog model, verifies it, makes it current, and openModel loads it', async () => {
  const { config, catalog, dir } = await setup();
  const progress: number[] = [];
  const result = await pullModel('tiny', { config, catalog, onProgress: (p) => progress.push(p.received) });
  assert.equal(result.sizeBytes, gguf.length);
  assert.equal(result.madeCurrent, true);
  assert.deepEqual(await readFile(path.join(dir, 'tiny.gguf')), gguf);
  assert.equal(progress.at(-1), gguf.length);
  assert.deepEqual(await readdir(dir).then((f) => f.filter((x) => x.endsWith('.part'))), []);
  assert.equal(currentModel(dir), 'tiny');
  config.model.gpu = false;
  config.model.threads = 1;
  config.model.contextSize = 512;
  const model = await openModel(config, { catalog });
  try {
    assert.equal(model.info.name, 'tiny');
    assert.equal(model.info.backend, 'embedded');
    assert.equal(model.info.path, path.join(dir, 'tiny.gguf'));
  } finally {
    await model.dispose();
  }
  const again = await pullModel('tiny', { config, catalog });
  assert.equal(again.alreadyPresent, true);
});

test('a download that drops midway keeps the part file, and the next pull resumes it with a Range request', async () => {
  const { config, catalog, dir } = await setup();
  seen.length = 0;
  await assert.rejects(
    pullModel('flaky', { config, catalog, retries: 0 }),
    (e: unknown) => e instanceof ModelSetupError && /interrupted after \d+ bytes.*Run the same command again to resume/.test(e.message),
  );
  const part = path.join(dir, 'flaky.gguf.part');
  assert.ok(existsSync(part));
  const partial = (await readFile(part)).length;
  assert.ok(partial > 0 && partial < gguf.length);
  const progress: boolean[] = [];
  const result = await pullModel('flaky', { config, catalog, onProgress: (p) => progress.push(p.resumed) });
  assert.equal(result.resumed, true);
  assert.ok(progress.every(Boolean));
  assert.deepEqual(
    seen.map((s) => s.range),
    [undefined, `bytes=${partial}-`],
  );
  assert.deepEqual(await readFile(path.join(dir, 'flaky.gguf')), gguf);
  assert.ok(!existsSync(part));
});

test('a download that fills the disk (real tmpfs) stops at once, keeps its part file and says how many bytes are still needed; with room it resumes', async (t) => {
  const disk = mountSmallDisk(t, 128 * 1024);
  if (!disk) return;
  assert.ok(gguf.length > 200 * 1024, `the tiny model (${gguf.length} bytes) must not fit on the small disk`);
  const { config, catalog } = await setup();
  config.model.modelsDir = path.join(disk.dir, 'models');
  seen.length = 0;
  const part = path.join(disk.dir, 'models', 'tiny.gguf.part');
  await assert.rejects(pullModel('tiny', { config, catalog, retries: 3 }), (e: unknown) => {
    assert.ok(e instanceof ModelSetupError, String(e));
    const have = statSync(part).size;
    assert.ok(have > 0 && have < gguf.length);
    assert.equal(e.message, e.message.replace(/\s+/g, ' '));
    assert.match(
      e.message,
      new RegExp(
        `stopped: the disk is full \\(${gguf.length - have} bytes still needed, \\d+ free\\)\\. The ${have} bytes received so far are kept in ${part.replace(/[.]/g, '\\.')}; free some space on that disk and run the same command again to resume\\.$`,
      ),
    );
    return true;
  });
  assert.equal(seen.length, 1, 'no retry into a full disk');
  const partial = statSync(part).size;

  disk.resize(4 * 1024 * 1024);
  const result = await pullModel('tiny', { config, catalog });
  assert.equal(result.resumed, true);
  assert.deepEqual(
    seen.map((s) => s.range),
    [undefined, `bytes=${partial}-`],
  );
  assert.deepEqual(await readFile(path.join(disk.dir, 'models', 'tiny.gguf')), gguf);
});

test('within one pull, a dropped connection is resumed automatically', async () => {
  const { config, catalog, dir } = await setup();
  seen.length = 0;
  const result = await pullModel('flaky', { config, catalog, retries: 2 });
  assert.equal(result.resumed, true);
  assert.equal(seen.length, 2);
  assert.match(seen[1].range ?? '', /^bytes=\d+-$/);
  assert.deepEqual(await readFile(path.join(dir, 'flaky.gguf')), gguf);
});

test('a size mismatch against the catalog is refused and nothing is kept', async () => {
  const { config, catalog, dir } = await setup();
  await assert.rejects(pullModel('wrong-size', { config, catalog }), /Size mismatch.*catalog says \d+ bytes but the server has \d+/);
  assert.deepEqual(await readdir(dir), []);
});

test('a bad checksum is refused and the file deleted', async () => {
  const { config, catalog, dir } = await setup();
  await assert.rejects(pullModel('bad-sum', { config, catalog }), /Checksum mismatch.*expected sha256 0{64}, got [0-9a-f]{64}/);
  assert.deepEqual(await readdir(dir), []);
});

test('a server that returns a web page instead of a GGUF, or a 404, is a clear error', async () => {
  const { config, catalog, dir } = await setup();
  await assert.rejects(pullModel('login-page', { config, catalog }), /did not return a GGUF file/);
  await assert.rejects(pullModel('gone', { config, catalog }), /answered 404/);
  await assert.rejects(pullModel('no-such-model', { config, catalog }), /No model named "no-such-model" in the catalog. Known: tiny/);
  assert.deepEqual(await readdir(dir), []);
});

test('pull by URL names the model after the file', async () => {
  const { config, catalog, dir } = await setup();
  const result = await pullModel(`${base}/tiny.gguf`, { config, catalog });
  assert.equal(result.name, 'tiny.gguf');
  assert.ok(existsSync(path.join(dir, 'tiny.gguf')));
  await assert.rejects(pullModel(`${base}/readme.txt`, { config, catalog }), /does not name a .gguf file/);
});

test('import checks the GGUF header, copies atomically, and refuses a non-GGUF file', async () => {
  const { config, catalog, dir } = await setup();
  const outside = await mkdtemp(path.join(root, 'outside-'));
  const notModel = path.join(outside, 'weights.gguf');
  await writeFile(notModel, 'PK\u0003\u0004 this is a zip file');
  await assert.rejects(importModel(notModel, { config, catalog }), (e: unknown) => e instanceof ModelSetupError && /not a GGUF model file/.test(e.message));
  assert.deepEqual(await readdir(dir).catch(() => []), []);
  const good = path.join(outside, 'My-Model.Q4.gguf');
  await writeFile(good, gguf);
  const imported = await importModel(good, { config, catalog });
  assert.equal(imported.name, 'My-Model.Q4.gguf');
  assert.equal(imported.summary.architecture, 'llama');
  assert.equal(imported.madeCurrent, true);
  assert.deepEqual(await readdir(dir), ['My-Model.Q4.gguf', 'current.json']);
  await assert.rejects(importModel(good, { config, catalog }), /already in/);
  assert.equal(resolveModelPath(config, catalog).path, path.join(dir, 'My-Model.Q4.gguf'));
});

test('use, list and rm', async () => {
  const { config, catalog, dir } = await setup();
  await pullModel('tiny', { config, catalog });
  await pullModel('flaky', { config, catalog });
  assert.equal(currentModel(dir), 'tiny');
  assert.throws(() => useModel('bad-sum', { config, catalog }), /not in .*Download it with `assist models pull bad-sum`/);
  useModel('flaky', { config, catalog });
  assert.equal(currentModel(dir), 'flaky');
  const listed = listModels({ config, catalog }).models;
  assert.deepEqual(
    listed.filter((m) => m.installed).map((m) => [m.name, m.current]),
    [
      ['tiny', false],
      ['flaky', true],
    ],
  );
  const removed = await removeModel('flaky', { config, catalog });
  assert.equal(removed.wasCurrent, true);
  assert.equal(currentModel(dir), null);
  assert.ok(!existsSync(path.join(dir, 'flaky.gguf')));
  await assert.rejects(removeModel('flaky', { config, catalog }), /is not in/);
  assert.throws(() => resolveModelPath(config, catalog), NoModelError);
});
