/**
 * CONTRACT (to be implemented by the index part): what the tools and the agent ask of the
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

export interface RepoMapOptions {
  focusFiles?: string[];
  focusIdents?: string[];
  /** Budget in tokens, counted with `countTokens`. */
  tokenBudget: number;
  countTokens?: (text: string) => number;
}

export interface IndexProgress {
  done: number;
  total: number;
}

export interface RepoIndex {
  /** Brings the index up to date with the disk (incremental). */
  update(onProgress?: (p: IndexProgress) => void, signal?: AbortSignal): Promise<{ parsed: number; removed: number; files: number }>;
  symbols(name: string): { defs: SymbolDef[]; refs: SymbolRef[] };
  outline(path: string): SymbolDef[] | undefined;
  repoMap(options: RepoMapOptions): string;
  /** Every indexed file, project-relative. */
  files(): string[];
}
