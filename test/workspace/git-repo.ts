/**
 * Real git repositories in temp folders for the git tests: `git init`, an identity of its own
 * (the user's global config is never read: HOME points into the temp folder), files and commits.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The environment every git of these tests runs with: no global or system config, a fixed identity. */
export function gitTestEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Person',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test Person',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
}

export interface TestRepo {
  /** The work tree's top folder. */
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
  /** Runs git in the repository; returns stdout. */
  git(...args: string[]): string;
  write(file: string, text: string): void;
  /** Writes the files, adds them all and commits. */
  commit(message: string, files?: Record<string, string>): void;
  cleanup(): void;
}

/** A new repository on branch `main`, with `files` committed as "initial" (none: no commit yet). */
export function makeGitRepo(files?: Record<string, string>): TestRepo {
  const base = mkdtempSync(path.join(os.tmpdir(), 'assist-git-'));
  const dir = path.join(base, 'repo');
  const home = path.join(base, 'home');
  mkdirSync(dir);
  mkdirSync(home);
  const env = gitTestEnv(home);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  git('init', '--quiet', '--initial-branch=main');
  const repo: TestRepo = {
    dir,
    home,
    env,
    git,
    write,
    commit(message, more = {}) {
      for (const [file, text] of Object.entries(more)) write(file, text);
      git('add', '--all');
      git('commit', '--quiet', '--message', message);
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
  if (files) repo.commit('initial', files);
  return repo;
}
