/**
 * A function's new signature, and every call of it changed to match, before the model's first
 * step. Asked to change `findConflicts(db, roomId, start, end, excludeId)` to
 * `findConflicts(db, query)` and update every caller, the 1.5B model's edits did not parse (their
 * replacements carried the read's line numbers) and it answered with nothing changed; asked to
 * pass `build_invoice` two settings instead of the `Config`, it read the callers one a step until
 * the time ran out.
 *
 * The definition is written afresh by code completion, with the request and the old definition as
 * comments above it: a code model follows them (it wrote `query.roomId` where the body had
 * `roomId`, `currency=currency` where it had `config.currency`). The calls are not written
 * by the model (asked to, with the old call and the new signature above each, it wrote none of five
 * right: the old arguments again, `config=config`, an object of names not in scope): each new
 * parameter is worked out from the old ones, as a refactoring tool does:
 * - a parameter kept by name takes the argument it had;
 * - a parameter the old body read as an attribute of a removed one (`config.round_to_minutes`
 *   became `round_to_minutes`) takes that attribute of its argument;
 * - a JavaScript or TypeScript parameter whose fields are removed parameters (`query.roomId`,
 *   `query.start` in the new body, or `{ roomId; start }` in its type) takes an object of their
 *   arguments;
 * - a parameter in the place of a removed one that nothing else took is that one renamed.
 * (Python and JavaScript/TypeScript so far: their calls pass objects and keywords this way.)
 * A new definition whose parameters cannot all be worked out so is not used; one that can is
 * tried with every call changed, staged, against the project's tests, and only a passing one is
 * proposed.
 */
import type { SymbolDef } from '../../index/repo-index.ts';
import { type LanguageId, languageOf } from '../../index/languages.ts';
import type { FileChange } from '../../workspace/approval.ts';
import { requestComment } from '../../../tools/body-rewrite.ts';
import { syntaxGate, withStaged } from '../../../tools/change-flow.ts';
import type { ToolContext, ToolResult } from '../../../tools/tool.ts';
import { escapeRegex } from '../../workspace/search-query.ts';
import { runPassed } from '../attempts.ts';

/** How a family of languages passes arguments. */
type Family = 'python' | 'js';

const families: Partial<Record<LanguageId, Family>> = { python: 'python', javascript: 'js', typescript: 'js', tsx: 'js' };

/**
 * Whether the request asks for nothing but the new signature and its calls ("… and update every
 * caller, tests included"): then the tests passing with it end the turn. "… and add a test" leaves
 * the rest to the model.
 */
export function onlyChangesSignature(task: string): boolean {
  return !/\b(and|then|also|plus)\b[^.]*?\b(add|write|fix|implement|create|delete|move|extract|document|split|merge|rename)\w*/i.test(task);
}

/** The argument-passing family of `path`'s language; undefined for a language this does not handle yet. */
export function familyOf(path: string): Family | undefined {
  const lang = languageOf(path);
  return lang ? families[lang] : undefined;
}

/** One declared parameter. */
export interface Param {
  name: string;
  /** It has a default, or is marked optional (`x?: T`). */
  optional: boolean;
  /** Python: after `*` or `*args`, passed by keyword only. */
  keywordOnly: boolean;
  /** Its text as declared (with its type and default). */
  text: string;
}

const quotes = new Set(['"', "'", '`']);
const opens: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The index of the bracket that closes the one at `open` in `text` (strings skipped), or -1. */
export function closingBracket(text: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quotes.has(c)) {
      i = closingQuote(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (opens[c]) stack.push(opens[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** `text` split at its top-level commas (not inside brackets or strings), each part trimmed; a trailing comma adds no part. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  // (`<` and `>` of a type's generics hold commas too: `Map<string, number>`)
  let angle = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quotes.has(c)) {
      const close = closingQuote(text, i);
      if (close < 0) break;
      i = close;
    } else if (c in opens) depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '<' && /[\w$]$/.test(text.slice(0, i)) && /^[\w$[{(]/.test(text.slice(i + 1))) angle++;
    else if (c === '>' && angle > 0 && text[i - 1] !== '=') angle--;
    else if (c === ',' && depth === 0 && angle === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

/** The index of the quote that closes the string opening at `at` (a Python triple quote closes on its own three), or -1. */
function closingQuote(text: string, at: number): number {
  const c = text[at];
  const triple = text.startsWith(c.repeat(3), at) ? c.repeat(3) : c;
  let j = at + triple.length;
  while (j < text.length && !text.startsWith(triple, j)) j += text[j] === '\\' ? 2 : 1;
  return j < text.length ? j + triple.length - 1 : -1;
}

/** The span of the parameter list of `name` in a definition's `text`: the indexes of its `(` and `)`; undefined when not found. */
export function paramSpan(text: string, name: string): { open: number; close: number } | undefined {
  const at = new RegExp(`(?<![\\w$])${escapeRegex(name)}(?![\\w$])`).exec(text);
  if (!at) return undefined;
  const open = text.indexOf('(', at.index + name.length);
  if (open < 0) return undefined;
  const close = closingBracket(text, open);
  return close < 0 ? undefined : { open, close };
}

/** The parameters of a definition's parameter list `inside` (between its brackets); undefined when one has no plain name (a destructured object). */
export function parseParams(inside: string, family: Family, method: boolean): Param[] | undefined {
  const params: Param[] = [];
  let keywordOnly = false;
  for (const [i, text] of splitTopLevel(inside).entries()) {
    if (family === 'python') {
      if (text === '/') continue;
      if (text === '*' || /^\*[A-Za-z_]/.test(text)) {
        keywordOnly = true;
        if (text !== '*') params.push({ name: text.slice(1).split(/[:=\s]/)[0], optional: true, keywordOnly: true, text });
        continue;
      }
      if (text.startsWith('**')) {
        params.push({ name: text.slice(2).split(/[:=\s]/)[0], optional: true, keywordOnly: true, text });
        continue;
      }
      const name = /^([A-Za-z_]\w*)/.exec(text)?.[1];
      if (!name) return undefined;
      if (i === 0 && method && (name === 'self' || name === 'cls')) continue;
      params.push({ name, optional: /=/.test(text.replace(/[=!<>]=/g, '')), keywordOnly, text });
    } else {
      const plain = text.replace(/^(public|private|protected|readonly|override)\s+/g, '');
      if (plain.startsWith('...')) {
        params.push({ name: plain.slice(3).split(/[?:=\s]/)[0], optional: true, keywordOnly: false, text });
        continue;
      }
      const m = /^([A-Za-z_$][\w$]*)\s*(\?)?/.exec(plain);
      if (!m) return undefined;
      if (m[1] === 'this' && /^this\s*:/.test(plain)) continue;
      params.push({ name: m[1], optional: Boolean(m[2]) || /=(?!>)/.test(plain.replace(/[=!<>]=/g, '')), keywordOnly: false, text });
    }
  }
  return params;
}

/** Where a new parameter's argument comes from, in terms of the old call's arguments. */
export type Source =
  | { kind: 'same'; old: string }
  | { kind: 'renamed'; old: string }
  | { kind: 'attribute'; old: string; attribute: string }
  | { kind: 'object'; fields: string[] }
  | { kind: 'none' };

export interface PlannedParam extends Param {
  from: Source;
}

/**
 * How each new parameter gets its argument from an old call (see the module's comment); undefined
 * when a parameter the new definition requires comes from none of the old ones, or an old one the
 * old definition read is dropped with nothing taking its place.
 */
export function planArguments(
  oldParams: readonly Param[],
  newParams: readonly Param[],
  oldDefinition: string,
  newDefinition: string,
  family: Family,
  asked: (name: string) => boolean = () => true,
): PlannedParam[] | undefined {
  const oldNames = new Set(oldParams.map((p) => p.name));
  const newNames = new Set(newParams.map((p) => p.name));
  const removed = oldParams.filter((p) => !newNames.has(p.name)).map((p) => p.name);
  const used = new Set<string>();
  const plan: PlannedParam[] = [];
  for (const param of newParams) {
    let from: Source = { kind: 'none' };
    if (oldNames.has(param.name)) from = { kind: 'same', old: param.name };
    else {
      const owner = removed.find((old) => new RegExp(`(?<![\\w$.])${escapeRegex(old)}\\s*\\.\\s*${escapeRegex(param.name)}(?![\\w$])`).test(oldDefinition));
      if (owner) from = { kind: 'attribute', old: owner, attribute: param.name };
      else if (family === 'js') {
        const fields = removed.filter(
          (old) =>
            new RegExp(`(?<![\\w$.])${escapeRegex(param.name)}\\s*\\??\\.\\s*${escapeRegex(old)}(?![\\w$])`).test(newDefinition) ||
            typeFields(param.text).includes(old) ||
            destructured(newDefinition, param.name).includes(old),
        );
        if (fields.length) from = { kind: 'object', fields };
      }
    }
    if (from.kind === 'same' || from.kind === 'attribute') used.add(from.old);
    if (from.kind === 'object') for (const f of from.fields) used.add(f);
    plan.push({ ...param, from });
  }
  // a parameter renamed in its place (`cfg` → `config`): the removed one at its position, as optional as it was, that nothing
  // else took, to a name the request gives (a name it does not give is the model's guess: `rate` for "take `tax`")
  for (const [i, param] of plan.entries()) {
    const old = oldParams[i];
    if (param.from.kind !== 'none' || !asked(param.name) || !old || newNames.has(old.name) || used.has(old.name) || old.optional !== param.optional) continue;
    param.from = { kind: 'renamed', old: old.name };
    used.add(old.name);
  }
  if (plan.some((p) => p.from.kind === 'none' && !p.optional)) return undefined;
  // an old parameter the old definition read, dropped with nothing in its place: its value would be lost
  const body = oldDefinition.slice((paramSpanAfterHeader(oldDefinition) ?? 0) + 1);
  for (const old of removed)
    if (
      !used.has(old) &&
      new RegExp(`(?<![\\w$.])${escapeRegex(old)}(?![\\w$])`).test(body) &&
      !new RegExp(`(?<![\\w$.])${escapeRegex(old)}(?![\\w$])`).test(newDefinition)
    )
      return undefined;
  return plan;
}

/** The index where the first parameter list of a definition ends (its `)`), or undefined. */
function paramSpanAfterHeader(definition: string): number | undefined {
  const open = definition.indexOf('(');
  if (open < 0) return undefined;
  const close = closingBracket(definition, open);
  return close < 0 ? undefined : close;
}

/** The field names of an object type written in a parameter's declaration (`query: { roomId: number; start?: number }`). */
function typeFields(declared: string): string[] {
  const open = declared.indexOf('{');
  if (open < 0 || !declared.slice(0, open).includes(':')) return [];
  const close = closingBracket(declared, open);
  if (close < 0) return [];
  return declared
    .slice(open + 1, close)
    .split(/[;,\n]/)
    .map((f) => /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\s*\??\s*:/.exec(f)?.[1])
    .filter((f): f is string => Boolean(f));
}

/** The names a definition takes out of `param` by destructuring (`const { roomId, start } = query`). */
function destructured(definition: string, param: string): string[] {
  const m = new RegExp(`\\{([^{}]*)\\}\\s*=\\s*${escapeRegex(param)}\\b`).exec(definition);
  if (!m) return [];
  return m[1]
    .split(',')
    .map((f) => /^\s*([A-Za-z_$][\w$]*)/.exec(f)?.[1])
    .filter((f): f is string => Boolean(f));
}

/** The index just past the line that opens a definition's body (`{` or `:` ending a line after its parameter list `close`), or -1. */
function bodyOpening(definition: string, close: number, family: Family): number {
  const opener = family === 'python' ? /:[ \t]*(#[^\n]*)?\n/g : /\{[ \t]*(\/\/[^\n]*)?\n/g;
  opener.lastIndex = close;
  const m = opener.exec(definition);
  return m ? m.index + m[0].length : -1;
}

/**
 * The old body under the new header, changed only as the plan says (behaviour kept, as a
 * refactoring tool does it): a parameter that was an attribute of a removed one is read directly
 * (`config.currency` becomes `currency`), and an object parameter's fields are taken out of it at
 * the top (`const { roomId, start } = query;`). Undefined when either body's opening is not found.
 */
export function adaptedDefinition(oldDefinition: string, newDefinition: string, plan: readonly PlannedParam[], family: Family): string | undefined {
  const oldSpan = paramSpanAfterHeader(oldDefinition);
  const newSpan = paramSpanAfterHeader(newDefinition);
  if (oldSpan === undefined || newSpan === undefined) return undefined;
  const oldOpen = bodyOpening(oldDefinition, oldSpan, family);
  const newOpen = bodyOpening(newDefinition, newSpan, family);
  if (oldOpen < 0 || newOpen < 0) return undefined;
  let body = oldDefinition.slice(oldOpen);
  for (const param of plan)
    if (param.from.kind === 'renamed') body = body.replace(new RegExp(`(?<![\\w$.])${escapeRegex(param.from.old)}(?![\\w$])`, 'g'), param.name);
    else if (param.from.kind === 'attribute')
      body = body.replace(new RegExp(`(?<![\\w$.])${escapeRegex(param.from.old)}\\s*\\.\\s*${escapeRegex(param.from.attribute)}(?![\\w$(])`, 'g'), param.name);
  const objects = plan.filter((p) => p.from.kind === 'object');
  if (objects.length) {
    if (family === 'python') return undefined;
    const indent = /^[ \t]*/.exec(body)![0];
    const takes = objects.map((p) => {
      const fields = (p.from as { fields: string[] }).fields;
      // (a field the body assigns to cannot be a constant)
      const assigned = fields.some((f) => new RegExp(`(?<![\\w$.])${escapeRegex(f)}\\s*(=(?!=)|\\+\\+|--|[-+*/]=)`).test(body));
      return `${indent}${assigned ? 'let' : 'const'} { ${fields.join(', ')} } = ${p.name};\n`;
    });
    body = `${takes.join('')}${body}`;
  }
  return `${newDefinition.slice(0, newOpen)}${body}`;
}

/** The arguments of one old call bound to the old parameters' names; undefined when a spread or an unknown keyword makes that unsure. */
export function bindArguments(args: readonly string[], oldParams: readonly Param[], family: Family): Map<string, string> | undefined {
  const bound = new Map<string, string>();
  let position = 0;
  for (const arg of args) {
    if (/^(\*|\.\.\.)/.test(arg)) return undefined;
    const keyword = family === 'python' ? /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(arg) : null;
    if (keyword) {
      if (!oldParams.some((p) => p.name === keyword[1])) return undefined;
      bound.set(keyword[1], keyword[2].trim());
      continue;
    }
    const param = oldParams[position++];
    if (!param || param.keywordOnly || param.text.startsWith('*') || param.text.startsWith('...')) return undefined;
    bound.set(param.name, arg);
  }
  return bound;
}

/** The attribute `attribute` of an argument: `cfg.x`; from a constructor call that sets it by keyword, that value (`Config(x=6)` gives `6`). */
function attributeOf(arg: string, attribute: string, family: Family): string {
  const call = /^[A-Za-z_$][\w$.]*\(([\s\S]*)\)$/.exec(arg);
  if (call && family === 'python') {
    for (const part of splitTopLevel(call[1])) {
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(part);
      if (kw && kw[1] === attribute) return kw[2].trim();
    }
  }
  return /^[A-Za-z_$][\w$.]*(\([^()]*\))?$/.test(arg) ? `${arg}.${attribute}` : `(${arg}).${attribute}`;
}

/** The new call's arguments for one old call's bound arguments; undefined when a required one has no value. */
export function newArguments(
  bound: ReadonlyMap<string, string>,
  plan: readonly PlannedParam[],
  family: Family,
  byKeyword: ReadonlySet<string>,
): string[] | undefined {
  const out: string[] = [];
  let skipped = 0;
  let keywords = false;
  for (const param of plan) {
    const { from } = param;
    let value: string | undefined;
    if (from.kind === 'same' || from.kind === 'renamed') value = bound.get(from.old);
    else if (from.kind === 'attribute') {
      const arg = bound.get(from.old);
      value = arg === undefined ? undefined : attributeOf(arg, from.attribute, family);
    } else if (from.kind === 'object') {
      const fields = from.fields.filter((f) => bound.has(f)).map((f) => (bound.get(f) === f ? f : `${f}: ${bound.get(f)}`));
      value = fields.length ? `{ ${fields.join(', ')} }` : undefined;
    }
    if (value === undefined) {
      if (!param.optional) return undefined;
      skipped++;
      continue;
    }
    if (family === 'python') {
      // by keyword from the first parameter left out, a new one, or one passed by keyword before
      const kept = from.kind === 'same' || from.kind === 'renamed';
      if (skipped > 0 || param.keywordOnly || !kept || byKeyword.has(from.old)) keywords = true;
      out.push(keywords ? `${param.name}=${value}` : value);
    } else {
      out.push(...Array(skipped).fill('undefined'), value);
    }
    skipped = 0;
  }
  return out;
}

/** A call of `name` in a file: the indexes of its `(` and `)`. */
export interface CallSite {
  open: number;
  close: number;
}

/**
 * The calls of `name` in `text`, outside the spans `skip` (the definition itself); a line that
 * defines a function of that name, or is a comment, holds none.
 */
export function callSites(
  text: string,
  name: string,
  skip: ReadonlyArray<{ from: number; to: number }> = [],
  receiver?: (name: string) => boolean,
): CallSite[] {
  const sites: CallSite[] = [];
  const pattern = new RegExp(`(?<![\\w$])${escapeRegex(name)}\\s*\\(`, 'g');
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    if (skip.some((s) => at >= s.from && at < s.to)) continue;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const before = text.slice(lineStart, at);
    // `x.name(`: a call of this function only through a receiver `receiver` allows (a function's module, `billing.build_invoice(`)
    const dotted = /(?:([A-Za-z_$][\w$]*)\s*)?\.\s*$/.exec(before);
    if (dotted && receiver && !(dotted[1] && receiver(dotted[1]))) continue;
    if (/^\s*(#|\/\/|\*|\/\*)/.test(before) || /\b(def|function|fn|func)\s*\*?\s*$/.test(before)) continue;
    // a method declared in a class (`  async findConflicts(…) {`)
    if (
      /^\s*((public|private|protected|static|async|override|get|set)\s+)*$/.test(before) &&
      /^\s*[^\n]*\)\s*(:[^\n]*)?\{\s*$/m.test(text.slice(at, text.indexOf('\n', at) + 1 || undefined))
    )
      continue;
    const open = at + m[0].length - 1;
    const close = closingBracket(text, open);
    if (close < 0) continue;
    sites.push({ open, close });
  }
  return sites;
}

/** `text` with each call of `name` (as `callSites` finds them) given its new arguments; undefined when a call cannot be changed for certain. */
export function rewriteCalls(
  text: string,
  name: string,
  oldParams: readonly Param[],
  plan: readonly PlannedParam[],
  family: Family,
  skip: ReadonlyArray<{ from: number; to: number }> = [],
  receiver?: (name: string) => boolean,
): { text: string; calls: number } | undefined {
  const sites = callSites(text, name, skip, receiver);
  let out = text;
  // from the last, so the indexes of those before stay
  for (const site of [...sites].reverse()) {
    const inside = text.slice(site.open + 1, site.close);
    const args = splitTopLevel(inside);
    const bound = bindArguments(args, oldParams, family);
    if (!bound) return undefined;
    const byKeyword = new Set(args.flatMap((a) => /^([A-Za-z_]\w*)\s*=(?!=)/.exec(a)?.[1] ?? []));
    const next = newArguments(bound, plan, family, family === 'python' ? byKeyword : new Set());
    if (!next) return undefined;
    // (a call written over several lines keeps its line breaks where it had them)
    const multiline = inside.includes('\n');
    const indent = multiline ? (/\n([ \t]*)\S/.exec(inside)?.[1] ?? '') : '';
    const closeIndent = multiline ? (/\n([ \t]*)$/.exec(inside)?.[1] ?? '') : '';
    const written = multiline ? `\n${next.map((a) => `${indent}${a},`).join('\n')}\n${closeIndent}` : next.join(', ');
    out = `${out.slice(0, site.open + 1)}${written}${out.slice(site.close)}`;
  }
  return { text: out, calls: sites.length };
}

/**
 * `after` without the names it imports that it no longer uses and `before` did (the type a new
 * signature no longer takes: `from tally.config import Config`); an import left with no name goes.
 */
export function withoutUnusedImports(before: string, after: string, family: Family): string {
  const usedIn = (text: string, name: string, importLine: string) => new RegExp(`(?<![\\w$])${escapeRegex(name)}(?![\\w$])`).test(text.replace(importLine, ''));
  const lines = after.split('\n');
  const kept: string[] = [];
  /** An import was just dropped where a blank line or the file's top was before it: the blank lines after it go with it. */
  let droppedAfterBlank = false;
  for (const line of lines) {
    if (droppedAfterBlank && line.trim() === '') continue;
    droppedAfterBlank = false;
    const m =
      family === 'python' ? /^(from\s+\S+\s+import\s+)([\w\s,]+)$/.exec(line) : /^(import\s+(?:type\s+)?\{)([^}]*)(\}\s*from\s+['"][^'"]+['"];?)$/.exec(line);
    if (!m) {
      kept.push(line);
      continue;
    }
    const names = m[2]
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const local = (n: string) =>
      n
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .at(-1)!;
    const left = names.filter((n) => usedIn(after, local(n), line) || !usedIn(before, local(n), line));
    if (left.length === names.length) kept.push(line);
    else if (left.length === 0) droppedAfterBlank = kept.length === 0 || kept.at(-1)!.trim() === '';
    else kept.push(family === 'python' ? `${m[1]}${left.join(', ')}` : `${m[1]} ${left.join(', ')} ${m[3]}`);
  }
  return kept.join('\n');
}

/** The 0-based line of `def` in `lines` that names it (past the decorators above a Python definition). */
function namingLine(lines: readonly string[], def: SymbolDef): number {
  let first = def.line - 1;
  while (first < def.endLine - 1 && !new RegExp(`(?<![\\w$])${escapeRegex(def.name)}(?![\\w$])`).test(lines[first])) first++;
  return first;
}

/** The definition of `def` in `text` (of `path`) written afresh by code completion, with the request and the old definition as comments above it. */
export async function newDefinition(
  ctx: ToolContext,
  path: string,
  text: string,
  def: SymbolDef,
  how: { temperature?: number; seed?: number; timeoutMs: number },
): Promise<{ text: string; from: number; to: number } | undefined> {
  if (!ctx.infill) return undefined;
  const lines = text.split('\n');
  const first = namingLine(lines, def);
  const last = def.endLine - 1;
  const old = lines.slice(first, last + 1);
  const head = old[0].slice(0, old[0].indexOf('(', old[0].search(new RegExp(`(?<![\\w$])${escapeRegex(def.name)}(?![\\w$])`))) + 1);
  if (!head.endsWith('(')) return undefined;
  const indent = /^\s*/.exec(old[0])![0];
  const request = ctx.requestComment?.(path);
  if (!request) return undefined;
  const c = request.lineComment;
  const prefix =
    lines
      .slice(Math.max(0, first - 150), first)
      .map((l) => `${l}\n`)
      .join('') +
    requestComment(request, indent) +
    `${indent}${c} Before the change:\n${old.map((l) => `${indent}${c} ${l.slice(indent.length)}\n`).join('')}${head}`;
  const suffix = `\n${lines.slice(last + 1, last + 61).join('\n')}`;
  const middle = await ctx.infill({
    path,
    prefix,
    suffix,
    maxTokens: Math.min(2048, 96 + Math.ceil(old.join('\n').length / 2)),
    timeoutMs: how.timeoutMs,
    ...(how.temperature ? { temperature: how.temperature, seed: how.seed ?? 1 } : {}),
  });
  if (middle === undefined) return undefined;
  // (the comments were for the model to read: written again, they are not part of the file)
  const written = `${head}${middle}`.replace(/\s+$/, '');
  if (written.split('\n').some((l) => l.trim().startsWith(`${c} Request:`) || l.trim() === `${c} Before the change:`)) return undefined;
  return { text: [...lines.slice(0, first), written, ...lines.slice(last + 1)].join('\n'), from: first, to: first + written.split('\n').length - 1 };
}

export interface SignatureChangeOptions {
  /** The request. */
  task: string;
  ctx: ToolContext;
  /** The function whose signature changes (its only definition). */
  def: SymbolDef;
  /** The project's files that may call it. */
  files: readonly string[];
  /** Runs the project's tests with what is staged. */
  runTests: () => Promise<ToolResult>;
  /** Time for all tries together. */
  timeoutMs: number;
  log?: (message: string, detail?: Record<string, unknown>) => void;
}

/** A signature changed and its calls with it, the tests passing. */
export interface SignatureChange {
  changes: Array<FileChange & { after: string }>;
  /** The calls changed, outside the definition. */
  calls: number;
  /** The new definition's first line. */
  header: string;
  run: NonNullable<ToolResult['run']>;
  /** A new parameter no old one gives (an optional `limit`): new behaviour, which the project's tests may not check. */
  fresh: boolean;
}

/** Greedy first (the most usual definition), then sampled ones, one per seed. */
const tries = [{}, { temperature: 0.6, seed: 1 }, { temperature: 0.6, seed: 2 }, { temperature: 0.6, seed: 3 }];

/**
 * The definition of `def` written afresh for the request (ctx.requestComment) and every call of it
 * in `files` changed to match (see the module's comment), tried staged until the tests pass or the
 * time is up; undefined when no try passed.
 */
export async function changeSignature(options: SignatureChangeOptions): Promise<SignatureChange | undefined> {
  const { ctx, def } = options;
  const family = familyOf(def.path);
  if (!family || !ctx.infill) return undefined;
  const read = async (path: string) => ctx.workspace.readText(path).catch(() => undefined);
  const text = await read(def.path);
  if (text === undefined) return undefined;
  // (from the line that names it: decorators above stay as they are)
  const first = namingLine(text.split('\n'), def);
  const oldDefinition = text.split('\n').slice(first, def.endLine).join('\n');
  const method = def.kind === 'method';
  const oldSpan = paramSpan(oldDefinition, def.name);
  const oldParams = oldSpan && parseParams(oldDefinition.slice(oldSpan.open + 1, oldSpan.close), family, method);
  if (!oldParams) return undefined;
  // a function's calls are plain, or through its module (`billing.build_invoice(`); `x.name(` is another object's method
  const stem = def.path.slice(def.path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  const receiver = method ? undefined : (name: string) => name === stem;
  const callers = new Map<string, string>();
  for (const file of options.files) {
    if (file === def.path || familyOf(file) !== family) continue;
    const caller = await read(file);
    if (caller !== undefined && callSites(caller, def.name, [], receiver).length > 0) callers.set(file, caller);
  }
  const site: Site = { options, family, text, first, oldParams, callers, ...(receiver ? { receiver } : {}) };
  const started = Date.now();
  const left = () => options.timeoutMs - (Date.now() - started);
  const written = new Set<string>();
  for (const how of tries) {
    if (ctx.signal.aborted || left() < 5_000) break;
    const what = how.temperature ? `sampled, seed ${how.seed}` : 'greedy';
    let next: Awaited<ReturnType<typeof newDefinition>>;
    try {
      next = await newDefinition(ctx, def.path, text, def, { ...how, timeoutMs: left() });
    } catch {
      break; // (the time ran out while it wrote)
    }
    if (!next) continue;
    const definition = next.text
      .split('\n')
      .slice(next.from, next.to + 1)
      .join('\n');
    if (written.has(definition)) continue;
    written.add(definition);
    const span = paramSpan(definition, def.name);
    const newParams = span && parseParams(definition.slice(span.open + 1, span.close), family, method);
    if (!newParams) {
      options.log?.(`The new definition of ${def.name} code completion wrote (${what}) has a parameter list assist cannot read.`, { definition });
      continue;
    }
    if (newParams.map((p) => p.text).join(', ') === oldParams.map((p) => p.text).join(', ')) {
      options.log?.(`Code completion wrote ${def.name} (${what}) with the parameters it had.`, { definition });
      continue;
    }
    const plan = planArguments(oldParams, newParams, oldDefinition, definition, family, (name) =>
      new RegExp(`(?<![\\w$])${escapeRegex(name)}(?![\\w$])`).test(options.task),
    );
    if (!plan) {
      options.log?.(
        `The calls of ${def.name} cannot be changed for certain to the new definition code completion wrote (${what}): a parameter comes from none of the old ones.`,
        { definition },
      );
      continue;
    }
    // the old body under the new header first (the behaviour kept for certain), then the model's own
    // body; a parameter no old one gives is new behaviour, which only the model's body can have
    const fresh = plan.some((p) => p.from.kind === 'none');
    const adapted = fresh ? undefined : adaptedDefinition(oldDefinition, definition, plan, family);
    for (const [body, whose] of [
      [adapted, 'the old body'],
      [definition, 'its own body'],
    ] as const) {
      if (body === undefined || (whose === 'its own body' && body === adapted)) continue;
      const tried = await tryDefinition(site, body, plan, `${what}, ${whose}`);
      if (tried === 'stop') return undefined;
      if (tried) return { ...tried, header: definition.split('\n')[0].trim(), fresh };
    }
  }
  return undefined;
}

/** What one try of a signature change works on. */
interface Site {
  options: SignatureChangeOptions;
  family: Family;
  /** The text of the definition's file. */
  text: string;
  /** The 0-based line the definition starts on, its decorators left out. */
  first: number;
  oldParams: Param[];
  /** The other files that call it, with their text. */
  callers: ReadonlyMap<string, string>;
  /** Which `x.name(` are its calls (see callSites); absent: all of them (a method's). */
  receiver?: (name: string) => boolean;
}

/** `definition` in place of the old one with every call changed by `plan`, tried staged; 'stop' when the tests did not finish. */
async function tryDefinition(
  site: Site,
  definition: string,
  plan: readonly PlannedParam[],
  what: string,
): Promise<Omit<SignatureChange, 'header' | 'fresh'> | 'stop' | undefined> {
  const { options, family, text, first, oldParams, callers, receiver } = site;
  const { ctx, def } = options;
  const lines = text.split('\n');
  const newText = [...lines.slice(0, first), definition, ...lines.slice(def.endLine)].join('\n');
  const from = lines.slice(0, first).join('\n').length + (first > 0 ? 1 : 0);
  const own = rewriteCalls(newText, def.name, oldParams, plan, family, [{ from, to: from + definition.length }], receiver);
  const changed = own ? [{ path: def.path, text: withoutUnusedImports(text, own.text, family) }] : [];
  let calls = own?.calls ?? 0;
  for (const [file, caller] of own ? callers : []) {
    const rewritten = rewriteCalls(caller, def.name, oldParams, plan, family, [], receiver);
    if (!rewritten) {
      changed.length = 0;
      break;
    }
    calls += rewritten.calls;
    changed.push({ path: file, text: rewritten.text });
  }
  if (changed.length === 0) {
    options.log?.(`A call of ${def.name} cannot be changed for certain to the new definition (${what}): a spread, or a keyword the old one did not take.`, {
      definition,
    });
    return undefined;
  }
  const changes: Array<FileChange & { after: string }> = [];
  for (const c of changed) {
    const proposed = await ctx.workspace.proposeChange(c.path, c.text);
    if (proposed.before !== c.text) changes.push({ ...proposed, after: c.text });
  }
  const refused = syntaxGate(changes, ctx.config.index.maxFileBytes);
  if (refused) {
    options.log?.(`The new definition of ${def.name} (${what}) does not parse.`, { definition, syntax: refused.forModel });
    return undefined;
  }
  const { run } = await withStaged(ctx.workspace, changes, options.runTests);
  if (!run || run.timedOut) {
    options.log?.(`The tests did not finish with the new signature of ${def.name} (${what}).`, { definition });
    return 'stop';
  }
  if (runPassed(run)) {
    options.log?.(`The tests pass with the new signature of ${def.name} (${what}) and ${calls} call${calls === 1 ? '' : 's'} changed.`, { definition });
    return { changes, calls, run };
  }
  options.log?.(`The tests fail with the new signature of ${def.name} (${what}) and its calls changed.`, {
    definition,
    output: `${run.stdout}\n${run.stderr}`.slice(-2000),
  });
  return undefined;
}
