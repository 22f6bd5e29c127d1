/**
 * C and C++ functions a change declares and nothing defines. Asked for "largest.hpp declaring and
 * defining (inline) `int largest(...)`", the 1.5B model wrote only the prototype; `g++
 * -fsyntax-only largest.hpp` passed and it answered. A prototype is a normal part of a header, so
 * only a function the request names is looked at, and only when no file of the project defines it
 * (the caller passes the texts of the files that might).
 */
import type Parser from 'tree-sitter';
import { parseText } from '../../index/extract-symbols.ts';
import { languageOf, type LanguageId } from '../../index/languages.ts';

/** The grammars with prototypes (a declaration of a function without its body). */
function prototypeLanguage(file: string): LanguageId | undefined {
  const language = languageOf(file);
  return language === 'c' || language === 'cpp' ? language : undefined;
}

/** The function a declarator names (through pointer and reference declarators), if it declares one. */
function functionName(declarator: Parser.SyntaxNode | null): string | undefined {
  let node = declarator;
  while (node && node.type !== 'function_declarator')
    node = node.childForFieldName('declarator') ?? node.namedChildren.find((c) => c.type.endsWith('declarator')) ?? null;
  const name = node?.childForFieldName('declarator');
  return name && (name.type === 'identifier' || name.type === 'qualified_identifier') ? name.text.split('::').pop() : undefined;
}

/** Top-level (and namespace-level) prototypes and function definitions of `text`, by name. */
function functionsOf(language: LanguageId, text: string): { declared: Set<string>; defined: Set<string> } {
  const declared = new Set<string>();
  const defined = new Set<string>();
  let root: Parser.SyntaxNode;
  try {
    root = parseText(language, text).rootNode;
  } catch {
    return { declared, defined };
  }
  const visit = (node: Parser.SyntaxNode) => {
    for (const child of node.namedChildren) {
      if (child.type === 'function_definition') {
        const name = functionName(child.childForFieldName('declarator'));
        if (name) defined.add(name);
      } else if (child.type === 'declaration') {
        const name = functionName(child.childForFieldName('declarator'));
        if (name) declared.add(name);
      } else if (
        child.type.startsWith('preproc_') ||
        child.type === 'namespace_definition' ||
        child.type === 'declaration_list' ||
        child.type === 'linkage_specification'
      ) {
        visit(child);
      }
    }
  };
  visit(root);
  return { declared, defined };
}

/**
 * The functions named in `request` that `file` only declares and no text of `others` (the project's
 * other C/C++ files that might define them) defines.
 */
export function declaredOnly(file: string, text: string, request: string, others: ReadonlyArray<{ path: string; text: string }>): string[] {
  const language = prototypeLanguage(file);
  if (!language) return [];
  const { declared, defined } = functionsOf(language, text);
  const asked = [...declared].filter((name) => !defined.has(name) && new RegExp(`\\b${name}\\b`).test(request));
  if (asked.length === 0) return [];
  const elsewhere = new Set<string>();
  for (const other of others) {
    const otherLanguage = prototypeLanguage(other.path);
    if (otherLanguage && other.path !== file) for (const name of functionsOf(otherLanguage, other.text).defined) elsewhere.add(name);
  }
  return asked.filter((name) => !elsewhere.has(name));
}

/** What to tell the model about `names`, declared in `file` and defined nowhere. */
export function declaredOnlyNote(file: string, names: readonly string[]): string {
  const list = names.join(', ');
  const one = names.length === 1;
  return (
    `${list} ${one ? 'is' : 'are'} only declared in ${file} (no body) and defined nowhere in the project: code that calls ${one ? 'it' : 'them'} ` +
    `will not link. Write ${one ? 'its body' : 'their bodies'}: in ${file} (in a header, mark ${one ? 'it' : 'them'} \`inline\`), or in a source file that includes it.`
  );
}
