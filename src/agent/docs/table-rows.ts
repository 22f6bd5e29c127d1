/**
 * The rows a written table of settings left out. Asked for "a table with every setting (written as
 * section.key)", the 1.5B model wrote a row for 12 of roombook's 15 settings: `server.maxBodyBytes`,
 * `server.requestTimeoutMs` and `database.busyTimeoutMs`, which src/config/defaults.ts sets beside
 * the others, were not there (ts-doc-readme-config, in two runs of three). A developer who writes
 * such a table goes down the object that holds the settings and checks each one is in it; so does
 * assist: the table's first column is matched against the key paths of the object literals in the
 * code read (`server.host` for `{ server: { host: … } }`), and when one of them holds most of the
 * table's keys, each of its paths the table does not name gets a row, begun by assist with its key
 * cell and written on by code completion (the other rows above it show the model what its cells
 * hold), after the last row of its section. A row that does not come out as one of the table's is
 * left out; nothing is made up by assist itself.
 */
import type Parser from 'tree-sitter';
import { parseText } from '../../index/extract-symbols.ts';
import { languageOf } from '../../index/languages.ts';
import { sampling, type ToolContext } from '../../../tools/tool.ts';
import { isTableRow, tableRule } from '../../../tools/markdown-sections.ts';

/** Key paths of one object literal (or JSON document), in the order the code gives them. */
export type KeyPaths = string[];

/** Keys of the table an object must hold before its other paths are taken for rows the table lacks. */
const minShared = 3;
/** Of the table's keys, the share an object must hold. */
const minShare = 0.6;
/** Rows written at most (more missing than this: the object is not what the table lists). */
const maxRows = 12;
/** Tokens a row may take. */
const maxRowTokens = 80;
/** Files longer than this are not looked through for objects. */
const maxObjectFileChars = 200_000;
/** A row is not begun with less time than this left. */
const reserveMs = 3_000;

/** The key of a `pair` node: an identifier, or a string's content. */
function pairKey(node: Parser.SyntaxNode): string | undefined {
  const key = node.childForFieldName('key');
  if (!key) return undefined;
  if (key.type === 'property_identifier' || key.type === 'identifier') return key.text;
  if (key.type === 'string') return key.text.replace(/^(['"`])(.*)\1$/s, '$2');
  return undefined;
}

const objectTypes = new Set(['object', 'dictionary']);

/** The leaf key paths under an object node, `prefix` before each. */
function pathsUnder(node: Parser.SyntaxNode, prefix: string, out: string[]): void {
  for (const pair of node.namedChildren) {
    if (pair.type !== 'pair') continue;
    const key = pairKey(pair);
    if (key === undefined || !/^[\w$-]+$/.test(key)) continue;
    const value = pair.childForFieldName('value');
    // (`{ … } satisfies Config`, `{ … } as const`: the object inside)
    const inner = value && !objectTypes.has(value.type) ? value.namedChildren.find((child) => objectTypes.has(child.type)) : value;
    if (inner && objectTypes.has(inner.type) && inner.namedChildren.some((child) => child.type === 'pair')) pathsUnder(inner, `${prefix}${key}.`, out);
    else out.push(`${prefix}${key}`);
  }
}

/** The leaf key paths of a parsed JSON value. */
function jsonPaths(value: unknown, prefix: string, out: string[]): void {
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child && typeof child === 'object' && !Array.isArray(child) && Object.keys(child).length > 0) jsonPaths(child, `${prefix}${key}.`, out);
    else out.push(`${prefix}${key}`);
  }
}

/**
 * The key paths of each outermost object literal in `text` (JavaScript, TypeScript, Python dicts),
 * or of the document when it is JSON; none for other files or text that does not parse.
 */
export function objectKeyPaths(path: string, text: string): KeyPaths[] {
  // (a settings object is in a small file; a lock file or a data dump is not read for one)
  if (text.length > maxObjectFileChars) return [];
  if (/\.json$/i.test(path)) {
    try {
      const value = JSON.parse(text) as unknown;
      if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
      const out: string[] = [];
      jsonPaths(value, '', out);
      return [out];
    } catch {
      return [];
    }
  }
  const lang = languageOf(path);
  if (!lang || !['javascript', 'typescript', 'tsx', 'python'].includes(lang)) return [];
  let tree: Parser.Tree;
  try {
    tree = parseText(lang, text);
  } catch {
    return [];
  }
  const found: KeyPaths[] = [];
  const visit = (node: Parser.SyntaxNode) => {
    if (objectTypes.has(node.type)) {
      const out: string[] = [];
      pathsUnder(node, '', out);
      if (out.length > 0) found.push(out);
      return;
    }
    for (const child of node.namedChildren) visit(child);
  };
  visit(tree.rootNode);
  return found;
}

/** A table row's cells (the text between its pipes), or undefined for a line that is not a row or is the rule under the header. */
function cellsOf(line: string): string[] | undefined {
  if (!isTableRow(line)) return undefined;
  return line.trim().slice(1, -1).split('|');
}

/** A cell's text, spaces and backticks off. */
const cellText = (cell: string) => cell.trim().replace(/^`(.*)`$/, '$1');

/** The first table in `lines`: where its rows are (0-based, the header's included) and the first cell of each row under the header. */
function firstTable(lines: readonly string[]): { header: number; rule: number; rows: Array<{ line: number; key: string }> } | undefined {
  const rule = lines.findIndex((line, i) => i > 0 && tableRule.test(line) && isTableRow(lines[i - 1]));
  if (rule < 0) return undefined;
  const rows: Array<{ line: number; key: string }> = [];
  for (let i = rule + 1; i < lines.length; i++) {
    const cells = cellsOf(lines[i]);
    if (!cells) break;
    rows.push({ line: i, key: cellText(cells[0] ?? '') });
  }
  return { header: rule - 1, rule, rows };
}

/** A row to write: its key, and the 0-based line of `lines` it goes after. */
export interface MissingRow {
  key: string;
  after: number;
}

/**
 * The rows the first table of `lines` lacks: of the objects in `objects`, the one that holds the
 * most of the table's keys (at least 3, and 60 % of them), its paths the table names nowhere, each
 * after the last row of its section (the keys before its last `.`), else after the table's last
 * row; in the object's order. None when no object holds enough of the table, or it lacks too many.
 */
export function missingRows(lines: readonly string[], objects: readonly KeyPaths[]): MissingRow[] {
  const table = firstTable(lines);
  if (!table || table.rows.length === 0) return [];
  const keys = new Set(table.rows.map((row) => row.key));
  let best: { paths: KeyPaths; shared: number } | undefined;
  for (const paths of objects) {
    const shared = paths.filter((p) => keys.has(p)).length;
    if (!best || shared > best.shared) best = { paths, shared };
  }
  if (!best || best.shared < minShared || best.shared < minShare * keys.size) return [];
  const tableText = table.rows.map((row) => lines[row.line]).join('\n');
  const named = (key: string) => new RegExp(`(?<![\\w.$-])${key.replace(/[.$]/g, '\\$&')}(?![\\w$-])`).test(tableText);
  const missing = best.paths.filter((p) => !keys.has(p) && !named(p));
  if (missing.length === 0 || missing.length > maxRows || missing.length > best.shared) return [];
  const lastRow = table.rows.at(-1)!.line;
  const section = (key: string) => key.slice(0, Math.max(0, key.lastIndexOf('.')));
  return missing.map((key) => {
    const siblings = table.rows.filter((row) => section(row.key) === section(key) && section(key) !== '');
    return { key, after: siblings.at(-1)?.line ?? lastRow };
  });
}

/**
 * `lines` (the section written) with a row for each of `missing`, written by `ctx.infill`: the
 * row begun with its key cell (backticked as the table's are), `doc.before` and `doc.after` the
 * document around the section. A row kept has the header's number of cells and
 * nothing after it on its line. `written`: the keys given a row.
 */
export async function withMissingRows(
  ctx: ToolContext,
  path: string,
  lines: readonly string[],
  missing: readonly MissingRow[],
  doc: { before: string; after: string; contextTokens?: number },
  timeoutMs: number,
): Promise<{ lines: string[]; written: string[] }> {
  const table = firstTable(lines);
  const out = [...lines];
  const written: string[] = [];
  if (!table || !ctx.infill) return { lines: out, written };
  const width = cellsOf(lines[table.header])!.length;
  const ticked = table.rows.some((row) => /^\s*`/.test(lines[row.line].trim().slice(1)));
  const started = Date.now();
  // (each after the rows put in before it: sorted by place, later keys of a section after earlier ones)
  let shift = 0;
  const order = [...missing].map((row, i) => ({ ...row, i })).sort((a, b) => a.after - b.after || a.i - b.i);
  for (const row of order) {
    const left = timeoutMs - (Date.now() - started);
    if (left < reserveMs || ctx.signal.aborted) break;
    // (the rows put in before it all stand at or above its place)
    const at = row.after + 1 + shift;
    const lead = `| ${ticked ? `\`${row.key}\`` : row.key} |`;
    let middle: string | undefined;
    try {
      middle = await ctx.infill({
        path,
        prefix: `${doc.before}${out.slice(0, at).join('\n')}\n${lead}`,
        suffix: `\n${out.slice(at).join('\n')}${doc.after}`,
        maxTokens: maxRowTokens,
        stops: ['\n'],
        timeoutMs: left,
        ...(doc.contextTokens ? { contextTokens: doc.contextTokens } : {}),
        ...sampling(0),
      });
    } catch {
      break;
    }
    const line = `${lead}${(middle ?? '').split('\n')[0]}`.trimEnd();
    if (cellsOf(line)?.length !== width) continue;
    out.splice(at, 0, line);
    shift++;
    written.push(row.key);
  }
  return { lines: out, written };
}
