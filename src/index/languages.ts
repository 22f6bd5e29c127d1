/**
 * The languages the index parses with tree-sitter, as the language table (src/languages/) has
 * them: which files belong to each, where its grammar comes from (the packages have different
 * module shapes), and which tag query it runs; and the loading of grammars and queries.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'tree-sitter';
import type { IndexPart } from '../languages/language-row.ts';
import { languageRow, languagesWith, type LanguageWith } from '../languages/languages.ts';

/** A language the index parses (a row of the table with an `index` part). */
export type LanguageId = LanguageWith<'index'>;

/** Every language with symbols, in table order. Other files are listed without symbols. */
export const languageIds: LanguageId[] = languagesWith('index');

/** How the index reads each language: its files and its `index` part of the table. */
export const languages = Object.fromEntries(
  languageIds.map((id) => {
    const row = languageRow(id);
    return [id, { extensions: row.extensions, fileNames: row.fileNames ?? [], ...row.index! }];
  }),
) as Record<LanguageId, IndexPart & { extensions: readonly string[]; fileNames: readonly string[] }>;

const byExtension = new Map<string, LanguageId>();
const byFileName = new Map<string, LanguageId>();
for (const id of languageIds) {
  for (const ext of languages[id].extensions) byExtension.set(ext, id);
  for (const name of languages[id].fileNames) byFileName.set(name, id);
}

/** The language of a project-relative path, or null when the index has no grammar for it. */
export function languageOf(filePath: string): LanguageId | null {
  const base = filePath.slice(filePath.lastIndexOf('/') + 1);
  const named = byFileName.get(base);
  if (named) return named;
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  return byExtension.get(base.slice(dot).toLowerCase()) ?? null;
}

/**
 * Files of one family can refer to each other's definitions (TypeScript imports JavaScript, C++
 * includes C headers); across families a shared name is a coincidence.
 */
export function languageFamily(lang: LanguageId | null): string {
  return lang === null ? '' : (languages[lang].family ?? lang);
}

const require = createRequire(import.meta.url);
const queriesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'queries');

/** A loaded grammar with its compiled queries; one per language per thread. */
export interface LoadedLanguage {
  id: LanguageId;
  grammar: Parser.Language;
  definitions: Parser.Query;
  /** The source of `definitions` (the definition walk reads the outline of its patterns). */
  definitionsSource: string;
  /** Whether definitions are found by the walk (see `walkDefinitions` in src/languages/language-row.ts). */
  walkDefinitions: boolean;
  /** The grammar's node-types.json (which node types can hold which); it may be missing. */
  nodeTypesFile: string;
  /** Captures every identifier use as `@ref` (compiled on first use). */
  readonly identifiers: Parser.Query;
}

/**
 * Loads a grammar's native binding directly (what each package's index.js does, minus reading
 * its node-types.json: the index needs no per-type node classes, and skipping them halves the
 * start-up cost of a parse thread). Also the only way to load ESM-only packages synchronously.
 */
function loadGrammar(spec: IndexPart['grammar']): Parser.Language {
  const root = packageRoot(spec);
  const nodeGypBuild = createRequire(path.join(root, 'package.json'))('node-gyp-build') as (dir: string) => Record<string, Parser.Language> & Parser.Language;
  const binding = nodeGypBuild(root);
  return spec.key ? binding[spec.key] : binding;
}

function packageRoot(spec: IndexPart['grammar']): string {
  return path.dirname(require.resolve(`${spec.module}/package.json`));
}

/** Packages holding several grammars keep each one's src/ under the grammar's key. */
function nodeTypesFile(spec: IndexPart['grammar']): string {
  return path.join(packageRoot(spec), spec.key ?? '', 'src', 'node-types.json');
}

const loaded = new Map<LanguageId, LoadedLanguage>();

/** Loads (once) the grammar and queries of a language. Throws when the grammar package is missing. */
export function loadLanguage(id: LanguageId): LoadedLanguage {
  const cached = loaded.get(id);
  if (cached) return cached;
  const def = languages[id];
  const grammar = loadGrammar(def.grammar);
  if (!grammar) throw new Error(`Grammar package ${def.grammar.module} has no export ${def.grammar.key ?? '(default)'}.`);
  const source = readFileSync(path.join(queriesDir, def.query), 'utf8');
  let identifiers: Parser.Query | undefined;
  const entry: LoadedLanguage = {
    id,
    grammar,
    definitions: new Parser.Query(grammar, source),
    definitionsSource: source,
    walkDefinitions: def.walkDefinitions ?? false,
    nodeTypesFile: nodeTypesFile(def.grammar),
    // compiled on first use: indexing never needs it, and each parse thread loads every language it meets
    get identifiers() {
      identifiers ??= new Parser.Query(grammar, `[${def.identifierTypes.map((t) => `(${t})`).join(' ')}] @ref`);
      return identifiers;
    },
  };
  loaded.set(id, entry);
  return entry;
}
