/**
 * A session's work in a git repository. At the start it notes the branch and the files the user
 * had already changed (uncommitted); from then on it knows, for every file assist changes, whether
 * that file holds only assist's changes since HEAD or the user's own uncommitted edits too.
 *
 * - Before the first change to a file with the user's uncommitted edits, the user is told; the undo
 *   checkpoint holds the file as it was, their edits included.
 * - `commitPlan()` / `commit()`: what `/commit` commits (the files assist changed that differ from
 *   HEAD; a file that also holds the user's edits only when they say so).
 * - `git.autoCommit`: every applied change set is committed, leaving out every file that holds the
 *   user's edits too; an `/undo` of a committed set commits the reversal (history is never rewritten).
 * - `undoPlan()`: whether the change `/undo` would restore is already in a commit, and which.
 *
 * The session's workspace is wrapped (`wrap`) so that every apply and undo passes through here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FileChange } from './approval.ts';
import { unifiedDiff } from './file-workspace.ts';
import { GitError, openGitRepo, type GitCommit, type GitHead, type GitOptions, type GitRepo } from './git.ts';
import { decodeText } from './text-format.ts';
import type { UndoTarget, Workspace, WorkspaceSnapshot } from './workspace.ts';

export interface GitSessionOptions extends GitOptions {
  /** Commit every applied change set (`git.autoCommit`). */
  autoCommit: boolean;
  /** Tells the person something (a file with their edits is about to change, a commit was made). */
  onNotice?: (message: string, level: 'info' | 'warn') => void;
}

/** The repository as the session found it. */
export interface GitStart extends GitHead {
  /** Project files that differed from HEAD or were untracked when the session started (but `.assist/`): the user's. */
  dirty: string[];
}

/** Why a file that assist changed also holds edits that are not assist's: made before its first change, or since its last. */
export type UserEdits = 'before' | 'since';

/** What `/commit` would commit now. */
export interface CommitPlan {
  /** Files assist changed that differ from HEAD and hold only assist's changes. */
  ready: string[];
  /** Files assist changed that differ from HEAD and also hold the user's own edits. */
  mixed: Array<{ path: string; userEdits: UserEdits }>;
  /** Files assist changed that git ignores (never committed). */
  ignored: string[];
}

/** The change set `/undo` would restore, and the commits that already hold it. */
export interface UndoPlan {
  checkpointId: string;
  paths: string[];
  /** Each commit (newest touching the file) that holds the set's change, with the set's files it holds. */
  commits: Array<{ id: string; subject: string; paths: string[] }>;
}

/** What the session knows of one file it changed. */
export interface FileState {
  /** The user's own uncommitted edits are in this file too (and since when); null: only assist's since HEAD. */
  userEdits: UserEdits | null;
  /** The text assist last left in the file (null: no file). */
  last: string | null;
}

/** What opening git for a session gave: a session, nothing (no repository), or a reason git cannot be used here. */
export type GitSessionOpening = { git: GitSession; problem?: undefined } | { git?: undefined; problem?: string };

export class GitSession {
  private readonly files = new Map<string, FileState>();
  private readonly told = new Set<string>();
  private readonly dirtyAtStart: Set<string>;
  private request = '';
  private workspace: Workspace | undefined;

  private constructor(
    readonly repo: GitRepo,
    readonly start: GitStart,
    readonly autoCommit: boolean,
    private readonly onNotice: (message: string, level: 'info' | 'warn') => void,
  ) {
    this.dirtyAtStart = new Set(start.dirty);
  }

  /**
   * Opens git for a session in `root`: no session outside a repository; a `problem` (for the
   * banner) when the project is a repository git cannot read, or git is missing.
   */
  static async open(root: string, options: GitSessionOptions): Promise<GitSessionOpening> {
    const opened = await openGitRepo(root, options);
    if (opened.kind === 'none') return {};
    if (opened.kind === 'unavailable') return { problem: opened.reason };
    try {
      const [head, status] = await Promise.all([opened.repo.head(), opened.repo.status()]);
      // .assist/ is assist's own state (sessions, index, checkpoints), never the user's edits
      const start: GitStart = { ...head, dirty: status.map((s) => s.path).filter((p) => !p.startsWith('.assist/')) };
      return { git: new GitSession(opened.repo, start, options.autoCommit, options.onNotice ?? (() => {})) };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  }

  /** One line: the branch (or detached commit) and whether the tree was dirty at the start. */
  summary(): string {
    const { branch, commit, dirty } = this.start;
    const where = branch ? `${branch}${commit ? '' : ' (no commits yet)'}` : `detached HEAD at ${commit ?? '?'}`;
    const state = dirty.length === 0 ? 'clean' : `${dirty.length} uncommitted file${dirty.length === 1 ? '' : 's'} of yours`;
    return `${where} · ${state}${this.autoCommit ? ' · auto-commit on' : ''}`;
  }

  /** The request being worked on, for auto-commit messages ("assist: <request>"). */
  noteRequest(text: string): void {
    this.request = text;
  }

  /** The session's workspace with every apply and undo passing through this session (notices, auto-commit). */
  wrap(workspace: Workspace): Workspace {
    this.workspace = workspace;
    return new GitWorkspace(workspace, this);
  }

  /** Every file assist changed (or restored) in this session, in order of first change. */
  changedFiles(): string[] {
    return [...this.files.keys()];
  }

  /** Whether a file assist changed also holds the user's own edits, and since when (null: only assist's). */
  userEdits(file: string): UserEdits | null {
    const state = this.files.get(file);
    if (!state) return this.dirtyAtStart.has(file) ? 'before' : null;
    return state.userEdits ?? (this.currentText(file) !== state.last ? 'since' : null);
  }

  /** What `/commit` would commit: the files assist changed that differ from HEAD, sorted by whose edits they hold. */
  async commitPlan(): Promise<CommitPlan> {
    const plan: CommitPlan = { ready: [], mixed: [], ignored: [] };
    const changed = this.changedFiles();
    const status = new Map((await this.repo.status(changed, { ignored: true })).map((s) => [s.path, s]));
    for (const file of changed) {
      const s = status.get(file);
      if (!s) continue;
      if (s.index === '!') plan.ignored.push(file);
      else {
        const userEdits = this.userEdits(file);
        if (userEdits) plan.mixed.push({ path: file, userEdits });
        else plan.ready.push(file);
      }
    }
    return plan;
  }

  /** The unified diff of `paths` from HEAD to the disk: what a commit of them would record. */
  async diffFromHead(paths: string[]): Promise<string> {
    const parts: string[] = [];
    for (const file of paths) parts.push(unifiedDiff(file, await this.repo.headText(file), this.currentText(file)));
    return parts.filter(Boolean).join('\n');
  }

  /** Commits exactly `paths` with `message` (see `GitRepo.commit`); from then on they hold only assist's changes since HEAD. */
  async commit(paths: string[], message: string): Promise<GitCommit> {
    const made = await this.repo.commit(paths, message);
    for (const file of paths) {
      const state = this.files.get(file);
      if (state) this.files.set(file, { userEdits: null, last: this.currentText(file) });
    }
    return made;
  }

  /**
   * The change set `/undo` would restore and the commits that already hold its change: a file
   * that is as the set left it, equal to HEAD, and last committed after the set was applied.
   * Null when there is nothing to undo.
   */
  async undoPlan(): Promise<UndoPlan | null> {
    const target = this.workspace?.undoTarget();
    if (!target) return null;
    return { checkpointId: target.checkpointId, paths: target.files.map((f) => f.path), commits: await this.commitsHolding(target) };
  }

  /**
   * Decides, before a set is applied, whose edits each of its files holds (returned for
   * `afterApply`), and tells the user about their own edits, once per file.
   */
  async beforeApply(changes: FileChange[]): Promise<Map<string, FileState>> {
    const decided = new Map<string, FileState>();
    const unknown = changes.filter((c) => !this.files.has(c.path) && !this.dirtyAtStart.has(c.path)).map((c) => c.path);
    let dirtyNow = new Set<string>();
    let checkFailed = '';
    try {
      dirtyNow = new Set((await this.repo.status(unknown)).map((s) => s.path));
    } catch (error) {
      checkFailed = (error as Error).message;
      dirtyNow = new Set(unknown);
    }
    for (const change of changes) {
      const state = this.files.get(change.path);
      if (state) {
        if (!state.userEdits && change.before !== state.last) {
          state.userEdits = 'since';
          this.tell(change.path, 'since');
        }
        decided.set(change.path, state);
        continue;
      }
      const userEdits: UserEdits | null = this.dirtyAtStart.has(change.path) || dirtyNow.has(change.path) ? 'before' : null;
      decided.set(change.path, { userEdits, last: change.before });
      if (userEdits && !checkFailed) this.tell(change.path, 'before');
    }
    if (checkFailed)
      this.onNotice(
        `Could not ask git whether ${unknown.join(', ')} had uncommitted edits (${checkFailed}); assist treats them as ` +
          `yours${this.autoCommit ? ' and leaves them out of auto-commits' : ''}.`,
        'warn',
      );
    return decided;
  }

  /** Tells the user about a file with their uncommitted edits before its first change (the stage of a proposal). */
  beforeProposal(changes: FileChange[]): void {
    for (const change of changes) if (!this.files.has(change.path) && this.dirtyAtStart.has(change.path)) this.tell(change.path, 'before');
  }

  /** Records what an applied set left in its files, and commits it when auto-commit is on. */
  async afterApply(changes: FileChange[], decided: Map<string, FileState>): Promise<void> {
    for (const change of changes) this.files.set(change.path, { ...decided.get(change.path)!, last: change.after });
    if (!this.autoCommit) return;
    const own = changes.filter((c) => !this.files.get(c.path)!.userEdits).map((c) => c.path);
    const left = changes.filter((c) => this.files.get(c.path)!.userEdits).map((c) => c.path);
    if (left.length)
      this.onNotice(
        `Not auto-committed: ${left.join(', ')} (${left.length === 1 ? 'it holds' : 'they hold'} your own uncommitted edits too; /commit asks before ` +
          `including ${left.length === 1 ? 'it' : 'them'}).`,
        'info',
      );
    await this.autoCommitPaths(
      own,
      autoCommitMessage(
        this.request,
        changes.filter((c) => own.includes(c.path)),
      ),
    );
  }

  /** Records what an undo restored; with auto-commit on, commits the reversal of a committed set (a new commit: history is never rewritten). */
  async afterUndo(restored: string[], plan: UndoPlan | null): Promise<void> {
    for (const file of restored) {
      const state = this.files.get(file);
      if (state) state.last = this.currentText(file);
      else this.files.set(file, { userEdits: this.dirtyAtStart.has(file) ? 'before' : null, last: this.currentText(file) });
    }
    if (!this.autoCommit || !plan?.commits.length) return;
    const committed = plan.commits.flatMap((c) => c.paths);
    const own = committed.filter((file) => !this.files.get(file)?.userEdits);
    const subjects = plan.commits.map((c) => `${c.id} ("${c.subject}")`).join(', ');
    const subject = plan.commits[0].subject.replace(/^assist: /, '');
    const more = plan.commits.length > 1 ? ` and ${plan.commits.length - 1} more` : '';
    const message = `assist: undo "${subject}"${more}\n\nRestores ${own.join(', ')} as ${own.length === 1 ? 'it was' : 'they were'} before ${subjects}.\n`;
    const left = committed.filter((file) => !own.includes(file));
    if (left.length)
      this.onNotice(
        `The undo of ${left.join(', ')} is not committed (${left.length === 1 ? 'it holds' : 'they hold'} your own edits too); /commit asks before ` +
          `including ${left.length === 1 ? 'it' : 'them'}.`,
        'info',
      );
    await this.autoCommitPaths(own, message);
  }

  private async autoCommitPaths(paths: string[], message: string): Promise<void> {
    if (paths.length === 0) return;
    try {
      const dirty = new Set((await this.repo.status(paths)).map((s) => s.path));
      const files = paths.filter((p) => dirty.has(p));
      if (files.length === 0) return;
      const made = await this.commit(files, message);
      this.onNotice(`Committed ${made.id}${this.start.branch ? ` on ${this.start.branch}` : ''}: ${made.subject} (${files.join(', ')}).`, 'info');
    } catch (error) {
      const why = error instanceof GitError ? error.message : String((error as Error)?.message ?? error);
      this.onNotice(`Auto-commit failed: ${why} The change is applied; /commit tries again.`, 'warn');
    }
  }

  private async commitsHolding(target: UndoTarget): Promise<UndoPlan['commits']> {
    const paths = target.files.map((f) => f.path);
    const changedFromHead = new Set((await this.repo.status(paths)).map((s) => s.path));
    const commits = new Map<string, { id: string; subject: string; paths: string[] }>();
    for (const file of target.files) {
      if (changedFromHead.has(file.path) || hashOf(this.currentBytes(file.path)) !== file.afterHash) continue;
      const last = await this.repo.lastCommitOf(file.path);
      if (!last || last.time < Math.floor(target.appliedAt / 1000)) continue;
      const entry = commits.get(last.id) ?? { id: last.id, subject: last.subject, paths: [] };
      entry.paths.push(file.path);
      commits.set(last.id, entry);
    }
    return [...commits.values()];
  }

  private tell(file: string, userEdits: UserEdits): void {
    if (this.told.has(file)) return;
    this.told.add(file);
    const autoCommit = this.autoCommit ? ' Auto-commit leaves this file out.' : '';
    this.onNotice(
      userEdits === 'before'
        ? `${file} has uncommitted changes of yours. assist's change goes on top of them, and the undo checkpoint keeps the file as it is now: /undo ` +
            `brings your version back.${autoCommit}`
        : `${file} was changed outside assist since assist last changed it; the undo checkpoint keeps those edits too.${autoCommit}`,
      'warn',
    );
  }

  private currentBytes(file: string): Buffer | null {
    try {
      return readFileSync(path.join(this.repo.root, file));
    } catch {
      return null;
    }
  }

  private currentText(file: string): string | null {
    const bytes = this.currentBytes(file);
    if (bytes === null) return null;
    const decoded = decodeText(bytes);
    return decoded.kind === 'text' ? decoded.text : bytes.toString('latin1');
  }
}

/** An auto-commit's message: "assist: <the request's first line>" (or the files), and the files in the body. */
export function autoCommitMessage(request: string, changes: FileChange[]): string {
  const line =
    request
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  const files = changes.map((c) => c.path);
  const which = files.length > 3 ? `${files.length} files` : files.join(', ');
  const what = line ? (line.length > 64 ? `${line.slice(0, 63).trimEnd()}…` : line) : `change ${which}`;
  const body = changes.map((c) => `- ${c.before === null ? 'create' : c.after === null ? 'delete' : 'edit'} ${c.path}`).join('\n');
  return `assist: ${what}\n\n${body}\n`;
}

function hashOf(bytes: Buffer | null): string | null {
  return bytes === null ? null : createHash('sha256').update(bytes).digest('hex');
}

/** The session's workspace with its applies and undos passing through the git session. */
class GitWorkspace implements Workspace {
  readonly root: string;

  constructor(
    private readonly inner: Workspace,
    private readonly git: GitSession,
  ) {
    this.root = inner.root;
  }

  resolve(p: string): string {
    return this.inner.resolve(p);
  }
  relative(p: string): string {
    return this.inner.relative(p);
  }
  readText(p: string): Promise<string> {
    return this.inner.readText(p);
  }
  readForEdit(p: string): Promise<string> {
    return this.inner.readForEdit(p);
  }
  proposeChange(p: string, after: string | null): Promise<FileChange> {
    return this.inner.proposeChange(p, after);
  }
  stage(changes: FileChange[]): void {
    this.inner.stage(changes);
    this.git.beforeProposal(changes.map((c) => ({ ...c, path: this.inner.relative(c.path) })));
  }
  pending(): FileChange[] {
    return this.inner.pending();
  }
  discard(paths?: string[]): void {
    this.inner.discard(paths);
  }
  async apply(changes: FileChange[]): Promise<{ checkpointId: string }> {
    const relative = changes.map((c) => ({ ...c, path: this.inner.relative(c.path) }));
    const decided = await this.git.beforeApply(relative);
    const result = await this.inner.apply(changes);
    await this.git.afterApply(relative, decided);
    return result;
  }
  async undo(options?: { force?: boolean }): Promise<string[] | null> {
    const plan = this.git.autoCommit ? await this.git.undoPlan().catch(() => null) : null;
    const restored = await this.inner.undo(options);
    if (restored) await this.git.afterUndo(restored, plan);
    return restored;
  }
  undoTarget(): UndoTarget | null {
    return this.inner.undoTarget();
  }
  suggest(p: string, options?: { directories?: boolean; limit?: number }): Promise<string[]> {
    return this.inner.suggest(p, options);
  }
  notices(): string[] {
    return this.inner.notices();
  }
  applied(): Array<{ checkpointId: string; changes: FileChange[] }> {
    return this.inner.applied();
  }
  snapshot(): WorkspaceSnapshot {
    return this.inner.snapshot();
  }
}
