/**
 * The slash commands that know git: `/diff` (everything the session changed, as one diff against
 * the session's start), `/commit [message]` (the session's changes, with a message the model
 * drafts and the person accepts, edits or cancels) and `/undo` (which, for a change already
 * committed, first says what it will do and asks). They return the text to show; questions go
 * through the SlashPrompt.
 */
import chalk from 'chalk';
import { renderPrompt } from '../../agent/prompts.ts';
import { ModelError } from '../../model/language-model.ts';
import { unifiedDiff } from '../../workspace/file-workspace.ts';
import type { GitSession, UndoPlan } from '../../workspace/git-session.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { colourDiff } from '../render/colour-diff.ts';
import { PromptCancelled, type SlashPrompt } from './slash-prompt.ts';

/** What the git commands use of the session. */
export interface GitCommandContext {
  workspace: Pick<Workspace, 'pending' | 'applied' | 'undo'>;
  agent: { answerOnce(request: string, options?: { signal?: AbortSignal; maxTokens?: number }): Promise<string> };
  /** Absent outside a git repository (or when git cannot be used: `gitProblem` says why). */
  git?: GitSession;
  gitProblem?: string;
  /** Absent when no person can be asked: questions are then answered "no". */
  prompt?: SlashPrompt;
}

/** Tokens the model may write for a drafted commit message. */
const draftMaxTokens = 400;

/**
 * `/diff`: the session's pending changes, then every applied change as one unified diff per file
 * from the file at the session's start (its first checkpoint) to what assist last left in it. In a
 * repository, says which files also hold the user's own edits and which are not committed yet.
 */
export async function sessionDiffText(ctx: GitCommandContext): Promise<string> {
  const parts: string[] = [];
  const pending = ctx.workspace.pending();
  if (pending.length) {
    parts.push(chalk.bold(`Pending (not yet on disk): ${pending.length} file${pending.length === 1 ? '' : 's'}`));
    for (const change of pending) parts.push(colourDiff(change.diff.trimEnd()));
  }
  const sets = ctx.workspace.applied();
  const files = new Map<string, { before: string | null; after: string | null }>();
  for (const change of sets.flatMap((s) => s.changes)) {
    const seen = files.get(change.path);
    files.set(change.path, { before: seen ? seen.before : change.before, after: change.after });
  }
  const diffs = [...files].map(([file, { before, after }]) => ({ file, diff: unifiedDiff(file, before, after) })).filter((d) => d.diff);
  if (diffs.length) {
    const n = diffs.length;
    parts.push(
      chalk.bold(
        `Changed in this session: ${n} file${n === 1 ? '' : 's'}, against the session's start (${sets.length} change ` +
          `set${sets.length === 1 ? '' : 's'} applied):`,
      ),
    );
    for (const { diff } of diffs) parts.push(colourDiff(diff.trimEnd()));
    parts.push(
      ...(await gitNotes(
        ctx,
        diffs.map((d) => d.file),
      )),
    );
  }
  return parts.length ? parts.join('\n') : 'No changes in this session.';
}

async function gitNotes(ctx: GitCommandContext, files: string[]): Promise<string[]> {
  if (!ctx.git) return [];
  const notes: string[] = [];
  for (const file of files) {
    const edits = ctx.git.userEdits(file);
    if (edits === 'before')
      notes.push(chalk.yellow(`${file} also holds your own uncommitted edits from before assist changed it; the diff shows assist's changes only.`));
    if (edits === 'since') notes.push(chalk.yellow(`${file} was changed outside assist since assist last changed it; the diff shows assist's changes only.`));
  }
  try {
    const uncommitted = new Set((await ctx.git.repo.status(files)).map((s) => s.path));
    const open = files.filter((f) => uncommitted.has(f));
    notes.push(
      chalk.dim(open.length ? `Not committed: ${open.join(', ')} (/commit commits ${open.length === 1 ? 'it' : 'them'}).` : 'All of it is committed.'),
    );
  } catch (error) {
    notes.push(chalk.dim(`(git status failed: ${(error as Error).message})`));
  }
  return notes;
}

/**
 * `/commit [message]`: commits the files the session changed that differ from HEAD. A file that
 * also holds the user's own edits is included only when they say so. Without a message the model
 * drafts one from the diff, and the person accepts it, edits it (inline or in $EDITOR) or cancels.
 */
export async function commitCommand(message: string | null, ctx: GitCommandContext, signal?: AbortSignal): Promise<string> {
  if (!ctx.git) return notInRepo(ctx, '/commit');
  const git = ctx.git;
  try {
    const plan = await git.commitPlan();
    const paths = [...plan.ready];
    const notes: string[] = [];
    for (const { path, userEdits } of plan.mixed) {
      const why = userEdits === 'before' ? 'your uncommitted edits from before assist changed it' : 'edits made outside assist since assist last changed it';
      const include = ctx.prompt ? await ctx.prompt.confirm(`${path} also has ${why}. Commit it with them?`, false) : false;
      if (include) paths.push(path);
      else notes.push(`Left out: ${path} (it has edits that are not assist's; commit it yourself, or answer yes next time).`);
    }
    if (plan.ignored.length) notes.push(`Not committed: ${plan.ignored.join(', ')} (ignored by git).`);
    if (paths.length === 0) {
      if (plan.mixed.length) return ['Nothing was committed.', ...notes].join('\n');
      const why =
        git.changedFiles().length === 0 ? 'assist has not changed any file in this session.' : 'every file assist changed is as in HEAD (already committed).';
      return [`Nothing to commit: ${why}`, ...notes].join('\n');
    }
    let text = message?.trim() || null;
    if (!text) {
      if (!ctx.prompt) return 'A drafted message needs someone to review it; give one instead: /commit MESSAGE';
      text = await draftAndReview(paths, ctx.prompt, ctx, signal);
      if (text === null) return 'Cancelled; nothing was committed.';
    }
    const made = await git.commit(paths, text);
    const where = git.start.branch ? ` on ${git.start.branch}` : '';
    return [`Committed ${made.id}${where}: ${made.subject} (${paths.join(', ')})`, ...notes].join('\n');
  } catch (error) {
    if (error instanceof PromptCancelled) return 'Cancelled; nothing was committed.';
    throw error;
  }
}

async function draftAndReview(paths: string[], prompt: SlashPrompt, ctx: GitCommandContext, signal?: AbortSignal): Promise<string | null> {
  prompt.print(chalk.dim(`Drafting a commit message for ${paths.join(', ')}… (Ctrl-C cancels)`));
  let message = '';
  try {
    const diff = await ctx.git!.diffFromHead(paths);
    message = cleanCommitMessage(
      await ctx.agent.answerOnce(renderPrompt('commit-message', { diff }), { ...(signal ? { signal } : {}), maxTokens: draftMaxTokens }),
    );
  } catch (error) {
    if (signal?.aborted || (error instanceof ModelError && error.code === 'aborted')) return null;
    prompt.print(chalk.yellow(`The model could not draft a message (${(error as Error).message}); write one.`));
  }
  const files = paths.length === 1 ? paths[0] : `${paths.length} files`;
  for (;;) {
    if (!message) {
      message = cleanCommitMessage(await prompt.line('Commit message (empty cancels):', ''));
      if (!message) return null;
    }
    prompt.print(
      `${chalk.bold('Commit message:')}\n${message
        .split('\n')
        .map((l) => (l ? `  ${l}` : ''))
        .join('\n')}`,
    );
    const choice = await prompt.choose<'yes' | 'line' | 'editor' | 'no'>(`Commit ${files} with this message?`, [
      { value: 'yes', name: 'yes, commit' },
      { value: 'line', name: 'edit the first line here' },
      { value: 'editor', name: 'edit the whole message in your editor' },
      { value: 'no', name: 'no, cancel' },
    ]);
    switch (choice) {
      case 'yes':
        return message;
      case 'line': {
        const [subject, ...rest] = message.split('\n');
        message = cleanCommitMessage([await prompt.line('First line:', subject), ...rest].join('\n'));
        break;
      }
      case 'editor': {
        const edited = await prompt.editor(
          `${message}\n\n# The commit message for ${paths.join(', ')}. Lines starting with # are left out; an empty message cancels.\n`,
          'COMMIT_EDITMSG',
        );
        if (edited === null) break;
        message = cleanCommitMessage(
          edited
            .split('\n')
            .filter((l) => !l.startsWith('#'))
            .join('\n'),
        );
        if (!message) return null;
        break;
      }
      case 'no':
        return null;
      default:
        return choice satisfies never;
    }
  }
}

/**
 * A commit message as git should get it, from what a model or a person wrote: no code fences, no
 * "Commit message:" label, no quotes around the first line, no trailing spaces, one blank line
 * between the first line and a body; '' when nothing is left.
 */
export function cleanCommitMessage(raw: string): string {
  let lines = raw
    .replace(/\r/g, '')
    .split('\n')
    .filter((l) => !/^\s*```/.test(l))
    .map((l) => l.trimEnd());
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  if (!lines.length) return '';
  let subject = lines[0].trim().replace(/^(git\s+)?commit(\s+message)?\s*:\s*/i, '');
  if (!subject && lines.length > 1) {
    lines = lines.slice(1);
    while (lines.length && !lines[0].trim()) lines.shift();
    subject = lines[0]?.trim() ?? '';
  }
  const quoted = /^(["'`])(.*)\1$/.exec(subject);
  if (quoted) subject = quoted[2].trim();
  const body = lines.slice(1);
  while (body.length && !body[0].trim()) body.shift();
  const text = body.length ? [subject, '', ...body].join('\n') : subject;
  return text.replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * `/undo`: restores the files of the last applied change set. When that change is already in a
 * commit, it first says what will happen — the files go back, the commit stays in the history
 * (nothing is rewritten), so the files then differ from HEAD — and asks.
 */
export async function undoCommand(ctx: GitCommandContext): Promise<string> {
  let plan: UndoPlan | null = null;
  let unchecked = '';
  try {
    plan = ctx.git ? await ctx.git.undoPlan() : null;
  } catch (error) {
    unchecked = ` (git could not say whether it was committed: ${(error as Error).message})`;
  }
  const committed = plan?.commits ?? [];
  if (plan && committed.length) {
    const holds = committed.map((c) => `${c.id} ("${c.subject}")`).join(', ');
    const paths = committed.flatMap((c) => c.paths);
    const after = ctx.git!.autoCommit
      ? 'with git.autoCommit on, that reversal is committed as a new commit.'
      : `/commit commits that reversal (as git revert ${committed[0].id} would).`;
    const explain =
      `The last change (${plan.paths.join(', ')}) is already committed in ${holds}. /undo restores the files as they were before it; ` +
      `the commit stays in the history (nothing is rewritten), so ${paths.join(', ')} will then differ from HEAD: ${after}`;
    if (!ctx.prompt) return `${explain}\nNothing was changed: run /undo in a terminal to confirm.`;
    ctx.prompt.print(chalk.yellow(explain));
    try {
      if (!(await ctx.prompt.confirm('Restore the files?', false))) return 'Nothing was changed.';
    } catch (error) {
      if (error instanceof PromptCancelled) return 'Nothing was changed.';
      throw error;
    }
  }
  const restored = await ctx.workspace.undo();
  if (!restored) return 'Nothing to undo: no change was applied in this session.';
  const restoredText = `Restored ${restored.join(', ')} to before the last applied change.${unchecked}`;
  if (!committed.length || ctx.git?.autoCommit) return restoredText;
  return `${restoredText} The commit ${committed.map((c) => c.id).join(', ')} stays in the history; /commit commits the reversal.`;
}

function notInRepo(ctx: GitCommandContext, command: string): string {
  if (ctx.gitProblem) return `${command} needs git, which cannot be used here: ${ctx.gitProblem}`;
  return `${command} needs a git repository, and this project is not in one (git init makes it one).`;
}
