/**
 * Indexes one file from disk: reads it, decides whether it is worth parsing, and extracts its
 * symbols. Used by the main thread and by the parse workers alike.
 */
import { readFileSync } from 'node:fs';
import { extractSymbols, type FileDef } from './extract-symbols.ts';
import { kindOfFile, skipReason } from './file-kind.ts';
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
  /** Why the file has no or partial symbols (`skipped: ` too large, binary, generated, minified; syntax errors...). */
  note?: string;
}

/** Bytes sampled to tell a binary or minified file without a parser from plain text. */
const sniffBytes = 8192;

/**
 * Reads and indexes one file; never throws (an unreadable file gets a note). Files no parser reads
 * are only sampled: a binary, minified or too large one gets a `skipped: …` note all the same, so
 * the index lists every file it did not read and why.
 */
export function indexFile(job: IndexJob, maxFileBytes: number): FileSymbols {
  const empty = { lang: job.lang, defs: [], tokens: [], counts: [] };
  if (job.size > maxFileBytes || (!job.lang && job.size > 0)) {
    let kind;
    try {
      kind = kindOfFile(job.abs, sniffBytes);
    } catch (error) {
      return { ...empty, note: `unreadable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    }
    const large = job.size > maxFileBytes ? `larger than index.maxFileBytes (${job.size} > ${maxFileBytes} bytes)` : '';
    if (kind !== 'text') return { ...empty, note: `skipped: ${kind}${large ? `, ${large}` : ''}` };
    return large ? { ...empty, note: `skipped: ${large}` } : empty;
  }
  if (!job.lang) return empty;
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
