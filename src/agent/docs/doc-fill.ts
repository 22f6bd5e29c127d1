/**
 * Doc comments written by code completion. Asked to document a file ("Add a JSDoc comment to each
 * exported function", "Write the docstrings again"), the 1.5B model in a chat rewrote the whole
 * file as Markdown prose (pyapp-docstrings-billing: 114 lines of Python became 17 of notes, refused
 * twice). A code model asked to fill the gap between `"""` and `"""` under a signature, or after
 * `/**` above one, writes the doc comment such code usually has, from the code right there; and
 * nothing but comments can change. So, for each public definition without one, the comment is
 * written that way, bottom up, and the whole goes through the change flow once (syntax gate,
 * approval, log).
 */
import type { SymbolDef } from '../../index/repo-index.ts';
import { type LanguageId, languageOf } from '../../index/languages.ts';
import { isTestPath } from '../../languages/test-files.ts';
import { bodyStart } from '../../../tools/body-rewrite.ts';
import { sampling, type ToolContext } from '../../../tools/tool.ts';

/** Whether `task` asks for doc comments: docstrings, JSDoc, doc comments, documentation comments. */
export function asksForDocComments(task: string): boolean {
  return /\b(docstrings?|doc\s*comments?|jsdoc|javadoc|rustdoc|godoc|documentation\s+comments?|document\s+(each|every|all)\b)/i.test(task);
}

/** How a language writes a doc comment. */
type DocStyle = { kind: 'docstring' } | { kind: 'block' } | { kind: 'line'; marker: string; named: boolean };

const styles: Partial<Record<LanguageId, DocStyle>> = {
  python: { kind: 'docstring' },
  javascript: { kind: 'block' },
  typescript: { kind: 'block' },
  tsx: { kind: 'block' },
  java: { kind: 'block' },
  php: { kind: 'block' },
  c: { kind: 'block' },
  cpp: { kind: 'block' },
  c_sharp: { kind: 'line', marker: '///', named: false },
  go: { kind: 'line', marker: '//', named: true },
  rust: { kind: 'line', marker: '///', named: false },
  ruby: { kind: 'line', marker: '#', named: false },
};

/** One place a doc comment is missing: insert before 0-based line `at`. */
export interface DocGap {
  /** The definition, or undefined for a Python module docstring. */
  def?: SymbolDef;
  at: number;
  indent: string;
}

const indentOf = (line: string) => /^\s*/.exec(line)![0];
const stringStart = /^\s*[rRbBuUfF]{0,2}("""|'''|"|')/;

/** Whether `def` is public in its language: no leading underscore; exported in JS/TS; capitalised in Go; `pub` in Rust; `public` in Java and C#. */
function isPublic(lang: LanguageId, line: string, def: SymbolDef): boolean {
  if (def.name.startsWith('_')) return false;
  switch (lang) {
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return /^\s*export\b/.test(line) || (indentOf(line) !== '' && def.kind === 'method' && !/^\s*(private|#)/.test(line));
    case 'go':
      return /^[A-Z]/.test(def.name);
    case 'rust':
      return /^\s*pub\b/.test(line);
    case 'java':
    case 'c_sharp':
      return /\bpublic\b/.test(line);
    default:
      return true;
  }
}

/** The first line of the attributes and decorators right above `line` (0-based): where a comment above the definition goes. */
function aboveAttributes(lines: readonly string[], line: number): number {
  let at = line;
  while (at > 0 && /^\s*(@|#\[)/.test(lines[at - 1])) at--;
  return at;
}

/** Whether the line above `at` (0-based) ends a comment: the definition below is documented. */
function commentedAbove(lines: readonly string[], at: number): boolean {
  const above = (lines[at - 1] ?? '').trim();
  return /\*\/$/.test(above) || /^(\/\/|#(?!\[)|\*|--)/.test(above);
}

/** Where `text` (of `path`) lacks the doc comments of its public definitions, top of the file first; [] for a test file or a language without a style. */
export function docGaps(path: string, text: string, defs: readonly SymbolDef[]): DocGap[] {
  const lang = languageOf(path);
  const style = lang ? styles[lang] : undefined;
  if (!lang || !style || isTestPath(path)) return [];
  const lines = text.split('\n');
  const gaps: DocGap[] = [];
  if (style.kind === 'docstring') {
    // the module's: its first statement a string
    let first = 0;
    while (first < lines.length && (lines[first].trim() === '' || lines[first].trimStart().startsWith('#'))) first++;
    if (first < lines.length && !stringStart.test(lines[first])) {
      let at = 0;
      while (at < lines.length && /^#(!|.*coding[:=])/.test(lines[at])) at++;
      gaps.push({ at, indent: '' });
    }
  }
  // (a constant that holds a function is one: `export const total = (xs) => …`)
  const holdsFunction = (d: SymbolDef) => /=\s*(async\s*)?(\(|function\b|[A-Za-z_$][\w$]*\s*=>)/.test(lines[d.line - 1] ?? '');
  const wanted = defs.filter(
    (d) => ['function', 'method', 'class', 'interface', 'struct', 'type'].includes(d.kind) || (['constant', 'variable'].includes(d.kind) && holdsFunction(d)),
  );
  for (const def of [...wanted].sort((a, b) => a.line - b.line)) {
    const line = lines[def.line - 1] ?? '';
    if (!line.includes(def.name) || !isPublic(lang, line, def)) continue;
    if (style.kind === 'docstring') {
      if (def.kind !== 'function' && def.kind !== 'method' && def.kind !== 'class') continue;
      const start = bodyStart(lines, def, false);
      if (start < 0 || start >= lines.length || stringStart.test(lines[start])) continue;
      const indent = lines[start].trim() ? indentOf(lines[start]) : `${indentOf(line)}    `;
      gaps.push({ def, at: start, indent });
    } else {
      const at = aboveAttributes(lines, def.line - 1);
      if (commentedAbove(lines, at)) continue;
      gaps.push({ def, at, indent: indentOf(line) });
    }
  }
  return gaps;
}

/** The doc comment to insert for `gap`, from what the model wrote into it; undefined when it wrote nothing usable. */
function commentFrom(style: DocStyle, gap: DocGap, middle: string): string | undefined {
  const { indent } = gap;
  if (style.kind === 'docstring') {
    const text = middle.split('"""')[0].split("'''")[0].replace(/\s+$/, '');
    if (text.trim().split(/\s+/).length < 2) return undefined;
    const [first, ...rest] = text.split('\n');
    return rest.length === 0 ? `${indent}"""${first.trim()}"""` : `${indent}"""${first.trim()}\n${rest.join('\n')}\n${indent}"""`;
  }
  if (style.kind === 'block') {
    const body = middle
      .split('*/')[0]
      .split('\n')
      .map((l) => l.replace(/^\s*\*? ?/, '').trimEnd());
    while (body.length && body.at(-1) === '') body.pop();
    while (body.length && body[0] === '') body.shift();
    if (body.join(' ').trim().split(/\s+/).length < 2) return undefined;
    return [`${indent}/**`, ...body.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`].join('\n');
  }
  const said = middle.split('\n')[0].trim();
  if (said.split(/\s+/).length < 2) return undefined;
  return `${indent}${style.marker} ${style.named && gap.def ? `${gap.def.name} ` : ''}${said}`;
}

/** Time kept for a module docstring at the end (the file read again from its top, and a few lines written; the other gaps took 6-15 s each there). */
const moduleReserveMs = 25_000;

/** Lines read after a function's or method's end (where the next one starts). */
const linesPastDefinition = 3;

/** Words of a comment (none: 0), its markers not counted. */
const wordsIn = (comment: string | undefined) => comment?.match(/[\p{L}\p{N}][\p{L}\p{N}_'-]*/gu)?.length ?? 0;

/** Words a doc comment has at least before it is taken as saying something: fewer, and a sample is asked for. */
const wordsToSaySomething = 4;

/** Comments written for one gap at most: the most usual, then a sample. */
const triesPerGap = 2;

/** Lines of the file before and after a gap the model reads at most. */
const maxLinesAround = 150;

/**
 * `text` (of `path`) with a doc comment written by `ctx.infill` into each gap (bottom up, so the
 * lines of those above stay where they are), within `deadline` (epoch ms); the names documented
 * ('the module' for a module docstring). Undefined when nothing was written.
 */
export async function fillDocComments(
  ctx: ToolContext,
  path: string,
  text: string,
  gaps: readonly DocGap[],
  deadline: number,
): Promise<{ text: string; documented: string[] } | undefined> {
  const lang = languageOf(path);
  const style = lang ? styles[lang] : undefined;
  if (!ctx.infill || !style) return undefined;
  const lines = text.split('\n');
  const documented: string[] = [];
  // bottom up, the module's docstring last, with time kept for it: it is the first thing a reader of
  // the file sees, and was the one left out when the time ran out (pyapp-docstrings-billing: eleven
  // functions written in 158 s, the module not)
  const moduleGap = gaps.some((gap) => !gap.def);
  for (const gap of [...gaps].sort((a, b) => b.at - a.at)) {
    const until = gap.def && moduleGap ? deadline - moduleReserveMs : deadline;
    if (ctx.signal.aborted || Date.now() >= until) {
      if (gap.def) continue;
      break;
    }
    const open =
      style.kind === 'docstring'
        ? `${gap.indent}"""`
        : style.kind === 'block'
          ? `${gap.indent}/**\n${gap.indent} * `
          : `${gap.indent}${style.marker} ${style.named && gap.def ? `${gap.def.name} ` : ''}`;
    const close = style.kind === 'docstring' ? '"""\n' : style.kind === 'block' ? `\n${gap.indent} */\n` : '\n';
    const before = lines.slice(Math.max(0, gap.at - maxLinesAround), gap.at);
    // after the gap, the definition it documents (a class: its methods, documented already, are below
    // too) rather than the rest of the file: every gap's prefix is the text above it, read once for the
    // first gap and kept, but its suffix is read afresh, and 150 lines of it took most of each gap's
    // 6-26 s (pyapp-docstrings-billing: the time ran out with `round_minutes`, the last function, left)
    const own = gap.def && gap.def.kind !== 'class' ? Math.max(1, gap.def.endLine - gap.at) + linesPastDefinition : maxLinesAround;
    const after = lines.slice(gap.at, gap.at + Math.min(own, maxLinesAround));
    let comment: string | undefined;
    // the most usual comment; when it says little (pyapp-docstrings-billing's module docstring, twice:
    // "Billing service module."), its line again with a paragraph after it for the model to go on
    // with; when it says nothing, a sample. The one with more words is kept.
    let said = '';
    for (let seed = 0; seed < triesPerGap && wordsIn(comment) < wordsToSaySomething; seed++) {
      if (seed && (ctx.signal.aborted || Date.now() >= until)) break;
      // (a summary line goes on after a blank line of the comment: a docstring's, or a block's ' *')
      const onFrom =
        seed && said && style.kind !== 'line'
          ? `${said}\n${style.kind === 'block' ? `${gap.indent} *` : ''}\n${gap.indent}${style.kind === 'block' ? ' * ' : ''}`
          : '';
      let middle: string | undefined;
      try {
        middle = await ctx.infill({
          path,
          // (what it goes on from is the middle's lead: the file around the gap, read for the first try, is read once)
          prefix: `${before.map((l) => `${l}\n`).join('')}${open}`,
          ...(onFrom ? { lead: onFrom } : {}),
          suffix: `${close}${after.join('\n')}`,
          maxTokens: style.kind === 'line' ? 60 : 200,
          stops: style.kind === 'docstring' ? ['"""', "'''"] : style.kind === 'block' ? ['*/'] : ['\n'],
          timeoutMs: Math.max(5_000, until - Date.now()),
          ...sampling(onFrom ? 0 : seed),
        });
      } catch {
        break; // a timed-out or failed gap stays as it was
      }
      if (middle === undefined) continue;
      const written = commentFrom(style, gap, `${onFrom}${middle}`);
      if (!seed) said = middle.split('"""')[0].split("'''")[0].split('*/')[0].split('\n')[0].trim();
      if (wordsIn(written) > wordsIn(comment)) comment = written;
    }
    if (!comment) continue;
    // (a module docstring is followed by a blank line)
    const blank = !gap.def && (lines[gap.at] ?? '').trim() !== '' ? [''] : [];
    lines.splice(gap.at, 0, ...comment.split('\n'), ...blank);
    documented.unshift(gap.def?.name ?? 'the module');
  }
  return documented.length ? { text: lines.join('\n'), documented } : undefined;
}
