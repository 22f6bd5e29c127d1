/**
 * Docker backend: one warm, locked-down container per session (no network, memory/CPU/pids
 * limits, non-root, no capabilities, no-new-privileges, read-only root, tmpfs work dir). Each run
 * is a single exec that unpacks the workspace snapshot from stdin and runs the command, so a run
 * costs an exec, not a container start. After each run a second exec kills every process of the
 * run's user, checks with `pgrep` that none is left and empties /work and /tmp; if that fails, the
 * container is removed (the run's result says so) and the next run starts a fresh one. A timeout
 * or an abort removes the container (killing every process in it).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Docker from 'dockerode';
import type { Config } from '../config/schema.ts';
import type { RunRequest, RunResult, Sandbox } from './sandbox.ts';
import { CappedOutput } from './output.ts';
import { track, untrack, type Releasable } from './cleanup.ts';
import { presentDependencyDirs, snapshotFiles, tarFiles } from './snapshot.ts';
import { abortError, killedNote, resolveRun, SandboxError } from './run-common.ts';

/** Label keys every sandbox container carries. */
export const labels = { sandbox: 'assist.sandbox', session: 'assist.session', pid: 'assist.pid', host: 'assist.host' } as const;

/** uid:gid of the image's `runner` user (runs) and of the idle keeper process. */
const runnerUser = '10001:10001';
const keeperUser = '65534:65534';

// One exec per run: unpack, link dependencies, run. /work and /tmp are empty and no process of an
// earlier run is alive: the container is new, or `cleanScript` succeeded after the previous run.
const runScript = [
  'mkdir -p "$HOME"',
  'if [ "$ASSIST_TAR" = 1 ]; then tar -x -m -C /work -f - || { echo "assist: could not unpack the workspace into the sandbox" >&2; exit 125; }; fi',
  'for d in /deps/*; do [ -e "$d" ] && [ ! -e "/work/${d##*/}" ] && ln -s "$d" "/work/${d##*/}"; done',
  'cd /work && exec sh -c "$ASSIST_CMD" </dev/null',
].join('\n');

/**
 * Run as the runner after every run; exit 0 means the container is as new. `kill -9 -1` signals
 * every process of the runner user (all a run can start, whatever its process group or session)
 * but this shell; it is a builtin, so it works when a fork bomb holds every pid. Then `pgrep`
 * must find no process outside the keeper user but this shell (zombies are reaped by the
 * container's init within moments), and /work and /tmp are emptied, unreadable directories too.
 * Every failure is printed (the reason shown to the user) and ends with a non-zero exit.
 */
const cleanScript = [
  'kill -9 -1',
  'tries=0',
  'while :; do',
  '  left=$(pgrep -v -u 65534)',
  '  [ "$left" = "$$" ] && break',
  '  tries=$((tries + 1))',
  '  if [ "$tries" -gt 50 ]; then',
  '    echo "processes survived kill -9 -1:"',
  '    for p in $left; do [ "$p" = "$$" ] || ps -o pid=,user=,stat=,args= -p "$p"; done',
  '    exit 1',
  '  fi',
  '  sleep 0.1',
  '  kill -9 -1',
  'done',
  'find /work /tmp -mindepth 1 -type d ! -perm -700 -exec chmod u+rwx {} \\; || exit 1',
  'find /work /tmp -mindepth 1 -delete || { echo "could not empty /work and /tmp"; exit 1; }',
].join('\n');

/** How long the cleanup after a run may take before the container is replaced instead. */
const cleanTimeoutMs = 15_000;

/** Options of the Docker backend (from `config.sandbox` plus the session). */
export interface DockerSandboxOptions {
  config: Config['sandbox'];
  root?: string;
  sessionId: string;
  docker?: Docker;
}

export class DockerSandbox implements Sandbox {
  readonly kind = 'docker' as const;
  readonly docker: Docker;
  private container?: { handle: Docker.Container; id: string; memoryMb: number; deps: string };
  private starting?: Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly releasable: Releasable;
  /** Where the engine listens, resolved while async work is possible (the exit hook is sync). */
  private engineAddress: EngineAddress = { socketPath: '/var/run/docker.sock' };

  constructor(private readonly options: DockerSandboxOptions) {
    this.docker = options.docker ?? new Docker();
    this.releasable = { release: () => this.removeContainer(), releaseSync: () => this.removeContainerSync() };
    track(this.releasable);
  }

  describe(): string {
    const c = this.options.config;
    return `docker (image ${c.image}; no network, ${c.memoryMb} MB, ${c.cpus} CPU, ${c.pids} processes, ${Math.round(c.timeoutMs / 1000)} s timeout)`;
  }

  /** Id of the warm container, if one is running (for tests and `sandbox status`). */
  get containerId(): string | undefined {
    return this.container?.id;
  }

  run(request: RunRequest, signal?: AbortSignal): Promise<RunResult> {
    const next = this.queue.then(() => this.runNow(request, signal));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    untrack(this.releasable);
    // Removing the container first also ends a run in progress instead of waiting for it.
    await this.removeContainer();
    await this.queue;
    await this.removeContainer();
  }

  private async runNow(request: RunRequest, signal?: AbortSignal): Promise<RunResult> {
    if (this.disposed) throw new SandboxError('the sandbox was disposed');
    if (signal?.aborted) throw abortError();
    const cfg = this.options.config;
    const { command, extra } = resolveRun(request);
    const timeoutMs = request.timeoutMs ?? cfg.timeoutMs;
    const memoryMb = request.memoryMb ?? cfg.memoryMb;
    const files = await snapshotFiles(request.files, extra, signal);
    const tar = files.length > 0 ? await tarFiles(files) : undefined;
    const deps = await presentDependencyDirs(request.files?.root ?? this.options.root);
    const execOptions: Docker.ExecCreateOptions = {
      Cmd: ['sh', '-c', runScript],
      Env: [`ASSIST_CMD=${command}`, `ASSIST_TAR=${tar ? 1 : 0}`, 'TMPDIR=/tmp'],
      AttachStdin: Boolean(tar),
      AttachStdout: true,
      AttachStderr: true,
      User: runnerUser,
      WorkingDir: '/work',
    };
    let exec: Docker.Exec;
    try {
      exec = await (await this.ensureContainer(memoryMb, deps)).handle.exec(execOptions);
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      // The warm container is gone or broken (removed outside assist, engine restarted): start afresh once.
      await this.removeContainer().catch((e: Error) => {
        throw new SandboxError(`the sandbox container is broken (${(error as Error).message}) and could not be removed: ${e.message}`);
      });
      exec = await (await this.ensureContainer(memoryMb, deps)).handle.exec(execOptions).catch((e: Error) => {
        throw new SandboxError(`could not start a run in the sandbox container: ${e.message}`);
      });
    }
    if (signal?.aborted) throw abortError();
    const stdout = new CappedOutput(cfg.outputLimitBytes);
    const stderr = new CappedOutput(cfg.outputLimitBytes);
    const started = performance.now();
    const stream = await exec.start({ hijack: true, stdin: Boolean(tar) });
    // Synchronous sinks: every demuxed chunk is captured before the stream's 'end' is seen.
    const sink = (target: CappedOutput): Writable =>
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          target.write(chunk);
          done();
        },
      });
    this.docker.modem.demuxStream(stream, sink(stdout), sink(stderr));

    let timedOut = false;
    let aborted = false;
    const finished = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', resolve);
    });
    const kill = (): void => void this.removeContainer().catch(() => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    if (tar) stream.end(tar);
    try {
      await finished;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    const durationMs = Math.round(performance.now() - started);
    if (aborted) {
      await this.removeContainer();
      throw abortError();
    }
    let exitCode: number | null = null;
    if (!timedOut) {
      const info = await exec.inspect().catch(() => undefined);
      exitCode = typeof info?.ExitCode === 'number' ? info.ExitCode : null;
      if (exitCode === null) {
        // The container died under the run (disposed, removed outside assist, engine stopped).
        await this.removeContainer();
        stderr.write('\n[assist: the sandbox container stopped during the run]\n');
      }
    } else {
      await this.removeContainer();
    }
    let stderrText = stderr.text();
    if (timedOut) stderrText += `\n[assist: timed out after ${timeoutMs} ms; every process of the run was killed]\n`;
    else if (exitCode === 137) stderrText += killedNote(memoryMb);
    if (exitCode !== null) stderrText += await this.cleanAfterRun();
    return { exitCode, stdout: stdout.text(), stderr: stderrText, timedOut, truncated: stdout.truncated || stderr.truncated, durationMs, command };
  }

  /**
   * Makes the warm container as new after a run (see `cleanScript`). When that fails (a process
   * survives, the exec cannot run, it takes too long) the container is removed, so the next run
   * starts a fresh one; returns the note for the run's stderr saying so, else ''.
   */
  private async cleanAfterRun(): Promise<string> {
    const c = this.container;
    if (!c || this.disposed) return '';
    let problem: string | undefined;
    try {
      const outcome = await execScript(this.docker, c.handle, cleanScript, cleanTimeoutMs);
      if (outcome.timedOut) problem = `the cleanup took longer than ${cleanTimeoutMs / 1000} s`;
      else if (outcome.exitCode !== 0) problem = `${outcome.output.trim() || 'no message'} (exit ${outcome.exitCode ?? 'unknown'})`;
    } catch (error) {
      problem = `the cleanup could not run: ${(error as Error).message}`;
    }
    if (problem === undefined || this.container !== c) return '';
    await this.removeContainer().catch((error: Error) => {
      throw new SandboxError(`the sandbox could not be cleaned after a run (${problem}) and its container could not be removed either: ${error.message}`);
    });
    return `\n[assist: the sandbox could not be cleaned after this run (${problem}); its container was removed and the next run starts in a fresh one]\n`;
  }

  private async ensureContainer(memoryMb: number, depDirs: string[]): Promise<NonNullable<DockerSandbox['container']>> {
    while (this.starting) await this.starting;
    const deps = depDirs.join('\n');
    if (this.container && this.container.deps !== deps) await this.removeContainer();
    if (this.container && this.container.memoryMb !== memoryMb) {
      const bytes = memoryMb * 1024 * 1024;
      await this.container.handle.update({ Memory: bytes, MemorySwap: bytes });
      this.container.memoryMb = memoryMb;
    }
    if (this.container) return this.container;
    const start = this.createContainer(memoryMb, depDirs, deps);
    this.starting = start.finally(() => (this.starting = undefined));
    await this.starting;
    return this.container!;
  }

  private async createContainer(memoryMb: number, depDirs: string[], deps: string): Promise<void> {
    const cfg = this.options.config;
    this.engineAddress = await engineAddress(this.docker);
    const bytes = memoryMb * 1024 * 1024;
    const name = `assist-sbx-${this.options.sessionId.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 40)}-${Math.random().toString(36).slice(2, 8)}`;
    let handle: Docker.Container;
    try {
      handle = await this.docker.createContainer({
        name,
        Image: cfg.image,
        Cmd: ['sleep', 'infinity'],
        User: keeperUser,
        WorkingDir: '/work',
        Labels: {
          [labels.sandbox]: '1',
          [labels.session]: this.options.sessionId,
          [labels.pid]: String(process.pid),
          [labels.host]: os.hostname(),
        },
        NetworkDisabled: true,
        HostConfig: {
          NetworkMode: 'none',
          Init: true,
          Memory: bytes,
          MemorySwap: bytes,
          NanoCpus: Math.round(cfg.cpus * 1e9),
          PidsLimit: cfg.pids,
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          ReadonlyRootfs: true,
          Tmpfs: {
            '/work': 'rw,exec,nosuid,nodev,size=1g,uid=10001,gid=10001,mode=0755',
            '/tmp': 'rw,exec,nosuid,nodev,size=1g,mode=1777',
          },
          Binds: depDirs.map((abs) => `${abs}:/deps/${path.basename(abs)}:ro`),
          Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 1024 }],
          LogConfig: { Type: 'none', Config: {} },
        },
      });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404)
        throw new SandboxError(
          `the sandbox image '${cfg.image}' is missing: run \`assist sandbox build\` (builds it offline from Debian packages) or \`assist sandbox ` +
            `build --from-tar FILE\``,
        );
      throw new SandboxError(`could not create the sandbox container: ${(error as Error).message}`);
    }
    this.container = { handle, id: handle.id, memoryMb, deps };
    try {
      await handle.start();
    } catch (error) {
      await this.removeContainer();
      throw new SandboxError(`could not start the sandbox container: ${(error as Error).message}`);
    }
  }

  private removal: Promise<void> = Promise.resolve();

  /**
   * Force-removes the warm container (killing every process in it); resolves when it and any
   * removal still under way are gone, and rejects when this removal failed. A failed earlier
   * removal was reported to its own caller and does not fail later ones.
   */
  private removeContainer(): Promise<void> {
    const c = this.container;
    this.container = undefined;
    if (c) {
      const gone = c.handle.remove({ force: true, v: true }).catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
      });
      this.removal = Promise.all([this.removal.catch(() => undefined), gone]).then(() => undefined);
    }
    return this.removal;
  }

  /** Synchronous removal for the `exit` hook: a child process talks to the engine. */
  private removeContainerSync(): void {
    const c = this.container;
    this.container = undefined;
    if (!c) return;
    removeContainersSync(this.engineAddress, [c.id]);
  }
}

/** Runs `script` with `sh -c` as the runner in the container; output (both streams) capped at 8 KB. */
async function execScript(
  docker: Docker,
  container: Docker.Container,
  script: string,
  timeoutMs: number,
): Promise<{ exitCode: number | null; output: string; timedOut: boolean }> {
  const exec = await container.exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true, User: runnerUser, WorkingDir: '/' });
  const stream = await exec.start({ hijack: true, stdin: false });
  const output = new CappedOutput(8192);
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      output.write(chunk);
      done();
    },
  });
  docker.modem.demuxStream(stream, sink, sink);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    new Promise<boolean>((resolve) => {
      stream.once('end', () => resolve(false));
      stream.once('close', () => resolve(false));
      stream.once('error', () => resolve(false));
    }),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    stream.destroy();
    return { exitCode: null, output: output.text(), timedOut };
  }
  const info = await exec.inspect();
  return { exitCode: typeof info.ExitCode === 'number' ? info.ExitCode : null, output: output.text(), timedOut };
}

/** How to reach the engine over HTTP (unix socket or TCP). */
export type EngineAddress = { socketPath: string } | { host: string; port: number };

/** Resolves dockerode's engine address (its socket path may be a function). */
export async function engineAddress(docker: Docker): Promise<EngineAddress> {
  const modem = docker.modem as unknown as { socketPath?: string | (() => string | Promise<string>); host?: string; port?: number | string };
  if (modem.socketPath) return { socketPath: typeof modem.socketPath === 'function' ? await modem.socketPath() : modem.socketPath };
  return { host: modem.host ?? 'localhost', port: Number(modem.port ?? 2375) };
}

/** Force-removes containers by id through the engine API, blocking (for `exit` handlers). */
export function removeContainersSync(address: EngineAddress, ids: string[]): void {
  const script =
    `const http=require('http');const t=${JSON.stringify(address)};let n=${ids.length};for(const id of ${JSON.stringify(ids)}){const ` +
    `r=http.request({...t,method:'DELETE',path:'/containers/'+id+'?force=true&v=true'},` +
    `res=>{res.resume();res.on('end',()=>{if(--n===0)process.exit(0)})});` +
    `r.on('error',()=>{if(--n===0)process.exit(0)});r.end()}`;
  spawnSync(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 10_000 });
}

/**
 * Removes sandbox containers left by crashed sessions on this host: those whose owner process
 * (label `assist.pid`) is no longer alive. Returns how many were removed.
 */
export async function reapStaleContainers(docker: Docker): Promise<number> {
  const list = await docker.listContainers({ all: true, filters: { label: [labels.sandbox] } });
  let removed = 0;
  for (const info of list) {
    const owner = Number(info.Labels[labels.pid]);
    if (info.Labels[labels.host] !== os.hostname() || !Number.isInteger(owner)) continue;
    if (processAlive(owner)) continue;
    await docker
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .then(
        () => removed++,
        () => undefined,
      );
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
