/**
 * Turns a WorkspaceSnapshot (disk + pending changes) into the files a run sees: as a tar archive
 * (Docker: unpacked inside the container) or written into a private directory (bwrap, none).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pack } from 'tar-stream';
import type { WorkspaceSnapshot } from '../workspace/workspace.ts';
import { walkFiles } from '../index/file-walk.ts';

/** One file of a run's work directory. */
export interface WorkFile {
  path: string;
  content: Buffer;
  executable: boolean;
}

/**
 * Dependency directories that are usually git-ignored but needed to run tests (never copied:
 * made available read-only by the backends when present at the project root).
 */
export const dependencyDirs = ['node_modules', '.venv', 'venv'] as const;

/** The files of the snapshot plus `extra` (generated code), with pending changes applied. */
export async function snapshotFiles(snapshot: WorkspaceSnapshot | undefined, extra: WorkFile[] = [], signal?: AbortSignal): Promise<WorkFile[]> {
  const byPath = new Map<string, WorkFile>();
  if (snapshot) {
    const paths = await walkFiles(snapshot.root, { signal });
    const disk = paths.filter((p) => !snapshot.overlay.has(p));
    await forEachLimited(disk, 16, async (rel) => {
      const abs = path.join(snapshot.root, rel);
      try {
        const [content, stat] = await Promise.all([fs.readFile(abs), fs.stat(abs)]);
        byPath.set(rel, { path: rel, content, executable: (stat.mode & 0o111) !== 0 });
      } catch (error) {
        // A file deleted between the walk and the read is simply not part of the snapshot.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    });
    for (const [rel, content] of snapshot.overlay) {
      if (content === null) continue;
      let executable = false;
      try {
        executable = ((await fs.stat(path.join(snapshot.root, rel))).mode & 0o111) !== 0;
      } catch {
        // a new file
      }
      byPath.set(rel, { path: rel, content: Buffer.from(content, 'utf8'), executable });
    }
  }
  for (const file of extra) byPath.set(file.path, file);
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Dependency directories (see `dependencyDirs`) present at the project root, as absolute paths. */
export async function presentDependencyDirs(root: string | undefined): Promise<string[]> {
  if (!root) return [];
  const found: string[] = [];
  for (const name of dependencyDirs) {
    const abs = path.join(root, name);
    const stat = await fs.stat(abs).catch(() => undefined);
    if (stat?.isDirectory()) found.push(abs);
  }
  return found;
}

/** A tar archive (in memory) of the files, owned by `uid`:`gid`. */
export async function tarFiles(files: WorkFile[], uid = 10001, gid = 10001): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      archive.entry(
        { name: file.path, size: file.content.length, mode: file.executable ? 0o755 : 0o644, uid, gid, mtime: new Date() },
        file.content,
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Writes the files under `dir` (which must exist). Paths never escape `dir`. */
export async function writeFiles(dir: string, files: WorkFile[]): Promise<void> {
  const base = path.resolve(dir);
  await forEachLimited(files, 16, async (file) => {
    const target = path.resolve(base, file.path);
    if (!target.startsWith(base + path.sep)) throw new Error(`refusing to write '${file.path}' outside the work directory`);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content, { mode: file.executable ? 0o755 : 0o644 });
  });
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
