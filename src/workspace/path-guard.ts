/**
 * Path confinement: every path a tool touches resolves inside the project root, never through a
 * symlink that leads out of it, never into `.git/`. Refusals are `PathError`s written for the model.
 */
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
    checkNotGit(input, rel);
    const real = this.realPath(abs);
    const realRel = path.relative(this.realRoot, real);
    if (isOutside(realRel)) {
      throw new PathError(`Path ${JSON.stringify(input)} goes through a symbolic link that points outside the project; it cannot be used.`, 'outside_root');
    }
    checkNotGit(input, realRel);
    return abs;
  }

  /** The real location a write to this (already resolved) path lands on, following symlinks inside the root. */
  realTarget(abs: string): string {
    return this.realPath(abs);
  }

  /** Project-relative, '/'-separated form of a path inside the root. */
  relative(input: string): string {
    const abs = this.resolve(input);
    return path.relative(this.root, abs).split(path.sep).join('/') || '.';
  }

  /** Up to `limit` existing project files (or directories) nearest to a path that does not exist. */
  async suggest(input: string, options: { directories?: boolean; limit?: number } = {}): Promise<string[]> {
    const wanted = input.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
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
      const score = candidateBase === base ? 0 : 1 + Math.min(editDistance(wanted.toLowerCase(), candidate.toLowerCase()), 3 * editDistance(base, candidateBase));
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

function checkNotGit(input: string, rel: string): void {
  if (rel.split(path.sep).some((part) => part.toLowerCase() === '.git')) {
    throw new PathError(`Path ${JSON.stringify(input)} is inside .git/, which belongs to git; assist never reads or changes it.`, 'outside_root');
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
