/**
 * The import statements of Python and JavaScript/TypeScript, as far as moving top-level code from
 * one module to another needs them: which statements bind which names from which file, how a
 * module is named from another file (`tally.db.entries`, `..db.entries`, `../commands/rooms.ts`),
 * and the edits that make a statement stop naming some of its names or add a new one.
 */
import path from 'node:path';

/** The import syntaxes move_symbol knows. */
export type ImportFamily = 'python' | 'js';

/** One name a statement binds: `name as alias` (`alias` absent when the same). */
export interface BoundName {
  name: string;
  alias?: string;
  /** `type x` inside a TypeScript import list. */
  typeOnly?: boolean;
}

/** An import statement (top-level or not), at [start, end) of the text (end before its newline). */
export interface ImportStatement {
  start: number;
  end: number;
  indent: string;
  /** The module as written: `tally.db.entries`, `.entries`, `./rooms.ts`. */
  spec: string;
  /**
   * `names`: `from M import a, b` / `import { a, b } from 'm'` (and `export { a } from 'm'`);
   * `module`: the statement binds the module itself (`import a.b`, `import a.b as x`, `import * as ns from 'm'`).
   */
  kind: 'names' | 'module';
  names: BoundName[];
  /** For kind `module`: the name the code uses for it (`a.b`, `x`, `ns`). */
  binding?: string;
  /** js: `export { … } from` rather than `import`; `import type { … }`. */
  reexport?: boolean;
  typeOnly?: boolean;
  /** js: a default import before the braces (`import d, { a } from 'm'`), kept as is. */
  defaultName?: string;
}

const ident = '[\\p{L}_$][\\p{L}\\p{N}_$]*';

function parseNameList(list: string, family: ImportFamily): BoundName[] {
  const out: BoundName[] = [];
  for (const raw of list
    .replace(/#[^\n]*/g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/[()\\]/g, ' ')
    .split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const m = new RegExp(`^(type\\s+)?(${ident}|\\*)(?:\\s+as\\s+(${ident}))?$`, 'u').exec(item);
    if (!m) continue;
    out.push({ name: m[2], ...(m[3] && m[3] !== m[2] ? { alias: m[3] } : {}), ...(m[1] && family === 'js' ? { typeOnly: true } : {}) });
  }
  return out;
}

/** Every import statement of `text`, in order. */
export function importStatements(text: string, family: ImportFamily): ImportStatement[] {
  const out: ImportStatement[] = [];
  if (family === 'python') {
    const from = /^([ \t]*)from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|(?:[^\n\\#]|\\\n)*)[ \t]*(?:#[^\n]*)?$/gm;
    for (const m of text.matchAll(from)) {
      out.push({ start: m.index!, end: m.index! + m[0].length, indent: m[1], spec: m[2], kind: 'names', names: parseNameList(m[3], family) });
    }
    const plain = /^([ \t]*)import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)[ \t]*(?:#[^\n]*)?$/gm;
    for (const m of text.matchAll(plain)) {
      for (const part of m[2].split(',')) {
        const pm = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (!pm) continue;
        out.push({ start: m.index!, end: m.index! + m[0].length, indent: m[1], spec: pm[1], kind: 'module', names: [], binding: pm[2] ?? pm[1] });
      }
    }
  } else {
    const named = new RegExp(
      `^([ \\t]*)(import|export)[ \\t]+(type[ \\t]+)?(?:(${ident})[ \\t]*,[ \\t]*)?\\{([^}]*)\\}[ \\t]*from[ \\t]*(['"])([^'"\\n]+)\\6[ \\t]*;?`,
      'gmu',
    );
    for (const m of text.matchAll(named)) {
      out.push({
        start: m.index!,
        end: m.index! + m[0].length,
        indent: m[1],
        spec: m[7],
        kind: 'names',
        names: parseNameList(m[5], family),
        ...(m[2] === 'export' ? { reexport: true } : {}),
        ...(m[3] ? { typeOnly: true } : {}),
        ...(m[4] ? { defaultName: m[4] } : {}),
      });
    }
    const star = new RegExp(`^([ \\t]*)import[ \\t]+\\*[ \\t]+as[ \\t]+(${ident})[ \\t]+from[ \\t]*(['"])([^'"\\n]+)\\3[ \\t]*;?`, 'gmu');
    for (const m of text.matchAll(star)) {
      out.push({ start: m.index!, end: m.index! + m[0].length, indent: m[1], spec: m[4], kind: 'module', names: [], binding: m[2] });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A Python file's module path: `tally/db/entries.py` → [tally, db, entries]; a package's `__init__.py` is the package. */
export function pythonModuleParts(file: string): string[] {
  const parts = file.replace(/\.pyi?$/, '').split('/');
  if (parts.at(-1) === '__init__') parts.pop();
  return parts;
}

/** The module a Python import names, made absolute for a relative one: `..db.entries` in tally/cli/x.py → [tally, db, entries]. */
export function pythonImportParts(importer: string, spec: string): { parts: string[]; relative: boolean } {
  const dots = /^\.*/.exec(spec)![0].length;
  const rest = spec.slice(dots).split('.').filter(Boolean);
  if (dots === 0) return { parts: rest, relative: false };
  const pkg = pythonModuleParts(importer).slice(0, importer.endsWith('__init__.py') ? undefined : -1);
  return { parts: [...pkg.slice(0, Math.max(0, pkg.length - (dots - 1))), ...rest], relative: true };
}

/** The stem of a JS/TS path, its extension left out (`src/cli/args.ts` → `src/cli/args`). */
function jsStem(file: string): string {
  return file.replace(/\.(?:[cm]?[jt]sx?)$/, '').replace(/\/index$/, '');
}

/** The project file a relative JS/TS specifier names from `importer` (compared by stem), or undefined for a package. */
export function jsImportStem(importer: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return jsStem(path.posix.normalize(path.posix.join(path.posix.dirname(importer), spec)));
}

/**
 * Whether a statement's module is `file`; for Python an absolute import may leave out a leading
 * folder (`src/`), which `prefix` then returns.
 */
export function namesFile(
  importer: string,
  statement: Pick<ImportStatement, 'spec'>,
  file: string,
  family: ImportFamily,
): { prefix: string[]; relative: boolean } | undefined {
  if (family === 'js') return jsImportStem(importer, statement.spec) === jsStem(file) ? { prefix: [], relative: true } : undefined;
  const { parts, relative } = pythonImportParts(importer, statement.spec);
  const target = pythonModuleParts(file);
  if (parts.length === 0 || parts.length > target.length) return undefined;
  const offset = target.length - parts.length;
  if (parts.some((p, i) => p !== target[offset + i])) return undefined;
  if (relative && offset !== 0) return undefined;
  return { prefix: target.slice(0, offset), relative };
}

/** How `importer` names the module `file` in a new statement, in the style of `like` (relative or not, extension or not). */
export function specFor(importer: string, file: string, family: ImportFamily, like: { relative: boolean; prefix?: string[]; spec?: string }): string {
  if (family === 'python') {
    const target = pythonModuleParts(file);
    if (!like.relative) {
      const prefix = like.prefix ?? [];
      return (prefix.every((p, i) => target[i] === p) ? target.slice(prefix.length) : target).join('.');
    }
    const pkg = pythonModuleParts(importer).slice(0, importer.endsWith('__init__.py') ? undefined : -1);
    let common = 0;
    while (common < pkg.length && common < target.length - 1 && pkg[common] === target[common]) common++;
    return `${'.'.repeat(pkg.length - common + 1)}${target.slice(common).join('.')}`;
  }
  let rel = path.posix.relative(path.posix.dirname(importer), file);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  const written = like.spec ? (/\.[cm]?[jt]sx?$/.exec(like.spec)?.[0] ?? '') : path.posix.extname(file);
  const ext = path.posix.extname(file);
  if (!written) return rel.slice(0, rel.length - ext.length);
  // `./rooms.js` naming rooms.ts: the new one is written the same way
  return `${rel.slice(0, rel.length - ext.length)}${written}`;
}

function nameText(n: BoundName): string {
  return `${n.typeOnly ? 'type ' : ''}${n.name}${n.alias ? ` as ${n.alias}` : ''}`;
}

/** A statement that imports `names` from `spec`. */
export function importLine(
  family: ImportFamily,
  spec: string,
  names: BoundName[],
  indent = '',
  options: { reexport?: boolean; typeOnly?: boolean } = {},
): string {
  if (family === 'python') return `${indent}from ${spec} import ${names.map(nameText).join(', ')}`;
  return `${indent}${options.reexport ? 'export' : 'import'} ${options.typeOnly ? 'type ' : ''}{ ${names.map(nameText).join(', ')} } from '${spec}';`;
}

/** The statement again without the names `drop` takes out; '' when none is left. */
export function withoutNames(text: string, statement: ImportStatement, drop: ReadonlySet<string>, family: ImportFamily): string {
  const kept = statement.names.filter((n) => !drop.has(n.name));
  if (kept.length === statement.names.length) return text.slice(statement.start, statement.end);
  if (kept.length === 0 && !statement.defaultName) return '';
  return rewritten(text, statement, kept, family);
}

/** The statement written again with `names`, in its own style (quotes, semicolon, parentheses). */
function rewritten(text: string, statement: ImportStatement, kept: BoundName[], family: ImportFamily): string {
  const original = text.slice(statement.start, statement.end);
  if (family === 'python') {
    const multiline = original.includes('(') && original.includes('\n');
    if (multiline)
      return `${statement.indent}from ${statement.spec} import (\n${kept.map((n) => `${statement.indent}    ${nameText(n)},`).join('\n')}\n${statement.indent})`;
    return importLine(family, statement.spec, kept, statement.indent);
  }
  const quote = original.includes(`"${statement.spec}"`) ? '"' : "'";
  const semi = original.trimEnd().endsWith(';') ? ';' : '';
  const head = `${statement.indent}${statement.reexport ? 'export' : 'import'} ${statement.typeOnly ? 'type ' : ''}${statement.defaultName ? `${statement.defaultName}` : ''}`;
  if (kept.length === 0) return `${head} from ${quote}${statement.spec}${quote}${semi}`;
  return `${head}${statement.defaultName ? ', ' : ''}{ ${kept.map(nameText).join(', ')} } from ${quote}${statement.spec}${quote}${semi}`;
}

/** Where new import lines go in `text`: after its last top-level import, else after the head comments and docstring. */
export function importInsertAt(text: string, family: ImportFamily): { offset: number; afterImport: boolean } {
  const top = importStatements(text, family).filter((s) => s.indent === '');
  if (top.length) {
    const last = top.at(-1)!;
    const nl = text.indexOf('\n', last.end);
    return { offset: nl < 0 ? text.length : nl + 1, afterImport: true };
  }
  let offset = 0;
  const lines = text.split('\n');
  let i = 0;
  if (lines[0]?.startsWith('#!')) offset += lines[i++].length + 1;
  // a header comment (a blank line after it), not the comment of the code below it
  const comment = family === 'python' ? /^\s*#/ : /^\s*(\/\/|\/\*|\*)/;
  let end = i;
  while (end < lines.length && (comment.test(lines[end]) || (family === 'js' && /^\s*['"]use strict['"]/.test(lines[end])))) end++;
  if (end > i && (lines[end] ?? '').trim() === '') while (i < end) offset += lines[i++].length + 1;
  if (family === 'python' && /^\s*[rRbBuU]?("""|''')/.test(lines[i] ?? '')) {
    const quote = /("""|''')/.exec(lines[i])![1];
    const start = offset + lines[i].indexOf(quote) + 3;
    const close = text.indexOf(quote, start);
    if (close >= 0) {
      const nl = text.indexOf('\n', close);
      offset = nl < 0 ? text.length : nl + 1;
    }
  }
  return { offset: Math.min(offset, text.length), afterImport: false };
}

/**
 * `text` with `lines` of imports added where imports go (below the last import, else with a blank
 * line or more after them); a line that names a module a statement of `text` imports names from
 * already joins that statement.
 */
export function addImports(text: string, lines: string[], family: ImportFamily): string {
  const fresh: string[] = [];
  for (const line of lines) {
    const [add] = importStatements(line, family);
    const same =
      add?.kind === 'names' &&
      importStatements(text, family).find(
        (s) =>
          s.indent === '' &&
          s.kind === 'names' &&
          s.spec === add.spec &&
          !s.reexport === !add.reexport &&
          !s.typeOnly === !add.typeOnly &&
          !s.names.some((n) => n.name === '*'),
      );
    if (!same) {
      fresh.push(line);
      continue;
    }
    const names = [...same.names, ...add.names.filter((n) => !same.names.some((o) => o.name === n.name && o.alias === n.alias))];
    text = text.slice(0, same.start) + rewritten(text, same, names, family) + text.slice(same.end);
  }
  lines = fresh;
  if (lines.length === 0) return text;
  const { offset, afterImport } = importInsertAt(text, family);
  const before = text.slice(0, offset);
  const after = text.slice(offset);
  const lead = before && !before.endsWith('\n') ? '\n' : '';
  if (afterImport || !after.trim()) return `${before}${lead}${lines.join('\n')}\n${after}`;
  // the first imports: the blank lines that were there stay below them (one at least)
  const blanks = /^\n*/.exec(after)![0].length;
  // (two before a Python function or class, as PEP 8 has them)
  const least = family === 'python' && /^(?:@|def |class |async def )/.test(after.slice(blanks)) ? 2 : 1;
  return `${before}${lead}${lines.join('\n')}\n${'\n'.repeat(Math.max(least, blanks))}${after.slice(blanks)}`;
}
