/**
 * The behaviour checks every real sandbox backend must pass (Docker and bubblewrap run the same
 * suite): isolation, limits, output capping, workspace copy semantics, timeout and abort.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config/schema.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { processesWith, smallConfig, tempProject, waitForProcess } from './helpers.ts';

export interface BackendUnderTest {
  name: string;
  /** Why the backend cannot be tested here (skip locally); throws under CI. */
  unavailable(): Promise<string | undefined>;
  open(config: Config): Promise<Sandbox>;
  /** Extra check after a run was killed (timeout/abort): e.g. no container is left. */
  afterKill?(sandbox: Sandbox): Promise<void>;
}

/** Registers the shared behaviour tests for one backend. */
export function behaviourSuite(backend: BackendUnderTest): void {
  const it = (name: string, config: Config, body: (sandbox: Sandbox) => Promise<void>): void => {
    test(`${backend.name}: ${name}`, async (t) => {
      const why = await backend.unavailable();
      if (why) {
        t.skip(why);
        return;
      }
      const sandbox = await backend.open(config);
      try {
        await body(sandbox);
      } finally {
        await sandbox.dispose();
      }
    });
  };

  it('captures stdout, stderr and the exit code separately', smallConfig(), async (sb) => {
    const r = await sb.run({ command: 'echo out; echo err >&2; exit 7' });
    assert.equal(r.exitCode, 7);
    assert.equal(r.stdout, 'out\n');
    assert.match(r.stderr, /^err\n/);
    assert.equal(r.timedOut, false);
    assert.equal(r.truncated, false);
  });

  it('has no network: a connect attempt fails', smallConfig(), async (sb) => {
    const r = await sb.run({ command: `python3 -c "import socket; socket.create_connection(('1.1.1.1', 80), timeout=5); print('CONNECTED')"` });
    assert.notEqual(r.exitCode, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /CONNECTED/);
    assert.match(r.stderr, /OSError|unreachable|Network/i);
    const ifaces = await sb.run({ command: "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '" });
    assert.deepEqual(ifaces.stdout.trim().split('\n'), ['lo']);
  });

  it('contains a fork bomb and stays usable', smallConfig({ timeoutMs: 4000, pids: 32 }), async (sb) => {
    const r = await sb.run({ command: 'bomb() { bomb | bomb; }; bomb' });
    assert.ok(r.timedOut || r.exitCode !== 0, 'the fork bomb did not end badly');
    assert.match(r.stderr, /fork|Resource temporarily unavailable|timed out/i);
    assert.deepEqual(processesWith('bomb | bomb'), [], 'fork bomb processes survived the run');
    const after = await sb.run({ command: 'echo still-fine' });
    assert.equal(after.stdout, 'still-fine\n');
  });

  it('kills or starves a memory hog', smallConfig({ memoryMb: 96 }), async (sb) => {
    const r = await sb.run({ command: `python3 -c "x = bytearray(512 * 1024 * 1024); print('ALLOCATED')"` });
    assert.notEqual(r.exitCode, 0);
    assert.doesNotMatch(r.stdout, /ALLOCATED/);
  });

  it('times out an infinite loop and kills it', smallConfig({ timeoutMs: 1500 }), async (sb) => {
    const r = await sb.run({ command: 'while :; do :; done # loop-marker-1' });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.match(r.stderr, /timed out after 1500 ms/);
    assert.deepEqual(processesWith('loop-marker-1'), []);
    await backend.afterKill?.(sb);
  });

  it('truncates huge output with a note', smallConfig({ outputLimitBytes: 8192 }), async (sb) => {
    const r = await sb.run({ command: 'yes 0123456789 | head -c 5000000; echo END-MARK' });
    assert.equal(r.exitCode, 0);
    assert.equal(r.truncated, true);
    assert.ok(Buffer.byteLength(r.stdout) < 8192 + 300, `stdout kept ${r.stdout.length} chars`);
    assert.match(r.stdout, /output truncated: \d+ of 5000009 bytes not shown/);
    assert.match(r.stdout, /END-MARK\n$/, 'the tail is kept');
  });

  it('cannot write outside the work directory', smallConfig(), async (sb) => {
    const r = await sb.run({
      command: 'for f in /usr/x /etc/x /x /bin/x /home/x; do (echo hi > $f) 2>/dev/null && echo "WROTE $f"; done; echo ok > inside.txt && cat inside.txt',
    });
    assert.doesNotMatch(r.stdout, /WROTE/);
    assert.equal(r.stdout, 'ok\n');
  });

  it('sees pending changes and never touches the host files', smallConfig(), async (sb) => {
    const project = await tempProject(
      { 'a.txt': 'disk a\n', 'b.txt': 'disk b\n', 'src/c.txt': 'disk c\n' },
      { 'a.txt': 'pending a\n', 'b.txt': null, 'new/d.txt': 'pending d\n' },
    );
    try {
      const r = await sb.run({
        command: 'cat a.txt src/c.txt new/d.txt; test -e b.txt && echo B-PRESENT || echo B-DELETED; echo x > a.txt; rm src/c.txt; echo e > e.txt',
        files: project.snapshot,
      });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, 'pending a\ndisk c\npending d\nB-DELETED\n');
      assert.equal(await fs.readFile(path.join(project.root, 'a.txt'), 'utf8'), 'disk a\n');
      assert.equal(await fs.readFile(path.join(project.root, 'b.txt'), 'utf8'), 'disk b\n');
      assert.equal(await fs.readFile(path.join(project.root, 'src/c.txt'), 'utf8'), 'disk c\n');
      await assert.rejects(fs.stat(path.join(project.root, 'e.txt')));
      await assert.rejects(fs.stat(path.join(project.root, 'new')));
    } finally {
      await project.cleanup();
    }
  });

  it('offers git-ignored node_modules read-only without copying it', smallConfig(), async (sb) => {
    const project = await tempProject({
      '.gitignore': 'node_modules/\n',
      'node_modules/dep/index.js': 'module.exports = 41;\n',
      'main.js': 'console.log(require("dep") + 1);\n',
    });
    try {
      const r = await sb.run({
        command: 'node main.js; (echo x > node_modules/dep/extra.js) 2>/dev/null && echo WROTE-DEP || echo dep-read-only',
        files: project.snapshot,
      });
      assert.equal(r.stdout, '42\ndep-read-only\n', r.stderr);
      await assert.rejects(fs.stat(path.join(project.root, 'node_modules/dep/extra.js')));
    } finally {
      await project.cleanup();
    }
  });

  it('starts each run from a fresh copy', smallConfig(), async (sb) => {
    const project = await tempProject({ 'a.txt': 'a\n' });
    try {
      await sb.run({ command: 'echo left > leftover.txt; echo t > /tmp/left.txt; rm a.txt', files: project.snapshot });
      const r = await sb.run({ command: 'ls -A; ls -A /tmp | grep left || echo no-tmp-leftover', files: project.snapshot });
      assert.equal(r.stdout, 'a.txt\nno-tmp-leftover\n');
    } finally {
      await project.cleanup();
    }
  });

  it('runs code in a language', smallConfig(), async (sb) => {
    const r = await sb.run({ code: 'import sys\nprint(sum(range(10)))\nprint("warn", file=sys.stderr)', language: 'python' });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, '45\n');
    assert.match(r.stderr, /warn/);
  });

  it('an abort kills the run', smallConfig(), async (sb) => {
    const controller = new AbortController();
    const run = sb.run({ command: 'sleep 41.25 # abort-marker' }, controller.signal);
    await waitForProcess('abort-marker', run);
    controller.abort();
    await assert.rejects(run, { name: 'AbortError' });
    assert.deepEqual(processesWith('abort-marker'), []);
    await backend.afterKill?.(sb);
    const after = await sb.run({ command: 'echo again' });
    assert.equal(after.stdout, 'again\n');
  });
}
