/**
 * rename_symbol: renames an identifier everywhere in the project in one change set, the way an
 * IDE does: every identifier node spelled that way (definitions, calls, imports, attribute and
 * property names) in every parsed file, found by tree-sitter, so a word in a comment or a string
 * is not an identifier. Those mentions, and mentions in files without a parser (docs, configs),
 * are listed, and changed too when asked. One approval, one atomic apply, one undo.
 */
import { languageOf } from '../src/index/languages.ts';
import { identifierSpans } from '../src/index/find-references.ts';
import { searchCode } from '../src/workspace/code-search.ts';
import type { FileChange } from '../src/workspace/approval.ts';
import { proposeAndApply } from './change-flow.ts';
import { EditError } from './file-edits.ts';
import { refreshIndex } from './index-refresh.ts';
import { secretReason } from './secret-files.ts';
import { defineTool, toolError, type ToolResult } from './tool.ts';

const identifier = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const maxListed = 12;

/** Occurrences of `name` as a whole word in `text` ([start, end) offsets). */
function wordSpans(text: string, name: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const escaped = name.replace(/[$]/g, '\\$&');
  for (const match of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}_$])${escaped}(?![\\p{L}\\p{N}_$])`, 'gu')))
    spans.push([match.index!, match.index! + name.length]);
  return spans;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function replaceSpans(text: string, spans: Array<[number, number]>, replacement: string): string {
  let out = '';
  let at = 0;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    out += text.slice(at, start) + replacement;
    at = end;
  }
  return out + text.slice(at);
}

export const renameSymbolTool = defineTool({
  name: 'rename_symbol',
  description:
    'Rename a function, class, method, variable or type everywhere in the project in one step: its definition and every use, import and call, in every file. ' +
    'Words in comments and strings are left alone and listed unless alsoInText is true. Give bare names, e.g. `calc_total` and `compute_total`.',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'The current name.' },
      newName: { type: 'string', minLength: 1, maxLength: 200, description: 'The new name.' },
      alsoInText: { type: ['boolean', 'null'], description: 'Also change whole-word mentions in comments, strings and non-code files (null: no).' },
    },
  },
  effect: 'edit',
  order: 95,
  roles: { renameSymbol: (name, newName) => ({ name, newName, alsoInText: null }) },
  async execute(args, ctx) {
    const name = args.name.trim();
    const newName = args.newName.trim();
    if (!identifier.test(name) || !identifier.test(newName))
      return toolError('invalid_args', `give two bare identifiers, e.g. "calc_total" and "compute_total" (got "${name}" and "${newName}")`);
    if (name === newName) return toolError('invalid_args', `the new name is the same as the old one ("${name}")`);
    if (ctx.index) await refreshIndex(ctx);
    const clash = ctx.index?.symbols(newName, { maxRefs: 0 }).defs[0];
    if (clash)
      return toolError(
        'invalid_args',
        `\`${newName}\` is already defined in the project (${clash.path}:${clash.line}); renaming \`${name}\` to it would mix the two. Choose another name.`,
      );
    let files: string[];
    try {
      const found = await searchCode(ctx.root, { query: name, regex: false, caseSensitive: true, glob: null, dir: null, contextLines: 0 }, 'auto', ctx.signal);
      files = [...new Set(found.lines.filter((l) => l.match).map((l) => l.path))].filter((f) => !secretReason(f, ctx.config.secrets.patterns));
    } catch (error) {
      return toolError('failed', `could not search the project for \`${name}\`: ${(error as Error).message}`);
    }
    const renamed: string[] = [];
    const leftAlone: string[] = [];
    let identifiers = 0;
    const result: ToolResult = await proposeAndApply(ctx, async () => {
      const changes: FileChange[] = [];
      for (const file of files) {
        let text: string;
        try {
          text = await ctx.workspace.readForEdit(file);
        } catch {
          continue; // binary or unreadable: not source code to rename in
        }
        const words = wordSpans(text, name);
        if (words.length === 0) continue;
        const lang = languageOf(file);
        const code = lang ? identifierSpans(text, lang, name) : [];
        const codeStarts = new Set(code.map(([start]) => start));
        const prose = words.filter(([start]) => !codeStarts.has(start));
        const spans = args.alsoInText ? [...code, ...prose] : code;
        if (!args.alsoInText) for (const [start] of prose) leftAlone.push(`${file}:${lineOf(text, start)}`);
        if (spans.length === 0) continue;
        identifiers += code.length;
        renamed.push(`${file} (${spans.length})`);
        changes.push(await ctx.workspace.proposeChange(file, replaceSpans(text, spans, newName)));
      }
      if (changes.length === 0) {
        const hint = leftAlone.length
          ? ` It appears only in comments, strings or non-code files (${leftAlone.slice(0, 5).join(', ')}); pass alsoInText true to change those.`
          : ' Check the spelling with find_symbol or search_code.';
        throw new EditError('not_found', `no identifier \`${name}\` in the project.${hint}`);
      }
      return changes;
    });
    if (result.error || !result.edit || result.edit.applied.length === 0) return result;
    const lines = [
      `Renamed \`${name}\` to \`${newName}\`: ${identifiers} ` +
        `identifier${identifiers === 1 ? '' : 's'}${args.alsoInText ? ' and the text mentions' : ''} in ${renamed.length} ` +
        `file${renamed.length === 1 ? '' : 's'}: ${renamed.join(', ')}.`,
      result.forModel,
    ];
    if (leftAlone.length) {
      lines.push(
        `Left unchanged: ${leftAlone.length} mention${leftAlone.length === 1 ? '' : 's'} in comments, strings or non-code files: ` +
          `${leftAlone.slice(0, maxListed).join(', ')}${leftAlone.length > maxListed ? ', ...' : ''}. Change them with edit_file if they name the ` +
          `renamed code, or call rename_symbol again with alsoInText true.`,
      );
    }
    return { ...result, forModel: lines.join('\n') };
  },
});
