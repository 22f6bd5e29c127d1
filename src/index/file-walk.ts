/**
 * The project's files as every part sees them: the same set `rg --files` lists (see
 * ignore-rules.ts for the rules). Symbolic links are not followed and not listed (ripgrep's
 * default), so a walk never leaves the root.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { GlobFilter, IgnoreRules } from './ignore-rules.ts';

/** Options of `walkFiles`. */
export interface WalkOptions {
  /** ripgrep `--glob` syntax: `*.ts`, `src/**\/*.py`, `!test/**`. */
  glob?: string | null;
  /** Project-relative directory to list instead of the whole project. */
  dir?: string | null;
  signal?: AbortSignal;
  /** Rules to reuse across walks of the same root (they are cached per directory). */
  rules?: IgnoreRules;
}

/** Normalises a project-relative directory argument: '' for the root, no './', no trailing '/'. */
export function normaliseDir(dir: string | null | undefined): string {
  if (!dir) return '';
  const parts = dir.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new Error(`Directory ${JSON.stringify(dir)} must stay inside the project (no "..").`);
  return parts.join('/');
}

/**
 * Sorted, project-relative, '/'-separated paths of the regular files under `root` (or under
 * `options.dir`), honouring nested `.gitignore` and `.assistignore` files, skipping hidden
 * entries and `.git/`. A `dir` that is itself ignored or hidden is still listed (as `rg DIR`
 * does). Throws if `dir` is not a directory; rejects with an AbortError when `signal` aborts.
 */
export async function walkFiles(root: string, options: WalkOptions = {}): Promise<string[]> {
  const absRoot = path.resolve(root);
  const start = normaliseDir(options.dir);
  const rules = options.rules ?? new IgnoreRules(absRoot);
  const glob = options.glob ? new GlobFilter(options.glob) : null;
  const signal = options.signal;
  const startAbs = start === '' ? absRoot : path.join(absRoot, start);
  if (!statSync(startAbs, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`No directory ${JSON.stringify(start)} in the project.`);
  }
  const out: string[] = [];
  const stack: string[] = [start];
  let visited = 0;
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    if (signal?.aborted) throw signal.reason ?? new DOMException('The walk was aborted.', 'AbortError');
    if (++visited % 256 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    let entries;
    try {
      entries = readdirSync(rel === '' ? absRoot : path.join(absRoot, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rules.excludes(child, true)) continue;
        if (glob?.prunesDir(child)) continue;
        stack.push(child);
      } else if (entry.isFile()) {
        if (rules.excludes(child, false)) continue;
        if (glob && !glob.includesFile(child)) continue;
        out.push(child);
      }
    }
  }
  return out.sort(comparePaths);
}

/** The one path order every listing and search result uses (UTF-16 code unit order). */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
