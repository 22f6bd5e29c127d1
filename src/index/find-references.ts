/**
 * Where an identifier is used, found on demand: the index keeps only which tokens each file
 * holds; the files that hold the name are re-parsed and their identifier nodes compared, so
 * mentions in comments and strings are not counted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseText } from './extract-symbols.ts';
import { loadLanguage, type LanguageId } from './languages.ts';
import type { SymbolRef } from './repo-index.ts';

/** Lines of `file` where `name` is used as an identifier (`skipLines`: its definitions there). */
export function referencesIn(root: string, file: string, lang: LanguageId, name: string, skipLines: ReadonlySet<number>): SymbolRef[] {
  let text: string;
  try {
    text = readFileSync(path.join(root, file), 'utf8');
  } catch {
    return [];
  }
  let tree;
  try {
    tree = parseText(lang, text);
  } catch {
    return [];
  }
  const refs: SymbolRef[] = [];
  const lines = new Set<number>();
  for (const capture of loadLanguage(lang).identifiers.captures(tree.rootNode)) {
    const node = capture.node;
    const start = node.startIndex;
    if (text.charCodeAt(start) !== name.charCodeAt(0)) continue;
    if (text.slice(start, node.endIndex) !== name) continue;
    const line = node.startPosition.row + 1;
    if (skipLines.has(line) || lines.has(line)) continue;
    lines.add(line);
    refs.push({ name, path: file, line });
  }
  return refs;
}

/** The [start, end) character offsets of every identifier node spelled `name` in `text`, in order. */
export function identifierSpans(text: string, lang: LanguageId, name: string): Array<[number, number]> {
  let tree;
  try {
    tree = parseText(lang, text);
  } catch {
    return [];
  }
  const spans: Array<[number, number]> = [];
  const seen = new Set<number>();
  for (const capture of loadLanguage(lang).identifiers.captures(tree.rootNode)) {
    const node = capture.node;
    if (node.endIndex - node.startIndex !== name.length || seen.has(node.startIndex)) continue;
    if (text.slice(node.startIndex, node.endIndex) !== name) continue;
    seen.add(node.startIndex);
    spans.push([node.startIndex, node.endIndex]);
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/** Every name `text` uses as an identifier (not in comments or strings); empty when it does not parse. */
export function identifierNames(text: string, lang: LanguageId): Set<string> {
  const names = new Set<string>();
  let tree;
  try {
    tree = parseText(lang, text);
  } catch {
    return names;
  }
  for (const capture of loadLanguage(lang).identifiers.captures(tree.rootNode)) names.add(text.slice(capture.node.startIndex, capture.node.endIndex));
  return names;
}
