/**
 * The repository index: tree-sitter symbols of every project file, kept in `.assist/index/` and
 * brought up to date incrementally (a file is re-parsed only when its mtime or size changed).
 */
import { similarNames } from './similar-names.ts';
import { type FileStems, fileStems, rankByWords } from './rank-files.ts';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { IndexCacheError, readManifest, readSymbols, writeCache, type FileStamp } from './index-cache.ts';
import type { FileSymbols, IndexJob } from './index-file.ts';
import { walkFiles } from './file-walk.ts';
import { referencesIn } from './find-references.ts';
import { languageOf } from './languages.ts';
import { parseFiles } from './parse-pool.ts';
import { rankDefinitions, type Ranking } from './rank.ts';
import { renderRepoMap } from './repo-map.ts';
import type { IndexProgress, IndexUpdate, RepoIndex, RepoMapOptions, SymbolDef, SymbolQueryOptions, SymbolRef } from './repo-index.ts';

/** A reference lookup re-parses the files holding the name; it stops (and says so) after this many. */
const maxFilesScanned = 300;

/** Options of `openIndex` beyond the config (benchmarks and tests). */
export interface OpenIndexOptions {
  /** Parse threads for a cold index; 0 (default) = one per core, 1 = no workers. */
  threads?: number;
}

/** Opens the index of `root`. Nothing is read until `update()` or a query. */
export function openIndex(root: string, config: Config, options: OpenIndexOptions = {}): RepoIndex {
  return new ProjectIndex(path.resolve(root), config, options);
}

class ProjectIndex implements RepoIndex {
  private stamps = new Map<string, FileStamp>();
  private generation: string | null = null;
  private manifestRead = false;
  /** Symbols per file; null until needed (a warm update with no changes never loads them). */
  private symbolsByFile: Map<string, FileSymbols> | null = null;
  /** Each file's stems for rankFiles, kept while its symbols are (a reparsed file gets a new object). */
  private readonly stemsByFile = new WeakMap<FileSymbols, FileStems>();
  private defsByName: Map<string, SymbolDef[]> | null = null;
  private ranking: { key: string; ranking: Ranking } | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private cacheWarned = false;

  constructor(
    private readonly root: string,
    private readonly config: Config,
    private readonly options: OpenIndexOptions,
  ) {}

  update(onProgress?: (p: IndexProgress) => void, signal?: AbortSignal): Promise<IndexUpdate> {
    const run = this.running.then(() => this.runUpdate(onProgress, signal));
    this.running = run.catch(() => undefined);
    return run;
  }

  private readManifestOnce(): void {
    if (this.manifestRead) return;
    this.manifestRead = true;
    const manifest = readManifest(this.root);
    if (manifest) {
      this.stamps = manifest.stamps;
      this.generation = manifest.generation;
    }
  }

  /** The symbols of every indexed file; a cache that cannot be read leaves the index empty until the next update rebuilds it. */
  private loadedSymbols(): Map<string, FileSymbols> {
    if (this.symbolsByFile) return this.symbolsByFile;
    this.readManifestOnce();
    const loaded = this.generation ? readSymbols(this.root, this.generation) : null;
    if (!loaded && this.stamps.size > 0) {
      this.stamps = new Map();
      this.generation = null;
    }
    this.symbolsByFile = loaded ?? new Map();
    return this.symbolsByFile;
  }

  private async runUpdate(onProgress?: (p: IndexProgress) => void, signal?: AbortSignal): Promise<IndexUpdate> {
    this.readManifestOnce();
    const list = await walkFiles(this.root, { signal });
    const current = new Map<string, FileStamp>();
    let changed: string[] = [];
    for (const file of list) {
      const stat = statSync(path.join(this.root, file), { throwIfNoEntry: false });
      if (!stat) continue;
      const stamp = { mtimeMs: stat.mtimeMs, size: stat.size };
      current.set(file, stamp);
      const old = this.stamps.get(file);
      if (!old || old.mtimeMs !== stamp.mtimeMs || old.size !== stamp.size) changed.push(file);
    }
    const removed = [...this.stamps.keys()].filter((f) => !current.has(f));
    if (changed.length === 0 && removed.length === 0) return { parsed: 0, removed: 0, files: current.size };

    const symbols = this.loadedSymbols();
    if (this.stamps.size === 0) changed = [...current.keys()];
    else {
      const already = new Set(changed);
      changed = changed.concat([...current.keys()].filter((f) => !symbols.has(f) && !already.has(f)));
    }
    const jobs: IndexJob[] = changed.map((file) => ({
      path: file,
      abs: path.join(this.root, file),
      lang: languageOf(file),
      size: current.get(file)!.size,
    }));
    const results = await parseFiles(jobs, {
      maxFileBytes: this.config.index.maxFileBytes,
      threads: this.options.threads,
      signal,
      onProgress: onProgress ? (done, total) => onProgress({ done, total }) : undefined,
    });
    jobs.forEach((job, i) => symbols.set(job.path, results[i]));
    for (const file of removed) symbols.delete(file);
    for (const file of [...symbols.keys()]) if (!current.has(file)) symbols.delete(file);
    this.stamps = current;
    this.defsByName = null;
    this.ranking = null;
    let warning: string | undefined;
    try {
      writeCache(this.root, this.stamps, symbols);
    } catch (error) {
      // a read-only project or a full disk still gets an in-memory index; the warning is given once
      if (!this.cacheWarned) {
        this.cacheWarned = true;
        warning =
          error instanceof IndexCacheError ? error.message : `The index cache could not be saved (${(error as Error).message}); the index works from memory.`;
      }
    }
    return { parsed: jobs.length, removed: removed.length, files: current.size, ...(warning ? { warning } : {}) };
  }

  symbols(name: string, options: SymbolQueryOptions = {}): { defs: SymbolDef[]; refs: SymbolRef[]; refsTruncated?: boolean } {
    const defs = this.definitionsByName().get(name) ?? [];
    const maxRefs = options.maxRefs ?? Number.POSITIVE_INFINITY;
    const refs: SymbolRef[] = [];
    let refsTruncated = false;
    let scanned = 0;
    for (const [file, symbols] of [...this.loadedSymbols()].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (!symbols.lang || !symbols.tokens.includes(name)) continue;
      if (refs.length >= maxRefs || ++scanned > maxFilesScanned) {
        refsTruncated = true;
        break;
      }
      const skip = new Set(symbols.defs.filter((d) => d.name === name).map((d) => d.line));
      for (const ref of referencesIn(this.root, file, symbols.lang, name, skip)) {
        if (refs.length >= maxRefs) {
          refsTruncated = true;
          break;
        }
        refs.push(ref);
      }
    }
    return refsTruncated ? { defs, refs, refsTruncated } : { defs, refs };
  }

  filesWithToken(name: string): Array<{ path: string; lang: string | null }> {
    const out: Array<{ path: string; lang: string | null }> = [];
    for (const [file, symbols] of [...this.loadedSymbols()].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (symbols.tokens.includes(name)) out.push({ path: file, lang: symbols.lang ?? null });
    }
    return out;
  }

  private definitionsByName(): Map<string, SymbolDef[]> {
    if (this.defsByName) return this.defsByName;
    const map = new Map<string, SymbolDef[]>();
    for (const [file, symbols] of this.loadedSymbols()) {
      for (const def of symbols.defs) {
        const entry: SymbolDef = { ...def, path: file };
        const list = map.get(def.name);
        if (list) list.push(entry);
        else map.set(def.name, [entry]);
      }
    }
    for (const list of map.values()) list.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
    this.defsByName = map;
    return map;
  }

  suggest(name: string): string[] {
    return similarNames(name, this.definitionsByName().keys());
  }

  rankFiles(query: string, max = 5): string[] {
    const files: FileStems[] = [];
    for (const [file, symbols] of this.loadedSymbols()) {
      // code only: a parser read it (docs and data say the words too, but are not where a fix goes)
      if (!symbols.lang) continue;
      let stems = this.stemsByFile.get(symbols);
      if (!stems) {
        stems = fileStems(normalise(file), symbols.tokens, symbols.counts);
        this.stemsByFile.set(symbols, stems);
      }
      files.push(stems);
    }
    return rankByWords(query, files, max).map((r) => r.path);
  }

  outline(file: string): SymbolDef[] | undefined {
    const symbols = this.loadedSymbols().get(normalise(file));
    return symbols?.defs.map((d) => ({ ...d, path: normalise(file) }));
  }

  notes(): Array<{ path: string; note: string }> {
    const out: Array<{ path: string; note: string }> = [];
    for (const [file, symbols] of this.loadedSymbols()) if (symbols.note) out.push({ path: file, note: symbols.note });
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  repoMap(options: RepoMapOptions): string {
    const focusFiles = (options.focusFiles ?? []).map(normalise);
    const key = JSON.stringify([focusFiles, options.focusIdents ?? []]);
    if (this.ranking?.key !== key) {
      this.ranking = { key, ranking: rankDefinitions(this.loadedSymbols(), { focusFiles, focusIdents: options.focusIdents }) };
    }
    return renderRepoMap(this.ranking.ranking, options.tokenBudget, options.countTokens, new Set((options.omitFiles ?? []).map(normalise)));
  }

  files(): string[] {
    this.readManifestOnce();
    return [...this.stamps.keys()].sort();
  }
}

function normalise(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}
