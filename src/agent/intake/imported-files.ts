/**
 * The project files a file imports: what a developer opens next to read what a file means.
 * roombook's Configuration section names src/config/defaults.ts, whose `defaultConfig` is typed by
 * `Config` from ./types.ts; with defaults.ts and env.ts read, the 1.5B model's table of "every
 * setting" listed the ten an environment variable sets, and with types.ts read too, all sixteen.
 * Found two ways, neither tied to one language: the relative paths its import lines give
 * (`'./types.ts'`, `"../db/rooms"`, `#include "inventory.hpp"`, `from tally.db import entries`), and the names those lines import
 * that one other file of the project in the same language defines (`Config`, `from tally.config
 * import load_config`).
 */
import path from 'node:path';
import type { RepoIndex } from '../../index/repo-index.ts';
import { anyTestFile } from '../checks/test-guard.ts';
import { languageOf } from '../../index/languages.ts';

/** A line that imports: `import`, `from … import`, `#include`, `require(…)`, `use`, `using`. */
const importLine = /^\s*(?:import\b|from\s+\S+\s+import\b|#\s*include\b|use\b|using\b|export\s+(?:\*|\{[^}]*\})\s+from\b)|\brequire(?:_relative)?\s*\(?\s*['"]/;

/** Names in an import line worth looking up: the identifiers of two or more characters, keywords aside. */
const keywords = new Set([
  'import',
  'from',
  'type',
  'as',
  'export',
  'include',
  'require',
  'require_relative',
  'use',
  'using',
  'static',
  'default',
  'const',
  'let',
  'var',
  'std',
  'self',
  'super',
  'crate',
]);

/**
 * The project files (of `files`, the index's list) that `file` (its text `text`) imports, first
 * those its import lines give by path, then those defining what they import by name; itself, tests
 * and files not in `files` left out.
 */
export function importedFiles(file: string, text: string, files: readonly string[], index: Pick<RepoIndex, 'symbols'>): string[] {
  const known = new Set(files);
  const bare = (p: string) => p.replace(/\.[^./]+$/, '');
  const byBare = new Map<string, string>();
  for (const f of files) if (!byBare.has(bare(f))) byBare.set(bare(f), f);
  const out: string[] = [];
  const add = (f: string | undefined) => {
    if (f && f !== file && known.has(f) && !anyTestFile([f]) && !out.includes(f)) out.push(f);
  };
  const lines = text.split('\n').filter((line) => importLine.test(line));
  const dir = path.posix.dirname(file);
  for (const line of lines) {
    for (const match of line.matchAll(/['"<]([^'"<>\s]+)['">]/g)) {
      const spec = match[1];
      // (relative to the file; an include's name may also be beside it without `./`)
      if (!spec.startsWith('.') && !/^\s*#\s*include\b/.test(line)) continue;
      const resolved = path.posix.normalize(path.posix.join(dir, spec));
      add(known.has(resolved) ? resolved : (byBare.get(bare(resolved)) ?? byBare.get(`${resolved}/index`)));
    }
    // a dotted module (`from tally.db import entries`, `import tally.config`, `from .rules import x`)
    const dotted = /^\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+)\s*$)/.exec(line);
    const module = dotted?.[1] ?? dotted?.[2];
    if (module) {
      const dots = /^\.*/.exec(module)![0].length;
      const parts = module.slice(dots).split('.').filter(Boolean);
      const from = dots ? path.posix.join(dir, ...Array(dots - 1).fill('..')) : '';
      const resolved = path.posix.join(from, ...parts);
      add(byBare.get(resolved) ?? byBare.get(`${resolved}/__init__`));
    }
  }
  // (in a file of its own language: `from shop.defaults import …` names no TypeScript `defaults`)
  const language = languageOf(file);
  const names = new Set(lines.flatMap((line) => (line.match(/[A-Za-z_$][\w$]+/g) ?? []).filter((w) => !keywords.has(w))));
  for (const name of names) {
    let defined: string[] = [];
    try {
      defined = [...new Set(index.symbols(name, { maxRefs: 0 }).defs.map((d) => d.path))].filter(
        (p) => p !== file && !anyTestFile([p]) && languageOf(p) === language,
      );
    } catch {
      continue;
    }
    if (defined.length === 1) add(defined[0]);
  }
  return out;
}
