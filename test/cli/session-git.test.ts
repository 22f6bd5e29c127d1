/**
 * The git flow driven as a person would, in a real terminal (tmux) on a real repository: the
 * banner shows the branch and the user's uncommitted file; before assist changes that file the
 * user is told; /diff; /commit leaves the user's file out when they say so, the model (scripted)
 * drafts the message, the person edits its first line inline and commits; /undo of the committed
 * change says what it will do and asks; the commit stays in the history. And with git missing
 * from PATH the session starts and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeGitRepo } from '../workspace/git-repo.ts';
import { scriptedAssistBin, TmuxAssist } from './session-tmux.ts';

const answer = (text: string) => ({ thought: 'Done.', tool: 'answer', args: { text } });

function sessionEnv(repo: ReturnType<typeof makeGitRepo>, script: object[]): Record<string, string> {
  const scriptFile = path.join(repo.home, 'script.json');
  writeFileSync(scriptFile, JSON.stringify(script));
  writeFileSync(path.join(repo.home, 'config.json'), JSON.stringify({ sandbox: { backend: 'bwrap' }, index: { enabled: false } }));
  const pick = ['HOME', 'XDG_CONFIG_HOME', 'GIT_CONFIG_NOSYSTEM', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'];
  return {
    ...Object.fromEntries(pick.map((k) => [k, String(repo.env[k])])),
    ASSIST_TEST_SCRIPTED_MODEL: scriptFile,
    ASSIST_CONFIG: path.join(repo.home, 'config.json'),
    ASSIST_MODELS_DIR: path.join(repo.home, 'models'),
    TERM: 'xterm-256color',
  };
}

test('git flow in a terminal: banner, notice before changing my file, /diff, /commit with a drafted message edited inline, /undo after the commit', async (t) => {
  const repo = makeGitRepo({ 'main.py': 'def greet(name):\n    return "hi " + name\n' });
  repo.write('main.py', 'def greet(name):\n    # TODO: my own uncommitted note\n    return "hi " + name\n');
  const script = [
    {
      thought: 'Add farewell to main.py.',
      tool: 'write_file',
      args: {
        path: 'main.py',
        content: 'def greet(name):\n    # TODO: my own uncommitted note\n    return "hi " + name\n\n\ndef farewell(name):\n    return "bye " + name\n',
      },
    },
    { thought: 'And a greeting script.', tool: 'write_file', args: { path: 'greet.py', content: 'from main import greet\n\nprint(greet("you"))\n' } },
    answer('Added farewell() to main.py and created greet.py.'),
    answer('Add greet.py, a script that greets\n\nIt prints the greeting for "you".'),
  ];
  const term = TmuxAssist.start({ cwd: repo.dir, env: sessionEnv(repo, script) });
  try {
    await term.waitFor(/git\s+main · 1 uncommitted file of yours/);
    await term.waitFor('› ');
    term.type('add farewell() to main.py and create greet.py');
    term.keys('Enter');
    await term.waitFor('Apply this change to main.py?');
    assert.match(
      term.screen(),
      /main\.py has uncommitted changes of yours\. assist's change goes on top of them, and the undo checkpoint keeps the file as it is now: \/undo brings your version back\.[\s\S]*Apply this change to main\.py\?/,
      'told before being asked',
    );
    term.keys('Enter');
    await term.waitFor('Apply this change to greet.py?');
    term.keys('Enter');
    await term.waitFor('Added farewell() to main.py and created greet.py.');
    await term.waitFor(/›\s*$/);

    term.type('/diff');
    term.keys('Enter');
    await term.waitFor('Not committed: main.py, greet.py (/commit commits them).');
    assert.match(
      term.screen(),
      /Changed in this session: 2 files, against the session's start \(2 change sets applied\):[\s\S]*\+def farewell\(name\):[\s\S]*main\.py also holds your own uncommitted edits/,
    );

    term.type('/commit');
    term.keys('Enter');
    await term.waitFor(/main\.py\s+also\s+has\s+your\s+uncommitted\s+edits\s+from\s+before\s+assist\s+changed\s+it\.\s+Commit\s+it\s+with\s+them\?/);
    term.type('n');
    term.keys('Enter');
    await term.waitFor('Commit greet.py with this message?');
    assert.match(term.screen(), /Commit message:\n  Add greet\.py, a script that greets\n\n  It prints the greeting for "you"\./);
    term.keys('Down', 'Enter');
    await term.waitFor('First line:');
    term.keys('End');
    term.type(' by name');
    term.keys('Enter');
    await term.waitFor(/Commit message:\n  Add greet\.py, a script that greets by name\n/);
    term.keys('Enter');
    await term.waitFor(/Committed [0-9a-f]+ on main: Add greet\.py, a script that greets by name \(greet\.py\)\nLeft out: main\.py/);
    assert.equal(repo.git('log', '-1', '--format=%B').trim(), 'Add greet.py, a script that greets by name\n\nIt prints the greeting for "you".');
    assert.equal(repo.git('show', '--name-only', '--format=', 'HEAD').trim(), 'greet.py');
    assert.equal(repo.git('status', '--porcelain=v1').trim(), 'M main.py', 'my file stays uncommitted');
    const head = repo.git('rev-parse', '--short', 'HEAD').trim();

    await term.waitFor(/›\s*$/);
    term.type('/undo');
    term.keys('Enter');
    await term.waitFor('Restore the files?');
    assert.match(
      term.screen(),
      new RegExp(
        `The last change \\(greet\\.py\\) is already committed in ${head} \\("Add greet\\.py, a script that greets by name"\\)\\. /undo restores the files as they were before it; the commit stays in the history`,
      ),
    );
    term.type('y');
    term.keys('Enter');
    await term.waitFor(`Restored greet.py to before the last applied change. The commit ${head} stays in the history; /commit commits the reversal.`);
    assert.equal(existsSync(path.join(repo.dir, 'greet.py')), false);
    assert.equal(repo.git('rev-parse', '--short', 'HEAD').trim(), head, 'history not rewritten');

    await term.waitFor(/›\s*$/);
    term.type('/exit');
    term.keys('Enter');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
    t.diagnostic(`transcript:\n${term.screen()}`);
    assert.match(readFileSync(path.join(repo.dir, 'main.py'), 'utf8'), /my own uncommitted note[\s\S]*def farewell/);
  } finally {
    term.close();
    repo.cleanup();
  }
});

test('git missing from PATH: the session starts, the banner says git is unavailable, /commit says why', async (t) => {
  const repo = makeGitRepo({ 'a.txt': 'a\n' });
  const bin = path.join(repo.home, 'bin');
  mkdirSync(bin);
  for (const tool of ['bwrap', 'sh', 'env']) {
    const found = ['/usr/bin', '/bin', '/usr/local/bin'].map((d) => path.join(d, tool)).find((p) => existsSync(p));
    if (found) symlinkSync(found, path.join(bin, tool));
  }
  const term = TmuxAssist.start({ cwd: repo.dir, env: { ...sessionEnv(repo, [answer('unused')]), PATH: bin } });
  try {
    await term.waitFor(/git\s+unavailable - git is not installed \(no `git` on PATH\)/);
    await term.waitFor('› ');
    term.type('/commit');
    term.keys('Enter');
    await term.waitFor('/commit needs git, which cannot be used here: git is not installed');
    term.type('/exit');
    term.keys('Enter');
    assert.equal(await term.waitForExit(undefined, (m) => t.diagnostic(m)), 0);
  } finally {
    term.close();
    repo.cleanup();
  }
});

test("assist run --auto-edit with git.autoCommit: one git line, each change set committed, the user's file left out", async () => {
  const repo = makeGitRepo({ 'app.py': 'print("original")\n', 'mine.py': 'x = 1\n' });
  try {
    repo.write('mine.py', 'x = 2  # mine\n');
    const env = sessionEnv(repo, [
      { thought: '', tool: 'write_file', args: { path: 'app.py', content: 'print("changed")\n' } },
      { thought: '', tool: 'write_file', args: { path: 'mine.py', content: 'x = 2  # mine\ny = 3\n' } },
      answer('app.py now prints changed; mine.py has y.'),
    ]);
    writeFileSync(env.ASSIST_CONFIG, JSON.stringify({ sandbox: { backend: 'bwrap' }, index: { enabled: false }, git: { autoCommit: true } }));
    const run = spawnSync(process.execPath, [scriptedAssistBin, 'run', 'make app.py print changed and add y to mine.py', '--auto-edit'], {
      cwd: repo.dir,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    assert.match(run.stderr, /^git: main · 1 uncommitted file of yours · auto-commit on$/m, run.stderr);
    assert.match(run.stderr, /mine\.py has uncommitted changes of yours\./);
    assert.match(run.stderr, /Committed [0-9a-f]+ on main: assist: make app\.py print changed and add y to mine\.py \(app\.py\)\./);
    assert.match(run.stderr, /Not auto-committed: mine\.py/);
    assert.deepEqual(repo.git('log', '--format=%s').trim().split('\n'), ['assist: make app.py print changed and add y to mine.py', 'initial']);
    assert.equal(repo.git('show', '--name-only', '--format=', 'HEAD').trim(), 'app.py');
    assert.match(repo.git('status', '--porcelain=v1'), /^ M mine\.py$/m);
  } finally {
    repo.cleanup();
  }
});
