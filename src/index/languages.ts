/**
 * The languages the index parses with tree-sitter: which files belong to each, where its grammar
 * comes from (the packages have different module shapes), and which tag query it runs.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'tree-sitter';

interface LanguageDef {
  /** Lower-case extensions with the dot, or exact file names. */
  extensions: readonly string[];
  fileNames?: readonly string[];
  /** npm package of the grammar and, when its binding holds several, the key of this one. */
  grammar: { module: string; key?: string };
  /** File under `queries/` holding the definition patterns. */
  query: string;
  /** Node types that are plain identifier uses (for reference lookup). */
  identifierTypes: readonly string[];
  /**
   * Find definitions by walking only the nodes that can hold one (definition-walk.ts) instead of
   * running the query over every node. Pays where most nodes cannot hold a definition: in Python
   * no expression (lambda bodies included) holds a statement, so whole expressions are skipped
   * (about half the query's time on the standard library). In languages with closures nearly
   * every expression can hold one, the walk visits almost every node, and the one native query is
   * cheaper (the walk took 1.3-1.9x its time on Go, C, C++, JS, TS, Ruby and PHP sources).
   */
  walkDefinitions?: boolean;
}

/** Every language with symbols. Other files are listed without symbols. */
export const languages = {
  typescript: {
    extensions: ['.ts', '.mts', '.cts'],
    grammar: { module: 'tree-sitter-typescript', key: 'typescript' },
    query: 'typescript.scm',
    identifierTypes: ['identifier', 'type_identifier', 'property_identifier', 'shorthand_property_identifier'],
  },
  tsx: {
    extensions: ['.tsx'],
    grammar: { module: 'tree-sitter-typescript', key: 'tsx' },
    query: 'typescript.scm',
    identifierTypes: ['identifier', 'type_identifier', 'property_identifier', 'shorthand_property_identifier'],
  },
  javascript: {
    extensions: ['.js', '.mjs', '.cjs', '.jsx'],
    grammar: { module: 'tree-sitter-javascript' },
    query: 'javascript.scm',
    identifierTypes: ['identifier', 'property_identifier', 'shorthand_property_identifier'],
  },
  python: {
    extensions: ['.py', '.pyi'],
    grammar: { module: 'tree-sitter-python' },
    query: 'python.scm',
    identifierTypes: ['identifier'],
    walkDefinitions: true,
  },
  go: {
    extensions: ['.go'],
    grammar: { module: 'tree-sitter-go' },
    query: 'go.scm',
    identifierTypes: ['identifier', 'type_identifier', 'field_identifier'],
  },
  rust: {
    extensions: ['.rs'],
    grammar: { module: 'tree-sitter-rust' },
    query: 'rust.scm',
    identifierTypes: ['identifier', 'type_identifier', 'field_identifier'],
  },
  java: {
    extensions: ['.java'],
    grammar: { module: 'tree-sitter-java' },
    query: 'java.scm',
    identifierTypes: ['identifier', 'type_identifier'],
  },
  c: {
    extensions: ['.c', '.h'],
    grammar: { module: 'tree-sitter-c' },
    query: 'c.scm',
    identifierTypes: ['identifier', 'type_identifier', 'field_identifier'],
  },
  cpp: {
    extensions: ['.cc', '.cpp', '.cxx', '.c++', '.hh', '.hpp', '.hxx', '.h++', '.ipp'],
    grammar: { module: 'tree-sitter-cpp' },
    query: 'cpp.scm',
    identifierTypes: ['identifier', 'type_identifier', 'field_identifier', 'namespace_identifier'],
  },
  c_sharp: {
    extensions: ['.cs'],
    grammar: { module: 'tree-sitter-c-sharp' },
    query: 'c_sharp.scm',
    identifierTypes: ['identifier'],
  },
  ruby: {
    extensions: ['.rb', '.rake', '.gemspec'],
    fileNames: ['Rakefile', 'Gemfile'],
    grammar: { module: 'tree-sitter-ruby' },
    query: 'ruby.scm',
    identifierTypes: ['identifier', 'constant'],
  },
  php: {
    extensions: ['.php'],
    grammar: { module: 'tree-sitter-php', key: 'php' },
    query: 'php.scm',
    identifierTypes: ['name'],
  },
  bash: {
    extensions: ['.sh', '.bash'],
    grammar: { module: 'tree-sitter-bash' },
    query: 'bash.scm',
    identifierTypes: ['word', 'variable_name'],
  },
} as const satisfies Record<string, LanguageDef>;

export type LanguageId = keyof typeof languages;
export const languageIds = Object.keys(languages) as LanguageId[];

const byExtension = new Map<string, LanguageId>();
const byFileName = new Map<string, LanguageId>();
for (const id of languageIds) {
  const def: LanguageDef = languages[id];
  for (const ext of def.extensions) byExtension.set(ext, id);
  for (const name of def.fileNames ?? []) byFileName.set(name, id);
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
  switch (lang) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return 'js';
    case 'c':
    case 'cpp':
      return 'c';
    case null:
      return '';
    default:
      return lang;
  }
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
  /** Whether definitions are found by the walk (see `walkDefinitions` above). */
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
function loadGrammar(spec: LanguageDef['grammar']): Parser.Language {
  const root = packageRoot(spec);
  const nodeGypBuild = createRequire(path.join(root, 'package.json'))('node-gyp-build') as (dir: string) => Record<string, Parser.Language> & Parser.Language;
  const binding = nodeGypBuild(root);
  return spec.key ? binding[spec.key] : binding;
}

function packageRoot(spec: LanguageDef['grammar']): string {
  return path.dirname(require.resolve(`${spec.module}/package.json`));
}

/** Packages holding several grammars keep each one's src/ under the grammar's key. */
function nodeTypesFile(spec: LanguageDef['grammar']): string {
  return path.join(packageRoot(spec), spec.key ?? '', 'src', 'node-types.json');
}

const loaded = new Map<LanguageId, LoadedLanguage>();

/** Loads (once) the grammar and queries of a language. Throws when the grammar package is missing. */
export function loadLanguage(id: LanguageId): LoadedLanguage {
  const cached = loaded.get(id);
  if (cached) return cached;
  const def: LanguageDef = languages[id];
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
