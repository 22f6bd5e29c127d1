/**
 * Following the code from where a question points, as a developer does with "go to definition":
 * "when a client sends DELETE /bookings/42, which function in src/db ends up changing the booking?"
 * is answered three calls away from the line the search finds (`.add('DELETE', '/bookings/:id',
 * cancel)` → `cancel` → `cancelBooking` → `markBookingCancelled`). Shown only the file the search
 * pointed at, the 1.5B model answered from it at once (the route's handler, or a guess), so the
 * intake reads the chain for it: the function a hit line names (a routing table's handler) or sits
 * in, then, a level at a time, the project functions it calls whose names share the most words with
 * the question (a folder the question names counts too), each read at its own lines.
 */
import type { RepoIndex, SymbolDef } from '../../index/repo-index.ts';
import { isTestPath } from '../../languages/test-files.ts';
import { calledNames } from '../../../tools/callees-note.ts';
import { escapeRegex } from '../../workspace/search-query.ts';
import { identifierWords } from '../../text/identifier-words.ts';

/** A function the trace reads, and the one that calls it (none for where the trace starts). */
export interface TracedCode {
  name: string;
  path: string;
  from: number;
  to: number;
  caller?: string;
}

/** Lines of one function read at most. */
const maxTracedLines = 40;

/** Words that say nothing about which code a question is about. */
const stopWords = new Set(
  (
    'the a an and or but of in on at to for from by with without into onto as is are was were be been being it its this that these those ' +
    'which what when where who whom whose why how does do did done can could would should will shall may might must has have had ' +
    'not no nor if then else than there their they them one ones any some each every all only just also too very more ' +
    'function functions method methods class code file files name names give answer tell show find call calls called calling ' +
    'client clients user users project layer package module data finally ends end up get gets got set sets use uses used using'
  ).split(' '),
);

/** Words a question says where code says another (`at most` and `maxPageSize`). */
const sameAs = new Map<string, string>([
  ...['most', 'maximum', 'longest', 'largest', 'biggest', 'limit', 'cap', 'upper'].map((w) => [w, 'max'] as const),
  ...['least', 'minimum', 'shortest', 'smallest', 'lower'].map((w) => [w, 'min'] as const),
  ...['configured', 'configuration', 'configure', 'setting', 'settings'].map((w) => [w, 'config'] as const),
]);

/** Words of a name or a sentence: lowercased, camelCase and snake_case split, a plural's s dropped, a few synonyms made one. */
export function wordsOf(text: string): string[] {
  return identifierWords(text)
    .filter((w) => w.length >= 3 && !/^\d+$/.test(w))
    .map((w) => sameAs.get(w) ?? (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/** Folders the question names (`src/db`, `the tally/db package`): code there counts more. */
export function foldersNamedIn(question: string, files: readonly string[]): string[] {
  const folders = new Set(files.map((f) => f.split('/').slice(0, -1).join('/')).filter(Boolean));
  const out: string[] = [];
  for (const match of question.matchAll(/[\w.-]+(?:\/[\w.-]+)+|(?<![\w./])[\w-]+(?=\/(?![\w.]))/g)) {
    const dir = match[0].replace(/\/+$/, '');
    if (folders.has(dir) || [...folders].some((f) => f.startsWith(`${dir}/`))) out.push(dir);
  }
  return out;
}

/** Definitions that run code: functions, methods, and constants or variables bound to one (`const list = (req) =>`). */
function runsCode(def: SymbolDef): boolean {
  if (def.kind === 'function' || def.kind === 'method') return true;
  return (def.kind === 'constant' || def.kind === 'variable') && /=>|\bfunction\b|\blambda\b/.test(def.signature);
}

/** What the index defines as code for `name`, outside the tests; none when it cannot answer. */
function codeDefs(index: RepoIndex, name: string): SymbolDef[] {
  try {
    return index.symbols(name, { maxRefs: 0 }).defs.filter((d) => runsCode(d) && !isTestPath(d.path));
  } catch {
    return [];
  }
}

/** A line without its strings and comments: what it names as code. */
function codeOf(line: string): string {
  const trimmed = line.trim();
  if (/^(\*|\/\*|#|\/\/|"""|''')/.test(trimmed)) return '';
  return line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, ' ').replace(/\s(?:#|\/\/).*$/, '');
}

/**
 * The definition of a name that `file` means: the only one, else of several the one in `file`
 * itself, else the one whose file is named like the qualifier the name is used with (`timers.stop`
 * → tally/api/timers.py), else the one in a file whose module `fileText` imports; else none.
 */
function pickDef(defs: SymbolDef[], file: string, fileText: string, qualifier?: string): SymbolDef | undefined {
  if (defs.length <= 1) return defs[0];
  const here = defs.filter((d) => d.path === file);
  if (here.length) return here[0];
  if (qualifier) {
    const named = defs.filter(
      (d) =>
        d.path
          .replace(/\.[^./]+$/, '')
          .split('/')
          .at(-1) === qualifier,
    );
    if (named.length === 1) return named[0];
  }
  const imported = defs.filter((d) => {
    const bare = d.path.replace(/\.[^./]+$/, '');
    const base = bare.split('/').at(-1) ?? '';
    return fileText.includes(bare.replace(/\//g, '.')) || new RegExp(String.raw`['"][./]*[\w./-]*\b${escapeRegex(base)}(?:\.\w+)?['"]`).test(fileText);
  });
  return imported.length === 1 ? imported[0] : undefined;
}

/**
 * Where a line a search found leads: the project function it names (a route's handler:
 * `.add('DELETE', '/bookings/:id', cancel)`, `("POST", "/timers/stop", timers.stop)`), else the
 * function the line is in (a handler's docstring that quotes its route), else nothing.
 */
export function definitionAt(index: RepoIndex, file: string, line: number, fileText: string): SymbolDef | undefined {
  const lines = fileText.split('\n');
  const code = codeOf(lines[line - 1] ?? '');
  for (const match of code.matchAll(/(?:([A-Za-z_]\w*)\s*(?:\.|::)\s*)?([A-Za-z_]\w*)/g)) {
    const [, qualifier, name] = match;
    const def = pickDef(codeDefs(index, name), file, fileText, qualifier);
    // not the function the line is in (a method that registers routes names itself nowhere else)
    if (def && !(def.path === file && def.line <= line && line <= def.endLine)) return def;
  }
  let outline: SymbolDef[] = [];
  try {
    outline = index.outline(file) ?? [];
  } catch {
    return undefined;
  }
  const around = outline.filter((d) => runsCode(d) && d.line <= line && line <= d.endLine);
  return around.sort((a, b) => a.endLine - a.line - (b.endLine - b.line))[0];
}

/**
 * The chain of code from `starts`, a level at a time: at each function, the project functions it
 * calls, ranked by the words they share with `question` (their names, and a folder it names: one
 * point each), two at most that share any, until `max` functions are read or `depth` levels.
 * `textOf` gives a file's text.
 */
export function traceCalls(
  index: RepoIndex,
  starts: readonly SymbolDef[],
  question: string,
  textOf: (path: string) => string | undefined,
  options: { max?: number; depth?: number } = {},
): TracedCode[] {
  const max = options.max ?? 5;
  const depth = options.depth ?? 3;
  const asked = new Set(wordsOf(question).filter((w) => !stopWords.has(w)));
  let files: string[] = [];
  try {
    files = index.files();
  } catch {
    // no folders to weigh
  }
  const folders = foldersNamedIn(question, files);
  const score = (def: SymbolDef) => new Set(wordsOf(def.name).filter((w) => asked.has(w))).size + (folders.some((f) => def.path.startsWith(`${f}/`)) ? 1 : 0);
  const key = (def: SymbolDef) => `${def.path}:${def.line}`;
  const out: TracedCode[] = [];
  const seen = new Set<string>();
  const read = (def: SymbolDef, caller?: string) => {
    seen.add(key(def));
    out.push({ name: def.name, path: def.path, from: def.line, to: Math.min(def.endLine, def.line + maxTracedLines - 1), ...(caller ? { caller } : {}) });
  };
  let level: SymbolDef[] = [];
  for (const start of starts) {
    if (out.length >= max || seen.has(key(start))) continue;
    read(start);
    level.push(start);
  }
  for (let d = 1; d < depth && level.length > 0 && out.length < max; d++) {
    const next: SymbolDef[] = [];
    for (const def of level) {
      const text = textOf(def.path) ?? '';
      const body = text
        .split('\n')
        .slice(def.line - 1, def.endLine)
        .join('\n');
      const callees = calledNames(body)
        .map((name) => pickDef(codeDefs(index, name), def.path, text))
        .filter((c): c is SymbolDef => !!c && !seen.has(key(c)) && c.name !== def.name && score(c) > 0)
        .sort((a, b) => score(b) - score(a))
        .slice(0, 2);
      for (const callee of callees) {
        if (out.length >= max || seen.has(key(callee))) continue;
        read(callee, def.name);
        next.push(callee);
      }
    }
    level = next;
  }
  return out;
}

/** Settings named at most (the intake searches two it has not searched already). */
const maxSettings = 3;

/**
 * Settings the traced code reads (`config.max_page_size`, `api.defaultPageSize`: a name after a
 * dot, not called, that the index knows as no function) that share words with `question`, most
 * shared first: where a setting's value comes from (its default, the environment variable that
 * sets it) is a search for its name away.
 */
export function settingsRead(index: RepoIndex, traced: readonly TracedCode[], question: string, textOf: (path: string) => string | undefined): string[] {
  const asked = new Set(wordsOf(question).filter((w) => !stopWords.has(w)));
  const found = new Map<string, number>();
  for (const code of traced) {
    const lines = (textOf(code.path) ?? '').split('\n').slice(code.from - 1, code.to);
    for (const line of lines) {
      for (const match of codeOf(line).matchAll(/[\w\])]\s*\.\s*([A-Za-z_]\w{3,})\b(?!\s*\()/g)) {
        const name = match[1];
        if (found.has(name)) continue;
        const shared = new Set(wordsOf(name).filter((w) => asked.has(w))).size;
        if (shared > 0 && codeDefs(index, name).length === 0) found.set(name, shared);
      }
    }
  }
  return [...found]
    .sort((a, b) => b[1] - a[1])
    .slice(0, maxSettings)
    .map(([name]) => name);
}

/**
 * The calls a trace followed, on one line: `stop (tally/api/timers.py:27) → stop_running_timer
 * (tally/services/timers.py:43) → timer_for_project (tally/db/timers.py:32), insert_entry
 * (tally/db/entries.py:78)`; starts apart by "; ". A small model reads four observations one by
 * one and answered with the middle one; the chain says where the calls end.
 */
export function callChain(traced: readonly TracedCode[]): string {
  const at = (code: TracedCode) => `${code.name} (${code.path}:${code.from})`;
  const below = (name: string, seen: Set<string>): string => {
    const called = traced.filter((c) => c.caller === name && !seen.has(c.name));
    if (called.length === 0) return '';
    for (const c of called) seen.add(c.name);
    const deeper = called.map((c) => below(c.name, seen)).filter(Boolean);
    return ` → ${called.map(at).join(', ')}${deeper.length ? deeper.join('') : ''}`;
  };
  return traced
    .filter((c) => !c.caller)
    .map((start) => `${at(start)}${below(start.name, new Set([start.name]))}`)
    .join('; ');
}
