/**
 * Bubblewrap backend (Linux without a Docker daemon): every namespace unshared (no network), the
 * system bound read-only, a private temp copy of the workspace as the writable work dir, rlimits
 * (processes, data memory, open files) via prlimit, and a timeout that kills the whole tree. When
 * run as root, the run drops to `nobody` inside the sandbox so the process limit applies.
 */
import { existsSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import type { RunRequest, RunResult, Sandbox } from './sandbox.ts';
import { TrackedTempDirs } from './cleanup.ts';
import { runProcess, toRunResult } from './process-run.ts';
import { presentDependencyDirs, snapshotFiles, writeFiles } from './snapshot.ts';
import { abortError, resolveRun, SandboxError } from './run-common.ts';

const nobody = 65534;
const systemPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Where bwrap and its helpers are, or why it cannot be used. */
export async function probeBwrap(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const bwrap = findExecutable('bwrap');
  if (!bwrap) return { ok: false, reason: 'bwrap is not installed (apt-get install bubblewrap)' };
  if (!findExecutable('prlimit')) return { ok: false, reason: 'prlimit is not installed (apt-get install util-linux)' };
  const probe = await runProcess([bwrap, '--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--', 'true'], {
    cwd: os.tmpdir(), env: { PATH: systemPath }, timeoutMs: 10_000, outputLimitBytes: 4096,
  }).catch((error: Error) => ({ exitCode: -1, stderr: { text: () => error.message } }));
  if (probe.exitCode !== 0) return { ok: false, reason: `bwrap cannot create namespaces here (${probe.stderr.text().trim() || `exit ${probe.exitCode}`}); user namespaces may be disabled` };
  return { ok: true };
}

export class BwrapSandbox implements Sandbox {
  readonly kind = 'bwrap' as const;
  private readonly dirs = new TrackedTempDirs();
  private readonly dropToNobody = process.getuid?.() === 0 && findExecutable('setpriv') !== undefined;

  constructor(private readonly options: { config: Config['sandbox']; root?: string }) {}

  describe(): string {
    const c = this.options.config;
    return `bubblewrap (no network, read-only system, private copy of the workspace${this.dropToNobody ? ', as nobody' : ''}; ${c.memoryMb} MB data, ${c.pids} processes, ${Math.round(c.timeoutMs / 1000)} s timeout)`;
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

    const dir = await this.dirs.create('assist-bwrap-');
    try {
      const work = path.join(dir, 'work');
      await fs.mkdir(work);
      const files = await snapshotFiles(request.files, extra, signal);
      await writeFiles(work, files);
      if (this.dropToNobody) await chownTree(dir, nobody, nobody);
      const binds: string[] = [];
      for (const abs of await presentDependencyDirs(request.files?.root ?? this.options.root)) {
        const name = path.basename(abs);
        if (files.some((f) => f.path === name || f.path.startsWith(`${name}/`))) continue;
        binds.push('--ro-bind', abs, `/work/${name}`);
      }
      // As root, bwrap runs privileged (it can reach every path to bind) without a user namespace,
      // and the run itself drops to `nobody` inside (so the process limit applies to it).
      const isolation = this.dropToNobody
        ? ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try', '--cap-drop', 'ALL', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID']
        : ['--unshare-all', '--cap-drop', 'ALL'];
      const dropPrivileges = this.dropToNobody ? ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--no-new-privs', '--'] : [];
      const argv = [
        bwrap,
        ...isolation, '--die-with-parent', '--new-session',
        '--ro-bind', '/usr', '/usr',
        ...['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt'].flatMap((p) => (existsSync(p) ? ['--ro-bind', p, p] : [])),
        '--proc', '/proc', '--dev', '/dev', '--perms', '1777', '--tmpfs', '/tmp',
        '--bind', work, '/work', ...binds, '--remount-ro', '/', '--chdir', '/work',
        '--', ...dropPrivileges, prlimit, `--nproc=${cfg.pids}:${cfg.pids}`, `--data=${memoryMb * 1024 * 1024}`, '--nofile=1024:1024', `--fsize=${1024 * 1024 * 1024}`,
        '--', 'sh', '-c', 'mkdir -p "$HOME" && exec sh -c "$ASSIST_CMD" </dev/null',
      ];
      const env = { PATH: systemPath, HOME: '/tmp/home', TMPDIR: '/tmp', LANG: 'C.UTF-8', ASSIST_CMD: command, GOCACHE: '/tmp/go-cache', GOPATH: '/tmp/go', GOTOOLCHAIN: 'local', CARGO_TARGET_DIR: '/tmp/cargo-target', PYTHONDONTWRITEBYTECODE: '1' };
      const outcome = await runProcess(argv, { cwd: dir, env, timeoutMs, outputLimitBytes: cfg.outputLimitBytes, signal });
      if (outcome.aborted) throw abortError();
      return toRunResult(outcome, command, { timeout: `timed out after ${timeoutMs} ms; every process of the run was killed` });
    } finally {
      await this.dirs.remove(dir);
    }
  }

  async dispose(): Promise<void> {
    await this.dirs.dispose();
  }
}

/** Absolute path of an executable on PATH (or the usual system dirs), or undefined. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...systemPath.split(':')].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await fs.chown(dir, uid, gid);
  for (const entry of await fs.readdir(dir, { recursive: true })) await fs.lchown(path.join(dir, entry), uid, gid);
}
