/**
 * /diff, /commit and /undo on real git repositories (and a folder outside git), run as the REPL
 * runs them (parse, then dispatch) with a real workspace, a real Agent on a scripted model (which
 * drafts the commit message) and a scripted person answering the questions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Agent } from '../../src/agent/agent.ts';
import { cleanCommitMessage } from '../../src/cli/repl/git-commands.ts';
import { parseSlashCommand } from '../../src/cli/repl/slash-commands.ts';
import { runSlashCommand, type SlashContext } from '../../src/cli/repl/slash-dispatch.ts';
import { PromptCancelled, type SlashPrompt } from '../../src/cli/repl/slash-prompt.ts';
import { defaults, type Config } from '../../src/config/schema.ts';
import type { Action } from '../../src/model/language-model.ts';
import { ScriptedModel } from '../../src/model/scripted-model.ts';
import { GitSession } from '../../src/workspace/git-session.ts';
import { openWorkspace } from '../../src/workspace/open-workspace.ts';
import type { Workspace } from '../../src/workspace/workspace.ts';
import { builtinTools } from '../../tools/index.ts';
import { makeGitRepo, type TestRepo } from '../workspace/git-repo.ts';

type Answer = { confirm: boolean } | { choose: string } | { line: string } | { editor: string | null } | 'cancel';

/** A person who answers from a list, and what they were shown and asked. */
function scriptedPerson(answers: Answer[]): SlashPrompt & { shown: string[] } {
  const shown: string[] = [];
  const next = (kind: string, message: string): any => {
    shown.push(`? ${message}`);
    const answer = answers.shift();
    if (answer === 'cancel') throw new PromptCancelled();
    if (!answer || !(kind in answer)) throw new Error(`The test person was asked (${kind}) "${message}" but has ${JSON.stringify(answer)}`);
    return (answer as Record<string, unknown>)[kind];
  };
  return {
    shown,
    print: (text) => shown.push(stripVTControlCharacters(text)),
    confirm: async (message) => next('confirm', message),
    choose: async (message) => next('choose', message),
    line: async (message) => next('line', message),
    editor: async (text) => {
      shown.push(`[editor]\n${text}`);
      return next('editor', 'editor');
    },
  };
}

const answer = (text: string): Action => ({ thought: 'Draft.', tool: 'answer', args: { text } });

interface Setup {
  root: string;
  workspace: Workspace;
  model: ScriptedModel;
  person: ReturnType<typeof scriptedPerson>;
  run(line: string): Promise<string>;
  change(file: string, text: string | null): Promise<void>;
}

async function setup(
  repo: TestRepo | { dir: string; env?: NodeJS.ProcessEnv },
  options: { script?: Action[]; answers?: Answer[]; autoCommit?: boolean; noPerson?: boolean } = {},
): Promise<Setup> {
  const config: Config = structuredClone(defaults);
  const model = new ScriptedModel(options.script ?? []);
  const opened = await GitSession.open(repo.dir, { env: repo.env ?? process.env, autoCommit: options.autoCommit ?? false });
  const workspace = opened.git ? opened.git.wrap(openWorkspace(repo.dir)) : openWorkspace(repo.dir);
  const agent = new Agent({ root: repo.dir, config, model, tools: builtinTools, workspace, approver: async () => ({ answer: 'yes' }) });
  const person = scriptedPerson(options.answers ?? []);
  const ctx: SlashContext = {
    agent,
    workspace,
    model,
    config,
    sandboxReason: 'none in this test',
    indexStatus: () => 'disabled',
    history: [],
    ...(opened.git ? { git: opened.git } : {}),
    ...(opened.problem ? { gitProblem: opened.problem } : {}),
    ...(options.noPerson ? {} : { prompt: person }),
  };
  return {
    root: repo.dir,
    workspace,
    model,
    person,
    async run(line) {
      const parsed = parseSlashCommand(line);
      assert.ok(parsed.ok, line);
      return stripVTControlCharacters((await runSlashCommand(parsed.command, ctx)).text);
    },
    async change(file, text) {
      const proposed = await workspace.proposeChange(file, text);
      workspace.stage([proposed]);
      await workspace.apply([proposed]);
    },
  };
}

test('/diff shows everything the session changed as one diff against its start; in git, whose edits and what is uncommitted', async () => {
  const repo = makeGitRepo({ 'calc.py': 'def add(a, b):\n    return a - b\n', 'mine.py': 'x = 1\n' });
  try {
    repo.write('mine.py', 'x = 1\ny = 2  # mine\n');
    const s = await setup(repo, { answers: [{ confirm: false }] });
    assert.equal(await s.run('/diff'), 'No changes in this session.');
    await s.change('calc.py', 'def add(a, b):\n    return a + b\n');
    await s.change('calc.py', 'def add(a, b):\n    """Sum."""\n    return a + b\n');
    await s.change('mine.py', 'x = 1\ny = 2  # mine\nz = 3\n');
    const diff = await s.run('/diff');
    assert.equal(
      diff,
      [
        "Changed in this session: 2 files, against the session's start (3 change sets applied):",
        '--- a/calc.py',
        '+++ b/calc.py',
        '@@ -1,2 +1,3 @@',
        ' def add(a, b):',
        '-    return a - b',
        '+    """Sum."""',
        '+    return a + b',
        '--- a/mine.py',
        '+++ b/mine.py',
        '@@ -1,2 +1,3 @@',
        ' x = 1',
        ' y = 2  # mine',
        '+z = 3',
        "mine.py also holds your own uncommitted edits from before assist changed it; the diff shows assist's changes only.",
        'Not committed: calc.py, mine.py (/commit commits them).',
      ].join('\n'),
    );
    await s.run('/commit Fix add');
    assert.match(await s.run('/diff'), /\nNot committed: mine\.py \(\/commit commits it\)\.$/);
  } finally {
    repo.cleanup();
  }
});

test('/diff outside git works from the checkpoints, and /commit says git is needed', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'assist-nogit-'));
  try {
    writeFileSync(path.join(dir, 'a.txt'), 'one\n');
    const s = await setup({ dir, env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(dir) } });
    await s.change('a.txt', 'two\n');
    await s.change('b.txt', 'new\n');
    assert.equal(
      await s.run('/diff'),
      "Changed in this session: 2 files, against the session's start (2 change sets applied):\n--- a/a.txt\n+++ b/a.txt\n@@ -1,1 +1,1 @@\n-one\n+two\n--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1,1 @@\n+new",
    );
    assert.equal(await s.run('/commit'), '/commit needs a git repository, and this project is not in one (git init makes it one).');
    assert.equal(await s.run('/undo'), 'Restored b.txt to before the last applied change.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("/commit MESSAGE commits the files the session changed; a file with the user's own edits only when they say yes", async () => {
  const repo = makeGitRepo({ 'a.py': 'a = 1\n', 'mine.py': 'm = 1\n', 'untouched.py': 'u = 1\n' });
  try {
    repo.write('mine.py', 'm = 2  # mine\n');
    repo.write('untouched.py', 'u = 2  # mine, not touched by assist\n');
    const s = await setup(repo, { answers: [{ confirm: false }, { confirm: true }] });
    assert.equal(await s.run('/commit Something'), 'Nothing to commit: assist has not changed any file in this session.');
    await s.change('a.py', 'a = 2\n');
    await s.change('new.py', 'n = 1\n');
    await s.change('mine.py', 'm = 2  # mine\nm2 = 3\n');
    const first = await s.run('/commit Set a to 2 and add new');
    const id = repo.git('rev-parse', '--short', 'HEAD').trim();
    assert.equal(
      first,
      `Committed ${id} on main: Set a to 2 and add new (a.py, new.py)\nLeft out: mine.py (it has edits that are not assist's; commit it yourself, or answer yes next time).`,
    );
    assert.equal(s.person.shown[0], '? mine.py also has your uncommitted edits from before assist changed it. Commit it with them?');
    assert.equal(repo.git('show', '--name-only', '--format=%s', 'HEAD').trim(), 'Set a to 2 and add new\n\na.py\nnew.py');
    const second = await s.run('/commit "Mine too"');
    assert.match(second, /^Committed [0-9a-f]+ on main: Mine too \(mine\.py\)$/);
    assert.equal(repo.git('status', '--porcelain=v1').trim(), 'M untouched.py', 'a file assist never changed is never committed');
    assert.equal(await s.run('/commit again'), 'Nothing to commit: every file assist changed is as in HEAD (already committed).');
  } finally {
    repo.cleanup();
  }
});

test('/commit without a message: the model drafts one from the diff, the person accepts it', async () => {
  const repo = makeGitRepo({ 'calc.py': 'def add(a, b):\n    return a - b\n' });
  try {
    const s = await setup(repo, {
      script: [answer('```\nCommit message: "Fix add() to return the sum"\n\nIt subtracted instead of adding.\n```')],
      answers: [{ choose: 'yes' }],
    });
    await s.change('calc.py', 'def add(a, b):\n    return a + b\n');
    const out = await s.run('/commit');
    assert.match(out, /^Committed [0-9a-f]+ on main: Fix add\(\) to return the sum \(calc\.py\)$/);
    assert.equal(repo.git('log', '-1', '--format=%B').trim(), 'Fix add() to return the sum\n\nIt subtracted instead of adding.');
    const prompt = s.model.prompts[0].at(-1)!.content;
    assert.match(prompt, /write the git commit message for the changes below/);
    assert.match(prompt, /-    return a - b\n\+    return a \+ b/, 'the model reads the diff it describes');
    assert.deepEqual(s.person.shown.slice(1), [
      'Commit message:\n  Fix add() to return the sum\n\n  It subtracted instead of adding.',
      '? Commit calc.py with this message?',
    ]);
  } finally {
    repo.cleanup();
  }
});

test('/commit draft: edit the first line inline, or the whole message in the editor; cancel commits nothing', async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n' });
  try {
    const s = await setup(repo, {
      script: [answer('Update a\n\nBody stays.'), answer('Update a again'), answer('whatever')],
      answers: [
        { choose: 'line' },
        { line: 'Change a to b' },
        { choose: 'yes' },
        { choose: 'editor' },
        { editor: 'Change b to c\n# a comment line\n\nWith a body.\n' },
        { choose: 'yes' },
        { choose: 'no' },
      ],
    });
    await s.change('a.txt', 'b\n');
    assert.match(await s.run('/commit'), /: Change a to b \(a\.txt\)$/);
    assert.equal(repo.git('log', '-1', '--format=%B').trim(), 'Change a to b\n\nBody stays.');
    await s.change('a.txt', 'c\n');
    assert.match(await s.run('/commit'), /: Change b to c \(a\.txt\)$/);
    assert.equal(repo.git('log', '-1', '--format=%B').trim(), 'Change b to c\n\nWith a body.');
    await s.change('a.txt', 'd\n');
    const before = repo.git('rev-parse', 'HEAD');
    assert.equal(await s.run('/commit'), 'Cancelled; nothing was committed.');
    assert.equal(repo.git('rev-parse', 'HEAD'), before);
  } finally {
    repo.cleanup();
  }
});

test('/commit when the model cannot draft: the person types the message; Ctrl-C at a question commits nothing', async () => {
  const repo = makeGitRepo({ 'a.txt': 'a\n' });
  try {
    const s = await setup(repo, { script: [answer('   ')], answers: [{ line: 'Typed by hand' }, { choose: 'yes' }, 'cancel'] });
    await s.change('a.txt', 'b\n');
    assert.match(await s.run('/commit'), /: Typed by hand \(a\.txt\)$/);
    await s.change('a.txt', 'c\n');
    assert.equal(await s.run('/commit'), 'Cancelled; nothing was committed.', 'the model has no more steps: it cannot draft; then Ctrl-C');
    assert.match(s.person.shown.join('\n'), /The model could not draft a message \(ScriptedModel ran out of steps/);
    const noPerson = await setup(repo, { noPerson: true });
    await noPerson.change('b.txt', 'new\n');
    assert.equal(await noPerson.run('/commit'), 'A drafted message needs someone to review it; give one instead: /commit MESSAGE');
    await noPerson.change('a.txt', 'd\n');
    assert.match(
      await noPerson.run('/commit Add b'),
      /^Committed [0-9a-f]+ on main: Add b \(b\.txt\)\nLeft out: a\.txt \(it has edits that are not assist's/,
      'nobody to ask: the file this session found uncommitted stays out',
    );
  } finally {
    repo.cleanup();
  }
});

test('/undo after a commit says what it will do and asks; the commit stays in the history', async () => {
  const repo = makeGitRepo({ 'a.py': 'a = 1\n' });
  try {
    const s = await setup(repo, { answers: [{ confirm: false }, { confirm: true }] });
    await s.change('a.py', 'a = 2\n');
    await s.run('/commit Set a to 2');
    const id = repo.git('rev-parse', '--short', 'HEAD').trim();
    assert.equal(await s.run('/undo'), 'Nothing was changed.');
    assert.equal(
      s.person.shown[0],
      `The last change (a.py) is already committed in ${id} ("Set a to 2"). /undo restores the files as they were before it; the commit stays in the history (nothing is rewritten), so a.py will then differ from HEAD: /commit commits that reversal (as git revert ${id} would).`,
    );
    assert.equal(s.person.shown[1], '? Restore the files?');
    assert.equal(readFileSync(path.join(repo.dir, 'a.py'), 'utf8'), 'a = 2\n');
    assert.equal(await s.run('/undo'), `Restored a.py to before the last applied change. The commit ${id} stays in the history; /commit commits the reversal.`);
    assert.equal(readFileSync(path.join(repo.dir, 'a.py'), 'utf8'), 'a = 1\n');
    assert.equal(repo.git('rev-parse', '--short', 'HEAD').trim(), id, 'no history rewritten');
    assert.equal(repo.git('status', '--porcelain=v1').trim(), 'M a.py');
    assert.match(await s.run('/commit Revert a'), /^Committed [0-9a-f]+ on main: Revert a \(a\.py\)$/);
    assert.equal(repo.git('status', '--porcelain=v1').trim(), '');

    const noPerson = await setup(repo, { noPerson: true });
    await noPerson.change('a.py', 'a = 3\n');
    await noPerson.run('/commit Three');
    assert.match(await noPerson.run('/undo'), /already committed in [0-9a-f]+ \("Three"\)[\s\S]*\nNothing was changed: run \/undo in a terminal to confirm\.$/);
    assert.equal(readFileSync(path.join(repo.dir, 'a.py'), 'utf8'), 'a = 3\n');
  } finally {
    repo.cleanup();
  }
});

test('/undo of a change not committed restores it without asking', async () => {
  const repo = makeGitRepo({ 'a.py': 'a = 1\n' });
  try {
    const s = await setup(repo);
    await s.change('a.py', 'a = 2\n');
    assert.equal(await s.run('/undo'), 'Restored a.py to before the last applied change.');
    assert.deepEqual(s.person.shown, []);
  } finally {
    repo.cleanup();
  }
});

test('/undo still restores when git breaks mid-session, and says git could not tell', async () => {
  const repo = makeGitRepo({ 'a.py': 'a = 1\n' });
  try {
    const s = await setup(repo);
    await s.change('a.py', 'a = 2\n');
    renameSync(path.join(repo.dir, '.git'), path.join(repo.dir, '..', 'moved-git'));
    assert.match(await s.run('/undo'), /^Restored a\.py to before the last applied change\. \(git could not say whether it was committed: git status failed/);
    assert.equal(readFileSync(path.join(repo.dir, 'a.py'), 'utf8'), 'a = 1\n');
  } finally {
    repo.cleanup();
  }
});

test('/commit parses its message: the rest of the line, quotes taken off; none means "draft one"', () => {
  assert.deepEqual(parseSlashCommand('/commit   Fix the  spacing  bug '), { ok: true, command: { name: 'commit', message: 'Fix the  spacing  bug' } });
  assert.deepEqual(parseSlashCommand('/commit "Quoted: yes"'), { ok: true, command: { name: 'commit', message: 'Quoted: yes' } });
  assert.deepEqual(parseSlashCommand('/commit'), { ok: true, command: { name: 'commit', message: null } });
  assert.deepEqual(parseSlashCommand('/commit ""'), { ok: true, command: { name: 'commit', message: null } });
});

test('cleanCommitMessage: fences, labels and quotes off; one blank line after the first line', () => {
  assert.equal(cleanCommitMessage('```text\nCommit message: "Add x"\nbody one\n\n\n\nbody two\n```\n'), 'Add x\n\nbody one\n\nbody two');
  assert.equal(cleanCommitMessage('Commit message:\n\nFix y  \n'), 'Fix y');
  assert.equal(cleanCommitMessage("'Quoted'"), 'Quoted');
  assert.equal(cleanCommitMessage('  \n```\n```\n'), '');
});
