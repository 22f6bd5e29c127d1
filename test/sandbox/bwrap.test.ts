/**
 * The bubblewrap backend: the same behaviour suite as Docker (fails, not skips, under CI when bwrap
 * cannot run), plus temp-dir cleanup and the `auto` fallback reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { BwrapSandbox } from '../../src/sandbox/bwrap-sandbox.ts';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import { behaviourSuite } from './behaviour.ts';
import { bwrapUnavailable, smallConfig, tempProject } from './helpers.ts';

const bwrapDirs = (): string[] => readdirSync(os.tmpdir()).filter((n) => n.startsWith('assist-bwrap-'));

behaviourSuite({
  name: 'bwrap',
  unavailable: () => bwrapUnavailable(),
  open: async (config) => new BwrapSandbox({ config: config.sandbox }),
});

test('bwrap: the private copy is removed after each run, whatever the outcome', async (t) => {
  const why = await bwrapUnavailable();
  if (why) return t.skip(why);
  const before = new Set(bwrapDirs());
  const project = await tempProject({ 'a.txt': 'a\n' });
  const sandbox = new BwrapSandbox({ config: smallConfig({ timeoutMs: 1000 }).sandbox });
  try {
    await sandbox.run({ command: 'echo x > b.txt', files: project.snapshot });
    await sandbox.run({ command: 'while :; do :; done', files: project.snapshot });
    assert.deepEqual(bwrapDirs().filter((d) => !before.has(d)), []);
  } finally {
    await sandbox.dispose();
    await project.cleanup();
  }
});

test('bwrap: openSandbox with backend "bwrap" says so', async (t) => {
  const why = await bwrapUnavailable();
  if (why) return t.skip(why);
  const { sandbox, reason } = await openSandbox(smallConfig({ backend: 'bwrap' }), { root: process.cwd() });
  try {
    assert.equal(sandbox?.kind, 'bwrap');
    assert.match(reason, /bubblewrap/);
  } finally {
    await sandbox?.dispose();
  }
});

test('auto falls back to bubblewrap with the Docker problem in the reason', async (t) => {
  const why = await bwrapUnavailable();
  if (why) return t.skip(why);
  // An image that cannot exist makes Docker unusable whether or not an engine runs here.
  const { sandbox, reason } = await openSandbox(smallConfig({ backend: 'auto', image: 'assist-no-such-image:0' }), { root: process.cwd() });
  try {
    assert.equal(sandbox?.kind, 'bwrap');
    assert.match(reason, /^bubblewrap, because Docker is not usable: /);
    assert.match(reason, /assist sandbox build|Docker is not running|docker group/);
  } finally {
    await sandbox?.dispose();
  }
});
