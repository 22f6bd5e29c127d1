/**
 * Members counted for a question that asks how many. Small models do not count what they read:
 * asked "How many variants does the enum `Command` have?" with the five variants in front of it on
 * lines 3-7, the 1.5B model answered 7, the number of the last one's line. The syntax tree counts
 * them: the definition the question names (a type, an enum, a class, a function), its body's
 * members (its parameters, when the question asks about those), each by its name.
 */
import type Parser from 'tree-sitter';
import { parseText } from '../../index/extract-symbols.ts';
import { languageOf } from '../../index/languages.ts';
import type { RepoIndex, SymbolDef } from '../../index/repo-index.ts';
import { anyTestFile } from '../checks/test-guard.ts';
import { escapeRegex } from '../../workspace/search-query.ts';

export interface CountedMembers {
  def: SymbolDef;
  /** What is counted: the body's members, or the parameters. */
  of: 'members' | 'parameters';
  /** Each member's name (or its first line, for one without a name), grouped below by what it is. */
  members: Array<{ name: string; method: boolean }>;
}

/** Definitions counted at most for one question. */
const maxDefs = 2;

/** Whether `question` asks how many of something there are. */
export function asksHowMany(question: string): boolean {
  return /\bhow many\b|\bnumber of\b/i.test(question);
}

/** Names a question may give a definition by: in backticks, code-like, or capitalized (`Command`, the enum Command). */
function namesIn(question: string): string[] {
  const found = new Set<string>();
  for (const m of question.matchAll(/`([A-Za-z_$][\w$]*)`|\b([A-Za-z_$][\w$]*[a-z][A-Z_][\w$]*|[A-Z][\w$]+|[a-z]+_[\w$]+)\b/g)) found.add(m[1] ?? m[2]);
  return [...found];
}

/** Nodes that are no member: comments, attributes, annotations, decorators, modifiers. */
const notMember = /comment|attribute|annotation|decorator|modifier|^(\{|\}|,|;)$/;

/** The definition node of `def` in `root`: the node around its name whose `name` field is that name. */
function definitionNode(root: Parser.SyntaxNode, def: SymbolDef, lines: string[]): Parser.SyntaxNode | undefined {
  const row = def.line - 1;
  const column = (lines[row] ?? '').search(new RegExp(`(^|[^\\w$])${escapeRegex(def.name)}([^\\w$]|$)`));
  if (column < 0) return undefined;
  const at = root.descendantForPosition({ row, column: column + (/^[\w$]/.test(lines[row]!.slice(column)) ? 0 : 1) });
  for (let node: Parser.SyntaxNode | null = at; node; node = node.parent) {
    const name = node.childForFieldName('name') ?? node.childForFieldName('declarator');
    if (name && name.startPosition.row === row && name.text.includes(def.name) && node !== at) return node;
  }
  return undefined;
}

/** The name of a member: its first identifier (breadth first), else its first line. */
function memberName(node: Parser.SyntaxNode): string {
  const queue = [node];
  while (queue.length) {
    const next = queue.shift()!;
    if (/identifier$/.test(next.type)) return next.text;
    queue.push(...next.namedChildren);
  }
  return node.text.split('\n')[0]!.trim();
}

/** The members of a body: its named children, a decorated definition as its definition, a docstring left out. */
function membersOf(body: Parser.SyntaxNode): Parser.SyntaxNode[] {
  const out: Parser.SyntaxNode[] = [];
  for (const child of body.namedChildren) {
    if (notMember.test(child.type)) continue;
    // (a Java enum's methods come after its constants, in a part of the body of their own)
    if (/body_declarations$/.test(child.type)) out.push(...membersOf(child));
    else if (child.type === 'decorated_definition') out.push(child.childForFieldName('definition') ?? child);
    else if (child.type === 'expression_statement' && child.namedChildCount === 1 && child.namedChildren[0]!.type === 'string') continue;
    else out.push(child);
  }
  return out;
}

/**
 * What a "how many" question can be told counted: for each definition it names that the project
 * defines once outside the tests (`textOf` gives a file's text), the members of its body, or its
 * parameters when the question asks about those. Empty when the question does not ask how many.
 */
export async function countedMembers(
  question: string,
  index: RepoIndex | undefined,
  textOf: (path: string) => Promise<string | undefined>,
): Promise<CountedMembers[]> {
  if (!index || !asksHowMany(question)) return [];
  const of = /\b(parameters?|arguments?|args|params)\b/i.test(question) ? 'parameters' : 'members';
  const out: CountedMembers[] = [];
  for (const name of namesIn(question)) {
    if (out.length >= maxDefs) break;
    let defs: SymbolDef[] = [];
    try {
      defs = index.symbols(name, { maxRefs: 0 }).defs.filter((d) => !anyTestFile([d.path]));
    } catch {
      continue;
    }
    if (defs.length !== 1) continue;
    const def = defs[0]!;
    // (a function's members would be its statements: only its parameters are counted)
    const callable = def.kind === 'function' || def.kind === 'method';
    if (callable !== (of === 'parameters')) continue;
    const language = languageOf(def.path);
    const text = language ? await textOf(def.path) : undefined;
    if (!language || text === undefined) continue;
    let root: Parser.SyntaxNode;
    try {
      root = parseText(language, text).rootNode;
    } catch {
      continue;
    }
    const node = definitionNode(root, def, text.split('\n'));
    const holder = of === 'parameters' ? node?.childForFieldName('parameters') : (node?.childForFieldName('body') ?? undefined);
    if (!holder) continue;
    const members = membersOf(holder).map((m) => ({ name: memberName(m), method: /function|method|constructor/.test(m.type) }));
    out.push({ def, of, members });
  }
  return out;
}

/** What the model is told of one count: the definition, how many, and their names. */
export function countedNote({ def, of, members }: CountedMembers): string {
  const list = (items: typeof members) => items.map((m) => m.name).join(', ');
  const methods = members.filter((m) => m.method);
  const others = members.filter((m) => !m.method);
  const where = `${def.kind} in ${def.path}, lines ${def.line}-${def.endLine}`;
  const what = of === 'parameters' ? 'parameters' : 'members';
  const split =
    methods.length > 0 && others.length > 0 ? ` (${others.length} other than methods: ${list(others)}; ${methods.length} methods: ${list(methods)})` : '';
  return `Counted in its syntax tree: \`${def.name}\` (${where}) has ${members.length} ${what}${members.length ? `: ${list(members)}` : ''}.${split}`;
}
