/**
 * find_symbol: where an identifier is defined (with its signature) and where it is used, from the
 * tree-sitter index.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineTool, toolError } from './tool.ts';
import { refreshIndex } from './index-refresh.ts';
import type { SymbolRef } from '../src/index/repo-index.ts';

const maxDefs = 20;
const maxRefs = 30;

function refLines(root: string, refs: SymbolRef[]): string[] {
  const texts = new Map<string, string[]>();
  return refs.map((ref) => {
    let lines = texts.get(ref.path);
    if (!lines) {
      try {
        lines = readFileSync(path.join(root, ref.path), 'utf8').split('\n');
      } catch {
        lines = [];
      }
      texts.set(ref.path, lines);
    }
    const text = (lines[ref.line - 1] ?? '').trim();
    return `  ${ref.path}:${ref.line}  ${text.length > 120 ? `${text.slice(0, 119)}…` : text}`;
  });
}

export const findSymbolTool = defineTool({
  name: 'find_symbol',
  description:
    'Find where a function, class, method, type or constant is defined (path:line and signature) and where it is used. ' +
    'Give the bare name, e.g. `parseConfig` (for `Foo.bar` give `bar`).',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
    },
  },
  effect: 'read',
  order: 80,
  async execute(args, ctx) {
    if (!ctx.index)
      return toolError(
        'unavailable',
        'the repository index is not available (it is disabled by `index.enabled` or still being built); use the file search and read tools instead',
      );
    await refreshIndex(ctx);
    const raw = args.name.trim();
    const name =
      raw
        .split(/\.|::|#|->/)
        .filter(Boolean)
        .pop() ?? raw;
    if (!/^[\p{L}\p{N}_$?!\\]+$/u.test(name)) return toolError('invalid_args', `\`${raw}\` is not an identifier; give a bare name such as \`parseConfig\``);
    const { defs, refs, refsTruncated } = ctx.index.symbols(name, { maxRefs });
    if (defs.length === 0 && refs.length === 0) {
      const similar = ctx.index.suggest?.(name) ?? [];
      const hint = similar.length ? ` Did you mean ${similar.map((s) => `\`${s}\``).join(', ')}?` : ' Check the spelling, or search the files for the text.';
      return toolError('not_found', `no definition or use of \`${name}\` in the index of ${ctx.index.files().length} files.${hint}`);
    }
    const out: string[] = [];
    if (defs.length === 0) out.push(`No definition of \`${name}\` in the project (it may come from a library).`);
    else {
      out.push(`Definitions of \`${name}\` (${defs.length}):`);
      for (const d of defs.slice(0, maxDefs)) out.push(`  ${d.path}:${d.line} ${d.kind}  ${d.signature}`);
      if (defs.length > maxDefs) out.push(`  … ${defs.length - maxDefs} more not shown`);
    }
    if (refs.length === 0) out.push(`No uses of \`${name}\` outside its definitions.`);
    else {
      out.push(refsTruncated ? `Uses of \`${name}\` (first ${refs.length}; there are more, not shown):` : `Uses of \`${name}\` (${refs.length}):`);
      out.push(...refLines(ctx.root, refs));
    }
    return {
      forModel: out.join('\n'),
      forUser: `find_symbol ${name}: ${defs.length} definition(s), ${refs.length}${refsTruncated ? '+' : ''} use(s)`,
    };
  },
});
