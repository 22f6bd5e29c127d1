/**
 * The in-process search (used when ripgrep is not installed or cannot express a query). It sees
 * the same files and judges them the way `rg --mmap` does: a NUL byte in the first 64 KiB makes a
 * file binary (skipped); a UTF-8 BOM is dropped; UTF-16 files with a BOM are decoded.
 * Known difference: in a file that is not valid UTF-8, an invalid byte reads as U+FFFD here, so a
 * wildcard (`.`, `[^x]`, `\W`) can match it in-process where ripgrep's never does.
 */
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { walkFiles } from '../index/file-walk.ts';
import type { IgnoreRules } from '../index/ignore-rules.ts';
import { SearchQueryError, type CompiledQuery, type SearchOptions } from './search-query.ts';

/** One output line: a match, or a context line around one. */
export interface SearchLine {
  path: string;
  /** 1-based line number. */
  line: number;
  /** The line without its line break (a trailing `\r` dropped). */
  text: string;
  match: boolean;
}

/** Totals of a search, over all results even when only some lines are kept. */
export interface SearchCounts {
  /** Matching lines. */
  matches: number;
  /** Files with at least one matching line. */
  matchFiles: number;
}

/** The first `limit` matching lines (with the context lines up to the next match), in order. */
export function truncateLines(lines: SearchLine[], limit: number): SearchLine[] {
  if (limit === Infinity) return lines;
  let shown = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].match && ++shown > limit) return lines.slice(0, i);
  }
  return lines;
}

/** How many leading bytes ripgrep (with memory maps) inspects for a NUL byte. */
export const binarySniffBytes = 65536;

/** A file's bytes as searchable text, or null for a binary file. */
export function decodeForSearch(bytes: Buffer): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { ignoreBOM: true }).decode(bytes.subarray(2));
  if (bytes.indexOf(0) >= 0 && bytes.subarray(0, binarySniffBytes).indexOf(0) >= 0) return null;
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return start === 0 && isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8', start);
}

const stripCr = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);

/**
 * Appends the matching lines (with context) of one file's text to `out`; returns the match count.
 * Like ripgrep, output stops at the first line to show that contains a NUL byte.
 */
export function searchText(text: string, query: CompiledQuery, file: string, contextLines: number, out: SearchLine[]): number {
  const begin = out.length;
  findLines(text, query, file, contextLines, out);
  let matches = 0;
  for (let k = begin; k < out.length; k++) {
    if (out[k].text.includes('\0')) {
      out.length = k;
      break;
    }
    if (out[k].match) matches++;
  }
  return matches;
}

function findLines(text: string, query: CompiledQuery, file: string, contextLines: number, out: SearchLine[]): void {
  const starts: number[] = [];
  let from = 0;
  const end = text.length;
  while (from <= end) {
    let pos: number;
    if (query.literal !== null) {
      pos = text.indexOf(query.literal, from);
    } else {
      query.whole.lastIndex = from;
      const m = query.whole.exec(text);
      pos = m ? m.index : -1;
    }
    if (pos < 0) break;
    const lineStart = pos === 0 ? 0 : text.lastIndexOf('\n', pos - 1) + 1;
    if (lineStart === end && (end === 0 || text.endsWith('\n'))) break;
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = end;
    if (query.literal !== null || query.line.test(text.slice(lineStart, lineEnd))) starts.push(lineStart);
    from = lineEnd + 1;
  }
  if (starts.length === 0) return;
  if (contextLines === 0) {
    let line = 1;
    let counted = 0;
    for (const start of starts) {
      for (let i = text.indexOf('\n', counted); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) line++;
      counted = start;
      let lineEnd = text.indexOf('\n', start);
      if (lineEnd < 0) lineEnd = end;
      out.push({ path: file, line, text: stripCr(text.slice(start, lineEnd)), match: true });
    }
    return;
  }
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const matchSet = new Set<number>();
  let line = 0;
  let offset = 0;
  for (const start of starts) {
    while (offset < start) offset += lines[line++].length + 1;
    matchSet.add(line);
  }
  let shownUpTo = -1;
  for (const m of [...matchSet].sort((a, b) => a - b)) {
    const first = Math.max(m - contextLines, shownUpTo + 1);
    const last = Math.min(m + contextLines, lines.length - 1);
    for (let i = first; i <= last; i++) out.push({ path: file, line: i + 1, text: stripCr(lines[i]), match: matchSet.has(i) });
    shownUpTo = Math.max(shownUpTo, last);
  }
}

/** Searches the project in-process. */
export async function searchInProcess(
  root: string,
  options: SearchOptions,
  query: CompiledQuery,
  rules: IgnoreRules,
  signal?: AbortSignal,
  limit = Infinity,
): Promise<SearchCounts & { lines: SearchLine[] }> {
  const files = await walkFiles(root, { glob: options.glob, dir: options.dir, signal, rules });
  const lines: SearchLine[] = [];
  let matches = 0;
  let matchFiles = 0;
  for (let i = 0; i < files.length; i++) {
    if (i % 64 === 0 && signal?.aborted) throw signal.reason;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(root, files[i]));
    } catch {
      continue;
    }
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    if (query.required !== null && !utf16 && bytes.indexOf(query.required) < 0) continue;
    if (query.requiredFolded !== null && !utf16 && !query.requiredFolded.test(bytes.toString('latin1'))) continue;
    const text = decodeForSearch(bytes);
    if (text === null) continue;
    const found = searchText(text, query, files[i], options.contextLines, lines);
    if (lines.length > 1_000_000)
      throw new SearchQueryError('The search matched far too much (over a million lines). Use a more specific query, a glob (e.g. "*.ts") or a dir.');
    matches += found;
    if (found > 0) matchFiles++;
  }
  return { lines: truncateLines(lines, limit), matches, matchFiles };
}
