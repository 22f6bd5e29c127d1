/**
 * Syntax errors of one file's text, by the tree-sitter grammar the index uses for its language:
 * the ERROR and MISSING nodes of the tree (and, for Python, whose grammar accepts any indentation,
 * the indentation Python itself refuses). Synchronous and fast enough to run on every edit: one
 * parse on a cached parser, and only the subtrees that hold an error are walked.
 */
import { diffArrays } from 'diff';
import type Parser from 'tree-sitter';
import { defaults } from '../config/schema.ts';
import { parseText } from './extract-symbols.ts';
import { languageOf, type LanguageId } from './languages.ts';

/** One syntax error. Lines and columns are 1-based; columns count JavaScript characters. */
export interface SyntaxIssue {
  line: number;
  column: number;
  /** Last line of the text that does not parse (`line` for a single point). */
  endLine: number;
  /** `error`: text the grammar cannot place; `missing`: a token the parser had to invent; `indent`: Python indentation. */
  kind: 'error' | 'missing' | 'indent';
  /** What is wrong, in words for the model: `missing "}"`, `unexpected "foo"`, `unexpected indent`. */
  message: string;
}

/** The syntax errors of one text. */
export interface SyntaxReport {
  language: LanguageId;
  /** All errors found (distinct places). */
  count: number;
  /** The first `limit` of them, in file order. */
  issues: SyntaxIssue[];
}

/** Options of `checkSyntax`. */
export interface SyntaxCheckOptions {
  /** Texts longer than this many bytes are not checked (default: the index's `maxFileBytes`). */
  maxBytes?: number;
  /** How many issues to list (default 5); `count` is always the full count. */
  limit?: number;
}

/**
 * The syntax errors of `text` as the file `filePath`, or null when it is not checked: no grammar
 * for the path (Markdown, JSON, text...), the text is over the size bound, or the parser failed.
 */
export function checkSyntax(filePath: string, text: string, options: SyntaxCheckOptions = {}): SyntaxReport | null {
  const language = languageOf(filePath);
  if (!language) return null;
  const maxBytes = options.maxBytes ?? defaults.index.maxFileBytes;
  if (text.length > maxBytes || Buffer.byteLength(text) > maxBytes) return null;
  let tree: Parser.Tree;
  try {
    tree = parseText(language, text);
  } catch {
    return null;
  }
  const found = [...treeErrors(tree.rootNode, text)];
  if (language === 'python') found.push(...pythonIndentErrors(tree.rootNode, text));
  const byPlace = new Map<string, SyntaxIssue>();
  for (const issue of found.sort((a, b) => a.line - b.line || a.column - b.column)) {
    const key = `${issue.line}:${issue.column}`;
    if (!byPlace.has(key)) byPlace.set(key, issue);
  }
  const issues = [...byPlace.values()];
  return { language, count: issues.length, issues: issues.slice(0, options.limit ?? 5) };
}

/** Lines `from`-`to` of a new text (1-based, inclusive) that replaced old lines; `to < from` when lines were only removed (before line `from`). */
export interface ChangedLines {
  from: number;
  to: number;
}

/** What a change does to a file's syntax errors (see `syntaxRegression`). */
export interface SyntaxRegression {
  language: LanguageId;
  /** How many more errors the new text has than the old. */
  added: number;
  /** The new text's errors not found at the same place in the old text (else all of them), in file order. */
  issues: SyntaxIssue[];
  /** Where the new text differs from the old, in file order. */
  changed: ChangedLines[];
}

/**
 * Whether changing `before` into `after` (null: the file is new) leaves the file with more syntax
 * errors than it had; null when it does not, or when the file is not checked.
 *
 * The test is the count: a file that parsed must parse after the change, and a file that already
 * had errors may be edited as long as it does not end up with more of them. Comparing places
 * instead would refuse sound edits of broken files: an unclosed brace shows as an error at the
 * end of the file, which moves when text is appended there, and one region that does not parse
 * grows or shrinks with any edit inside it. Places only choose which errors to show: the old
 * errors are carried over the unchanged lines (a line diff), and the new text's errors that match
 * none of them are listed.
 */
export function syntaxRegression(
  filePath: string,
  before: string | null,
  after: string,
  options: Pick<SyntaxCheckOptions, 'maxBytes'> = {},
): SyntaxRegression | null {
  const limit = 100;
  const next = checkSyntax(filePath, after, { ...options, limit });
  if (!next || next.count === 0) return null;
  const previous = before === null ? { count: 0, issues: [] } : checkSyntax(filePath, before, { ...options, limit });
  if (!previous || next.count <= previous.count) return null;
  const { carried: lineOf, changed } = alignLines(before === null ? [] : before.split('\n'), after.split('\n'));
  const carried = new Map<string, number>();
  for (const issue of previous.issues) {
    const line = lineOf[issue.line - 1];
    if (!line) continue;
    const key = `${line}:${issue.column}:${issue.message}`;
    carried.set(key, (carried.get(key) ?? 0) + 1);
  }
  const issues = next.issues.filter((issue) => {
    const key = `${issue.line}:${issue.column}:${issue.message}`;
    const left = carried.get(key) ?? 0;
    if (left > 0) carried.set(key, left - 1);
    return left === 0;
  });
  return { language: next.language, added: next.count - previous.count, issues: issues.length > 0 ? issues : next.issues, changed };
}

/** How long the line diff of a change may take before the changed lines are taken as one block. */
const diffTimeoutMs = 50;

/**
 * Aligns the lines of two texts: `carried[i]` is the 1-based line of the new text that old line
 * `i + 1` became (0 when it was changed), and `changed` the blocks of new lines between them.
 */
function alignLines(a: string[], b: string[]): { carried: number[]; changed: ChangedLines[] } {
  const carried = new Array<number>(a.length).fill(0);
  const most = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < most && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < most - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  for (let i = 0; i < prefix; i++) carried[i] = i + 1;
  for (let i = 0; i < suffix; i++) carried[a.length - 1 - i] = b.length - i;
  const middleA = a.slice(prefix, a.length - suffix);
  const middleB = b.slice(prefix, b.length - suffix);
  const parts = middleA.length > 0 && middleB.length > 0 ? diffArrays(middleA, middleB, { timeout: diffTimeoutMs }) : undefined;
  if (!parts) return { carried, changed: [{ from: prefix + 1, to: b.length - suffix }] };
  const changed: ChangedLines[] = [];
  let ai = prefix;
  let bi = prefix;
  let open: ChangedLines | undefined;
  for (const part of parts) {
    if (!part.added && !part.removed) {
      for (let k = 0; k < part.count; k++) carried[ai + k] = bi + k + 1;
      ai += part.count;
      bi += part.count;
      open = undefined;
      continue;
    }
    if (!open) changed.push((open = { from: bi + 1, to: bi }));
    if (part.added) {
      bi += part.count;
      open.to = bi;
    } else ai += part.count;
  }
  return { carried, changed };
}

/** ERROR nodes (the outermost of nested ones) and MISSING nodes, walking only subtrees that hold one. */
function* treeErrors(node: Parser.SyntaxNode, text: string): Generator<SyntaxIssue> {
  if (node.isMissing) {
    const token = node.isNamed ? node.type.replace(/_/g, ' ') : `"${node.type}"`;
    yield issueAt(text, node, 'missing', `missing ${token}`);
    return;
  }
  if (node.type === 'ERROR') {
    const issue = issueAt(text, node, 'error', '');
    yield { ...issue, message: unexpected(text.slice(node.startIndex, node.endIndex), issue.line, issue.endLine) };
    return;
  }
  if (!node.hasError) return;
  for (const child of node.children) yield* treeErrors(child, text);
}

function unexpected(source: string, line: number, endLine: number): string {
  let head = source.trim().split('\n')[0].trim();
  if (head.length > 40) head = `${head.slice(0, 39)}…`;
  if (!head) return 'unexpected text';
  return endLine > line ? `lines ${line}-${endLine} do not parse (from "${head}")` : `unexpected "${head}"`;
}

function issueAt(text: string, node: Parser.SyntaxNode, kind: SyntaxIssue['kind'], message: string): SyntaxIssue {
  const line = node.startPosition.row + 1;
  const column = node.startIndex - text.lastIndexOf('\n', node.startIndex - 1);
  const end = node.endPosition;
  const endLine = end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
  return { line, column, endLine, kind, message };
}

/**
 * What Python refuses and tree-sitter-python accepts: a block with no statement ("expected an
 * indented block") and statements of one block (or of the module) that start their lines at
 * different columns ("unexpected indent", "unindent does not match any outer indentation level").
 * Statements that hold a parse error, and blocks left empty by one, are the tree's errors already.
 */
function pythonIndentErrors(root: Parser.SyntaxNode, text: string): SyntaxIssue[] {
  const issues: SyntaxIssue[] = [];
  for (const block of [root, ...root.descendantsOfType('block')]) {
    let column = block === root ? 1 : -1;
    let statements = 0;
    const broken = block.hasError;
    const cursor = block.walk();
    for (let more = cursor.gotoFirstChild(); more; more = cursor.gotoNextSibling()) {
      if (!cursor.nodeIsNamed || cursor.nodeType === 'comment') continue;
      statements++;
      if (cursor.nodeType === 'ERROR' || (broken && cursor.currentNode.hasError)) continue;
      const start = cursor.startIndex;
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      if (text.slice(lineStart, start).trim() !== '') continue;
      const at = start - lineStart + 1;
      if (column < 0) column = at;
      else if (at !== column) {
        const line = cursor.startPosition.row + 1;
        const dedent = at < column || previousIndent(text, lineStart) >= at;
        issues.push({
          line,
          column: at,
          endLine: line,
          kind: 'indent',
          message: dedent ? 'unindent does not match any outer indentation level' : 'unexpected indent',
        });
      }
    }
    if (statements === 0 && block !== root && block.parent && !block.parent.hasError) {
      const header = block.parent;
      const line = header.startPosition.row + 1;
      issues.push({
        line,
        column: header.startIndex - text.lastIndexOf('\n', header.startIndex - 1),
        endLine: line,
        kind: 'indent',
        message: 'expected an indented block after this line',
      });
    }
  }
  return issues;
}

/** Columns of indentation (0-based) of the last line before `lineStart` that holds code, or -1. */
function previousIndent(text: string, lineStart: number): number {
  let end = lineStart - 1;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    const code = line.trimStart();
    if (code !== '' && !code.startsWith('#')) return line.length - code.length;
    end = start - 1;
  }
  return -1;
}
