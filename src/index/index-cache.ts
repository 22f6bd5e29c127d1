/**
 * The index on disk, under `.assist/index/`: a small manifest (path, mtime, size per file) read
 * on every update, and the symbols, read only when a query needs them. Both carry the format
 * version in their name and header; a file of another version is never parsed, and both carry
 * the same generation id so a half-written pair is never mixed. Each file is written completely
 * or not at all (full-write.ts); a cache that cannot be saved (a full disk) is an
 * `IndexCacheError`, a warning: the index keeps working from memory.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileDef } from './extract-symbols.ts';
import type { FileSymbols } from './index-file.ts';
import { languages, type LanguageId } from './languages.ts';
import type { SymbolKind } from './repo-index.ts';
import { diskFullReason, isDiskFull, replaceFileFully } from '../workspace/full-write.ts';

/** Bump whenever what is stored, or how it is extracted, changes. */
export const indexFormatVersion = 2;

let fingerprintCache: string | undefined;

/**
 * The full version written in a cache header: the format version plus a hash of the tag queries,
 * so editing a query also invalidates every cache built with the old one.
 */
export function cacheVersion(): string {
  if (fingerprintCache) return fingerprintCache;
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'queries');
  const hash = createHash('sha1');
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.scm'))
    .sort())
    hash.update(name).update(readFileSync(path.join(dir, name)));
  fingerprintCache = `${indexFormatVersion}-${hash.digest('hex').slice(0, 12)}`;
  return fingerprintCache;
}

/** Where a file stood on disk when it was indexed. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
}

type StoredDef = [name: string, kind: SymbolKind, line: number, endLine: number, signature: string];
interface StoredFile {
  lang: LanguageId | null;
  note?: string;
  defs: StoredDef[];
  /** Tokens joined by spaces (cheaper to parse than an array). */
  tokens: string;
  counts: number[];
}

/** Paths of the cache files of this format version. */
export function cachePaths(root: string): { dir: string; manifest: string; symbols: string } {
  const dir = path.join(root, '.assist', 'index');
  return {
    dir,
    manifest: path.join(dir, `files.v${indexFormatVersion}.json`),
    symbols: path.join(dir, `symbols.v${indexFormatVersion}.json`),
  };
}

function header(generation: string): string {
  return `{"version":${JSON.stringify(cacheVersion())},"generation":${JSON.stringify(generation)},`;
}

/** Reads a cache file only if its header names this format version; else null. */
function readVersioned(file: string): { generation: string; body: Record<string, unknown> } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const match = /^\{"version":("[^"]*"),"generation":("[^"]*"),/.exec(text.slice(0, 200));
  if (!match || JSON.parse(match[1]) !== cacheVersion()) return null;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return { generation: JSON.parse(match[2]) as string, body };
  } catch {
    return null;
  }
}

/** The manifest: stamps of every indexed file, or null when absent, unreadable or of another version. */
export function readManifest(root: string): { generation: string; stamps: Map<string, FileStamp> } | null {
  const read = readVersioned(cachePaths(root).manifest);
  if (!read || !Array.isArray(read.body.files)) return null;
  const stamps = new Map<string, FileStamp>();
  for (const entry of read.body.files as Array<[string, number, number]>) stamps.set(entry[0], { mtimeMs: entry[1], size: entry[2] });
  return { generation: read.generation, stamps };
}

/** The symbols of the manifest's generation, or null when they do not belong together. */
export function readSymbols(root: string, generation: string): Map<string, FileSymbols> | null {
  const read = readVersioned(cachePaths(root).symbols);
  if (!read || read.generation !== generation || typeof read.body.files !== 'object' || !read.body.files) return null;
  const out = new Map<string, FileSymbols>();
  for (const [file, stored] of Object.entries(read.body.files as Record<string, StoredFile>)) {
    const lang = stored.lang && stored.lang in languages ? stored.lang : null;
    const defs: FileDef[] = stored.defs.map(([name, kind, line, endLine, signature]) => ({ name, kind, line, endLine, signature }));
    const symbols: FileSymbols = { lang, defs, tokens: stored.tokens ? stored.tokens.split(' ') : [], counts: stored.counts };
    if (stored.note) symbols.note = stored.note;
    out.set(file, symbols);
  }
  return out;
}

/** The cache could not be saved; nothing half-written was left, and the index still works from memory. */
export class IndexCacheError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IndexCacheError';
  }
}

/**
 * Writes manifest and symbols (symbols first, so a manifest never points at missing symbols) and
 * removes other versions' files. Throws `IndexCacheError` when they cannot be written.
 */
export function writeCache(root: string, stamps: Map<string, FileStamp>, symbols: Map<string, FileSymbols>): void {
  const paths = cachePaths(root);
  const generation = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const files: Record<string, StoredFile> = {};
  for (const [file, s] of symbols) {
    const stored: StoredFile = {
      lang: s.lang,
      defs: s.defs.map((d) => [d.name, d.kind, d.line, d.endLine, d.signature]),
      tokens: s.tokens.join(' '),
      counts: s.counts,
    };
    if (s.note) stored.note = s.note;
    files[file] = stored;
  }
  const list = [...stamps].map(([file, st]) => [file, st.mtimeMs, st.size]);
  const symbolsBytes = Buffer.from(`${header(generation)}"files":${JSON.stringify(files)}}`);
  const manifestBytes = Buffer.from(`${header(generation)}"files":${JSON.stringify(list)}}`);
  try {
    mkdirSync(paths.dir, { recursive: true });
    replaceFileFully(paths.symbols, symbolsBytes);
    replaceFileFully(paths.manifest, manifestBytes);
  } catch (error) {
    const reason = isDiskFull(error) ? diskFullReason(symbolsBytes.length + manifestBytes.length) : (error as Error).message;
    throw new IndexCacheError(`The index cache could not be saved in ${paths.dir} (${reason}); the index works from memory and is rebuilt next time.`, {
      cause: error,
    });
  }
  for (const name of readdirSync(paths.dir)) {
    const full = path.join(paths.dir, name);
    if (full !== paths.manifest && full !== paths.symbols && /^(files|symbols)\.v\d+\.json/.test(name)) rmSync(full, { force: true });
  }
}
