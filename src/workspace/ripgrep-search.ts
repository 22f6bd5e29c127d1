/**
 * The search through ripgrep. rg walks and searches; its results are then filtered by the same
 * rules the in-process walk applies (`.assistignore`, which rg does not know, and the glob's
 * exact meaning), so both engines return the same lines.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { GlobFilter, IgnoreRules } from '../index/ignore-rules.ts';
import type { SearchCounts, SearchLine } from './node-search.ts';
import { SearchQueryError, type CompiledQuery, type SearchOptions } from './search-query.ts';

let rgPath: string | null | undefined;

/** Output beyond this is not collected: the query is too broad to be useful. */
export const maxOutputBytes = 128 * 1024 * 1024;
/** The message for a query whose results would not fit in memory. */
export const tooMuchOutput = 'The search matched far too much (over 128 MB of lines). Use a more specific query, a glob (e.g. "*.ts") or a dir.';

/** The `rg` executable on PATH, or null. Looked up once per process. */
export function findRipgrep(): string | null {
  if (rgPath !== undefined) return rgPath;
  rgPath = null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'rg');
    try {
      accessSync(candidate, constants.X_OK);
      rgPath = candidate;
      break;
    } catch {
      // not here
    }
  }
  return rgPath;
}

/** The rg arguments for a query; the walk flags make rg see exactly what `walkFiles` sees. */
export function ripgrepArgs(options: SearchOptions, pattern: { pattern: string; fixed: boolean }, ignoreCase: boolean, dir: string): string[] {
  const args = ['--no-config', '--no-require-git', '--no-ignore-dot', '--no-ignore-global', '--no-messages', '--mmap'];
  args.push('--line-number', '--with-filename', '--no-heading', '--color', 'never', '--null');
  args.push(ignoreCase ? '--ignore-case' : '--case-sensitive');
  if (pattern.fixed) args.push('--fixed-strings');
  if (options.contextLines > 0) args.push('--context', String(options.contextLines));
  if (options.glob) args.push('--glob', options.glob);
  args.push('--regexp', pattern.pattern);
  if (dir) args.push('--', dir);
  return args;
}

/**
 * Runs rg; returns null when rg is missing or cannot run this query (the caller searches
 * in-process instead).
 */
export async function searchWithRipgrep(
  root: string,
  options: SearchOptions,
  query: CompiledQuery,
  rules: IgnoreRules,
  glob: GlobFilter | null,
  dir: string,
  signal?: AbortSignal,
  limit = Infinity,
): Promise<(SearchCounts & { lines: SearchLine[] }) | null> {
  const rg = findRipgrep();
  if (!rg || !query.rg) return null;
  const args = ripgrepArgs(options, query.rg, query.ignoreCase, dir);
  const result = await new Promise<{ code: number | null; stdout: Buffer; stderr: string } | null>((resolve, reject) => {
    const child = spawn(rg, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutputBytes) {
        child.kill();
        reject(new SearchQueryError(tooMuchOutput));
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => (error.name === 'AbortError' ? reject(error) : resolve(null)));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
  });
  if (!result) return null;
  if (result.code === 2 && result.stdout.length === 0) {
    // With --no-messages, only a query error (bad or unsupported regex) is reported; silence means no file was searched.
    if (result.stderr.trim() === '') return { lines: [], matches: 0, matchFiles: 0 };
    return null;
  }
  if (result.code !== 0 && result.code !== 1 && result.code !== 2) return null;
  return parseRipgrepOutput(
    result.stdout.toString('utf8'),
    (file) => {
      if (file.split('/').includes('.git')) return false;
      if (glob && !glob.includesFile(file)) return false;
      return rules.includesFile(file, dir);
    },
    limit,
  );
}

/**
 * Parses `rg --null --line-number` output: the lines of the files `keep` accepts, sorted by path
 * then line, materialised up to `limit` matching lines (the counts cover everything).
 */
export function parseRipgrepOutput(stdout: string, keep: (file: string) => boolean, limit = Infinity): SearchCounts & { lines: SearchLine[] } {
  /** Per kept file: start offsets of its output lines, and its matching-line count. */
  const byFile = new Map<string, { starts: number[]; matches: number } | null>();
  let matches = 0;
  let pos = 0;
  let raw = '';
  let entry: { starts: number[]; matches: number } | null = null;
  while (pos < stdout.length) {
    let eol = stdout.indexOf('\n', pos);
    if (eol < 0) eol = stdout.length;
    let nul: number;
    if (raw !== '' && stdout.charCodeAt(pos + raw.length) === 0 && stdout.startsWith(raw, pos)) {
      nul = pos + raw.length;
    } else {
      nul = stdout.indexOf('\0', pos);
      if (nul < 0 || nul > eol) {
        pos = eol + 1;
        continue;
      }
      raw = stdout.slice(pos, nul);
      const name = raw.startsWith('./') ? raw.slice(2) : raw;
      if (byFile.has(name)) entry = byFile.get(name)!;
      else {
        entry = keep(name) ? { starts: [], matches: 0 } : null;
        byFile.set(name, entry);
      }
    }
    if (entry !== null) {
      let i = nul + 1;
      while (stdout.charCodeAt(i) >= 48 && stdout.charCodeAt(i) <= 57) i++;
      entry.starts.push(pos);
      if (stdout.charCodeAt(i) === 58) {
        entry.matches++;
        matches++;
      }
    }
    pos = eol + 1;
  }
  const files = [...byFile.keys()].filter((f) => byFile.get(f)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines: SearchLine[] = [];
  let shown = 0;
  for (const name of files) {
    const { starts } = byFile.get(name)!;
    if (shown >= limit) break;
    const fileLines: SearchLine[] = [];
    for (const start of starts) {
      const nul = stdout.indexOf('\0', start);
      let i = nul + 1;
      let line = 0;
      for (let c = stdout.charCodeAt(i); c >= 48 && c <= 57; c = stdout.charCodeAt(++i)) line = line * 10 + (c - 48);
      let eol = stdout.indexOf('\n', i);
      if (eol < 0) eol = stdout.length;
      if (stdout.charCodeAt(eol - 1) === 13) eol--;
      fileLines.push({ path: name, line, text: stdout.slice(i + 1, eol), match: stdout.charCodeAt(i) === 58 });
    }
    fileLines.sort((a, b) => a.line - b.line);
    for (const l of fileLines) {
      if (l.match && shown >= limit) break;
      if (l.match) shown++;
      lines.push(l);
    }
  }
  return { lines, matches, matchFiles: files.filter((f) => byFile.get(f)!.matches > 0).length };
}
