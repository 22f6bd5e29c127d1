/** `assist sandbox status|build` through the real CLI entry point. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bwrapUnavailable, dockerUnavailable } from './helpers.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/assist.js', import.meta.url));

/** Runs `assist` in `cwd`; the user config is `cwd/user-config.json` (absent unless a test writes it). */
async function assist(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ASSIST_CONFIG: path.join(cwd, 'user-config.json'), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('assist sandbox status names the backend, the reason and the image', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const project = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-sbx-cli-'));
  try {
    const r = await assist(['sandbox', 'status'], project);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^backend\s+docker \(image assist-sandbox:latest; no network/m);
    assert.match(r.stdout, /^why\s+docker \(engine /m);
    assert.match(r.stdout, /^image\s+assist-sandbox:latest [0-9a-f]{12}, built /m);
    assert.match(r.stdout, /^bwrap\s+/m);
  } finally {
    await fs.rm(project, { recursive: true, force: true });
  }
});

test('assist sandbox status with bubblewrap says plainly how it differs from Docker', async (t) => {
  const why = await bwrapUnavailable();
  if (why) return t.skip(why);
  const project = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-sbx-cli-'));
  try {
    // The user's own config chooses the backend (a project file may not weaken the sandbox).
    await fs.writeFile(path.join(project, 'user-config.json'), JSON.stringify({ sandbox: { backend: 'bwrap' } }));
    const r = await assist(['sandbox', 'status'], project, { ASSIST_CONFIG: path.join(project, 'user-config.json') });
    assert.equal(r.code, 0, r.stderr);
    const backend = /^backend\s+(.*)$/m.exec(r.stdout)?.[1] ?? '';
    assert.match(
      backend,
      /^bubblewrap \(no network; sees only \/usr, the host's toolchains for [a-z, ]*python[a-z, ]* and the parts of \/etc they read, read-only/,
    );
    assert.match(backend, /; work dir and \/tmp in memory, 512 MB each;/);
    assert.match(backend, /Unlike Docker: no memory limit for the run as a whole, no CPU limit\)$/);
  } finally {
    await fs.rm(project, { recursive: true, force: true });
  }
});

test('assist sandbox status with backend none warns loudly; with a missing image docker-only says what to do', async () => {
  const project = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-sbx-cli-'));
  try {
    await fs.writeFile(path.join(project, 'user-config.json'), JSON.stringify({ sandbox: { backend: 'none' } }));
    const none = await assist(['sandbox', 'status'], project);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /NOT SANDBOXED/);
    assert.match(none.stdout, /WARNING/);
    await fs.writeFile(path.join(project, 'user-config.json'), JSON.stringify({ sandbox: { backend: 'docker', image: 'assist-no-such-image:0' } }));
    const missing = await assist(['sandbox', 'status'], project);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /^why\s+no sandbox: .*(assist sandbox build|Docker is not running|docker group).*set it to "auto"/m);
  } finally {
    await fs.rm(project, { recursive: true, force: true });
  }
});

test('assist sandbox build --from-tar with an unreadable file fails with a clear message', async () => {
  const project = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-sbx-cli-'));
  try {
    const r = await assist(['sandbox', 'build', '--from-tar', path.join(project, 'nope.tar')], project);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /cannot read image tarball|Docker engine is not running|docker is not installed/);
    assert.match(r.stderr, /building the sandbox image failed/);
  } finally {
    await fs.rm(project, { recursive: true, force: true });
  }
});

test('assist sandbox build --from-tar loads a saved image and tags it', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'assist-sbx-load-'));
  const source = `assist-load-source:${process.pid}`;
  const target = `assist-load-target:${process.pid}`;
  try {
    // A tiny image made offline (one file), saved the way a user would carry it to an air-gapped machine.
    await fs.writeFile(path.join(dir, 'hello.txt'), 'hi\n');
    await run('sh', ['-c', `tar -C "${dir}" -c hello.txt | docker import - ${source} && docker save ${source} -o "${dir}/image.tar" && docker rmi ${source}`]);
    const r = await assist(['sandbox', 'build', '--from-tar', path.join(dir, 'image.tar'), '--image', target], dir);
    // The loaded image has no toolchains, so the final usability probe passes (it only checks presence).
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`ready: ${target.replace(/[.:]/g, '\\$&')}`));
    const { stdout } = await run('docker', ['image', 'inspect', target, '--format', '{{.Id}}']);
    assert.match(stdout, /^sha256:/);
  } finally {
    await run('docker', ['rmi', '-f', target, source]).catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  }
});
