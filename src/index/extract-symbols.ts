/**
 * Parses one file with tree-sitter and pulls out its definitions (tag query) and the identifier
 * tokens it uses. Pure and synchronous: runs in the main thread or in a parse worker.
 */
import Parser from 'tree-sitter';
import type { SymbolKind } from './repo-index.ts';
import { definitionMatches } from './definition-walk.ts';
import { loadLanguage, type LanguageId } from './languages.ts';
import { tokenize } from './tokenize.ts';

export { tokenize };
export { skipReason } from './file-kind.ts';

/** A definition as stored per file (the path is the file's). */
export interface FileDef {
  name: string;
  kind: SymbolKind;
  /** 1-based line of the definition's name. */
  line: number;
  /** 1-based last line of the whole definition. */
  endLine: number;
  signature: string;
}

/** What the index keeps about one parsed file. */
export interface ExtractedFile {
  defs: FileDef[];
  /** Distinct identifier-like tokens of the file, with how often each occurs (`counts[i]`). */
  tokens: string[];
  counts: number[];
  /** Set when the file was not (fully) indexed: why. */
  note?: string;
}

const symbolKinds: ReadonlySet<string> = new Set<SymbolKind>([
  'function',
  'method',
  'class',
  'interface',
  'type',
  'constant',
  'module',
  'enum',
  'struct',
  'trait',
  'variable',
]);

const parsers = new Map<LanguageId, Parser>();

function parserFor(lang: LanguageId): Parser {
  let parser = parsers.get(lang);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(loadLanguage(lang).grammar);
    parsers.set(lang, parser);
  }
  return parser;
}

/** Parses `text` as `lang` and returns its definitions and tokens. Never throws for bad input. */
export function extractSymbols(lang: LanguageId, text: string): ExtractedFile {
  const { tokens, counts } = tokenize(text);
  let tree: Parser.Tree;
  try {
    tree = parseText(lang, text);
  } catch (error) {
    return { defs: [], tokens, counts, note: `parser failed: ${(error as Error).message}` };
  }
  const defs = definitions(lang, tree, text);
  const note = tree.rootNode.hasError ? 'has syntax errors; indexed what parsed' : undefined;
  return note ? { defs, tokens, counts, note } : { defs, tokens, counts };
}

/** Parses `text` with the grammar of `lang` (tree-sitter always returns a tree, with ERROR nodes where needed). */
export function parseText(lang: LanguageId, text: string): Parser.Tree {
  return parserFor(lang).parse(text, undefined, { bufferSize: Math.min(Math.max(text.length * 2 + 16, 32 * 1024), 8 * 1024 * 1024) });
}

function definitions(lang: LanguageId, tree: Parser.Tree, text: string): FileDef[] {
  const best = new Map<number, { pattern: number; def: FileDef }>();
  for (const match of definitionMatches(loadLanguage(lang), tree)) {
    let nameNode: Parser.SyntaxNode | undefined;
    let defNode: Parser.SyntaxNode | undefined;
    let kind = '';
    for (const capture of match.captures) {
      if (capture.name === 'name') nameNode = capture.node;
      else if (capture.name.startsWith('definition.')) {
        defNode = capture.node;
        kind = capture.name.slice('definition.'.length);
      }
    }
    if (!nameNode || !defNode || !symbolKinds.has(kind)) continue;
    const start = nameNode.startIndex;
    const previous = best.get(start);
    if (previous && previous.pattern <= match.pattern) continue;
    let name = text.slice(start, nameNode.endIndex);
    if (lang === 'typescript' || lang === 'tsx') name = name.replace(/^['"]|['"]$/g, '');
    if (!name) continue;
    let symbolKind = kind as SymbolKind;
    if (symbolKind === 'variable' && /^[A-Z][A-Z0-9_]*$/.test(name) && name.length > 1) symbolKind = 'constant';
    const line = nameNode.startPosition.row + 1;
    const end = defNode.endPosition;
    const endLine = end.column === 0 && end.row >= line ? end.row : end.row + 1;
    best.set(start, {
      pattern: match.pattern,
      def: { name, kind: symbolKind, line, endLine: Math.max(line, endLine), signature: signatureAt(text, start) },
    });
  }
  return [...best.values()].map((b) => b.def).sort((a, b) => a.line - b.line || a.name.localeCompare(b.name));
}

const maxSignatureChars = 200;

/**
 * The source line holding index `at`, trimmed; continued over following lines while brackets
 * stay open (multi-line parameter lists), whitespace collapsed, capped in length.
 */
export function signatureAt(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  let depth = 0;
  let end = lineStart;
  let lines = 0;
  for (;;) {
    let lineEnd = text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = text.length;
    for (let i = end; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === 40 || c === 91)
        depth++; // ( [
      else if ((c === 41 || c === 93) && depth > 0) depth--; // ) ]
    }
    end = lineEnd;
    lines++;
    if (depth === 0 || end >= text.length || lines >= 8 || end - lineStart > maxSignatureChars * 2) break;
    end++;
  }
  let signature = text.slice(lineStart, end).replace(/\s+/g, ' ').trim();
  signature = signature.replace(/\s*\{\s*$/, '');
  if (signature.length > maxSignatureChars) signature = `${signature.slice(0, maxSignatureChars - 1)}…`;
  return signature;
}
