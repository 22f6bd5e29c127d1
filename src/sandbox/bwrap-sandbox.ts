/**
 * Bubblewrap backend (Linux without a Docker daemon). Every namespace is unshared (no network).
 * The sandbox sees only what the languages need, read-only: /usr and the /bin, /lib… links, a
 * minimal /etc (the loader cache, /etc/alternatives, the JDK's and Python's configuration, public
 * certificates, and generated passwd/group/hosts), and the toolchains that live outside /usr,
 * each at /toolchains/NAME (see host-toolchains.ts). Nothing else of the host: no /etc/shadow,
 * no home directory, no /root, no /opt. The only writable places are two size-limited tmpfs, /work
 * (the workspace copy, unpacked inside from a tar on stdin) and /tmp, so a run writes nothing to
 * the host's disk. rlimits (processes, data size, open files, file size) via prlimit, and a
 * timeout that kills the whole tree. When run as root, the run drops to `nobody` so the process
 * limit applies. Unlike Docker there is no cgroup: memory is bounded per process, CPU not at all.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import type { RunRequest, RunResult, Sandbox } from './sandbox.ts';
import { TrackedTempDirs } from './cleanup.ts';
import { hostToolchains, systemPath, systemTrees } from './host-toolchains.ts';
import { runProcess, toRunResult } from './process-run.ts';
import { presentDependencyDirs, snapshotFiles, tarFiles } from './snapshot.ts';
import { abortError, resolveRun, SandboxError } from './run-common.ts';

const nobody = 65534;

/** Size of each writable tmpfs (/work and /tmp) unless the options say otherwise. */
export const defaultBwrapDiskMb = 512;

/** Host paths under /etc that the languages read (bound read-only when present); nothing else of /etc is visible. */
const etcAllowed = ['/etc/ld.so.cache', '/etc/alternatives', '/etc/ssl/certs', '/etc/ssl/openssl.cnf', '/etc/maven'];
/** Prefixes of /etc entries bound too: the JDK's configuration (jvm.cfg, security) and Debian's Python site files. */
const etcPrefixes = ['java-', 'python3'];

/** Set once a probe has passed: namespaces that could be created once in this process still can. */
let probedOk = false;

/**
 * Where bwrap and its helpers are, or why it cannot be used. A namespace that fails to come up is
 * tried again twice, a moment apart: in CI one probe failed right after another had passed, with no
 * change on the machine between them (a namespace limit reached for an instant by runs in parallel).
 */
export async function probeBwrap(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (probedOk) return { ok: true };
  let result = await probeBwrapOnce();
  for (let retry = 0; retry < 2 && !result.ok && result.transient; retry++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    result = await probeBwrapOnce();
  }
  if (result.ok) probedOk = true;
  return result.ok ? { ok: true } : { ok: false, reason: result.reason };
}

async function probeBwrapOnce(): Promise<{ ok: true } | { ok: false; reason: string; transient?: boolean }> {
  const bwrap = findExecutable('bwrap');
  if (!bwrap) return { ok: false, reason: 'bwrap is not installed (apt-get install bubblewrap)' };
  for (const [tool, pkg] of [
    ['prlimit', 'util-linux'],
    ['tar', 'tar'],
  ] as const) {
    if (!findExecutable(tool)) return { ok: false, reason: `${tool} is not installed (apt-get install ${pkg})` };
  }
  const probe = await runProcess(
    [bwrap, '--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--size', String(1024 * 1024), '--tmpfs', '/tmp', '--', 'true'],
    {
      cwd: os.tmpdir(),
      env: { PATH: systemPath.join(':') },
      timeoutMs: 10_000,
      outputLimitBytes: 4096,
    },
  ).catch((error: Error) => ({ exitCode: -1, stderr: { text: () => error.message } }));
  if (probe.exitCode !== 0) {
    const message = probe.stderr.text().trim();
    if (/--size/.test(message)) return { ok: false, reason: `this bwrap cannot limit the size of a tmpfs (${message}); bubblewrap 0.8 or newer can` };
    return {
      ok: false,
      reason: `bwrap cannot create namespaces here (${message || `exit ${probe.exitCode}`}); user namespaces may be disabled`,
      transient: true,
    };
  }
  return { ok: true };
}

/** Options of the bubblewrap backend. */
export interface BwrapSandboxOptions {
  config: Config['sandbox'];
  root?: string;
  /** Size of /work and of /tmp, each (default `defaultBwrapDiskMb`). */
  diskMb?: number;
}

export class BwrapSandbox implements Sandbox {
  readonly kind = 'bwrap' as const;
  private readonly dirs = new TrackedTempDirs();
  private readonly dropToNobody = process.getuid?.() === 0 && findExecutable('setpriv') !== undefined;
  private etc?: Promise<string>;

  constructor(private readonly options: BwrapSandboxOptions) {}

  private get diskMb(): number {
    return this.options.diskMb ?? defaultBwrapDiskMb;
  }

  describe(): string {
    const c = this.options.config;
    const tools = hostToolchains();
    const missing = tools.missing.length ? `; not on this machine: ${tools.missing.map((m) => `${m.language} (${m.tool})`).join(', ')}` : '';
    return (
      `bubblewrap (no network; sees only /usr, the host's toolchains for ${tools.found.join(', ')} and the parts of /etc they read, read-only${missing}; ` +
      `work dir and /tmp in memory, ${this.diskMb} MB each${this.dropToNobody ? '; runs as nobody' : ''}; ` +
      `${c.pids} processes, ${c.memoryMb} MB data per process, ${Math.round(c.timeoutMs / 1000)} s timeout. ` +
      'Unlike Docker: no memory limit for the run as a whole, no CPU limit)'
    );
  }

  async run(request: RunRequest, signal?: AbortSignal): Promise<RunResult> {
    if (signal?.aborted) throw abortError();
    const cfg = this.options.config;
    const { command, extra } = resolveRun(request);
    const timeoutMs = request.timeoutMs ?? cfg.timeoutMs;
    const memoryMb = request.memoryMb ?? cfg.memoryMb;
    const bwrap = findExecutable('bwrap');
    const prlimit = findExecutable('prlimit');
    if (!bwrap || !prlimit) throw new SandboxError('bwrap or prlimit is no longer installed (apt-get install bubblewrap util-linux)');

    const files = await snapshotFiles(request.files, extra, signal);
    const tar = files.length > 0 ? await tarFiles(files) : undefined;
    const depBinds: string[] = [];
    for (const abs of await presentDependencyDirs(request.files?.root ?? this.options.root)) {
      const name = path.basename(abs);
      if (files.some((f) => f.path === name || f.path.startsWith(`${name}/`))) continue;
      depBinds.push('--ro-bind', abs, `/work/${name}`);
    }
    const tools = hostToolchains();
    const diskBytes = String(this.diskMb * 1024 * 1024);
    // As root, bwrap runs privileged (it can reach every path to bind) without a user namespace,
    // and the run itself drops to `nobody` inside (so the process limit applies to it).
    const isolation = this.dropToNobody
      ? [
          '--unshare-ipc',
          '--unshare-pid',
          '--unshare-net',
          '--unshare-uts',
          '--unshare-cgroup-try',
          '--cap-drop',
          'ALL',
          '--cap-add',
          'CAP_SETUID',
          '--cap-add',
          'CAP_SETGID',
        ]
      : ['--unshare-all', '--cap-drop', 'ALL'];
    const dropPrivileges = this.dropToNobody ? ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--no-new-privs', '--'] : [];
    const unpack =
      `tar -x -m --no-same-owner -C /work -f - || { echo "assist: could not unpack the workspace into the sandbox (its work dir holds at ` +
      `most ${this.diskMb} MB)" >&2; exit 125; }`;
    const binds = [...etcBinds(await this.generatedEtc()), ...tools.binds];
    const argv = [
      bwrap,
      ...isolation,
      '--die-with-parent',
      '--new-session',
      ...systemBinds(),
      ...parentDirs(binds.map((b) => b.target)).flatMap((d) => ['--perms', '0755', '--dir', d]),
      ...binds.flatMap((b) => ['--ro-bind', b.source, b.target]),
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--perms',
      '1777',
      '--size',
      diskBytes,
      '--tmpfs',
      '/tmp',
      '--perms',
      this.dropToNobody ? '1777' : '0755',
      '--size',
      diskBytes,
      '--tmpfs',
      '/work',
      ...depBinds,
      '--remount-ro',
      '/',
      '--chdir',
      '/work',
      '--',
      ...dropPrivileges,
      prlimit,
      `--nproc=${cfg.pids}:${cfg.pids}`,
      `--data=${memoryMb * 1024 * 1024}`,
      '--nofile=1024:1024',
      `--fsize=${1024 * 1024 * 1024}`,
      '--',
      'sh',
      '-c',
      `mkdir -p "$HOME" && { [ "$ASSIST_TAR" != 1 ] || ${unpack}; } && exec sh -c "$ASSIST_CMD" </dev/null`,
    ];
    const env = {
      PATH: [...tools.path, ...systemPath].join(':'),
      HOME: '/tmp/home',
      TMPDIR: '/tmp',
      LANG: 'C.UTF-8',
      ASSIST_CMD: command,
      ASSIST_TAR: tar ? '1' : '0',
      GOCACHE: '/tmp/go-cache',
      GOPATH: '/tmp/go',
      GOTOOLCHAIN: 'local',
      CARGO_HOME: '/tmp/cargo',
      CARGO_TARGET_DIR: '/tmp/cargo-target',
      PYTHONDONTWRITEBYTECODE: '1',
    };
    const outcome = await runProcess(argv, { cwd: '/', env, timeoutMs, outputLimitBytes: cfg.outputLimitBytes, signal, ...(tar ? { input: tar } : {}) });
    if (outcome.aborted) throw abortError();
    return toRunResult(outcome, command, { timeout: `timed out after ${timeoutMs} ms; every process of the run was killed` });
  }

  async dispose(): Promise<void> {
    await this.dirs.dispose();
  }

  /** A host dir with the sandbox's own passwd, group and hosts (made once per sandbox). */
  private generatedEtc(): Promise<string> {
    this.etc ??= (async () => {
      const dir = await this.dirs.create('assist-bwrap-etc-');
      const uid = this.dropToNobody ? nobody : (process.getuid?.() ?? nobody);
      const gid = this.dropToNobody ? nobody : (process.getgid?.() ?? nobody);
      const users = new Map([
        [0, 'root'],
        [nobody, 'nobody'],
      ]);
      const groups = new Map([
        [0, 'root'],
        [nobody, 'nogroup'],
      ]);
      if (!users.has(uid)) users.set(uid, 'runner');
      if (!groups.has(gid)) groups.set(gid, 'runner');
      await fs.writeFile(path.join(dir, 'passwd'), [...users].map(([id, name]) => `${name}:x:${id}:${id === uid ? gid : id}::/tmp/home:/bin/sh\n`).join(''));
      await fs.writeFile(path.join(dir, 'group'), [...groups].map(([id, name]) => `${name}:x:${id}:\n`).join(''));
      await fs.writeFile(path.join(dir, 'hosts'), '127.0.0.1 localhost\n::1 localhost\n');
      return dir;
    })();
    return this.etc;
  }
}

/** /usr read-only, and /bin, /lib… as the same links as on the host (merged /usr) or read-only binds. */
function systemBinds(): string[] {
  const args: string[] = [];
  for (const tree of systemTrees) {
    const stat = lstatSync(tree, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(tree), tree);
    else args.push('--ro-bind', tree, tree);
  }
  return args;
}

/** The allowed parts of the host's /etc, and the generated files in `generated`. */
function etcBinds(generated: string): Array<{ source: string; target: string }> {
  const paths = [
    ...etcAllowed,
    ...readdirSync('/etc')
      .filter((n) => etcPrefixes.some((p) => n.startsWith(p)))
      .map((n) => `/etc/${n}`),
  ];
  const binds = paths.filter((p) => existsSync(p)).map((p) => ({ source: p, target: p }));
  for (const name of ['passwd', 'group', 'hosts']) binds.push({ source: path.join(generated, name), target: `/etc/${name}` });
  return binds;
}

/** Every directory above the targets, parents first (bwrap would make them 0700, closed to `nobody`). */
function parentDirs(targets: string[]): string[] {
  const dirs = new Set<string>();
  for (const target of targets) {
    for (let d = path.dirname(target); d !== '/'; d = path.dirname(d)) dirs.add(d);
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/** Absolute path of an executable on PATH (or the usual system dirs), or undefined. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...systemPath].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
