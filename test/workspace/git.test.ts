/**
 * src/workspace/git.ts against the real `git` in temp repositories: finding the repository (or
 * none, or one git cannot use, or no git at all), branch and detached HEAD, porcelain status
 * (untracked, renamed, odd names, a project in a subfolder), and commits of exactly the given paths.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitError, openGitRepo, parsePorcelainV1, type GitRepo } from '../../src/workspace/git.ts';
import { gitTestEnv, makeGitRepo } from './git-repo.ts';

async function repoAt(root: string, env: NodeJS.ProcessEnv): Promise<GitRepo> {
  const opened = await openGitRepo(root, { env });
  assert.equal(opened.kind, 'repo', JSON.stringify(opened));
  return (opened as { repo: GitRepo }).repo;
}

test('a folder in no repository is "none"; a repository git cannot read, or no git, is "unavailable" with the reason', async () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'assist-nogit-'));
  try {
    const env = gitTestEnv(base);
    assert.deepEqual(await openGitRepo(base, { env: { ...env, GIT_CEILING_DIRECTORIES: path.dirname(base) } }), { kind: 'none' });

    const broken = path.join(base, 'broken');
    mkdirSync(path.join(broken, '.git'), { recursive: true });
    writeFileSync(path.join(broken, '.git', 'HEAD'), 'garbage\n');
    const opened = await openGitRepo(broken, { env: { ...env, GIT_CEILING_DIRECTORIES: base } });
    assert.equal(opened.kind, 'unavailable');
    assert.match((opened as { reason: string }).reason, /^git cannot read this repository: /);

    const repo = makeGitRepo({ 'a.txt': 'a\n' });
    try {
      const emptyPath = path.join(base, 'empty-bin');
      mkdirSync(emptyPath);
      const noGit = await openGitRepo(repo.dir, { env: { ...repo.env, PATH: emptyPath } });
      assert.equal(noGit.kind, 'unavailable');
      assert.match((noGit as { reason: string }).reason, /git is not installed \(no `git` on PATH\).*Install git/);
      assert.deepEqual(await openGitRepo(base, { env: { ...env, PATH: emptyPath } }), { kind: 'none' }, 'no git and no .git: simply not a repository');
    } finally {
      repo.cleanup();
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('head: the branch, a detached HEAD, and a branch with no commit yet', async () => {
  const repo = makeGitRepo();
  try {
    const git = await repoAt(repo.dir, repo.env);
    assert.deepEqual(await git.head(), { branch: 'main', commit: null });
    repo.commit('one', { 'a.txt': 'a\n' });
    const one = repo.git('rev-parse', '--short', 'HEAD').trim();
    assert.deepEqual(await git.head(), { branch: 'main', commit: one });
    repo.commit('two', { 'a.txt': 'b\n' });
    repo.git('checkout', '--quiet', '--detach', one);
    assert.deepEqual(await git.head(), { branch: null, commit: one });
  } finally {
    repo.cleanup();
  }
});

test('status lists modified, staged, untracked (each file) and renamed files, with odd names, project-relative', async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n', 'old name.txt': 'o\n', 'sub/keep.txt': 'k\n', 'outside.txt': 'x\n' });
  try {
    repo.write('a.txt', 'changed\n');
    repo.write('new dir/ünï "q".txt', 'n\n');
    repo.git('mv', 'old name.txt', 'renamed.txt');
    repo.write('sub/keep.txt', 'k2\n');
    repo.write('outside.txt', 'y\n');
    const git = await repoAt(repo.dir, repo.env);
    const status = await git.status();
    const byPath = Object.fromEntries(status.map((s) => [s.path, s]));
    assert.deepEqual(Object.keys(byPath).sort(), ['a.txt', 'new dir/ünï "q".txt', 'outside.txt', 'renamed.txt', 'sub/keep.txt']);
    assert.equal(byPath['a.txt'].worktree, 'M');
    assert.deepEqual([byPath['new dir/ünï "q".txt'].index, byPath['new dir/ünï "q".txt'].worktree], ['?', '?']);
    assert.equal(byPath['renamed.txt'].index, 'R');
    assert.equal(byPath['renamed.txt'].from, 'old name.txt');
    assert.deepEqual(
      (await git.status(['a.txt', 'sub/keep.txt'])).map((s) => s.path),
      ['a.txt', 'sub/keep.txt'],
    );
    assert.deepEqual(await git.status([]), []);

    const sub = await repoAt(path.join(repo.dir, 'sub'), repo.env);
    assert.equal(sub.prefix, 'sub/');
    assert.deepEqual(
      (await sub.status()).map((s) => s.path),
      ['keep.txt'],
      'only the project folder, paths relative to it',
    );
    assert.equal(await sub.headText('keep.txt'), 'k\n');
    assert.equal(await sub.headText('missing.txt'), null);
  } finally {
    repo.cleanup();
  }
});

test('parsePorcelainV1 reads -z records, renames with their origin, and drops files outside the project', () => {
  const raw = ' M src/a.ts\0R  src/new.ts\0src/old.ts\0?? src/x y.ts\0 M other/b.ts\0R  src/in.ts\0other/out.ts\0';
  assert.deepEqual(parsePorcelainV1(raw, 'src/'), [
    { path: 'a.ts', index: ' ', worktree: 'M' },
    { path: 'new.ts', index: 'R', worktree: ' ', from: 'old.ts' },
    { path: 'x y.ts', index: '?', worktree: '?' },
    { path: 'in.ts', index: 'R', worktree: ' ', from: null },
  ]);
});

test('commit takes exactly the given paths: new and deleted files too, never what the user staged elsewhere', async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n', 'gone.txt': 'g\n', 'mine.txt': 'm\n' });
  try {
    const git = await repoAt(repo.dir, repo.env);
    repo.write('a.txt', 'a2\n');
    repo.write('new.txt', 'n\n');
    rmSync(path.join(repo.dir, 'gone.txt'));
    repo.write('mine.txt', 'm2\n');
    repo.git('add', 'mine.txt');
    repo.write('untracked-of-mine.txt', 'u\n');
    const made = await git.commit(['a.txt', 'new.txt', 'gone.txt'], 'Change a, add new, remove gone\n\nA body line.\n');
    assert.equal(made.subject, 'Change a, add new, remove gone');
    assert.equal(made.id, repo.git('rev-parse', '--short', 'HEAD').trim());
    assert.deepEqual(repo.git('show', '--name-status', '--format=', 'HEAD').trim().split('\n').sort(), ['A\tnew.txt', 'D\tgone.txt', 'M\ta.txt']);
    assert.equal(repo.git('log', '-1', '--format=%B').trim(), 'Change a, add new, remove gone\n\nA body line.');
    assert.equal(
      repo.git('status', '--porcelain=v1').trim().split('\n').sort().join('|'),
      '?? untracked-of-mine.txt|M  mine.txt',
      "the user's staged file stays staged, the untracked one untracked",
    );
  } finally {
    repo.cleanup();
  }
});

test("a commit that fails (a hook says no) is a GitError with git's words, and leaves a new file untracked again", async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n' });
  try {
    writeFileSync(path.join(repo.dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\necho "lint failed: no semicolons" >&2\nexit 1\n', { mode: 0o755 });
    repo.write('new.txt', 'n\n');
    const git = await repoAt(repo.dir, repo.env);
    await assert.rejects(
      git.commit(['new.txt'], 'Add new'),
      (error: unknown) =>
        error instanceof GitError && error.code === 'failed' && /git commit failed \(exit 1\): lint failed: no semicolons/.test(error.message),
    );
    assert.equal(repo.git('status', '--porcelain=v1').trim(), '?? new.txt');
    await assert.rejects(git.commit([], 'x'), /nothing to commit/);
    await assert.rejects(git.commit(['a.txt'], '  \n'), /message is empty/);
  } finally {
    repo.cleanup();
  }
});

test('a git that does not answer in time is stopped with a timeout error', async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n' });
  try {
    writeFileSync(path.join(repo.dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    repo.write('a.txt', 'b\n');
    const opened = await openGitRepo(repo.dir, { env: repo.env, commitTimeoutMs: 500 });
    assert.equal(opened.kind, 'repo');
    await assert.rejects(
      (opened as { repo: GitRepo }).repo.commit(['a.txt'], 'B'),
      (error: unknown) => error instanceof GitError && error.code === 'timeout' && /did not finish within/.test(error.message),
    );
  } finally {
    repo.cleanup();
  }
});
