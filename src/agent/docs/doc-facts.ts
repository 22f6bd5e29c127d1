/**
 * Names a written table of a document gives that the project does not have. Asked for a table of
 * roombook's settings with "the environment variable that sets it if there is one", the 1.5B model
 * gave every setting a variable: `ROOMBOOK_MAX_BODY_BYTES` for one no variable sets, and
 * `ROOMBOOK_DEFAULT_PAGE_SIZE` for the one src/config/env.ts binds as `ROOMBOOK_PAGE_SIZE`. A
 * reader trusts a table: a variable that is not there costs an afternoon. A developer writing it
 * looks each one up, and so does assist: a cell that is a constant-like name (upper case, words
 * joined by `_`) the project never says is replaced by the one a line of the code gives beside the
 * row's other names (`{ variable: 'ROOMBOOK_PAGE_SIZE', …, key: 'defaultPageSize' }`) when it is
 * written much the same, else by a dash: there is none.
 */

import { searchCode } from '../../workspace/code-search.ts';
import { isTableRow } from '../../../tools/markdown-sections.ts';
import { identifierWords } from '../../text/identifier-words.ts';
import { jaccard } from '../../text/set-likeness.ts';

/** Lines of the project a name is looked up in at most. */
const maxLines = 40;

/** A constant-like name: upper-case words joined by `_` (an environment variable, a constant). */
const constantName = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** The constant-like names in a line of code (`constantName` anywhere in it). */
const constantsInLine = new RegExp(`\\b${constantName.source.slice(1, -1)}\\b`, 'g');

/** How alike two constant-like names must be, by their `_` words, to take one for the other. */
const alike = 0.5;

/** How alike two constant-like names are by their `_` words. */
function likeness(a: string, b: string): number {
  return jaccard(new Set(identifierWords(a)), new Set(identifierWords(b)));
}

/** A cell's text, its backticks off. */
const cellText = (cell: string) => cell.trim().replace(/^`|`$/g, '');

/** Whether `line` holds `name` as a whole word. */
const holds = (line: string, name: string) => new RegExp(`(?<![\\w$])${name.replace(/[.$]/g, '\\$&')}(?![\\w$])`).test(line);

/** The names of a row's other cells to look the row up by: each backticked or bare identifier, its last dotted part first. */
function rowNames(cells: readonly string[]): string[] {
  const out: string[] = [];
  for (const cell of cells) {
    const text = cellText(cell);
    if (!/^[A-Za-z_][\w.-]*$/.test(text) || constantName.test(text)) continue;
    const last = text.split('.').at(-1)!;
    for (const name of [last, text]) if (name.length >= 3 && !out.includes(name)) out.push(name);
  }
  return out;
}

export interface CheckedTable {
  lines: string[];
  /** Each name replaced, and what by (`—` for none). */
  fixed: Array<{ from: string; to: string }>;
}

/**
 * `lines` with each table cell that is only a constant-like name the project does not have
 * replaced (see above). `find(text)`: the lines of the project's files that hold `text`, as it is.
 */
export async function checkedTableNames(lines: readonly string[], find: (text: string) => Promise<string[]>): Promise<CheckedTable> {
  const rows = lines.map((line) => (isTableRow(line) ? line.split('|') : undefined));
  const known = new Map<string, boolean>();
  const exists = async (name: string) => {
    if (!known.has(name))
      known.set(
        name,
        (await find(name)).some((line) => holds(line, name)),
      );
    return known.get(name)!;
  };
  const cellName = (cell: string) => (constantName.test(cellText(cell)) ? cellText(cell) : undefined);
  // the names the table gives that are there: not given again to another row
  const used = new Set<string>();
  for (const cells of rows)
    for (const cell of cells ?? []) {
      const name = cellName(cell);
      if (name && (await exists(name))) used.add(name);
    }
  const out = [...lines];
  const fixed: CheckedTable['fixed'] = [];
  for (const [i, cells] of rows.entries()) {
    if (!cells) continue;
    let changed = false;
    for (const [c, cell] of cells.entries()) {
      const name = cellName(cell);
      if (!name || (await exists(name))) continue;
      let best: { name: string; score: number } | undefined;
      for (const other of rowNames(cells.filter((_, o) => o !== c))) {
        for (const line of await find(other)) {
          if (!holds(line, other)) continue;
          for (const candidate of line.match(constantsInLine) ?? []) {
            const score = likeness(name, candidate);
            if (!used.has(candidate) && score >= alike && (!best || score > best.score)) best = { name: candidate, score };
          }
        }
        // (the most telling name's lines decide: `defaultPageSize` before `api.defaultPageSize`)
        if (best) break;
      }
      const to = best?.name ?? '—';
      if (best) used.add(best.name);
      const ticked = /`/.test(cell) && best ? `\`${to}\`` : to;
      cells[c] = cell.replace(/\S(?:.*\S)?/, ticked);
      fixed.push({ from: name, to });
      changed = true;
    }
    if (changed) out[i] = cells.join('|');
  }
  return { lines: out, fixed };
}

/** The lines of the project under `root` that hold a text as it is, the document `except` (the one being written) left out; none when the search fails. */
export function projectLines(root: string, except: string, signal?: AbortSignal): (text: string) => Promise<string[]> {
  return async (text) => {
    try {
      const found = await searchCode(
        root,
        { query: text, regex: false, caseSensitive: true, glob: null, dir: null, contextLines: 0 },
        'auto',
        signal,
        maxLines,
      );
      return found.lines.filter((line) => line.match && line.path !== except).map((line) => line.text);
    } catch {
      return [];
    }
  };
}
