/**
 * The first run, as a new user meets it: no model anywhere, a catalog (ASSIST_CATALOG) whose
 * models a real loopback HTTP server serves (the tiny generated GGUF, with its real size and
 * sha256). In a real terminal (tmux): the offer, yes, the progress bar, the session opening on the
 * downloaded model through the real engine; `--yes`; Ctrl-C during the download and the resume;
 * a machine too small for the default. Without a terminal: the one command, exit 2, no download.
 * Not enough disk: stops before downloading.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CatalogEntry } from '../../src/model/catalog.ts';
import { currentModel } from '../../src/model/models-dir.ts';
import { tinyGgufBytes } from '../support/tiny-gguf.ts';
import { assistBin, TmuxAssist } from './session-tmux.ts';

const gguf = tinyGgufBytes({ seed: 11 });
const sha256 = createHash('sha256').update(gguf).digest('hex');
const half = Math.floor(gguf.length / 2);
const requests: Array<{ url: string; range?: string }> = [];
let server: http.Server;
let base: string;
/** The /stall.gguf transfer holds after half the file until this is called. */
let releaseStall = () => {};
let halfSent: Promise<void>;

function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
  const range = req.headers.range?.match(/^bytes=(\d+)-$/);
  if (range) {
    const start = Number(range[1]);
    res.writeHead(206, { 'content-length': gguf.length - start, 'content-range': `bytes ${start}-${gguf.length - 1}/${gguf.length}` });
    return void res.end(gguf.subarray(start));
  }
  res.writeHead(200, { 'content-length': gguf.length, 'accept-ranges': 'bytes' });
  res.end(gguf);
}

before(async () => {
  let announceHalf = () => {};
  halfSent = new Promise((resolve) => (announceHalf = resolve));
  server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', range: req.headers.range });
    res.setHeader('connection', 'close');
    if (req.url === '/stall.gguf' && !req.headers.range) {
      res.writeHead(200, { 'content-length': gguf.length, 'accept-ranges': 'bytes' });
      res.write(gguf.subarray(0, half), announceHalf);
      releaseStall = () => res.destroy();
      return;
    }
    serve(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  releaseStall();
  server.closeAllConnections();
  server.close();
});

function entry(name: string, urlPath = '/tiny.gguf', extra: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    name,
    description: `${name}: a tiny test model`,
    file: `${name}.gguf`,
    urls: [`${base}${urlPath}`],
    sizeBytes: gguf.length,
    sizeIsExact: true,
    memoryBytes: 1_000_000,
    contextSize: 4096,
    license: 'MIT',
    chatFormat: 'chatml',
    sha256,
    ...extra,
  };
}

/** A new user: an empty project, no models, a user config with cheap model and sandbox settings, and a catalog. */
async function newUser(catalog: { default?: string; models: CatalogEntry[] }, model: object = { contextSize: 512 }) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'assist-first-run-'));
  const home = await mkdtemp(path.join(os.tmpdir(), 'assist-first-home-'));
  await writeFile(path.join(root, 'main.py'), 'print("hi")\n');
  await writeFile(path.join(home, 'config.json'), JSON.stringify({ sandbox: { backend: 'bwrap' }, model: { gpu: false, threads: 1, ...model } }));
  await writeFile(path.join(home, 'catalog.json'), JSON.stringify(catalog));
  const models = path.join(home, 'models');
  const env: Record<string, string> = {
    ASSIST_CATALOG: path.join(home, 'catalog.json'),
    ASSIST_CONFIG: path.join(home, 'config.json'),
    ASSIST_MODELS_DIR: models,
    ASSIST_KV_CACHE_DIR: 'off',
    HOME: home,
    TERM: 'xterm-256color',
  };
  return { root, home, models, env, cleanup: () => Promise.all([rm(root, { recursive: true, force: true }), rm(home, { recursive: true, force: true })]) };
}

/** `assist ARGS` with pipes for stdin, stdout and stderr: no terminal. Asynchronous, so that the loopback server in this process can answer. */
function withoutTerminal(
  user: { root: string; env: Record<string, string> },
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { NO_COLOR: _, ...inherited } = process.env;
  const child = spawn(process.execPath, [assistBin, ...args], {
    cwd: user.root,
    env: { ...inherited, ...user.env, NO_COLOR: '1', ...extraEnv },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

test('first run in a terminal: the offer, yes, the progress bar, then the session opens on the downloaded model', async (t) => {
  const user = await newUser({ models: [entry('tiny')] });
  const term = TmuxAssist.start({ cwd: user.root, env: user.env });
  try {
    const offer = await term.waitFor('(Y/n)');
    assert.match(offer, /No model is set up yet\. assist runs a model on this machine; the one recommended for it:/);
    assert.match(offer, /^ {2}tiny {2}tiny: a tiny test model$/m);
    assert.match(offer, /^ {2}download {2}[\d.]+ MB, checked against its sha256$/m);
    assert.match(offer, /^ {2}memory {4}needs 977 KiB; this machine: [\d.]+ GiB free of [\d.]+ GiB, \d+ cores?$/m);
    assert.ok(offer.includes(`  goes to   ${user.models} (`), offer);
    assert.match(offer, /Download tiny \([\d.]+ MB\) now\? \(Y\/n\)/);
    assert.equal(requests.filter((r) => r.url === '/tiny.gguf').length, 0, 'nothing is downloaded before the answer');
    term.keys('Enter');
    const done = await term.waitFor(/approval\s+suggest/);
    assert.match(done, /tiny \[[█░]+\] 100% \| [\d.]+ MB of [\d.]+ MB/, 'the progress bar of `models pull`');
    assert.match(done, /checking the sha256 checksum/);
    assert.match(done, /✓ tiny: downloaded [\d.]+ MB \(size and sha256 checked\) → .*tiny\.gguf/);
    assert.match(done, /It is now the current model/);
    assert.match(done, /model\s+tiny/, 'the banner names the downloaded model');
    await term.waitFor('› ');
    term.type('/exit');
    term.keys('Enter');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
    assert.deepEqual(readFileSync(path.join(user.models, 'tiny.gguf')), gguf);
    assert.equal(currentModel(user.models), 'tiny');
  } finally {
    term.close();
    await user.cleanup();
  }
});

test('--yes downloads without asking; Ctrl-C during the download keeps the part, and the next run resumes it', async (t) => {
  const user = await newUser({ models: [entry('slow', '/stall.gguf')] });
  let term = TmuxAssist.start({ cwd: user.root, env: user.env, args: ['--yes'] });
  try {
    await halfSent;
    await term.waitFor(new RegExp(`slow \\[[█░]+\\] ${Math.floor((half / gguf.length) * 100)}% \\| [\\d.]+ MB of [\\d.]+ MB`));
    term.keys('C-c');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 130);
    const stopped = term.screen();
    assert.doesNotMatch(stopped, /\(Y\/n\)/, '--yes asks nothing');
    assert.match(stopped, /--yes: downloading slow without asking/);
    const part = path.join(user.models, 'slow.gguf.part');
    assert.match(
      stopped.replace(/\n/g, ''),
      new RegExp(
        `Download stopped \\(Ctrl-C\\)\\. The [\\d.]+ MB received so far are kept in ${part.replace(/[.]/g, '\\.')}: run \`assist\` again \\(or \`assist models pull slow\`\\) to resume\\.`,
      ),
    );
    const kept = statSync(part).size;
    assert.ok(kept > 0 && kept <= half, `${kept} bytes kept of the ${half} sent`);
    assert.equal(existsSync(path.join(user.models, 'slow.gguf')), false);
    term.close();
    releaseStall();

    term = TmuxAssist.start({ cwd: user.root, env: user.env, args: ['--yes'] });
    const resumed = await term.waitFor('› ');
    assert.match(resumed, /download {2}[\d.]+ MB \([\d.]+ MB already downloaded: it resumes\)/);
    assert.match(resumed, /resuming at [\d.]+ MB/);
    assert.match(resumed, /✓ slow: downloaded/);
    assert.doesNotMatch(resumed, /\(Y\/n\)/);
    assert.deepEqual(requests.filter((r) => r.url === '/stall.gguf').at(-1), { url: '/stall.gguf', range: `bytes=${kept}-` });
    term.type('/exit');
    term.keys('Enter');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
    assert.deepEqual(readFileSync(path.join(user.models, 'slow.gguf')), gguf);
    assert.equal(existsSync(part), false);
  } finally {
    term.close();
    await user.cleanup();
  }
});

test('a machine too small for the default is offered the largest model that fits, with the reason; no keeps it all as it was', async (t) => {
  // No machine has a petabyte of memory free: the default cannot fit anywhere the test runs.
  const user = await newUser({ default: 'roomy', models: [entry('roomy', '/roomy.gguf', { memoryBytes: 2 ** 50 }), entry('tiny')] });
  const term = TmuxAssist.start({ cwd: user.root, env: user.env });
  try {
    const offer = await term.waitFor('(Y/n)');
    assert.match(
      offer.replace(/\n/g, ' '),
      /The smaller tiny is offered because this machine has [\d.]+ GiB of memory free \(of [\d.]+ GiB\); the default, roomy, needs 1024\.0 TiB:/,
    );
    term.type('n');
    term.keys('Enter');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 1);
    assert.match(term.screen().replace(/\n/g, ''), /No model was downloaded\. Get it later with `assist models pull tiny`/);
    assert.equal(existsSync(user.models) && existsSync(path.join(user.models, 'tiny.gguf')), false);
    assert.equal(
      requests.some((r) => r.url === '/roomy.gguf'),
      false,
    );
  } finally {
    term.close();
    await user.cleanup();
  }
});

test('without a terminal: the one command to run, exit 2, no prompt and no download', async () => {
  const user = await newUser({ models: [entry('tiny', '/never.gguf')] });
  try {
    const ask = await withoutTerminal(user, ['ask', 'what does main.py print?']);
    assert.equal(ask.status, 2, ask.stderr);
    assert.match(
      ask.stderr,
      /^error: No model is set up, and without a terminal assist does not ask to download one\. Run:\n\n {2}assist models pull tiny\n\n/,
    );
    assert.match(ask.stderr, /add --yes to download it without asking/);
    assert.doesNotMatch(ask.stderr + ask.stdout, /Y\/n/);
    assert.equal(ask.stdout, '');

    const viaNpx = await withoutTerminal(user, ['run', 'print hi'], { npm_command: 'exec' });
    assert.equal(viaNpx.status, 2, viaNpx.stderr);
    assert.match(viaNpx.stderr, /\n {2}npx assist models pull tiny\n/, 'started through npx, the command says npx');

    const session = await withoutTerminal(user, []);
    assert.equal(session.status, 2);
    assert.match(session.stderr, /needs a terminal.*\nNo model is set up.*\n\n {2}assist models pull tiny\n\n.*then start assist in a terminal/s);
    const chosen = await withoutTerminal(user, ['--model', 'tiny']);
    assert.equal(chosen.status, 2);
    assert.match(
      chosen.stderr,
      /Model "tiny" is not downloaded yet, and without a terminal .*\n\n {2}assist models pull tiny\n/s,
      'a model named by flag or config is the one offered',
    );
    assert.equal(
      requests.some((r) => r.url === '/never.gguf'),
      false,
    );
    assert.equal(existsSync(path.join(user.models, 'tiny.gguf')), false);
  } finally {
    await user.cleanup();
  }
});

test('--yes without a terminal downloads, then the command goes on with the model', async () => {
  const user = await newUser({ models: [entry('tiny')] }, { contextSize: 4096, maxTokens: 64, timeoutMs: 60_000 });
  try {
    const ask = await withoutTerminal(user, ['ask', '--yes', '--max-steps', '1', 'what does main.py print?']);
    assert.ok(ask.status === 0 || ask.status === 1, `the turn ran (exit ${ask.status}):\n${ask.stderr}`);
    assert.match(ask.stderr, /--yes: downloading tiny without asking/);
    assert.match(ask.stderr, /100% \([\d.]+ MB of [\d.]+ MB\)\n/, 'progress by tenths without a terminal');
    assert.match(ask.stderr, /✓ tiny: downloaded/);
    assert.match(ask.stderr, /step 1\/1/, 'the agent ran its step on the downloaded model');
    assert.deepEqual(readFileSync(path.join(user.models, 'tiny.gguf')), gguf);
    assert.equal(currentModel(user.models), 'tiny');
  } finally {
    await user.cleanup();
  }
});

test('not enough disk for the download: says how much is needed and stops before downloading', async () => {
  const user = await newUser({ models: [entry('vast', '/vast.gguf', { sizeBytes: 10 ** 15, sizeIsExact: false })] });
  try {
    const run = await withoutTerminal(user, ['ask', '--yes', 'what does main.py print?']);
    assert.equal(run.status, 2, run.stderr);
    assert.match(
      run.stderr,
      /error: Not enough disk for vast: the download needs 1000000\.0 GB and [\d.]+ [MG]B is free in .*models\. Free at least [\d.]+ GB there, or set model\.modelsDir \(or ASSIST_MODELS_DIR\) to a folder on a larger disk/,
    );
    assert.equal(
      requests.some((r) => r.url === '/vast.gguf'),
      false,
    );
  } finally {
    await user.cleanup();
  }
});
