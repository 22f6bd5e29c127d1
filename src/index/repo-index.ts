/**
 * What the tools and the agent ask of the
 * tree-sitter index.
 */

export type SymbolKind = 'function' | 'method' | 'class' | 'interface' | 'type' | 'constant' | 'module' | 'enum' | 'struct' | 'trait' | 'variable';

export interface SymbolDef {
  name: string;
  kind: SymbolKind;
  path: string;
  /** 1-based. */
  line: number;
  endLine: number;
  /** The definition's first line(s), trimmed: what the repo map shows. */
  signature: string;
}

export interface SymbolRef {
  name: string;
  path: string;
  line: number;
}

/** Options of `RepoIndex.symbols`. */
export interface SymbolQueryOptions {
  /** Stop looking for references after this many (the answer then has `refsTruncated`). */
  maxRefs?: number;
}

export interface RepoMapOptions {
  focusFiles?: string[];
  focusIdents?: string[];
  /** Files left out of the map (still ranked): those the conversation already shows whole. */
  omitFiles?: string[];
  /** Budget in tokens, counted with `countTokens`. */
  tokenBudget: number;
  countTokens?: (text: string) => number;
}

export interface IndexProgress {
  done: number;
  total: number;
}

/** What one `update` did. */
export interface IndexUpdate {
  parsed: number;
  removed: number;
  files: number;
  warning?: string;
}

export interface RepoIndex {
  /**
   * Brings the index up to date with the disk (incremental). `warning`: the on-disk cache could not
   * be saved (a full disk); the index works anyway. Given once, not on every update.
   */
  update(onProgress?: (p: IndexProgress) => void, signal?: AbortSignal): Promise<IndexUpdate>;
  /** Where `name` is defined, and where it is used as an identifier (not in comments or strings). */
  symbols(name: string, options?: SymbolQueryOptions): { defs: SymbolDef[]; refs: SymbolRef[]; refsTruncated?: boolean };
  outline(path: string): SymbolDef[] | undefined;
  repoMap(options: RepoMapOptions): string;
  /** Every indexed file, project-relative. */
  files(): string[];
  /**
   * The indexed files whose tokens include `name`, with their language (null: a file without a
   * parser, whose mentions are plain text): where a rename must look.
   */
  filesWithToken?(name: string): Array<{ path: string; lang: string | null }>;
  /** Code files ranked by how well their words match `query` (a request in prose), best first (rank-files.ts). */
  rankFiles?(query: string, max?: number): string[];
  /** Defined names close to `name` (case, typos, substrings), best first: for "did you mean". */
  suggest?(name: string): string[];
  /** Files listed without (all) symbols, and why: too large, binary, generated, minified, syntax errors. */
  notes?(): Array<{ path: string; note: string }>;
}
