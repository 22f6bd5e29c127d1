/**
 * The workspace on a real directory: confined paths, text reads with version tracking, staged
 * change sets with unified diffs, atomic apply with checkpoints, and undo. An apply or undo that
 * does not fit on the disk changes nothing and says how many bytes it needed; one killed between
 * its renames is finished or undone as a set when the workspace opens again (apply-journal.ts).
 */
import { existsSync, lstatSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { FileChange } from './approval.ts';
import { recoverInterruptedSets } from './apply-journal.ts';
import { removeStaleApplyTemps } from './apply-temps.ts';
import { createDirs, missingDirs, writeFilesAtomically, type FileWrite, type RenameHooks } from './atomic-write.ts';
import { CheckpointStore, hashBytes, type CheckpointEntry, type CheckpointManifest } from './checkpoints.ts';
import { DiskFullError, diskFullAdvice, diskFullReason, isDiskFull } from './full-write.ts';
import { PathGuard } from './path-guard.ts';
import { decodeText, defaultTextFormat, encodeText, type TextFormat } from './text-format.ts';
import { PathError, StaleFileError, type UndoTarget, type Workspace, type WorkspaceSnapshot } from './workspace.ts';

/** A file as it is on disk now. */
interface DiskFile {
  rel: string;
  /** Real absolute path (symlinks inside the root followed). */
  real: string;
  bytes: Buffer | null;
  mode: number | null;
}

/** Unified diff of one file, `a/` and `b/` prefixed like git; empty when nothing changes. */
export function unifiedDiff(rel: string, before: string | null, after: string | null): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(
    before === null ? '/dev/null' : `a/${rel}`,
    after === null ? '/dev/null' : `b/${rel}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
  return patch.replace(/^=+\n/, '').replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
}

export class FileWorkspace implements Workspace {
  readonly root: string;
  private readonly guard: PathGuard;
  private readonly store: CheckpointStore;
  /** Project path → sha256 of the bytes the model last saw (read, or wrote itself). */
  private readonly versions = new Map<string, string | null>();
  private readonly staged = new Map<string, FileChange>();
  private readonly history: Array<{ checkpointId: string; changes: FileChange[] }> = [];
  private readonly repairs: string[] = [];
  private recovering = false;

  constructor(root: string) {
    this.guard = new PathGuard(root);
    this.root = this.guard.root;
    this.store = new CheckpointStore(this.root);
  }

  resolve(p: string): string {
    return this.guard.resolve(p);
  }

  relative(p: string): string {
    return this.guard.relative(p);
  }

  suggest(p: string, options?: { directories?: boolean; limit?: number }): Promise<string[]> {
    return this.guard.suggest(p, options);
  }

  async readText(p: string): Promise<string> {
    const disk = await this.readExisting(p);
    const decoded = this.decode(disk);
    this.versions.set(disk.rel, hashBytes(disk.bytes));
    return decoded.text;
  }

  async readForEdit(p: string): Promise<string> {
    const disk = this.readDisk(p, true);
    if (disk.bytes === null) throw await this.notFound(p);
    this.checkFresh(disk);
    return this.decode(disk).text;
  }

  async proposeChange(p: string, after: string | null): Promise<FileChange> {
    const disk = this.readDisk(p, true);
    if (disk.bytes === null && after === null) throw await this.notFound(p);
    this.checkFresh(disk);
    const before = disk.bytes === null ? null : this.decode(disk).text;
    return { path: disk.rel, before, after, diff: unifiedDiff(disk.rel, before, after) };
  }

  stage(changes: FileChange[]): void {
    for (const change of changes) {
      const rel = this.relative(change.path);
      this.staged.delete(rel);
      this.staged.set(rel, { ...change, path: rel });
    }
  }

  pending(): FileChange[] {
    return [...this.staged.values()];
  }

  discard(paths?: string[]): void {
    if (!paths) return this.staged.clear();
    for (const p of paths) this.staged.delete(this.relative(p));
  }

  async apply(changes: FileChange[]): Promise<{ checkpointId: string }> {
    if (changes.length === 0) throw new Error('The change set is empty; there is nothing to apply.');
    const seen = new Set<string>();
    const stale: string[] = [];
    const entries: CheckpointEntry[] = [];
    const before = new Map<string, Buffer>();
    const writes: FileWrite[] = [];
    const dirs = new Set<string>();
    for (const change of changes) {
      const disk = this.readDisk(change.path, true);
      if (seen.has(disk.rel)) throw new Error(`The change set touches ${disk.rel} twice; merge those changes into one.`);
      seen.add(disk.rel);
      let current: string | null = null;
      let format: TextFormat = defaultTextFormat;
      if (disk.bytes !== null) {
        const decoded = decodeText(disk.bytes);
        if (decoded.kind === 'text') {
          current = decoded.text;
          format = decoded.format;
        }
      }
      if (disk.bytes !== null && current === null) stale.push(disk.rel);
      else if (current !== change.before) stale.push(disk.rel);
      const afterBytes = change.after === null ? null : encodeText(change.after, format);
      if (afterBytes !== null && disk.bytes === null) for (const dir of missingDirs(disk.real)) dirs.add(dir);
      if (disk.bytes !== null) before.set(disk.rel, disk.bytes);
      entries.push({ path: disk.rel, existed: disk.bytes !== null, mode: disk.mode, beforeHash: hashBytes(disk.bytes), afterHash: hashBytes(afterBytes) });
      writes.push({ target: disk.real, bytes: afterBytes, mode: disk.mode });
    }
    if (stale.length > 0) {
      throw new StaleFileError(
        `${stale.join(', ')} changed on disk after the change was proposed. Nothing was written; read the file${stale.length > 1 ? 's' : ''} again ` +
          `and redo the change.`,
        stale,
      );
    }
    const createdDirs = [...dirs].sort((a, b) => a.length - b.length);
    const needed = [...before.values(), ...writes.map((w) => w.bytes)].reduce((sum, b) => sum + (b?.length ?? 0), 0);
    let manifest: CheckpointManifest;
    try {
      manifest = this.store.create(
        entries,
        before,
        createdDirs.map((d) => path.relative(this.root, d).split(path.sep).join('/')),
      );
    } catch (error) {
      throw this.diskFull('Not applied', error, needed);
    }
    try {
      createDirs(createdDirs);
      writeFilesAtomically(writes, this.journal(manifest, 'apply'));
    } catch (error) {
      if (this.store.hasJournal(manifest.id)) throw this.repairNow(error);
      this.removeEmptyDirs(createdDirs);
      this.store.remove(manifest.id);
      throw this.diskFull('Not applied', error, needed);
    }
    const applied = changes.map((change, i) => ({ ...change, path: entries[i].path }));
    for (const entry of entries) {
      this.versions.set(entry.path, entry.afterHash);
      this.staged.delete(entry.path);
    }
    this.history.push({ checkpointId: manifest.id, changes: applied });
    return { checkpointId: manifest.id };
  }

  async undo(options: { force?: boolean } = {}): Promise<string[] | null> {
    const manifest = this.store.latest();
    if (!manifest) return null;
    const conflicts: string[] = [];
    const writes: FileWrite[] = [];
    const dirs = new Set<string>();
    manifest.entries.forEach((entry, i) => {
      const disk = this.readDisk(entry.path, true);
      const now = hashBytes(disk.bytes);
      if (now !== entry.afterHash && now !== entry.beforeHash) conflicts.push(entry.path);
      if (entry.existed) {
        if (disk.bytes === null) for (const dir of missingDirs(disk.real)) dirs.add(dir);
        writes.push({ target: disk.real, bytes: this.store.beforeBytes(manifest.id, i), mode: entry.mode });
      } else {
        writes.push({ target: disk.real, bytes: null, mode: null });
      }
    });
    if (conflicts.length > 0 && !options.force) {
      throw new Error(
        `Cannot undo: ${conflicts.join(', ')} changed after the change set was applied, and undoing would overwrite those edits. Nothing was restored.`,
      );
    }
    this.restore(manifest, writes, [...dirs]);
    return manifest.entries.map((e) => e.path);
  }

  undoTarget(): UndoTarget | null {
    const manifest = this.store.latest();
    if (!manifest) return null;
    const appliedAt = Date.parse(manifest.createdAt);
    return {
      checkpointId: manifest.id,
      appliedAt: Number.isNaN(appliedAt) ? 0 : appliedAt,
      files: manifest.entries.map((e) => ({ path: e.path, afterHash: e.afterHash })),
    };
  }

  /** What opening this workspace repaired (a change set interrupted by a crash, finished or undone), one message each. */
  notices(): string[] {
    return [...this.repairs];
  }

  /**
   * Finishes or undoes every change set whose process died between its renames (apply-journal.ts);
   * returns the messages, which `notices()` also keeps.
   */
  recoverInterrupted(): string[] {
    if (this.recovering) return [];
    this.recovering = true;
    try {
      return this.recoverNow();
    } finally {
      this.recovering = false;
    }
  }

  private recoverNow(): string[] {
    const messages = recoverInterruptedSets({
      store: this.store,
      locate: (rel) => {
        const abs = this.resolve(rel);
        if (abs === this.root) throw new Error(`it names ${JSON.stringify(rel)}, which is not a project file.`);
        const real = this.guard.writeTarget(abs);
        const st = statSync(real, { throwIfNoEntry: false });
        return { real, bytes: !st ? null : st.isFile() ? readFileSync(real) : undefined };
      },
      restore: (manifest) => {
        const writes: FileWrite[] = [];
        const dirs: string[] = [];
        manifest.entries.forEach((entry, i) => {
          const real = this.guard.writeTarget(this.resolve(entry.path));
          if (!entry.existed) return writes.push({ target: real, bytes: null, mode: null });
          if (!existsSync(real)) dirs.push(...missingDirs(real));
          writes.push({ target: real, bytes: this.store.beforeBytes(manifest.id, i), mode: entry.mode });
        });
        this.restore(manifest, writes, dirs);
      },
    });
    this.repairs.push(...messages);
    return messages;
  }

  /** Writes the before-state of a checkpoint (journaled as an undo) and marks it undone. */
  private restore(manifest: CheckpointManifest, writes: FileWrite[], dirs: string[]): void {
    const needed = writes.reduce((sum, w) => sum + (w.bytes?.length ?? 0), 0);
    try {
      createDirs([...new Set(dirs)].sort((a, b) => a.length - b.length));
      writeFilesAtomically(writes, this.journal(manifest, 'undo'));
    } catch (error) {
      if (this.store.hasJournal(manifest.id)) throw this.repairNow(error);
      throw this.diskFull('Not undone', error, needed);
    }
    this.removeEmptyDirs(manifest.createdDirs.map((d) => path.join(this.root, d)));
    for (const entry of manifest.entries) this.versions.set(entry.path, entry.beforeHash);
    const index = this.history.findIndex((h) => h.checkpointId === manifest.id);
    if (index >= 0) this.history.splice(index, 1);
  }

  /** Hooks that journal the renames of a set in its checkpoint folder (an undo is marked undone before its journal goes). */
  private journal(manifest: CheckpointManifest, kind: 'apply' | 'undo'): RenameHooks {
    return {
      beforeRenames: (temps) =>
        this.store.writeJournal({
          version: 1,
          kind,
          pid: process.pid,
          checkpointId: manifest.id,
          temps: temps.map((t) => (t === null ? null : path.basename(t))),
        }),
      afterRenames: () => {
        if (kind === 'undo') this.store.markUndone(manifest.id);
        this.store.removeJournal(manifest.id);
      },
    };
  }

  /**
   * A set failed between its renames in this process: it is finished or undone now (not while a
   * recovery is already running: its journal stays for the next start), and the error says which.
   */
  private repairNow(error: unknown): Error {
    const messages = this.recoverInterrupted();
    return new Error(`${(error as Error).message ?? String(error)}. ${messages.join(' ')}`.trim(), { cause: error });
  }

  /** A full disk as the user should read it ("Not applied: the disk is full (N bytes needed) ..."); other errors unchanged. */
  private diskFull(verb: string, error: unknown, needed: number): unknown {
    if (!isDiskFull(error)) return error;
    return new DiskFullError(`${verb}: ${diskFullReason(needed)}. No file was changed; ${diskFullAdvice(path.join(this.root, '.assist'))}`, needed, {
      cause: error,
    });
  }

  /**
   * Removes the temp files an apply or undo left when its process died: they lie next to files
   * that some checkpoint names (its manifest is written before the files). Returns their paths.
   */
  removeCrashLeftovers(): string[] {
    const dirs = new Set<string>();
    for (const manifest of this.store.manifests()) {
      for (const entry of manifest.entries) {
        try {
          dirs.add(path.dirname(this.guard.realTarget(this.resolve(entry.path))));
        } catch {
          // no longer inside the project (a symlink changed): its folder is not ours to sweep
        }
      }
    }
    return removeStaleApplyTemps(dirs);
  }

  applied(): Array<{ checkpointId: string; changes: FileChange[] }> {
    return this.history.map((h) => ({ checkpointId: h.checkpointId, changes: [...h.changes] }));
  }

  snapshot(): WorkspaceSnapshot {
    const overlay = new Map<string, string | null>();
    for (const [rel, change] of this.staged) {
      if (change.after === null) {
        overlay.set(rel, null);
        continue;
      }
      let format = defaultTextFormat;
      try {
        const decoded = decodeText(readFileSync(this.guard.realTarget(this.resolve(rel))));
        if (decoded.kind === 'text' && decoded.format.encoding === 'utf8') format = decoded.format;
      } catch {
        // a new file
      }
      overlay.set(rel, encodeText(change.after, format).toString('utf8'));
    }
    return { root: this.root, overlay };
  }

  /** The file's current state; `forWrite` also refuses folders tools may not change (`.assist/`), on the real path too. */
  private readDisk(p: string, forWrite: boolean): DiskFile {
    const abs = this.resolve(p);
    const rel = path.relative(this.root, abs).split(path.sep).join('/');
    if (rel === '') throw new PathError('The project root is a directory, not a file. Name a file inside it.', 'not_found');
    const real = forWrite ? this.guard.writeTarget(abs) : this.guard.realTarget(abs);
    const st = statSync(real, { throwIfNoEntry: false });
    if (!st) {
      if (lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink()) {
        throw new PathError(`${rel} is a broken symbolic link; fix or remove it by hand.`, 'not_found');
      }
      return { rel, real, bytes: null, mode: null };
    }
    if (st.isDirectory()) throw new PathError(`${rel} is a directory, not a file. Use list_files with dir "${rel}" to see what is in it.`, 'not_found');
    if (!st.isFile()) throw new PathError(`${rel} is not a regular file.`, 'binary');
    return { rel, real, bytes: readFileSync(real), mode: st.mode & 0o7777 };
  }

  /** Throws StaleFileError when the file is not what the model last saw. */
  private checkFresh(disk: DiskFile): void {
    const known = this.versions.get(disk.rel);
    if (known !== undefined && known !== hashBytes(disk.bytes)) {
      throw new StaleFileError(
        `${disk.rel} changed on disk after you read it (someone else edited it). Nothing was changed; read it again with read_file and redo the edit ` +
          `on its current text.`,
        [disk.rel],
      );
    }
  }

  private async readExisting(p: string): Promise<DiskFile & { bytes: Buffer }> {
    const disk = this.readDisk(p, false);
    if (disk.bytes === null) throw await this.notFound(p);
    return disk as DiskFile & { bytes: Buffer };
  }

  private decode(disk: DiskFile): { text: string; format: TextFormat } {
    const decoded = decodeText(disk.bytes ?? Buffer.alloc(0));
    if (decoded.kind === 'binary') {
      throw new PathError(`${disk.rel} is a binary file (${decoded.reason}); it cannot be read or edited as text.`, 'binary');
    }
    return decoded;
  }

  private async notFound(p: string): Promise<PathError> {
    const rel = this.relative(p);
    const suggestions = await this.suggest(rel);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : ' Use list_files to see which files exist.';
    return new PathError(`No file "${rel}" in the project.${hint}`, 'not_found');
  }

  private removeEmptyDirs(dirs: string[]): void {
    for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty, or already gone
      }
    }
  }
}
