/**
 * Checkpoints for undo: before a change set is applied, the exact before-state of every file in
 * it (bytes and mode, or "did not exist") is written under `.assist/checkpoints/<id>/`. The
 * manifest is written last (temp + rename), so a checkpoint either exists completely or not at
 * all. An undone checkpoint gets an `undone` marker and is never restored twice.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';

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
    mkdirSync(path.join(dir, 'files'), { recursive: true });
    entries.forEach((entry, i) => {
      const bytes = before.get(entry.path);
      if (entry.existed && bytes) writeFileSync(path.join(dir, 'files', String(i)), bytes);
    });
    const manifest: CheckpointManifest = { version: 1, id, createdAt: new Date().toISOString(), entries, createdDirs };
    const tmp = path.join(dir, 'manifest.json.tmp');
    writeFileSync(tmp, JSON.stringify(manifest, null, 2));
    renameSync(tmp, path.join(dir, 'manifest.json'));
    this.prune();
    return manifest;
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
      const dir = path.join(this.dir, id);
      if (existsSync(path.join(dir, 'undone'))) continue;
      try {
        return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as CheckpointManifest;
      } catch {
        continue;
      }
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
    writeFileSync(path.join(this.dir, id, 'undone'), new Date().toISOString());
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
    if (!existsSync(ignore)) writeFileSync(ignore, '# assist keeps its sessions, index and checkpoints here\n*\n');
  }
}
