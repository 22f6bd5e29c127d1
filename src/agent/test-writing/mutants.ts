/**
 * Broken copies of a file (mutants), as mutation testing makes them: a test that still passes
 * when the code it tests is broken holds nothing there. Two kinds, on the conditions of `if`,
 * `elif`, `unless` and `? :` (read off the file's syntax tree, so every indexed language with a
 * `condition` in its grammar has them): the branch never taken (the condition made false: a check
 * dropped, the commonest gap of a new test file), and the boundary moved (`<` made `<=`, `>=` made
 * `>`: an off-by-one). Loops are left alone (a loop never entered does not compile in Java).
 */
import type Parser from 'tree-sitter';
import { parseText } from '../../index/extract-symbols.ts';
import { languageOf, type LanguageId } from '../../index/languages.ts';

export interface Mutant {
  /** The line changed (1-based). */
  line: number;
  /** That line as it is, and as the mutant has it. */
  before: string;
  after: string;
  /** The condition, as written. */
  condition: string;
  /** The function or method it is in, when it has a name. */
  within?: string;
  kind: 'never' | 'boundary';
  /** The whole file, broken. */
  text: string;
}

/** Nodes whose `condition` is a branch's (not a loop's). */
const branches = new Set([
  'if_statement',
  'elif_clause',
  'else_if_clause',
  'if_expression',
  'ternary_expression',
  'conditional_expression',
  'if',
  'elsif',
  'unless',
  'if_modifier',
  'unless_modifier',
  'conditional',
]);

/** False in the language (C has no `false` without a header). */
function falseIn(language: LanguageId): string {
  return language === 'python' ? 'False' : language === 'c' ? '0' : 'false';
}

/** A relational operator between spaces, and the one that moves its boundary. */
const relational = /\s(<=|>=|<|>)\s/;
const moved: Record<string, string> = { '<': '<=', '<=': '<', '>': '>=', '>=': '>' };

/** The name of the function or method `node` is in, if it has one. */
function enclosingName(node: Parser.SyntaxNode): string | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (!/function|method/.test(at.type) || /call|invocation/.test(at.type)) continue;
    // (C and C++ name a function inside its declarator: `int clamp(int x)`)
    let name = at.childForFieldName('name');
    for (let d = at.childForFieldName('declarator'); !name && d; d = d.childForFieldName('declarator')) if (/identifier$/.test(d.type)) name = d;
    if (name) return name.text.split('::').pop();
  }
  return undefined;
}

/** The expression a condition node holds: inside its brackets (`(a < b)`), as C++'s condition clause has it too. */
function innerCondition(node: Parser.SyntaxNode): Parser.SyntaxNode | undefined {
  let at = node;
  while ((at.type === 'parenthesized_expression' || at.type === 'condition_clause') && at.namedChildCount === 1) at = at.namedChildren[0];
  // (a declaration or a pattern binds names the branch uses: `if let Some(x) = …`, `if (auto p = …)`)
  if (/let|declaration|pattern|assignment/.test(at.type)) return undefined;
  return at;
}

/** The mutants of `text` (the file `path`), in the order of their lines, at most `limit`. */
export function mutantsOf(path: string, text: string, limit = 16): Mutant[] {
  const language = languageOf(path);
  if (!language) return [];
  let root: Parser.SyntaxNode;
  try {
    root = parseText(language, text).rootNode;
  } catch {
    return [];
  }
  // (a file that does not parse gives mutants that may not either)
  if (root.hasError) return [];
  const conditions: Parser.SyntaxNode[] = [];
  const walk = (node: Parser.SyntaxNode) => {
    if (branches.has(node.type)) {
      const condition = node.childForFieldName('condition');
      const inner = condition ? innerCondition(condition) : undefined;
      if (inner && !inner.text.includes('\n')) conditions.push(inner);
    }
    for (const child of node.namedChildren) walk(child);
  };
  walk(root);
  const lines = text.split('\n');
  const mutants: Mutant[] = [];
  const seen = new Set<string>();
  const add = (node: Parser.SyntaxNode, replacement: string, kind: Mutant['kind']) => {
    const broken = `${text.slice(0, node.startIndex)}${replacement}${text.slice(node.endIndex)}`;
    if (broken === text || seen.has(broken)) return;
    seen.add(broken);
    const line = node.startPosition.row;
    const within = enclosingName(node);
    mutants.push({
      line: line + 1,
      before: lines[line],
      after: broken.split('\n')[line],
      condition: node.text,
      ...(within ? { within } : {}),
      kind,
      text: broken,
    });
  };
  for (const node of conditions.sort((a, b) => a.startIndex - b.startIndex)) {
    add(node, falseIn(language), 'never');
    const boundary = relational.exec(node.text);
    if (boundary)
      add(
        node,
        node.text.replace(relational, (_, op: string) => ` ${moved[op]} `),
        'boundary',
      );
  }
  return mutants.slice(0, limit);
}
