/**
 * When an edit copies lines unchanged, the model has found where the fault is but cannot write the
 * fix: in the eval the 1.5B model's replacement was its own SEARCH again in about 4 of 10 edits of
 * failing fixes (go-fix-stack: the whole of Pop, twice; rust-fix-average; ruby-fix-tag-report).
 * The same model, asked in its fill-in-the-middle form to write the body of that function between
 * its signature (with its comments) and the code after it, writes the body such a function usually
 * has: the fault is not in front of it to copy. So the function around those lines is found in the
 * index, its body is written afresh that way, and the result goes through the same change flow as
 * any edit (syntax gate, approval, tests); a body the same as before is no rewrite.
 */
import type { SymbolDef } from '../src/index/repo-index.ts';
import { type InfillAsk, sampling, type ToolContext } from './tool.ts';
import { wrappedLines } from '../src/agent/intake/spec-paragraphs.ts';
import { headAbove } from '../src/agent/completion/infill-window.ts';
import { commentText } from '../src/text/comment-prose.ts';

/** Bodies longer than this are not rewritten whole (the model would copy more than it fixes). */
const maxBodyLines = 60;
/** Lines of the file before and after the gap the model reads. */
const maxLinesBefore = 150;
const maxLinesAfter = 60;

/** A rewritten file and what to tell the model about it. */
export interface BodyRewrite {
  text: string;
  note: string;
}

/**
 * Whether a rewrite (the file's new text) is offered; `needsRun`: it is a script's top-level code,
 * which nothing but a run judges (no test calls it).
 */
export type KeepRewrite = (text: string, needsRun: boolean) => Promise<boolean>;

/** Rewrites of a script's top-level code tried at most: the most usual, then samples (each judged by a run). */
const topLevelTries = 3;

/** The line that closes a body and stays (`}`, `end`, `};`, `})`): not part of what is rewritten. */
const closingLine = /^\s*(\}|end|\};|\}\)|\}\);|\},)\s*$/;

/** 0-based index of the first body line of `def` (after the line that opens the body), or -1. */
export function bodyStart(lines: string[], def: SymbolDef, ruby: boolean): number {
  const first = def.line - 1;
  if (ruby) return first + 1;
  for (let i = first; i < Math.min(first + 6, def.endLine); i++) {
    const code = lines[i].replace(/\s*(\/\/.*|#.*)$/, '').trimEnd();
    if (/[{:]$/.test(code) || /=>$/.test(code)) return i + 1;
  }
  return -1;
}

/**
 * The file `rel` with the body of the function or method around `find` written afresh by the
 * model's fill-in-the-middle (`ctx.infill`), or undefined: no index, no such function, a body too
 * long, no infill, the same body again, or none `keep` keeps. Above it, the request and how the
 * turn's last run failed (`ctx.failureNote`) as comments. A script's top-level code is tried again
 * as sampled while `keep` keeps none (its most usual code is often the code copied unchanged).
 */
export async function rewriteBodyAround(ctx: ToolContext, rel: string, find: string, keep: KeepRewrite): Promise<BodyRewrite | undefined> {
  if (!ctx.infill || !ctx.index) return undefined;
  const text = await readText(ctx, rel);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const at = locate(lines, find);
  if (!at) return undefined;
  const outline = ctx.index.outline(rel) ?? [];
  const defs = outline.filter(
    (d) => (d.kind === 'function' || d.kind === 'method') && d.line - 1 <= at.from && d.endLine - 1 >= at.to && lines[d.line - 1]?.includes(d.name),
  );
  // the innermost definition around the lines; the request as a comment above it says what it must do
  const def = defs.sort((a, b) => a.endLine - a.line - (b.endLine - b.line))[0];
  const request = ctx.requestComment?.(rel);
  // (bash-count-lines: the rewrite of `echo "The number of lines in $1 is $(wc -l $1)"`, told only
  // the request, wrote it again; the run had printed the sentence where the task asks for the number)
  const failed = request ? ctx.failureNote?.() : undefined;
  const how: RewriteHow = {
    ...(request ? { request } : {}),
    ...(request && failed?.length ? { notes: { lines: failed, lineComment: request.lineComment } } : {}),
  };
  if (!def) {
    // a script's top-level code (bash-count-lines: the usage check copied unchanged, three times,
    // while `wc -l "$file"` printed the name too): that code is written afresh
    // (only outside every definition but a variable's: a class's fields are not a script)
    const region = topLevelRegion(
      lines,
      at,
      outline.filter((d) => d.kind !== 'variable' && d.kind !== 'constant'),
    );
    if (!region) return undefined;
    const seeds = ctx.seedsFor?.(`${rel}:${region.from}`, topLevelTries) ?? [...Array(topLevelTries).keys()];
    for (const seed of seeds) {
      if (ctx.signal.aborted) break;
      // (under the request and the failed run as comments, the model's tries began by writing them
      // again; opening with code, 2 of 4 samples of bash-count-lines' line printed just the number, 0 of 4 before)
      const rewrite = await rewriteLines(ctx, rel, text, region.from, region.to, {
        ...how,
        ...(request ? { codeFirst: request.lineComment } : {}),
        ...sampling(seed),
        maxTokens: Math.min(1024, 64 + Math.ceil(lines.slice(region.from - 1, region.to).join('\n').length / 2)),
      });
      if (!rewrite || !(await keep(rewrite.text, true))) continue;
      const note =
        `Your replacement was the same as the lines it replaces, so the top-level code of ${rel} (lines ${rewrite.from}-${rewrite.to}) was written ` +
        'afresh by code completion, from the comments and the code around it:';
      return { text: rewrite.text, note };
    }
    return undefined;
  }
  const rewrite = await rewriteBody(ctx, rel, text, def, how);
  if (!rewrite || !(await keep(rewrite.text, false))) return undefined;
  const note =
    `Your replacement was the same as the lines it replaces, so the body of ${def.name} (${rel}:${rewrite.from === rewrite.to ? rewrite.from : `${rewrite.from}-${rewrite.to}`}) was ` +
    'written afresh by code completion, from its signature, its comments and the code around it:';
  return { text: rewrite.text, note };
}

/** A comment or blank line, or a shebang: the head of a script stays as the model reads it. */
const headLine = /^\s*($|#|\/\/|\/\*|\*|--|;)/;

/**
 * The 1-based lines of the top-level code around `at` (0-based), outside every definition in
 * `blocks` (functions, classes, …): from the end of the one before it (else the file's start) past
 * the comments and blank lines there, to the line before the next one (else the end), blank lines
 * at the end left out; undefined when one of them holds any of it or it is longer than a body may be.
 */
export function topLevelRegion(
  lines: readonly string[],
  at: { from: number; to: number },
  blocks: ReadonlyArray<{ line: number; endLine: number }>,
): { from: number; to: number } | undefined {
  if (blocks.some((d) => d.line - 1 <= at.to && d.endLine - 1 >= at.from)) return undefined;
  let from = Math.max(0, ...blocks.filter((d) => d.endLine - 1 < at.from).map((d) => d.endLine));
  let to = Math.min(lines.length - 1, ...blocks.filter((d) => d.line - 1 > at.to).map((d) => d.line - 2));
  while (from < at.from && headLine.test(lines[from])) from++;
  while (to > at.to && (lines[to] ?? '').trim() === '') to--;
  if (to - from + 1 > maxBodyLines) return undefined;
  return { from: from + 1, to: to + 1 };
}

/** The text of `rel`, or undefined when it cannot be read (gone, binary, outside the project). */
export async function readText(ctx: ToolContext, rel: string): Promise<string | undefined> {
  try {
    return await ctx.workspace.readText(rel);
  } catch {
    return undefined;
  }
}

/** A body written afresh: the whole new text of the file, and the 1-based lines of the old body with its old and new text. */
export interface NewBody {
  text: string;
  from: number;
  to: number;
  before: string;
  after: string;
}

/**
 * How a body is written: within a time, greedy (the most usual body) or sampled (one of many, by
 * seed); `request`: the person's words and the line comment of the file's language, put as a
 * comment above the function in what the model reads (not in the file): a code model follows a
 * comment ("returns 0.0 for an empty slice").
 */
export type RewriteHow = Pick<InfillAsk, 'timeoutMs' | 'temperature' | 'seed' | 'withoutTests' | 'codeFirst'> & {
  maxTokens?: number;
  request?: { text: string; lineComment: string };
  /**
   * Functions (1-based line spans) the model does not read around the gap, with the comments and
   * attributes just above them: the other stubs of a file, whose stub it copies (rust-keypad: asked
   * for `state` with the other methods' `unimplemented!(…)` around it, it wrote
   * `unimplemented!("Keypad::state()")`, greedy and sampled, for 8 of 9 fills).
   */
  hide?: ReadonlyArray<{ line: number; endLine: number }>;
  /**
   * Lines put as comments above the function after the request, in what the model reads (not in the
   * file): what the function must do, how a try of it failed.
   */
  notes?: { lines: readonly string[]; lineComment: string };
  /** Where code completion stops writing lines (rewriteLines), besides a Markdown fence: `\n}` after a struct's fields. */
  stops?: readonly string[];
};

/** A comment or attribute line that belongs to the definition below it. */
const leadingLine = /^\s*(\/\/|#|\/\*|\*|@)/;

/** Whether each 0-based line of `lines` is shown: not in a hidden span nor in the comments just above one. */
function shownMask(lines: readonly string[], hide: RewriteHow['hide']): boolean[] {
  const shown = lines.map(() => true);
  for (const span of hide ?? []) {
    let first = span.line - 1;
    while (first > 0 && leadingLine.test(lines[first - 1])) first--;
    for (let i = first; i <= span.endLine - 1 && i < lines.length; i++) shown[i] = false;
  }
  return shown;
}

/** Characters of a request put before a body at most. */
const maxRequestChars = 600;

/**
 * `body` without the lines of the request's comment and the notes that the model wrote again (they
 * are context in what the model reads, never part of the file: bash-count-lines' script got
 * `# Request: …` lines).
 */
function withoutRequest(body: string, how: Pick<RewriteHow, 'request' | 'notes'>): string {
  const echoed = new Set(
    (requestComment(how.request, '') + notesComment(how.notes, ''))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.replace(/^\S+\s*/, '')),
  );
  if (echoed.size === 0) return body;
  return body
    .split('\n')
    .filter((l) => !echoed.has(l.trim()))
    .join('\n');
}

/** The notes as comment lines at `indent`; '' without any. */
function notesComment(notes: RewriteHow['notes'], indent: string): string {
  return (notes?.lines ?? []).map((l) => `${indent}${notes!.lineComment}${l ? ` ${l}` : ''}\n`).join('');
}

/** The request as comment lines at `indent`; '' without one. */
export function requestComment(request: RewriteHow['request'], indent: string): string {
  if (!request?.text.trim()) return '';
  let text = request.text.replace(/\s+/g, ' ').trim();
  if (text.length > maxRequestChars) text = `${text.slice(0, maxRequestChars - 3)}...`;
  return wrappedLines(`Request: ${text}`)
    .map((l) => `${indent}${request.lineComment} ${l}\n`)
    .join('');
}

/**
 * `text` (of `rel`) with the body of `def` written afresh by `ctx.infill`: between the line that
 * opens the body and the line that closes it (the rest of the body for Python). Undefined when the
 * body cannot be found, is longer than 60 lines, comes back empty or the same.
 */
export async function rewriteBody(ctx: ToolContext, rel: string, text: string, def: SymbolDef, how: RewriteHow = {}): Promise<NewBody | undefined> {
  if (!ctx.infill) return undefined;
  const lines = text.split('\n');
  const gap = bodyGap(rel, lines, def, how);
  if (!gap) return undefined;
  const { start, end, indent } = gap;
  const before = lines.slice(start, end + 1).join('\n');
  const prefix = `${lines.slice(0, start).join('\n')}\n`;
  const suffix = lines.slice(end + 1).join('\n');
  const closing = lines[end + 1] !== undefined && closingLine.test(lines[end + 1]) ? lines[end + 1] : undefined;
  const middle = await askInfill(ctx, rel, how, {
    prefix: gap.prefix,
    suffix: gap.suffix,
    // (about the old body's length, or what the caller allows: a stub's body is a line, its code is not)
    maxTokens: how.maxTokens ?? Math.min(1024, 64 + Math.ceil(before.length / 2)),
    stops: ['```', ...(closing !== undefined ? [`\n${closing}\n`] : [`\n${indent}def `, `\n${indent}class `])],
  });
  const body = withoutDocstring(withoutRequest(middle === undefined ? '' : bodyOf(middle, indent), how), lines, def, start);
  if (body.trim() === '' || squash(body) === squash(before)) return undefined;
  return { text: `${prefix}${body}\n${suffix}`, from: start + 1, to: end + 1, before, after: body };
}

/** A line that opens a Python docstring (`"""`, `'''`, with a string prefix or not); the quote in group 1. */
const docstringOpen = /^\s*[rRuU]?("""|''')/;

/** `body` without a docstring it begins with when the docstring kept before the gap (lines after `def`'s signature, before `start`) is the same. */
function withoutDocstring(body: string, lines: readonly string[], def: SymbolDef, start: number): string {
  const kept = lines.slice(def.line, start).join('\n');
  if (!docstringOpen.test(kept)) return body;
  const written = body.split('\n');
  const docLines = kept.split('\n').length;
  return squash(written.slice(0, docLines).join('\n')) === squash(kept) ? written.slice(docLines).join('\n') : body;
}

/** The body of a function as a gap: its 0-based first and last line, and what the model reads before and after it. */
export interface BodyGap {
  start: number;
  end: number;
  /** The signature's indentation. */
  indent: string;
  /** Up to 150 lines before the body (hidden spans left out), the request as a comment above the function. */
  prefix: string;
  /** Up to 60 lines after the body. */
  suffix: string;
}

/**
 * The body of `def` in `lines` (of `rel`): between the line that opens it and the line that closes
 * it (the rest of the body for Python); undefined when it cannot be found or is longer than 60 lines.
 */
export function bodyGap(rel: string, lines: readonly string[], def: SymbolDef, how: Pick<RewriteHow, 'request' | 'hide' | 'notes'> = {}): BodyGap | undefined {
  if (!lines[def.line - 1]?.includes(def.name)) return undefined;
  let start = bodyStart(lines as string[], def, /\.rb$/i.test(rel));
  let end = def.endLine - 1;
  if (closingLine.test(lines[end] ?? '')) end--;
  // a docstring that opens the body is its contract, read before the gap, not written afresh (the
  // page count's rewrite dropped "(an empty list has one page)" with the max(1, …) that kept it)
  const afterDoc = start >= 0 ? afterDocstring(lines, start, end) : -1;
  if (afterDoc > start && afterDoc <= end) start = afterDoc;
  if (start < 0 || end < start || end - start + 1 > maxBodyLines) return undefined;
  // the model reads at most this much of the file around the gap (a CPU reads ~64 tokens/s)
  const indent = indentOf(lines[def.line - 1]);
  const from = Math.max(0, start - maxLinesBefore);
  const above = Math.max(from, def.line - 1);
  const shown = shownMask(lines, how.hide);
  return {
    start,
    end,
    indent,
    prefix:
      headAbove(lines, from)
        .filter((_, i) => shown[i])
        .map((l) => `${l}\n`)
        .join('') +
      lines
        .slice(from, above)
        .filter((_, i) => shown[from + i])
        .map((l) => `${l}\n`)
        .join('') +
      requestComment(how.request, indent) +
      notesComment(how.notes, indent) +
      `${lines.slice(above, start).join('\n')}\n`,
    suffix: lines
      .slice(end + 1, end + 1 + maxLinesAfter)
      .filter((_, i) => shown[end + 1 + i])
      .join('\n'),
  };
}

/**
 * The gap of a script's top-level lines `from`..`to` (1-based; topLevelRegion), as bodyGap gives a
 * function's: the lines before it and the request as a comment above it, the lines after it.
 */
export function regionGap(lines: readonly string[], region: { from: number; to: number }, how: Pick<RewriteHow, 'request'> = {}): BodyGap | undefined {
  const start = region.from - 1;
  const end = region.to - 1;
  if (start < 0 || end < start || end >= lines.length || end - start + 1 > maxBodyLines) return undefined;
  return linesGap(lines, start, end, how);
}

/** The gap of 0-based lines `start`..`end` at the top level: up to 150 lines before it and the request as a comment, up to 60 after. */
function linesGap(lines: readonly string[], start: number, end: number, how: Pick<RewriteHow, 'request'>): BodyGap {
  return {
    start,
    end,
    indent: '',
    prefix:
      [...headAbove(lines, Math.max(0, start - maxLinesBefore)), ...lines.slice(Math.max(0, start - maxLinesBefore), start)].map((l) => `${l}\n`).join('') +
      requestComment(how.request, ''),
    suffix: lines.slice(end + 1, end + 1 + maxLinesAfter).join('\n'),
  };
}

/** 0-based line after a docstring that opens at `start` (`"""…"""`, `'''…'''`, over one line or more, by `end`); `start` when none does. */
function afterDocstring(lines: readonly string[], start: number, end: number): number {
  const open = docstringOpen.exec(lines[start] ?? '');
  if (!open) return start;
  const quote = open[1];
  const rest = (lines[start] ?? '').slice(open[0].length);
  if (rest.includes(quote)) return start + 1;
  for (let i = start + 1; i <= end; i++) if (lines[i].includes(quote)) return i + 1;
  return start;
}

/**
 * `text` (of `rel`) with its lines `from`..`to` (1-based) written afresh by `ctx.infill`: a script's
 * top-level code that is only a stub (bash-ini-get: `echo "not implemented yet" >&2; exit 2` after the
 * usage comment), where no function holds the stub to rewrite the body of. The model writes on
 * from the lines before to the lines after (to the end of the file, usually). Undefined when it
 * writes nothing or the same lines.
 */
export async function rewriteLines(ctx: ToolContext, rel: string, text: string, from: number, to: number, how: RewriteHow = {}): Promise<NewBody | undefined> {
  if (!ctx.infill || from < 1 || to < from) return undefined;
  const lines = text.split('\n');
  const before = lines.slice(from - 1, to).join('\n');
  const prefix = lines
    .slice(0, from - 1)
    .map((l) => `${l}\n`)
    .join('');
  const suffix = lines.slice(to).join('\n');
  const gap = linesGap(lines, from - 1, to - 1, how);
  const middle = await askInfill(ctx, rel, how, {
    prefix: gap.prefix + notesComment(how.notes, ''),
    suffix: gap.suffix,
    maxTokens: how.maxTokens ?? 768,
    stops: ['```', ...(how.stops ?? [])],
  });
  const kept: string[] = [];
  for (const line of (middle ?? '').split('\n')) {
    if (line.trim().startsWith('```')) break;
    kept.push(line);
  }
  const body = withoutRequest(kept.join('\n'), how).replace(/\s+$/, '');
  if (body.trim() === '' || squash(body) === squash(before)) return undefined;
  return { text: `${prefix}${body}\n${suffix}`, from, to, before, after: body };
}

/** What the model writes into one gap of `rel`, asked `how`; undefined when it cannot (no infill, an error, the time is up). */
async function askInfill(
  ctx: ToolContext,
  rel: string,
  how: RewriteHow,
  gap: { prefix: string; suffix: string; maxTokens: number; stops: string[] },
): Promise<string | undefined> {
  try {
    const { request: _, hide: __, notes: ___, stops: ____, ...infillHow } = how;
    const ask = { ...infillHow, path: rel, ...gap, code: true };
    const middle = await ctx.infill?.(ask);
    // (the file's line comment, as the comments put above the gap write it)
    const marker = how.request?.lineComment ?? how.notes?.lineComment ?? ctx.requestComment?.(rel)?.lineComment ?? '';
    if (middle === undefined || !marker || ask.codeFirst || holdsCode(middle) || ctx.signal.aborted) return middle;
    // comments only, or prose copied from above the gap and cut to nothing: once more, opening with code
    return (await ctx.infill?.({ ...ask, codeFirst: marker })) ?? middle;
  } catch {
    return undefined;
  }
}

/** Whether `middle` has a line of code before any Markdown fence (not only blank lines and comments). */
export function holdsCode(middle: string): boolean {
  for (const line of middle.split('\n')) {
    if (line.trim().startsWith('```')) return false;
    if (line.trim() !== '' && commentText(line) === undefined) return true;
  }
  return false;
}

/** Leading whitespace of `line`. */
function indentOf(line: string): string {
  return /^\s*/.exec(line)![0];
}

/**
 * The body in what the model wrote into the gap: up to the first line that is not indented past
 * the signature (the closing brace, the next definition, prose after the code) or opens a Markdown
 * fence; an instruct model writes on past the gap. Trailing blank lines dropped.
 */
export function bodyOf(middle: string, signatureIndent: string): string {
  const lines = middle.split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    if (line.trim().startsWith('```')) break;
    if (line.trim() !== '' && indentOf(line).length <= signatureIndent.length) break;
    kept.push(line);
  }
  return kept.join('\n').replace(/\s+$/, '');
}

/** 0-based first and last line of `find` in `lines` (exact, else by trimmed lines), or undefined. */
function locate(lines: string[], find: string): { from: number; to: number } | undefined {
  const wanted = find.replace(/\n$/, '').split('\n');
  const trimmed = wanted.map((l) => l.trim());
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (trimmed.every((l, j) => lines[i + j].trim() === l)) return { from: i, to: i + wanted.length - 1 };
  }
  return undefined;
}

/** Code with all whitespace removed: a body that differs only in spacing is the same body. */
export function squash(code: string): string {
  return code.replace(/\s+/g, '');
}
