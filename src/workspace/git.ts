/**
 * git, run as the real `git` program (never a reimplementation): whether the project is in a
 * repository, its branch, which files differ from HEAD (`status --porcelain=v1 -z`), a file's text
 * at HEAD, and a commit of exactly the given paths. Reads run with `--no-optional-locks`, so they
 * never take the index lock from the user's own git; every call has a timeout; git missing, a
 * broken repository, a timeout and a failed command are `GitError`s that say what to do. Only
 * assist runs git: tools never touch `.git/` (path-guard.ts).
 *
 * Paths in and out are project-relative ('/'-separated); the project root may be a folder inside
 * the repository, and files outside it are never listed nor committed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** What went wrong with git: not installed, a repository it cannot read, no answer in time, or a command that failed. */
export type GitErrorCode = 'missing' | 'broken' | 'timeout' | 'failed';

/** A git call that failed; the message is for the person (it names the command and git's own words). */
export class GitError extends Error {
  constructor(
    readonly code: GitErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  /** The environment git runs with (its PATH finds git); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Reads fail after this long (default 10 s). */
  timeoutMs?: number;
  /** A commit fails after this long (default 120 s: hooks and signing run inside it). */
  commitTimeoutMs?: number;
}

/** One file of `git status`, as porcelain v1 gives it: `index` and `worktree` are the X and Y letters (`??` untracked, `!!` ignored). */
export interface GitFileStatus {
  path: string;
  index: string;
  worktree: string;
  /** The path it was renamed or copied from (project-relative; null when outside the project). */
  from?: string | null;
}

/** Where HEAD points. `branch` is null when detached; `commit` is null before the first commit. */
export interface GitHead {
  branch: string | null;
  commit: string | null;
}

/** A commit assist made. */
export interface GitCommit {
  /** Abbreviated id. */
  id: string;
  subject: string;
  paths: string[];
}

/** The outcome of opening a project as a repository: a repo, no repository at all, or one git cannot use (the reason says why and what to do). */
export type GitOpening = { kind: 'repo'; repo: GitRepo } | { kind: 'none' } | { kind: 'unavailable'; reason: string };

interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

const defaultTimeoutMs = 10_000;
const defaultCommitTimeoutMs = 120_000;

/**
 * Opens the project at `root` as a git work tree. `none` when it is in no repository; `unavailable`
 * when it is (it has a `.git`) but git is missing or cannot read it.
 */
export async function openGitRepo(root: string, options: GitOptions = {}): Promise<GitOpening> {
  const absolute = path.resolve(root);
  const hasDotGit = existsSync(path.join(absolute, '.git'));
  let result: RunResult;
  try {
    result = await run(
      absolute,
      ['--no-optional-locks', 'rev-parse', '--is-inside-work-tree', '--show-toplevel', '--show-prefix'],
      options,
      options.timeoutMs ?? defaultTimeoutMs,
    );
  } catch (error) {
    if (error instanceof GitError && error.code === 'missing' && !hasDotGit) return { kind: 'none' };
    return { kind: 'unavailable', reason: (error as Error).message };
  }
  const stderr = result.stderr.trim();
  if (result.code !== 0) {
    if (!hasDotGit && !/safe\.directory/.test(stderr)) return { kind: 'none' };
    return { kind: 'unavailable', reason: `git cannot read this repository: ${firstLine(stderr) || `git rev-parse exited with ${result.code}`}` };
  }
  const [inside, toplevel = '', prefix = ''] = result.stdout.toString('utf8').split('\n');
  if (inside !== 'true')
    return hasDotGit ? { kind: 'unavailable', reason: 'the project folder is not a git work tree (is it inside .git?)' } : { kind: 'none' };
  return { kind: 'repo', repo: new GitRepo(absolute, toplevel, prefix, options) };
}

/** A git work tree that holds the project (at `prefix` inside it). */
export class GitRepo {
  constructor(
    /** The project root (absolute). */
    readonly root: string,
    /** The work tree's top folder (absolute). */
    readonly toplevel: string,
    /** The project root relative to the top folder, '/'-terminated; '' when they are the same. */
    readonly prefix: string,
    private readonly options: GitOptions = {},
  ) {}

  /** The branch (or detached) and the commit of HEAD. */
  async head(): Promise<GitHead> {
    const branch = await this.git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { read: true, allow: [1] });
    const commit = await this.git(['rev-parse', '--quiet', '--verify', '--short', 'HEAD'], { read: true, allow: [1] });
    return {
      branch: branch.code === 0 ? branch.stdout.toString('utf8').trim() : null,
      commit: commit.code === 0 ? commit.stdout.toString('utf8').trim() : null,
    };
  }

  /**
   * Files of the project that differ from HEAD or are untracked (every untracked file, not only
   * folders), limited to `paths` when given. `ignored`: also list ignored files among them (`!!`).
   */
  async status(paths?: string[], options: { ignored?: boolean } = {}): Promise<GitFileStatus[]> {
    if (paths && paths.length === 0) return [];
    const args = [
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=all',
      ...(options.ignored ? ['--ignored=traditional'] : []),
      '--',
      ...(paths ? paths.map(literal) : ['.']),
    ];
    const result = await this.git(args, { read: true });
    return parsePorcelainV1(result.stdout.toString('utf8'), this.prefix);
  }

  /** The text of a project file at HEAD; null when HEAD does not have it (or there is no commit yet). */
  async headText(file: string): Promise<string | null> {
    const result = await this.git(['cat-file', 'blob', `HEAD:${this.prefix}${file}`], { read: true, allow: [128] });
    return result.code === 0 ? result.stdout.toString('utf8') : null;
  }

  /** The last commit that touched `file`: id, subject and commit time (seconds); null when none did. */
  async lastCommitOf(file: string): Promise<{ id: string; subject: string; time: number } | null> {
    const result = await this.git(['log', '-1', '--format=%h%x00%ct%x00%s', '--', literal(file)], { read: true, allow: [128] });
    const [id, time, subject] = result.stdout.toString('utf8').replace(/\n$/, '').split('\0');
    return result.code === 0 && id ? { id, subject: subject ?? '', time: Number(time) } : null;
  }

  /**
   * Commits exactly `paths` (project-relative) with `message`: `git commit --only -- paths`, so what
   * the user staged for other files stays staged and out of it, and nothing else is added. New
   * files are first marked with `git add --intent-to-add` (undone again when the commit fails).
   * Commit hooks run as in any commit. Throws GitError with git's message when it fails.
   */
  async commit(paths: string[], message: string): Promise<GitCommit> {
    if (paths.length === 0) throw new GitError('failed', 'There is nothing to commit: no file was given.');
    if (!message.trim()) throw new GitError('failed', 'The commit message is empty.');
    const untracked = (await this.status(paths)).filter((s) => s.index === '?' && s.worktree === '?').map((s) => s.path);
    if (untracked.length) await this.git(['add', '--intent-to-add', '--', ...untracked.map(literal)]);
    try {
      await this.git(['commit', '--quiet', '--only', '--file=-', '--', ...paths.map(literal)], {
        input: message,
        timeoutMs: this.options.commitTimeoutMs ?? defaultCommitTimeoutMs,
      });
    } catch (error) {
      if (untracked.length)
        await this.git(['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...untracked.map(literal)], { allow: [128] }).catch(() => undefined);
      throw error;
    }
    const head = await this.git(['log', '-1', '--format=%h%x00%s'], { read: true });
    const [id, subject] = head.stdout.toString('utf8').replace(/\n$/, '').split('\0');
    return { id, subject, paths: [...paths] };
  }

  /** Runs git in the project root; a non-zero exit not in `allow` is a GitError. */
  private async git(args: string[], options: { read?: boolean; allow?: number[]; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    const full = options.read ? ['--no-optional-locks', ...args] : args;
    const result = await run(this.root, full, this.options, options.timeoutMs ?? this.options.timeoutMs ?? defaultTimeoutMs, options.input);
    if (result.code !== 0 && !options.allow?.includes(result.code)) {
      const said = result.stderr.trim() || result.stdout.toString('utf8').trim();
      throw new GitError('failed', `git ${args[0]} failed (exit ${result.code}): ${said.split('\n').slice(0, 6).join(' ') || 'no message'}`);
    }
    return result;
  }
}

/** A pathspec that means exactly this path (no glob, no magic). */
function literal(file: string): string {
  return `:(literal)${file}`;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.replace(/^fatal:\s*/, '') ?? ''
  );
}

/**
 * Parses `git status --porcelain=v1 -z`: `XY path\0`, and for a rename or copy `XY to\0from\0`.
 * Paths are relative to the top folder; those outside `prefix` are dropped, the rest made
 * project-relative.
 */
export function parsePorcelainV1(text: string, prefix = ''): GitFileStatus[] {
  const fields = text.split('\0');
  const out: GitFileStatus[] = [];
  const inProject = (p: string): string | null => (p.startsWith(prefix) ? p.slice(prefix.length) : null);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.length < 4) continue;
    const index = field[0];
    const worktree = field[1];
    const file = inProject(field.slice(3));
    let from: string | null | undefined;
    if (index === 'R' || index === 'C' || worktree === 'R' || worktree === 'C') from = inProject(fields[++i] ?? '');
    if (file === null || file === '') continue;
    out.push({ path: file, index, worktree, ...(from !== undefined ? { from } : {}) });
  }
  return out;
}

/** Runs `git ARGS` in `cwd`; resolves with the exit code and output, rejects with GitError when git is missing or does not finish in time. */
function run(cwd: string, args: string[], options: GitOptions, timeoutMs: number, input?: string): Promise<RunResult> {
  const env = { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0' };
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done();
    };
    // Not waiting for the pipes to close: a hook's child may hold them long after git is gone.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      const what = args
        .filter((a) => !a.startsWith('--no-optional'))
        .slice(0, 2)
        .join(' ');
      settle(() =>
        reject(
          new GitError(
            'timeout',
            `git ${what} did not finish within ${Math.max(1, Math.round(timeoutMs / 1000))} s and was stopped; is another git process holding the ` +
              `repository, or is a hook waiting for input?`,
          ),
        ),
      );
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {});
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        settle(() =>
          reject(
            new GitError(
              'missing',
              'git is not installed (no `git` on PATH), so the git features are off. Install git (e.g. apt-get install git) to get them.',
            ),
          ),
        );
      else settle(() => reject(new GitError('failed', `git could not be started: ${error.message}`)));
    });
    child.on('close', (code) => settle(() => resolve({ code: code ?? 128, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') })));
    child.stdin.end(input ?? '');
  });
}
