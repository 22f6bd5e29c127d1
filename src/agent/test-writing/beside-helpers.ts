/**
 * A helper a test beside a new one defines for itself, copied in. Shown a neighbouring test file
 * as its example, the 1.5B model wrote its tests with that file's own helpers
 * (ts-add-test-availability: `bookRoom(ctx, booking(aurora.id, '09:00', '10:00'))`, where `booking`
 * is a `const` of test/services.test.ts that nothing exports); node said "booking is not defined",
 * and every such test was taken out. A developer copies the helper along with the example; so does
 * assist, for a JavaScript or TypeScript test: the top-level, unexported definition of the name in
 * one of the test files beside it, read off its syntax tree, whole.
 */
import type Parser from 'tree-sitter';
import { parseText } from '../../index/extract-symbols.ts';
import { languageOf } from '../../index/languages.ts';

/** The name a top-level declaration defines (`const booking = …`, `function booking(…)`), when it defines one. */
function definedName(node: Parser.SyntaxNode): string | undefined {
  if (node.type === 'function_declaration' || node.type === 'generator_function_declaration') return node.childForFieldName('name')?.text;
  if (node.type === 'lexical_declaration' || node.type === 'variable_declaration') {
    const declarators = node.namedChildren.filter((c) => c.type === 'variable_declarator');
    const name = declarators.length === 1 ? declarators[0].childForFieldName('name') : null;
    return name?.type === 'identifier' ? name.text : undefined;
  }
  return undefined;
}

/** The text of the top-level, unexported definition of `name` in `source` (the file `path`), if it has one. */
export function helperIn(path: string, source: string, name: string): string | undefined {
  const language = languageOf(path);
  if (language !== 'javascript' && language !== 'typescript' && language !== 'tsx') return undefined;
  let root: Parser.SyntaxNode;
  try {
    root = parseText(language, source).rootNode;
  } catch {
    return undefined;
  }
  for (const node of root.namedChildren) if (definedName(node) === name && !node.hasError) return node.text;
  return undefined;
}

/** For each of `names`, the first helper of `sources` that defines it (in the order of `names`). */
export function besideHelpers(
  names: readonly string[],
  sources: ReadonlyArray<{ path: string; source: string }>,
): Array<{ name: string; text: string; from: string }> {
  const out: Array<{ name: string; text: string; from: string }> = [];
  for (const name of names) {
    for (const { path, source } of sources) {
      const text = helperIn(path, source, name);
      if (text === undefined) continue;
      out.push({ name, text, from: path });
      break;
    }
  }
  return out;
}
