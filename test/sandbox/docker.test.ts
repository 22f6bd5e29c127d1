/**
 * The Docker backend against the real engine (fails, not skips, under CI when Docker or the image
 * is missing): the shared behaviour suite plus warm reuse, labels, cleanup and the toolchains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { DockerSandbox, labels, reapStaleContainers } from '../../src/sandbox/docker-sandbox.ts';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { behaviourSuite } from './behaviour.ts';
import { dockerUnavailable, smallConfig } from './helpers.ts';

const docker = new Docker();
let sessions = 0;
const sessionOf = new WeakMap<Sandbox, string>();

async function sessionContainers(sessionId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${labels.session}=${sessionId}`] } });
}

function openDocker(config = smallConfig()): DockerSandbox {
  const sessionId = `test-${process.pid}-${++sessions}`;
  const sandbox = new DockerSandbox({ config: config.sandbox, sessionId, docker });
  sessionOf.set(sandbox, sessionId);
  return sandbox;
}

behaviourSuite({
  name: 'docker',
  unavailable: () => dockerUnavailable(),
  open: async (config) => openDocker(config),
  // A killed run takes its container with it: nothing of the session is left.
  afterKill: async (sandbox) => assert.deepEqual(await sessionContainers(sessionOf.get(sandbox)!), []),
});

test('docker: reuses one warm, locked-down container and removes it on dispose', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const sandbox = openDocker(smallConfig({ memoryMb: 100, pids: 50, cpus: 1 }));
  const sessionId = sessionOf.get(sandbox)!;
  try {
    await sandbox.run({ command: 'true' });
    const first = sandbox.containerId;
    const r = await sandbox.run({
      command: 'id -u; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status; cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max',
    });
    assert.equal(sandbox.containerId, first, 'a second run started a new container');
    assert.equal(r.stdout, '10001\nCapEff:\t0000000000000000\nNoNewPrivs:\t1\n50\n');
    const list = await sessionContainers(sessionId);
    assert.equal(list.length, 1);
    assert.equal(list[0]!.Labels[labels.pid], String(process.pid));
    const info = await docker.getContainer(first!).inspect();
    assert.equal(info.HostConfig.NetworkMode, 'none');
    assert.equal(info.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
    assert.deepEqual(info.HostConfig.SecurityOpt, ['no-new-privileges']);
    assert.equal(info.HostConfig.Memory, 100 * 1024 * 1024);
    assert.equal(info.HostConfig.PidsLimit, 50);
  } finally {
    await sandbox.dispose();
  }
  assert.deepEqual(await sessionContainers(sessionId), [], 'a container was left after dispose');
});

test('docker: a normal run leaves no process behind and the next run does not see leftovers', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const sandbox = openDocker();
  try {
    await sandbox.run({ command: '(sleep 300 # bg-marker\n) >/dev/null 2>&1 & echo started' });
    const r = await sandbox.run({ command: 'ps -eo args | grep -c "[b]g-marker" || true' });
    assert.equal(r.stdout.trim(), '0');
  } finally {
    await sandbox.dispose();
  }
});

test('docker: every supported language runs in the image', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const sandbox = openDocker(smallConfig({ memoryMb: 1024, pids: 256, timeoutMs: 120_000 }));
  const programs: Array<[string, string]> = [
    ['python', 'print(6*7)'],
    ['javascript', 'console.log(6*7)'],
    ['typescript', 'const n: number = 6 * 7;\nconsole.log(n);'],
    ['go', 'package main\nimport "fmt"\nfunc main() { fmt.Println(6*7) }'],
    ['rust', 'fn main() { println!("{}", 6*7); }'],
    ['c', '#include <stdio.h>\nint main(void) { printf("%d\\n", 6*7); return 0; }'],
    ['cpp', '#include <iostream>\nint main() { std::cout << 6*7 << std::endl; }'],
    ['java', 'public class Main { public static void main(String[] a) { System.out.println(6*7); } }'],
    ['bash', 'echo $((6*7))'],
    ['ruby', 'puts 6*7'],
  ];
  try {
    for (const [language, code] of programs) {
      const r = await sandbox.run({ code, language });
      assert.equal(r.stdout, '42\n', `${language}: exit ${r.exitCode}\n${r.stderr}`);
    }
  } finally {
    await sandbox.dispose();
  }
});

test('docker: stale containers of dead sessions are reaped, live ones kept', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const dead = spawn('true');
  await new Promise((r) => dead.once('exit', r));
  const make = (pid: number) =>
    docker.createContainer({
      Image: smallConfig().sandbox.image,
      Cmd: ['true'],
      Labels: { [labels.sandbox]: '1', [labels.session]: `stale-test-${pid}`, [labels.pid]: String(pid), [labels.host]: os.hostname() },
    });
  const stale = await make(dead.pid!);
  const live = await make(process.pid);
  try {
    await reapStaleContainers(docker);
    await assert.rejects(stale.inspect(), { statusCode: 404 });
    assert.ok((await live.inspect()).Id);
  } finally {
    await live.remove({ force: true });
    await stale.remove({ force: true }).catch(() => undefined);
  }
});

for (const how of ['exit', 'SIGTERM'] as const) {
  test(`docker: containers are removed when the process ends by ${how}`, async (t) => {
    const why = await dockerUnavailable();
    if (why) return t.skip(why);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./exit-child.ts', import.meta.url)), how], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const ready = new Promise<string>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /session=(\S+)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const sessionId = await Promise.race([
      ready,
      exited.then(() => {
        throw new Error(`child exited early: ${out}`);
      }),
    ]);
    assert.equal((await sessionContainers(sessionId)).length, 1);
    if (how === 'SIGTERM') child.kill('SIGTERM');
    // A generous guard, not a timing check: a child that ignores the signal fails the test instead of hanging it.
    let guard: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exited,
      new Promise<never>((_, reject) => {
        guard = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the child did not end within 60 s of ${how}`));
        }, 60_000);
      }),
    ]).finally(() => clearTimeout(guard));
    assert.equal(code, how === 'SIGTERM' ? 143 : 0);
    assert.deepEqual(await sessionContainers(sessionId), []);
  });
}

test('docker: openSandbox picks docker and says why', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const { sandbox, reason } = await openSandbox(smallConfig(), { root: process.cwd(), sessionId: `test-open-${process.pid}` });
  try {
    assert.equal(sandbox?.kind, 'docker');
    assert.match(reason, /^docker \(engine .*, image assist-sandbox:latest\)/);
  } finally {
    await sandbox?.dispose();
  }
});

test('docker: a missing image is a clear error naming the fix', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const config = smallConfig({ image: 'assist-sandbox-does-not-exist:0', backend: 'docker' });
  const { sandbox, reason } = await openSandbox(config, { root: process.cwd() });
  assert.equal(sandbox, undefined);
  assert.match(reason, /image 'assist-sandbox-does-not-exist:0' is missing: run `assist sandbox build`/);
});

test('docker: recovers when the warm container vanished, and applies a per-run memory limit', async (t) => {
  const why = await dockerUnavailable();
  if (why) return t.skip(why);
  const sandbox = openDocker();
  try {
    await sandbox.run({ command: 'true' });
    const first = sandbox.containerId!;
    await docker.getContainer(first).remove({ force: true });
    const r = await sandbox.run({ command: 'echo back' });
    assert.equal(r.stdout, 'back\n');
    assert.notEqual(sandbox.containerId, first);
    await sandbox.run({ command: 'true', memoryMb: 200 });
    assert.equal((await docker.getContainer(sandbox.containerId!).inspect()).HostConfig.Memory, 200 * 1024 * 1024);
  } finally {
    await sandbox.dispose();
  }
});
