/**
 * Indexes one file from disk: reads it, decides whether it is worth parsing, and extracts its
 * symbols. Used by the main thread and by the parse workers alike.
 */
import { readFileSync } from 'node:fs';
import { extractSymbols, skipReason, type FileDef } from './extract-symbols.ts';
import type { LanguageId } from './languages.ts';

/** One file to index, as handed to a parser thread. */
export interface IndexJob {
  path: string;
  abs: string;
  lang: LanguageId | null;
  size: number;
}

/** The symbols of one file, as the index stores them. */
export interface FileSymbols {
  lang: LanguageId | null;
  defs: FileDef[];
  /** Identifier-like tokens of the file (distinct) and their counts. */
  tokens: string[];
  counts: number[];
  /** Why the file has no or partial symbols (too large, generated, minified, syntax errors...). */
  note?: string;
}

/** Reads and indexes one file; never throws (an unreadable file gets a note). */
export function indexFile(job: IndexJob, maxFileBytes: number): FileSymbols {
  const empty = { lang: job.lang, defs: [], tokens: [], counts: [] };
  if (!job.lang) return empty;
  if (job.size > maxFileBytes) return { ...empty, note: `skipped: larger than index.maxFileBytes (${job.size} > ${maxFileBytes} bytes)` };
  let text: string;
  try {
    text = readFileSync(job.abs, 'utf8');
  } catch (error) {
    return { ...empty, note: `unreadable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  const reason = skipReason(text);
  if (reason) return { ...empty, note: `skipped: ${reason}` };
  return { lang: job.lang, ...extractSymbols(job.lang, text) };
}
