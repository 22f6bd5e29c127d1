/**
 * What an edit that changed nothing calls. A small model that cannot see the fault in the lines it
 * picked copies them unchanged (about 4 in 10 edit actions of the 1.5B model in this session's
 * eval runs), and "look at the code they call" costs it steps it often spends elsewhere
 * (ruby-fix-tag-report: the fault was in `by_tag`, the model copied the line calling it three
 * times, then the run ended). So the refusal shows the project definitions those lines call,
 * numbered like read_file.
 */
import type { RepoIndex, SymbolDef } from '../src/index/repo-index.ts';
import type { Workspace } from '../src/workspace/workspace.ts';
import { viewLine } from '../src/workspace/text-edits.ts';

/** Words before "(" that are not calls of project code. */
const notCalls = new Set([
  'if',
  'elif',
  'for',
  'while',
  'switch',
  'catch',
  'return',
  'sizeof',
  'typeof',
  'function',
  'def',
  'fn',
  'func',
  'new',
  'super',
  'print',
  'puts',
  'not',
  'and',
  'or',
  'in',
  'match',
  'assert',
]);

/** Definitions shown at most, and lines of each. */
const maxDefs = 2;
const maxDefLines = 15;

/** Names called in `lines` (`name(`, `.name(`), minus what the lines define themselves, in order of appearance. */
export function calledNames(lines: string): string[] {
  const defined = new Set([...lines.matchAll(/\b(?:def|function|fn|func|class|struct)\s+([A-Za-z_]\w*)/g)].map((m) => m[1]));
  const out: string[] = [];
  for (const m of lines.matchAll(/([A-Za-z_]\w*)\s*\(/g)) {
    const name = m[1];
    if (notCalls.has(name) || defined.has(name) || out.includes(name)) continue;
    out.push(name);
  }
  return out;
}

/**
 * The definitions (in the index) of what `find` calls, numbered, for the refusal of an edit that
 * changed nothing in `path`; '' when the index knows none of them.
 */
export async function calleesNote(find: string, path: string, index: RepoIndex | undefined, workspace: Workspace): Promise<string> {
  if (!index) return '';
  const shown: string[] = [];
  for (const name of calledNames(find)) {
    if (shown.length >= maxDefs) break;
    const defs = index.symbols(name, { maxRefs: 0 }).defs.filter((d) => ['function', 'method'].includes(d.kind) && d.endLine >= d.line);
    // one definition: the one in this file, else the only one (several elsewhere: which one is a guess)
    const def: SymbolDef | undefined = defs.find((d) => d.path === path) ?? (defs.length === 1 ? defs[0] : undefined);
    if (!def) continue;
    let text: string;
    try {
      text = await workspace.readText(def.path);
    } catch {
      continue;
    }
    const lines = text.split('\n');
    // an edit earlier in this turn may have moved it: found again by its first line
    const head = def.signature.split('\n')[0].trim();
    const at = lines[def.line - 1]?.includes(name) ? def.line : lines.findIndex((l) => l.trim().startsWith(head)) + 1;
    if (at === 0) continue;
    const end = def.endLine + (at - def.line);
    const last = Math.min(end, at + maxDefLines - 1, lines.length);
    const width = String(last).length;
    const body = lines.slice(at - 1, last).map((line, i) => viewLine(at + i, width, line));
    const more = end > last ? `\n[${end - last} more lines: read_file ${def.path} from line ${last + 1}.]` : '';
    shown.push(`${shown.length ? 'They also call' : 'These lines call'} ${name} (${def.path}):\n${body.join('\n')}${more}`);
  }
  return shown.join('\n');
}
