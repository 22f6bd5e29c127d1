/**
 * Path confinement: every path a tool touches resolves inside the project root, never through a
 * symlink that leads out of it, never into `.git/` (read or write), and is written never into
 * `.assist/` (assist's own state). Each protected folder is checked on the path as written and on
 * its real path, so a symlink in the project that points into one is refused like the folder
 * itself. Refusals are `PathError`s written for the model.
 */
import { editDistance } from '../text/edit-distance.ts';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { walkFiles } from '../index/file-walk.ts';
import { PathError } from './workspace.ts';

/** Resolves and checks paths of one project root. */
export class PathGuard {
  readonly root: string;
  private readonly realRoot: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    try {
      this.realRoot = realpathSync.native(this.root);
    } catch {
      throw new Error(`The project directory ${this.root} does not exist.`);
    }
  }

  /** The absolute (lexical) path of a project path, or PathError when it is not allowed. */
  resolve(input: string): string {
    if (typeof input !== 'string' || input.trim() === '') {
      throw new PathError('The path is empty. Give a path relative to the project root, e.g. "src/index.ts".', 'not_found');
    }
    const abs = path.resolve(this.root, input);
    const rel = path.relative(this.root, abs);
    if (isOutside(rel)) {
      const hint = path.isAbsolute(input)
        ? `Absolute path ${JSON.stringify(input)} is outside the project root. Use a path relative to the project root instead, e.g. "src/index.ts".`
        : `Path ${JSON.stringify(input)} leads outside the project root. Use a path inside the project, relative to its root.`;
      throw new PathError(hint, 'outside_root');
    }
    checkProtected(input, rel, 'read', false);
    const real = this.realPath(abs);
    const realRel = path.relative(this.realRoot, real);
    if (isOutside(realRel)) {
      throw new PathError(`Path ${JSON.stringify(input)} goes through a symbolic link that points outside the project; it cannot be used.`, 'outside_root');
    }
    checkProtected(input, realRel, 'read', realRel !== rel);
    return abs;
  }

  /** The real location a read of this (already resolved) path comes from, following symlinks inside the root. */
  realTarget(abs: string): string {
    return this.realPath(abs);
  }

  /**
   * The real location a write to this (already resolved) path lands on. Throws PathError when the
   * path, as written or as its real path, is inside a folder tools may not change (`.assist/`, `.git/`).
   */
  writeTarget(abs: string): string {
    const input = path.relative(this.root, abs).split(path.sep).join('/');
    checkProtected(input, path.relative(this.root, abs), 'write', false);
    const real = this.realPath(abs);
    const realRel = path.relative(this.realRoot, real);
    if (isOutside(realRel)) {
      throw new PathError(`Path ${JSON.stringify(input)} goes through a symbolic link that points outside the project; it cannot be used.`, 'outside_root');
    }
    checkProtected(input, realRel, 'write', realRel !== path.relative(this.root, abs));
    return real;
  }

  /** Project-relative, '/'-separated form of a path inside the root. */
  relative(input: string): string {
    const abs = this.resolve(input);
    return path.relative(this.root, abs).split(path.sep).join('/') || '.';
  }

  /** Up to `limit` existing project files (or directories) nearest to a path that does not exist. */
  async suggest(input: string, options: { directories?: boolean; limit?: number } = {}): Promise<string[]> {
    const wanted = input
      .replace(/\\/g, '/')
      .replace(/^\.\/+/, '')
      .replace(/\/+$/, '');
    let files: string[];
    try {
      files = await walkFiles(this.root);
    } catch {
      return [];
    }
    let candidates = files;
    if (options.directories) {
      const dirs = new Set<string>();
      for (const file of files) {
        for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1)) dirs.add(file.slice(0, i));
      }
      candidates = [...dirs];
    }
    const base = wanted.slice(wanted.lastIndexOf('/') + 1).toLowerCase();
    const scored = candidates.map((candidate) => {
      const candidateBase = candidate.slice(candidate.lastIndexOf('/') + 1).toLowerCase();
      const score =
        candidateBase === base ? 0 : 1 + Math.min(editDistance(wanted.toLowerCase(), candidate.toLowerCase()), 3 * editDistance(base, candidateBase));
      return { candidate, score };
    });
    const limit = options.limit ?? 3;
    const cutoff = Math.max(4, Math.ceil(wanted.length * 0.6));
    return scored
      .filter((s) => s.score <= cutoff)
      .sort((a, b) => a.score - b.score || (a.candidate < b.candidate ? -1 : 1))
      .slice(0, limit)
      .map((s) => s.candidate);
  }

  /** Follows symlinks of the deepest existing ancestor; the rest of the path is appended as written. */
  private realPath(abs: string): string {
    let existing = abs;
    const rest: string[] = [];
    for (;;) {
      try {
        return path.join(realpathSync.native(existing), ...rest.reverse());
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        const parent = path.dirname(existing);
        if (parent === existing) return abs;
        rest.push(path.basename(existing));
        existing = parent;
      }
    }
  }
}

function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}

/** Folders tools may not touch, by name (any path segment, any case): what is refused in each, and why. */
const protectedFolders = {
  '.git': { refuses: 'read', why: 'which belongs to git; assist never reads or changes it' },
  '.assist': { refuses: 'write', why: 'where assist keeps its own state; it cannot be changed by a tool' },
} as const satisfies Record<string, { refuses: 'read' | 'write'; why: string }>;

/**
 * Throws PathError when `rel` (project-relative, as written or real) is inside a protected folder
 * that refuses this access ('read' refuses writes too). `viaLink`: `rel` is the real path of a
 * path that went through a symbolic link.
 */
function checkProtected(input: string, rel: string, access: 'read' | 'write', viaLink: boolean): void {
  for (const part of rel.split(path.sep)) {
    const name = part.toLowerCase();
    if (!Object.hasOwn(protectedFolders, name)) continue;
    const folder = protectedFolders[name as keyof typeof protectedFolders];
    if (folder.refuses === 'write' && access === 'read') continue;
    const where = viaLink ? `goes through a symbolic link into ${name}/` : `is inside ${name}/`;
    throw new PathError(`Path ${JSON.stringify(input)} ${where}, ${folder.why}.`, 'outside_root');
  }
}
