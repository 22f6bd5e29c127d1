/**
 * move_symbol: moves top-level functions, classes or constants from one file to another (created
 * when missing) the way an IDE's "move to file" does, in one change set: the definitions with the
 * comments and decorators above them leave the old file; the new file gets them with the imports
 * their code needs; every file that imported them from the old module imports them from the new
 * one (`from M import a` split when it names others too, `module.name` uses and dotted mentions such
 * as mock targets rewritten); the old file imports them back when it still uses them. Python,
 * JavaScript and TypeScript. One approval, one atomic apply, one undo.
 */
import path from 'node:path';
import { identifierNames, identifierSpans } from '../src/index/find-references.ts';
import { languageFamily, languageOf } from '../src/index/languages.ts';
import type { SymbolDef } from '../src/index/repo-index.ts';
import type { FileChange } from '../src/workspace/approval.ts';
import { escapeRegex } from '../src/workspace/search-query.ts';
import { PathError } from '../src/workspace/workspace.ts';
import { proposeAndApply } from './change-flow.ts';
import { refreshIndex } from './index-refresh.ts';
import {
  addImports,
  importLine,
  importStatements,
  namesFile,
  pythonImportParts,
  pythonModuleParts,
  specFor,
  withoutNames,
  type ImportFamily,
  type ImportStatement,
} from './move-imports.ts';
import { defineTool, toolError, type ToolContext } from './tool.ts';

const identifier = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const movable = new Set(['function', 'class', 'constant', 'variable', 'type', 'interface', 'enum']);
const maxNames = 8;

/** The import family of a file, or undefined when move_symbol does not know its imports. */
export function importFamily(file: string): ImportFamily | undefined {
  const family = languageFamily(languageOf(file));
  return family === 'python' ? 'python' : family === 'js' ? 'js' : undefined;
}

/** Every identifier-shaped word of `text`. */
function wordsOf(text: string): Set<string> {
  return new Set(text.match(/[\p{L}_$][\p{L}\p{N}_$]*/gu) ?? []);
}

/** The first line of a definition's block: its decorators and the comments right above it (1-based). */
function blockStart(lines: string[], def: SymbolDef, family: ImportFamily): number {
  let start = def.line;
  const above = family === 'python' ? /^\s*(#|@)/ : /^\s*(\/\/|\/\*|\*|@)/;
  while (start > 1 && above.test(lines[start - 2]) && !/^\s/.test(lines[start - 2])) start--;
  // a JSDoc block's inner lines are indented (` * …`)
  if (family === 'js') while (start > 1 && /^\s*(\*|\/\*\*?)/.test(lines[start - 2])) start--;
  return start;
}

/** `text` without lines [from, to] (1-based); the blank lines around them become the wider of the two gaps (none at the file's start or end). */
function cutLines(text: string, from: number, to: number): string {
  const lines = text.split('\n');
  lines.splice(from - 1, to - from + 1);
  let start = from - 1;
  while (start > 0 && lines[start - 1].trim() === '') start--;
  let end = from - 1;
  while (end < lines.length && lines[end].trim() === '') end++;
  const above = from - 1 - start;
  const below = end - (from - 1);
  const keep = start === 0 || end >= lines.length ? 0 : Math.max(above, below);
  lines.splice(start, end - start, ...Array<string>(keep).fill(''));
  let out = lines.join('\n');
  if (out && !out.endsWith('\n')) out += '\n';
  return out;
}

/** How many times `name` is used as an identifier in `text`, a file like `file` (tree-sitter: comments and strings do not count). */
function uses(text: string, file: string, name: string): number {
  return identifierSpans(text, languageOf(file)!, name).length;
}

function replaceAll(text: string, pattern: RegExp, replacement: string): string {
  return text.replace(pattern, () => replacement);
}

interface Plan {
  source: string;
  target: string;
  family: ImportFamily;
  /** The module prefix absolute Python imports leave out (`src`), as seen in the project. */
  prefix: string[];
}

/** The definitions to move: each name's top-level definition, all in one file other than `to`. */
function findDefs(ctx: ToolContext, names: string[], from: string | null, to: string): SymbolDef[] | string {
  const index = ctx.index!;
  const defs: SymbolDef[] = [];
  for (const name of names) {
    const all = index.symbols(name, { maxRefs: 0 }).defs.filter((d) => movable.has(d.kind) && d.path !== to && (!from || d.path === from));
    const top = all.filter((d) => {
      const outline = index.outline(d.path) ?? [];
      return !outline.some((o) => o !== d && o.line < d.line && o.endLine >= d.endLine && (o.kind === 'class' || o.kind === 'function'));
    });
    if (top.length === 0) {
      const suggestion = index.suggest?.(name)?.[0];
      return `no top-level function, class or constant \`${name}\` is defined${from ? ` in ${from}` : ''}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}. Check the name with find_symbol.`;
    }
    const files = [...new Set(top.map((d) => d.path))];
    if (files.length > 1) return `\`${name}\` is defined in ${files.join(', ')}: say which file it moves from (from).`;
    defs.push(top[0]);
  }
  const sources = [...new Set(defs.map((d) => d.path))];
  if (sources.length > 1) return `the names are defined in different files (${sources.join(', ')}): move them one source file at a time.`;
  return defs;
}

/** The module prefix Python absolute imports of `source` leave out, from the project's own imports of it. */
function pythonPrefix(source: string, texts: ReadonlyMap<string, string>): string[] {
  for (const [file, text] of texts) {
    for (const s of importStatements(text, 'python')) {
      const hit = namesFile(file, s, source, 'python');
      if (hit && !hit.relative) return hit.prefix;
    }
  }
  const parts = pythonModuleParts(source);
  return parts[0] === 'src' && parts.length > 1 ? ['src'] : [];
}

/** The names `code` (of the language of `file`) uses as identifiers; its words when it does not parse. */
function namesUsed(code: string, file: string): Set<string> {
  const names = identifierNames(code, languageOf(file)!);
  return names.size ? names : wordsOf(code);
}

/** How the project writes a relative JS import (`./x.ts`, `./x.js`, `./x`): the first such import of `texts`, else with the file's own extension. */
function jsSpecStyle(...texts: string[]): string | undefined {
  for (const text of texts) for (const s of importStatements(text, 'js')) if (s.spec.startsWith('.')) return s.spec;
  return undefined;
}

/** The import lines a file needs for names of the moved code bound by the source's imports or left in the source. */
function importsForMoved(
  plan: Plan,
  sourceText: string,
  sourceAfter: string,
  used: ReadonlySet<string>,
  targetText: string,
): { lines: string[]; exportLines: number[]; fromSource: string[] } {
  const { family, source, target } = plan;
  const targetBinds = new Set(
    importStatements(targetText, family).flatMap((s) => (s.kind === 'module' ? [s.binding!] : s.names.map((n) => n.alias ?? n.name))),
  );
  const lines: string[] = [];
  for (const s of importStatements(sourceText, family).filter((x) => x.indent === '')) {
    // what the source imports from the target is defined there
    if (namesFile(source, s, target, family)) continue;
    const like = family === 'python' ? pythonImportParts(source, s.spec) : { relative: s.spec.startsWith('.'), spec: s.spec, parts: [] as string[] };
    if (s.kind === 'module') {
      const head = s.binding!.split('.')[0];
      if (!used.has(head) || targetBinds.has(s.binding!)) continue;
      lines.push(sourceText.slice(s.start, s.end).trim());
      continue;
    }
    const needed = s.names.filter((n) => used.has(n.alias ?? n.name) && !targetBinds.has(n.alias ?? n.name));
    if (needed.length === 0) continue;
    let spec = s.spec;
    if (family === 'js' && s.spec.startsWith('.')) spec = specFor(target, `${resolveJs(source, s.spec)}`, family, like);
    if (family === 'python' && like.relative) spec = specFor(target, `${like.parts.join('/')}.py`, family, { relative: true });
    lines.push(importLine(family, spec, needed, '', { typeOnly: s.typeOnly }));
  }
  // what the moved code uses of what stays in the source
  const stays = definedNames(sourceAfter, family);
  const fromSource = [...stays.keys()].filter((n) => used.has(n) && !targetBinds.has(n));
  const exportLines: number[] = [];
  if (fromSource.length) {
    const style = jsSpecStyle(targetText, sourceText) ?? source;
    lines.push(
      importLine(
        family,
        specFor(target, source, family, { relative: family === 'js', prefix: plan.prefix, spec: style }),
        fromSource.map((name) => ({ name })),
      ),
    );
    for (const n of fromSource) if (family === 'js' && !stays.get(n)!.exported) exportLines.push(stays.get(n)!.line);
  }
  return { lines, exportLines, fromSource };
}

/** The project path a relative JS import names from `importer`, as written (`../domain/errors.ts` → src/domain/errors.ts). */
function resolveJs(importer: string, spec: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(importer), spec));
}

/** The start of a JS/TS declaration at the top level (after `export`, if any). */
const jsDeclaration = '(?:async\\s+)?(?:function\\*?|class|const|let|var|interface|type|enum|abstract\\s+class)';

/** Top-level names `text` defines (Python `def`/`class`/assignments; JS declarations), with their line and whether exported. */
function definedNames(text: string, family: ImportFamily): Map<string, { line: number; exported: boolean }> {
  const out = new Map<string, { line: number; exported: boolean }>();
  const lines = text.split('\n');
  const re =
    family === 'python'
      ? /^(?:async\s+)?(?:def|class)\s+([\p{L}_][\p{L}\p{N}_]*)|^([\p{L}_][\p{L}\p{N}_]*)\s*(?::[^=]*)?=(?!=)/u
      : new RegExp(`^(export\\s+)?(?:default\\s+)?${jsDeclaration}\\s+([\\p{L}_$][\\p{L}\\p{N}_$]*)`, 'u');
  lines.forEach((line, i) => {
    const m = re.exec(line);
    if (!m) return;
    const name = family === 'python' ? (m[1] ?? m[2]) : m[2];
    if (name && !out.has(name)) out.set(name, { line: i + 1, exported: family === 'python' || Boolean(m[1]) });
  });
  return out;
}

/** `text` with the import statements edited: each replaced by what `edit` returns for it (several lines, or '' to drop it). */
function editStatements(text: string, statements: ImportStatement[], edit: (s: ImportStatement) => string | undefined): string {
  let out = text;
  const done = new Set<number>();
  for (const s of [...statements].sort((a, b) => b.start - a.start)) {
    // (`import a, b` is one statement binding two modules: edited once)
    if (done.has(s.start)) continue;
    done.add(s.start);
    const next = edit(s);
    if (next === undefined) continue;
    if (next === '') {
      let end = out[s.end] === '\n' ? s.end + 1 : s.end;
      // a statement between two blank lines leaves one of them
      if (out.slice(0, s.start).endsWith('\n\n') && out[end] === '\n') end++;
      else if (s.start === 0) while (out[end] === '\n') end++;
      out = out.slice(0, s.start) + out.slice(end);
    } else out = out.slice(0, s.start) + next + out.slice(s.end);
  }
  return out;
}

/** One importer's text with its imports of the moved names pointed at the target. */
function repointImporter(plan: Plan, file: string, text: string, names: Set<string>): { text: string; changed: boolean } {
  const { family, source, target } = plan;
  const statements = importStatements(text, family);
  const addLines: string[] = [];
  let out = editStatements(text, statements, (s) => {
    if (s.kind !== 'names') return undefined;
    const hit = namesFile(file, s, source, family);
    if (!hit) return undefined;
    const moving = s.names.filter((n) => names.has(n.name));
    if (moving.length === 0) return undefined;
    const kept = withoutNames(text, s, names, family);
    if (file === target) return kept;
    const spec = specFor(file, target, family, { relative: hit.relative, prefix: hit.prefix, spec: s.spec });
    const added = importLine(family, spec, moving, s.indent, { reexport: s.reexport, typeOnly: s.typeOnly });
    return kept ? `${kept}\n${added}` : added;
  });
  // `module.name` where the module is the source (`entries.parse_tags`, `tally.db.entries.parse_tags`, `rooms.requireOne`)
  const named = new Map<string, string[]>();
  const rebound = new Set<string>();
  for (const s of importStatements(out, family)) {
    const bindingOf = (): { binding: string; relative: boolean; prefix: string[] } | undefined => {
      if (s.kind === 'module') {
        const hit = namesFile(file, s, source, family);
        return hit ? { binding: s.binding!, ...hit } : undefined;
      }
      if (family !== 'python') return undefined;
      // `from tally.db import entries`: the name is the module
      for (const n of s.names) {
        const hit = namesFile(file, { spec: `${s.spec}${s.spec.endsWith('.') ? '' : '.'}${n.name}` }, source, family);
        if (hit) return { binding: n.alias ?? n.name, ...hit };
      }
      return undefined;
    };
    const bound = bindingOf();
    if (!bound) continue;
    const { binding } = bound;
    for (const name of names) {
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}_$.])${escapeRegex(binding)}\\.${escapeRegex(name)}(?![\\p{L}\\p{N}_$])`, 'gu');
      if (!pattern.test(out)) continue;
      rebound.add(binding);
      if (family === 'python' && binding.includes('.')) {
        // `import tally.db.entries` … `tally.db.entries.parse_tags(…)`: the new module is imported the same way
        const tgt = specFor(file, target, family, { relative: false, prefix: bound.prefix });
        out = replaceAll(out, pattern, `${tgt}.${name}`);
        if (!new RegExp(`^\\s*import\\s+${escapeRegex(tgt)}\\s*$`, 'm').test(out)) addLines.push(`import ${tgt}`);
      } else {
        out = replaceAll(out, pattern, name);
        if (file !== target) {
          const spec = specFor(
            file,
            target,
            family,
            family === 'python' ? { relative: bound.relative, prefix: bound.prefix } : { relative: true, spec: s.spec },
          );
          named.set(spec, [...(named.get(spec) ?? []), name]);
        }
      }
    }
  }
  for (const [spec, list] of named)
    addLines.push(
      importLine(
        family,
        spec,
        [...new Set(list)].sort().map((name) => ({ name })),
      ),
    );
  // dotted mentions in Python text (mock targets: "tally.db.entries.parse_tags")
  if (family === 'python') {
    const sourceModule = pythonModuleParts(source).slice(plan.prefix.length).join('.');
    const targetModule = specFor(file, target, family, { relative: false, prefix: plan.prefix });
    for (const name of names)
      out = replaceAll(out, new RegExp(`(?<![\\w.])${escapeRegex(sourceModule)}\\.${escapeRegex(name)}\\b`, 'g'), `${targetModule}.${name}`);
  }
  out = addImports(out, [...new Set(addLines)], family);
  // a module binding that nothing uses any more goes (`from .db import entries`, `import * as rooms`)
  if (rebound.size) {
    const code = out.replace(/^[ \t]*(from|import|export)[^\n]*$/gm, '');
    const unused = [...rebound].filter((b) => !new RegExp(`(?<![\\p{L}\\p{N}_$.])${escapeRegex(b)}(?![\\p{L}\\p{N}_$])`, 'u').test(code));
    out = dropBindings(out, family, (name) => unused.includes(name), { modules: true });
  }
  return { text: out, changed: out !== text };
}

/**
 * The blocks that move: the asked definitions (`found`), and what only their code uses (a constant,
 * a helper no other file names), which goes with them: left behind, the new module would import it
 * from the old one, which imports the moved names back. The source's text without them, and their
 * texts in file order.
 */
function blocksToMove(ctx: ToolContext, source: string, sourceText: string, found: SymbolDef[], family: ImportFamily) {
  const sourceLines = sourceText.split('\n');
  const defs = [...found];
  const outline = (ctx.index!.outline(source) ?? []).filter((d) => movable.has(d.kind) && !/^\s/.test(sourceLines[d.line - 1] ?? ''));
  const cut = () => {
    const blocks = defs.map((def) => ({ from: blockStart(sourceLines, def, family), to: def.endLine })).sort((a, b) => a.from - b.from);
    let sourceAfter = sourceText;
    for (const b of [...blocks].reverse()) sourceAfter = cutLines(sourceAfter, b.from, b.to);
    return { defs, sourceAfter, movedTexts: blocks.map((b) => sourceLines.slice(b.from - 1, b.to).join('\n')) };
  };
  let state = cut();
  for (let round = 0; round < 3; round++) {
    const used = namesUsed(state.movedTexts.join('\n'), source);
    const more = outline.filter(
      (d) =>
        !defs.some((x) => x.name === d.name) &&
        used.has(d.name) &&
        // used in what stays only at its own lines
        uses(state.sourceAfter, source, d.name) <= uses(sourceLines.slice(d.line - 1, d.endLine).join('\n'), source, d.name) &&
        (ctx.index!.filesWithToken?.(d.name) ?? []).every((f) => f.path === source),
    );
    if (more.length === 0) break;
    defs.push(...more);
    state = cut();
  }
  return state;
}

/**
 * `text` without the names its import statements bind that `unused` says go (a re-export stays);
 * `modules`: a statement that binds one module alone (`import re`, `import * as rooms`) may go too;
 * `topLevel`: only the file's top-level statements.
 */
function dropBindings(text: string, family: ImportFamily, unused: (name: string) => boolean, options: { modules: boolean; topLevel?: boolean }): string {
  const statements = importStatements(text, family).filter((s) => !options.topLevel || s.indent === '');
  return editStatements(text, statements, (s) => {
    if (s.kind === 'module') {
      const alone = statements.filter((o) => o.start === s.start).length === 1;
      return options.modules && alone && unused(s.binding!) ? '' : undefined;
    }
    const drop = new Set(s.names.filter((n) => unused(n.alias ?? n.name) && !s.reexport).map((n) => n.name));
    return drop.size ? withoutNames(text, s, drop, family) : undefined;
  });
}

export const moveSymbolTool = defineTool({
  name: 'move_symbol',
  description:
    'Move top-level functions, classes or constants to another file (created if missing) in one step, and update every import of them in the project ' +
    '(Python, JavaScript, TypeScript). Give the names (comma-separated), the destination path, and the file they are in (or null).',
  schema: {
    type: 'object',
    properties: {
      names: { type: 'string', minLength: 1, maxLength: 400, description: 'The names to move, comma-separated, e.g. "parse_tags, format_tags".' },
      to: { type: 'string', minLength: 1, maxLength: 300, description: 'Project-relative path of the file they move to, e.g. "src/util/tags.py".' },
      from: { type: ['string', 'null'], maxLength: 300, description: 'The file they are defined in (null: found by the index).' },
    },
  },
  effect: 'edit',
  order: 96,
  roles: { moveSymbol: (names: string, to: string) => ({ names, to, from: null }) },
  async execute(args, ctx) {
    const names = [
      ...new Set(
        args.names
          .split(/[,\s]+/)
          .map((n) => n.replace(/[`'"()]/g, '').trim())
          .filter(Boolean),
      ),
    ];
    if (names.length === 0 || names.length > maxNames || names.some((n) => !identifier.test(n)))
      return toolError('invalid_args', `give 1 to ${maxNames} bare names, comma-separated, e.g. "parse_tags, format_tags" (got "${args.names}")`);
    let target: string;
    let from: string | null;
    try {
      target = ctx.workspace.relative(ctx.workspace.resolve(args.to.trim()));
      from = args.from?.trim() ? ctx.workspace.relative(ctx.workspace.resolve(args.from.trim())) : null;
    } catch (error) {
      return toolError('invalid_args', (error as Error).message);
    }
    const family = importFamily(target);
    if (!family)
      return toolError(
        'invalid_args',
        `move_symbol updates imports in Python, JavaScript and TypeScript files; for ${target}, move the code with edit_files (cut it from its file, add it to ${target}, update the imports).`,
      );
    if (!ctx.index) return toolError('unavailable', 'the project index is not ready; move the code with edit_files, or try again in a moment.');
    await refreshIndex(ctx);
    const found = findDefs(ctx, names, from, target);
    if (typeof found === 'string') return toolError('not_found', found);
    const source = found[0].path;
    if (importFamily(source) !== family)
      return toolError('invalid_args', `${source} and ${target} are in different languages; move_symbol moves code within one language.`);
    let sourceText: string;
    let targetText: string | null;
    try {
      sourceText = await ctx.workspace.readForEdit(source);
      targetText = await ctx.workspace.readForEdit(target).catch((error: unknown) => {
        if (error instanceof PathError && error.code === 'not_found') return null;
        throw error;
      });
    } catch (error) {
      return toolError('failed', (error as Error).message);
    }
    const targetDefines = targetText === null ? new Map() : definedNames(targetText, family);
    const clash = names.find((n) => targetDefines.has(n));
    if (clash)
      return toolError(
        'invalid_args',
        `${target} already defines \`${clash}\`; moving \`${clash}\` there would make two. Remove one first, or move it elsewhere.`,
      );

    // the files that may import the moved names, each read once
    const texts = new Map<string, string>();
    for (const name of names)
      for (const { path: file } of ctx.index.filesWithToken?.(name) ?? ctx.index.files().map((file) => ({ path: file })))
        if (!texts.has(file) && file !== source && file !== target && importFamily(file) === family)
          await ctx.workspace.readForEdit(file).then(
            (text) => texts.set(file, text),
            () => undefined,
          );
    const plan: Plan = {
      source,
      target,
      family,
      prefix: family === 'python' ? pythonPrefix(source, targetText === null ? texts : new Map([...texts, [target, targetText]])) : [],
    };
    const { defs, sourceAfter, movedTexts } = blocksToMove(ctx, source, sourceText, found, family);
    const along = defs.slice(found.length).map((d) => d.name);
    const movedNames = new Set(defs.map((d) => d.name));
    const movedUses = namesUsed(movedTexts.join('\n'), source);

    let circular = false;
    const result = await proposeAndApply(ctx, async () => {
      const { lines: needed, exportLines, fromSource } = importsForMoved(plan, sourceText, sourceAfter, movedUses, targetText ?? '');
      // the source: imports it no longer uses dropped, the moved names imported back where still used
      let src = sourceAfter;
      if (exportLines.length) {
        const ls = src.split('\n');
        for (const line of exportLines) ls[line - 1] = `export ${ls[line - 1]}`;
        src = ls.join('\n');
      }
      const stillUsed = names.filter((n) => uses(src, source, n) > 0);
      circular = family === 'python' && stillUsed.length > 0 && fromSource.length > 0;
      const remaining = wordsOf(src.replace(/^[ \t]*(from|import|export)[^\n]*$/gm, ''));
      // (`import re` only the moved code used goes too, in Python)
      const onlyMovedUsed = (binding: string) => {
        const head = binding.split('.')[0];
        return movedUses.has(head) && !remaining.has(head);
      };
      src = dropBindings(src, family, onlyMovedUsed, { modules: family === 'python', topLevel: true });
      let movedText = movedTexts.join(family === 'python' ? '\n\n\n' : '\n\n');
      // (JS: exported, so the files that import it, the source among them, still can)
      if (family === 'js') movedText = movedText.replace(new RegExp(`^(?=${jsDeclaration}\\b)`, 'gm'), 'export ');
      if (stillUsed.length) {
        const spec = specFor(source, target, family, { relative: family === 'js', prefix: plan.prefix, spec: jsSpecStyle(sourceText) ?? target });
        src = addImports(
          src,
          [
            importLine(
              family,
              spec,
              stillUsed.map((name) => ({ name })),
            ),
          ],
          family,
        );
      }
      // the target: its own imports of the moved names dropped (they are defined there now), the code appended
      let tgt = targetText ?? '';
      if (tgt) tgt = repointImporter(plan, target, tgt, movedNames).text;
      tgt = addImports(tgt, needed, family);
      const gap = family === 'python' ? '\n\n\n' : '\n\n';
      tgt = tgt.trim() ? `${tgt.replace(/\s*$/, '')}${gap}${movedText}\n` : `${movedText}\n`;
      const changes: FileChange[] = [await ctx.workspace.proposeChange(source, src), await ctx.workspace.proposeChange(target, tgt)];
      for (const [file, text] of texts) {
        const next = repointImporter(plan, file, text, movedNames);
        if (next.changed) changes.push(await ctx.workspace.proposeChange(file, next.text));
      }
      return changes;
    });
    if (result.error || !result.edit || result.edit.applied.length === 0) return result;
    const others = result.edit.applied.filter((f) => f !== source && f !== target);
    const head =
      `Moved ${found.map((d) => `\`${d.name}\``).join(', ')} from ${source} to ${target}${targetText === null ? ' (new file)' : ''}` +
      `${along.length ? `, with ${along.map((n) => `\`${n}\``).join(', ')}, which only that code used` : ''}` +
      `${others.length ? `; imports updated in ${others.join(', ')}` : '; no other file imported them'}.`;
    const warn = circular
      ? `\nNote: ${source} and ${target} now import each other; if importing either fails, move what ${target} takes from ${source} as well, or import it inside the function that needs it.`
      : '';
    return { ...result, forModel: `${head}${warn}\n${result.forModel}` };
  },
});
