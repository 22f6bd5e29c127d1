/**
 * Checkpoints for undo: before a change set is applied, the exact before-state of every file in
 * it (bytes and mode, or "did not exist") is written under `.assist/checkpoints/<id>/`. Every
 * file is written completely (full-write.ts) and the manifest last (temp + rename), so a
 * checkpoint either exists completely or not at all; a checkpoint that cannot be written (a full
 * disk) is removed again. An undone checkpoint gets an `undone` marker and is never restored
 * twice. While the renames of its set run, the checkpoint folder also holds the set's journal
 * (apply-journal.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { replaceFileFully, syncDir, writeNewFileFully } from './full-write.ts';

/** One file's state before a change set. */
export interface CheckpointEntry {
  /** Project-relative path. */
  path: string;
  /** Whether the file existed before the set. */
  existed: boolean;
  /** Permission bits before the set (null when it did not exist). */
  mode: number | null;
  /** sha256 of the bytes before / after the set (null: no file). */
  beforeHash: string | null;
  afterHash: string | null;
}

/** What a checkpoint directory records. */
export interface CheckpointManifest {
  version: 1;
  id: string;
  createdAt: string;
  entries: CheckpointEntry[];
  /** Directories the set created (root-relative, outermost first), removed again on undo when empty. */
  createdDirs: string[];
}

/**
 * The renames of one change set (an apply, or the undo of one) in flight: written once every temp
 * file is complete and before the first rename, removed after the last. Found on start, it means
 * a process died between the renames.
 */
export interface RenameJournal {
  version: 1;
  kind: 'apply' | 'undo';
  pid: number;
  checkpointId: string;
  /** For each manifest entry, the base name of its temp file next to the target (null: a deletion). */
  temps: Array<string | null>;
}

/** Checkpoints kept on disk; older ones are removed when a new one is written. */
export const keptCheckpoints = 100;

/** sha256 of some bytes (null for "no file"). */
export function hashBytes(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : createHash('sha256').update(bytes).digest('hex');
}

/** The checkpoints of one project. */
export class CheckpointStore {
  readonly dir: string;
  private sequence = 0;

  constructor(readonly root: string) {
    this.dir = path.join(root, '.assist', 'checkpoints');
  }

  /** Writes a complete checkpoint and returns its manifest. `before` holds the bytes of each existing file. */
  create(entries: CheckpointEntry[], before: Map<string, Buffer>, createdDirs: string[]): CheckpointManifest {
    this.ensureDir();
    const id = `${Date.now().toString().padStart(15, '0')}-${process.pid}-${(this.sequence++).toString().padStart(4, '0')}`;
    const dir = path.join(this.dir, id);
    const manifest: CheckpointManifest = { version: 1, id, createdAt: new Date().toISOString(), entries, createdDirs };
    try {
      mkdirSync(path.join(dir, 'files'), { recursive: true });
      entries.forEach((entry, i) => {
        const bytes = before.get(entry.path);
        if (entry.existed && bytes) writeNewFileFully(path.join(dir, 'files', String(i)), bytes);
      });
      replaceFileFully(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    } catch (error) {
      this.remove(id);
      throw error;
    }
    this.prune();
    return manifest;
  }

  /** The manifest of one checkpoint, or null when it is missing or unreadable. */
  manifest(id: string): CheckpointManifest | null {
    try {
      return JSON.parse(readFileSync(path.join(this.dir, id, 'manifest.json'), 'utf8')) as CheckpointManifest;
    } catch {
      return null;
    }
  }

  /** Records the renames of a set about to start (complete and fsynced before it returns). */
  writeJournal(journal: RenameJournal): void {
    const dir = path.join(this.dir, journal.checkpointId);
    replaceFileFully(path.join(dir, 'journal.json'), JSON.stringify(journal));
    syncDir(dir);
  }

  /** Whether a set of this checkpoint is between its renames (or died there). */
  hasJournal(id: string): boolean {
    return existsSync(path.join(this.dir, id, 'journal.json'));
  }

  /** Removes the journal of a set whose renames all happened. */
  removeJournal(id: string): void {
    const dir = path.join(this.dir, id);
    try {
      unlinkSync(path.join(dir, 'journal.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    syncDir(dir);
  }

  /**
   * Every journal left on disk, with its age. A journal that cannot be parsed is returned as
   * `journal: null` (it was not written by assist: journals are replaced atomically).
   */
  journals(): Array<{ id: string; journal: RenameJournal | null; mtimeMs: number }> {
    let ids: string[];
    try {
      ids = readdirSync(this.dir).sort();
    } catch {
      return [];
    }
    const found: Array<{ id: string; journal: RenameJournal | null; mtimeMs: number }> = [];
    for (const id of ids) {
      const file = path.join(this.dir, id, 'journal.json');
      const st = statSync(file, { throwIfNoEntry: false });
      if (!st) continue;
      let journal: RenameJournal | null = null;
      try {
        journal = parseJournal(JSON.parse(readFileSync(file, 'utf8')), id);
      } catch {
        // unreadable: reported as null
      }
      found.push({ id, journal, mtimeMs: st.mtimeMs });
    }
    return found;
  }

  /** The saved bytes of entry `index` of a checkpoint. */
  beforeBytes(id: string, index: number): Buffer {
    return readFileSync(path.join(this.dir, id, 'files', String(index)));
  }

  /** The newest complete checkpoint not yet undone, or null. */
  latest(): CheckpointManifest | null {
    let ids: string[];
    try {
      ids = readdirSync(this.dir).sort().reverse();
    } catch {
      return null;
    }
    for (const id of ids) {
      if (existsSync(path.join(this.dir, id, 'undone'))) continue;
      const manifest = this.manifest(id);
      if (manifest) return manifest;
    }
    return null;
  }

  /** Every checkpoint's manifest (undone ones too), newest first; unreadable ones are skipped. */
  manifests(): CheckpointManifest[] {
    let ids: string[];
    try {
      ids = readdirSync(this.dir).sort().reverse();
    } catch {
      return [];
    }
    const manifests: CheckpointManifest[] = [];
    for (const id of ids) {
      try {
        manifests.push(JSON.parse(readFileSync(path.join(this.dir, id, 'manifest.json'), 'utf8')) as CheckpointManifest);
      } catch {
        // incomplete (the manifest is written last) or not a checkpoint
      }
    }
    return manifests;
  }

  /** Marks a checkpoint as undone. */
  markUndone(id: string): void {
    replaceFileFully(path.join(this.dir, id, 'undone'), new Date().toISOString());
  }

  /** Removes a checkpoint whose change set was never applied. */
  remove(id: string): void {
    rmSync(path.join(this.dir, id), { recursive: true, force: true });
  }

  private prune(): void {
    const ids = readdirSync(this.dir).sort();
    for (const id of ids.slice(0, Math.max(0, ids.length - keptCheckpoints))) this.remove(id);
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true });
    const ignore = path.join(this.root, '.assist', '.gitignore');
    if (!existsSync(ignore)) replaceFileFully(ignore, '# assist keeps its sessions, index and checkpoints here\n*\n');
  }
}

function parseJournal(value: unknown, id: string): RenameJournal | null {
  const v = value as Partial<RenameJournal> | null;
  if (!v || v.version !== 1 || (v.kind !== 'apply' && v.kind !== 'undo') || v.checkpointId !== id) return null;
  if (!Number.isSafeInteger(v.pid) || !Array.isArray(v.temps) || !v.temps.every((t) => t === null || typeof t === 'string')) return null;
  return v as RenameJournal;
}
