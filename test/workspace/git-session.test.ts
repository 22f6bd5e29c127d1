/**
 * A session's git side (src/workspace/git-session.ts) on real repositories and the real
 * workspace: the start snapshot, the notice before the first change to a file with the user's
 * uncommitted edits (and that the undo checkpoint holds those edits), what /commit would take,
 * auto-commit leaving the user's files out, and what /undo finds after a commit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { autoCommitMessage, GitSession } from '../../src/workspace/git-session.ts';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import type { Workspace } from '../../src/workspace/workspace.ts';
import { makeGitRepo, type TestRepo } from './git-repo.ts';

async function open(repo: TestRepo, autoCommit = false): Promise<{ git: GitSession; workspace: Workspace; notices: string[] }> {
  const notices: string[] = [];
  const opened = await GitSession.open(repo.dir, { env: repo.env, autoCommit, onNotice: (message) => notices.push(message) });
  assert.ok(opened.git, opened.problem);
  return { git: opened.git, workspace: opened.git.wrap(openWorkspace(repo.dir)), notices };
}

async function change(workspace: Workspace, file: string, text: string | null): Promise<void> {
  const proposed = await workspace.proposeChange(file, text);
  workspace.stage([proposed]);
  await workspace.apply([proposed]);
}

const read = (repo: TestRepo, file: string) => readFileSync(path.join(repo.dir, file), 'utf8');

test("the start: branch and the files the user had changed (not assist's own .assist/); the summary line says so", async () => {
  const repo = makeGitRepo({ 'a.py': 'a = 1\n', 'b.py': 'b = 1\n' });
  try {
    repo.write('a.py', 'a = 2  # mine\n');
    repo.write('notes.txt', 'todo\n');
    repo.write('.assist/sessions/earlier.jsonl', '{}\n');
    const { git } = await open(repo);
    assert.equal(git.start.branch, 'main');
    assert.deepEqual(git.start.dirty.sort(), ['a.py', 'notes.txt']);
    assert.equal(git.summary(), 'main · 2 uncommitted files of yours');
    repo.git('stash', '--include-untracked', '--quiet');
    rmSync(path.join(repo.dir, '.assist'), { recursive: true, force: true });
    assert.equal((await open(repo, true)).git.summary(), 'main · clean · auto-commit on');
  } finally {
    repo.cleanup();
  }
});

test('before the first change to a file with uncommitted edits the user is told once; /undo brings their edits back from the checkpoint', async () => {
  const repo = makeGitRepo({ 'calc.py': 'def add(a, b):\n    return a + b\n', 'other.py': 'x = 1\n' });
  try {
    repo.write('calc.py', 'def add(a, b):\n    # my note, not committed\n    return a + b\n');
    const { git, workspace, notices } = await open(repo);
    const proposed = await workspace.proposeChange('calc.py', 'def add(a, b):\n    # my note, not committed\n    return a + b + 0\n');
    workspace.stage([proposed]);
    assert.equal(notices.length, 1, 'told when the change is proposed, before anyone approves it');
    assert.match(
      notices[0],
      /^calc\.py has uncommitted changes of yours\. .*the undo checkpoint keeps the file as it is now: \/undo brings your version back\.$/,
    );
    await workspace.apply([proposed]);
    await change(workspace, 'calc.py', 'def add(a, b):\n    return a + b\n');
    await change(workspace, 'other.py', 'x = 2\n');
    assert.equal(notices.length, 1, 'once per file, and never for a file that was clean');
    assert.equal(git.userEdits('calc.py'), 'before');
    assert.equal(git.userEdits('other.py'), null);

    for (let i = 0; i < 3; i++) await workspace.undo();
    assert.equal(read(repo, 'calc.py'), 'def add(a, b):\n    # my note, not committed\n    return a + b\n', "the user's uncommitted edit is back");
  } finally {
    repo.cleanup();
  }
});

test('a file the user edits after assist changed it counts as theirs too', async () => {
  const repo = makeGitRepo({ 'a.txt': 'one\n' });
  try {
    const { git, workspace, notices } = await open(repo);
    await change(workspace, 'a.txt', 'two\n');
    assert.equal(git.userEdits('a.txt'), null);
    repo.write('a.txt', 'two\nmine\n');
    assert.equal(git.userEdits('a.txt'), 'since');
    await workspace.readText('a.txt');
    await change(workspace, 'a.txt', 'three\nmine\n');
    assert.match(notices.join('\n'), /a\.txt was changed outside assist since assist last changed it/);
    assert.equal(git.userEdits('a.txt'), 'since');
  } finally {
    repo.cleanup();
  }
});

test("commitPlan: assist's files ready, the user's mixed ones apart, ignored ones named, committed ones gone", async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n', 'mine.txt': 'm\n', '.gitignore': 'build/\n' });
  try {
    repo.write('mine.txt', 'm (mine)\n');
    const { git, workspace } = await open(repo);
    await change(workspace, 'a.txt', 'a2\n');
    await change(workspace, 'new.txt', 'n\n');
    await change(workspace, 'mine.txt', 'm (mine)\nand assist\n');
    await change(workspace, 'build/out.txt', 'o\n');
    assert.deepEqual(await git.commitPlan(), { ready: ['a.txt', 'new.txt'], mixed: [{ path: 'mine.txt', userEdits: 'before' }], ignored: ['build/out.txt'] });
    assert.match(await git.diffFromHead(['new.txt']), /--- \/dev\/null\n\+\+\+ b\/new\.txt\n@@ -0,0 \+1,1 @@\n\+n/);
    await git.commit(['a.txt', 'new.txt'], 'Add new');
    assert.deepEqual(await git.commitPlan(), { ready: [], mixed: [{ path: 'mine.txt', userEdits: 'before' }], ignored: ['build/out.txt'] });
    await git.commit(['mine.txt'], 'Mine too');
    assert.equal(git.userEdits('mine.txt'), null, 'once committed, the file holds only what assist does next');
  } finally {
    repo.cleanup();
  }
});

test('auto-commit commits each applied set with "assist: <request>", leaving out files with the user\'s edits', async () => {
  const repo = makeGitRepo({ 'app.py': 'print(1)\n', 'mine.py': 'x = 1\n' });
  try {
    repo.write('mine.py', 'x = 2  # mine\n');
    const { workspace, git, notices } = await open(repo, true);
    git.noteRequest('make app print 2\nand more words');
    const a = await workspace.proposeChange('app.py', 'print(2)\n');
    const m = await workspace.proposeChange('mine.py', 'x = 3  # mine\n');
    workspace.stage([a, m]);
    await workspace.apply([a, m]);
    assert.equal(repo.git('log', '-1', '--format=%B').trim(), 'assist: make app print 2\n\n- edit app.py');
    assert.equal(repo.git('show', '--name-only', '--format=', 'HEAD').trim(), 'app.py');
    assert.equal(repo.git('status', '--porcelain=v1').trim(), 'M mine.py', "the user's file stays uncommitted");
    assert.match(notices.join('\n'), /Not auto-committed: mine\.py \(it holds your own uncommitted edits too/);
    assert.match(notices.join('\n'), /Committed [0-9a-f]+ on main: assist: make app print 2 \(app\.py\)\./);
  } finally {
    repo.cleanup();
  }
});

test('an auto-commit that git refuses is a notice; the change stays applied', async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n' });
  try {
    writeFileSync(path.join(repo.dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });
    const { workspace, notices } = await open(repo, true);
    await change(workspace, 'a.txt', 'b\n');
    assert.equal(read(repo, 'a.txt'), 'b\n');
    assert.match(notices.join('\n'), /Auto-commit failed: git commit failed \(exit 1\): hook says no The change is applied; \/commit tries again\./);
  } finally {
    repo.cleanup();
  }
});

test('undoPlan finds the commit that holds the last change; with auto-commit, the undo is a new commit (history kept)', async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n' });
  try {
    const { git, workspace } = await open(repo, true);
    git.noteRequest('change a');
    await change(workspace, 'a.txt', 'b\n');
    const head = repo.git('rev-parse', '--short', 'HEAD').trim();
    const plan = await git.undoPlan();
    assert.deepEqual(plan?.commits, [{ id: head, subject: 'assist: change a', paths: ['a.txt'] }]);
    assert.deepEqual(await workspace.undo(), ['a.txt']);
    assert.equal(read(repo, 'a.txt'), 'a\n');
    assert.deepEqual(repo.git('log', '--format=%s').trim().split('\n'), ['assist: undo "change a"', 'assist: change a', 'initial']);
    assert.equal(repo.git('status', '--porcelain=v1').trim(), '');
    assert.equal(await git.undoPlan(), null);
  } finally {
    repo.cleanup();
  }
});

test('undoPlan: an applied change not committed is held by no commit', async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n' });
  try {
    const { git, workspace } = await open(repo);
    await change(workspace, 'a.txt', 'b\n');
    assert.deepEqual((await git.undoPlan())?.commits, []);
    await git.commit(['a.txt'], 'B');
    assert.deepEqual(
      (await git.undoPlan())?.commits.map((c) => c.subject),
      ['B'],
    );
    repo.write('a.txt', 'c\n');
    assert.deepEqual((await git.undoPlan())?.commits, [], 'changed again since: that is no longer what the commit holds');
  } finally {
    repo.cleanup();
  }
});

test("autoCommitMessage: the request's first line, cut; without one, the files", () => {
  const change = (p: string, before: string | null, after: string | null) => ({ path: p, before, after, diff: '' });
  assert.equal(autoCommitMessage('', [change('a.ts', null, 'x'), change('b.ts', 'y', null)]), 'assist: change a.ts, b.ts\n\n- create a.ts\n- delete b.ts\n');
  assert.equal(autoCommitMessage(`  \n${'word '.repeat(30)}`, [change('a.ts', 'x', 'y')]).split('\n')[0].length, 'assist: '.length + 64);
});
