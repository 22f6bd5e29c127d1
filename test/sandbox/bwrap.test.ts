/**
 * The bubblewrap backend: the same behaviour suite as Docker (fails, not skips, under CI when bwrap
 * cannot run), plus what it binds and bounds (issue 14, item 7): writes only to size-limited tmpfs,
 * nothing of the host beyond the toolchains, every host language runs; and the `auto` fallback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BwrapSandbox } from '../../src/sandbox/bwrap-sandbox.ts';
import { hostToolchains } from '../../src/sandbox/host-toolchains.ts';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import { behaviourSuite } from './behaviour.ts';
import { bwrapUnavailable, processesWith, smallConfig, tempProject, waitForProcess } from './helpers.ts';

/** Paths of files named `name` under `dir`, `depth` levels down (unreadable dirs skipped). */
function filesNamed(dir: string, name: string, depth: number): string[] {
  const found: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.name === name) found.push(full);
    if (entry.isDirectory() && depth > 0) found.push(...filesNamed(full, name, depth - 1));
  }
  return found;
}

behaviourSuite({
  name: 'bwrap',
  unavailable: () => bwrapUnavailable(),
  open: async (config) => new BwrapSandbox({ config: config.sandbox }),
});

test('bwrap: a run writes only to size-limited tmpfs: past the bound it fails, and nothing reaches the host disk', async (t) => {
  const why = await bwrapUnavailable();
  if (why) return t.skip(why);
  const marker = `host-disk-marker-${process.pid}`;
  const project = await tempProject({ 'a.txt': 'a\n' });
  const big = await tempProject({ 'big.bin': 'x'.repeat(20 * 1024 * 1024) });
  const sandbox = new BwrapSandbox({ config: smallConfig().sandbox, diskMb: 16 });
  try {
    const mounts = await sandbox.run({ command: 'stat -f -c %T /work /tmp; df -k --output=size /work /tmp | tail -n +2 | tr -d " "' });
    assert.equal(mounts.stdout, 'tmpfs\ntmpfs\n16384\n16384\n', mounts.stderr);
    for (const dir of ['/work', '/tmp']) {
      const r = await sandbox.run({ command: `head -c 40000000 /dev/zero > ${dir}/fill || exit 9` });
      assert.equal(r.exitCode, 9, `writing 40 MB to ${dir} did not fail: ${r.stderr}`);
      assert.match(r.stderr, /No space left on device/);
    }
    const tooBig = await sandbox.run({ command: 'echo ran', files: big.snapshot });
    assert.equal(tooBig.exitCode, 125);
    assert.match(tooBig.stderr, /could not unpack the workspace into the sandbox \(its work dir holds at most 16 MB\)/);
    // While the run is alive (its file written, its sleep started), the host's temp dir holds no copy of the work dir.
    const running = sandbox.run({ command: `echo x > ${marker}; echo y > /tmp/${marker}; sleep 30 # ${marker}`, files: project.snapshot, timeoutMs: 60_000 });
    await waitForProcess(`# ${marker}`, running);
    assert.deepEqual(filesNamed(os.tmpdir(), marker, 3), [], 'a run wrote to the host disk');
    for (const pid of processesWith(`# ${marker}`)) process.kill(pid, 'SIGKILL');
    await running;
  } finally {
    await sandbox.dispose();
    await project.cleanup();
    await big.cleanup();
  }
});

test("bwrap: the host's secrets, homes, /opt and the rest of /etc are not visible", async (t) => {
  const why = await bwrapUnavailable();
  if (why) return t.skip(why);
  const sandbox = new BwrapSandbox({ config: smallConfig().sandbox });
  try {
    const hidden = ['/etc/shadow', '/etc/ssl/private', '/etc/hostname', '/etc/environment', '/root', '/home', os.homedir(), '/opt', '/var', '/srv', '/sys'];
    const r = await sandbox.run({ command: `for p in ${hidden.join(' ')}; do test -e "$p" && echo "VISIBLE $p"; done; ls -A /etc; id -un` });
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.filter((l) => l.startsWith('VISIBLE')),
      [],
    );
    const etc = lines.slice(0, -1);
    const allowed = /^(alternatives|group|hosts|passwd|ld\.so\.cache|maven|ssl|java-.*|python3.*)$/;
    assert.deepEqual(
      etc.filter((name) => !allowed.test(name)),
      [],
      `unexpected entries in /etc: ${etc.join(' ')}`,
    );
    assert.match(lines.at(-1)!, /^(nobody|runner)$/, 'the run has a name (generated /etc/passwd)');
  } finally {
    await sandbox.dispose();
  }
});

test('bwrap: every language whose toolchain is on this machine is found and runs', async (t) => {
  const why = await bwrapUnavailable();
  if (why) return t.skip(why);
  const tools = hostToolchains();
  const onHost = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
  for (const { language, tool } of tools.missing)
    assert.equal(onHost(tool), false, `${language}: ${tool} is on this machine's PATH but the sandbox did not find it`);
  assert.ok(tools.found.includes('python'), 'python3 is needed by the other sandbox tests');
  const programs: Record<string, string> = {
    python: 'print(6*7)',
    javascript: 'console.log(6*7)',
    typescript: 'const n: number = 6 * 7;\nconsole.log(n);',
    go: 'package main\nimport "fmt"\nfunc main() { fmt.Println(6*7) }',
    rust: 'fn main() { println!("{}", 6*7); }',
    c: '#include <stdio.h>\nint main(void) { printf("%d\\n", 6*7); return 0; }',
    cpp: '#include <iostream>\nint main() { std::cout << 6*7 << std::endl; }',
    java: 'public class Main { public static void main(String[] a) { System.out.println(6*7); } }',
    bash: 'echo $((6*7))',
    sh: 'echo $((6*7))',
    ruby: 'puts 6*7',
  };
  const sandbox = new BwrapSandbox({ config: smallConfig({ memoryMb: 1024, pids: 256, timeoutMs: 120_000 }).sandbox });
  try {
    for (const language of tools.found) {
      const r = await sandbox.run({ code: programs[language]!, language });
      assert.equal(r.stdout, '42\n', `${language}: exit ${r.exitCode}\n${r.stderr}`);
      assert.equal(r.stderr, '', `${language} wrote to stderr`);
    }
  } finally {
    await sandbox.dispose();
  }
  t.diagnostic(`ran: ${tools.found.join(', ')}; not on this machine: ${tools.missing.map((m) => m.language).join(', ') || 'none'}`);
});

test('bwrap: openSandbox with backend "bwrap" says so', async (t) => {
  const why = await bwrapUnavailable();
  if (why) return t.skip(why);
  const { sandbox, reason } = await openSandbox(smallConfig({ backend: 'bwrap' }), { root: process.cwd() });
  try {
    assert.equal(sandbox?.kind, 'bwrap', reason);
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
    assert.equal(sandbox?.kind, 'bwrap', reason);
    assert.match(reason, /^bubblewrap, because Docker is not usable: /);
    assert.match(reason, /assist sandbox build|Docker is not running|docker group/);
  } finally {
    await sandbox?.dispose();
  }
});
