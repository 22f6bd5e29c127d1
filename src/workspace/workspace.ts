/**
 * The project's files as the tools see them.
 * Paths given to every method are project-relative (or absolute inside the root); anything that
 * escapes the root, goes through a symlink out of it, or touches `.git/` throws `PathError`.
 */
import type { FileChange } from './approval.ts';

export class PathError extends Error {
  constructor(
    message: string,
    readonly code: 'outside_root' | 'not_found' | 'binary',
  ) {
    super(message);
    this.name = 'PathError';
  }
}

/**
 * A file changed on disk after the model read it, or between proposing a change and applying it.
 * Nothing was written; the message tells the model to read the file again.
 */
export class StaleFileError extends Error {
  readonly code = 'stale';
  constructor(
    message: string,
    readonly paths: string[],
  ) {
    super(message);
    this.name = 'StaleFileError';
  }
}

/** The change set `undo()` would restore (see `Workspace.undoTarget`). */
export interface UndoTarget {
  checkpointId: string;
  /** When the set was applied (ms since the epoch). */
  appliedAt: number;
  files: Array<{ path: string; afterHash: string | null }>;
}

/** A file's content as the sandbox should see it: the disk plus pending (unapproved) changes. */
export interface WorkspaceSnapshot {
  root: string;
  /** project-relative path → new content, or `null` for a pending deletion. */
  overlay: Map<string, string | null>;
}

export interface Workspace {
  readonly root: string;
  /** Resolves a path inside the root or throws PathError. */
  resolve(path: string): string;
  /** Project-relative form of an absolute or relative path inside the root. */
  relative(path: string): string;
  /** Reads a text file and remembers its version, so a later edit can detect a change on disk. */
  readText(path: string): Promise<string>;
  /**
   * The current text of a file about to be edited, without marking it as read. Throws
   * StaleFileError when it changed on disk since the model last read (or wrote) it.
   */
  readForEdit(path: string): Promise<string>;
  /** Builds a change (with diff) without touching disk. `after: null` deletes. */
  proposeChange(path: string, after: string | null): Promise<FileChange>;
  /** Stages changes as pending (visible to the sandbox, not yet on disk). */
  stage(changes: FileChange[]): void;
  /** Pending changes, in staging order. */
  pending(): FileChange[];
  /** Drops pending changes for these paths (all when omitted). */
  discard(paths?: string[]): void;
  /**
   * Atomically applies changes (each file old or new, never half), checkpointing first. When the
   * disk is too full, nothing changes and it throws `DiskFullError` ("Not applied: the disk is
   * full (N bytes needed) ...").
   */
  apply(changes: FileChange[]): Promise<{ checkpointId: string }>;
  /**
   * Restores the last applied change set exactly (also across sessions: the newest checkpoint
   * under `.assist/checkpoints/` not yet undone); returns the paths restored, or null if none.
   * Throws (writing nothing) when a file of the set was changed after the set was applied,
   * unless `force` is given.
   */
  undo(options?: { force?: boolean }): Promise<string[] | null>;
  /**
   * What `undo()` would restore now, without restoring it: the newest checkpoint not yet undone
   * (also from an earlier session), when it was taken, and each file's sha256 after the set
   * (null: the set deleted it). Null when there is nothing to undo.
   */
  undoTarget(): UndoTarget | null;
  /** Nearest existing project files (or directories) to a path that does not exist, best first. */
  suggest(path: string, options?: { directories?: boolean; limit?: number }): Promise<string[]>;
  /**
   * What opening the workspace repaired, one message each for the user: a change set a crash
   * interrupted between its renames, finished or undone as one set.
   */
  notices(): string[];
  /** Applied change sets of this session, oldest first. */
  applied(): Array<{ checkpointId: string; changes: FileChange[] }>;
  snapshot(): WorkspaceSnapshot;
}
