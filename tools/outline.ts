/**
 * outline: the definitions of one file with their lines, nested by containment, from the
 * tree-sitter index.
 */
import { defineTool, toolError } from './tool.ts';
import { refreshIndex } from './index-refresh.ts';
import { languageOf } from '../src/index/languages.ts';

export const outlineTool = defineTool({
  name: 'outline',
  description:
    "List a file's definitions (classes, functions, methods, types, constants) with their line ranges and signatures, " +
    'to see its structure before reading parts of it. `path` is relative to the project root.',
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, maxLength: 500 },
    },
  },
  effect: 'read',
  order: 90,
  existingPaths: ['path'],
  async execute(args, ctx) {
    if (!ctx.index)
      return toolError('unavailable', 'the repository index is not available (it is disabled by `index.enabled` or still being built); read the file instead');
    await refreshIndex(ctx);
    const file = args.path
      .trim()
      .replace(/\\/g, '/')
      .replace(/^(\.\/)+/, '')
      .replace(/\/+$/, '');
    const defs = ctx.index.outline(file);
    if (defs === undefined) {
      const base = file.slice(file.lastIndexOf('/') + 1);
      const similar = ctx.index
        .files()
        .filter((f) => f.endsWith(`/${base}`) || f === base)
        .slice(0, 5);
      const hint = similar.length
        ? ` Did you mean ${similar.map((s) => `\`${s}\``).join(', ')}?`
        : ' Paths are relative to the project root; list the files to find it.';
      return toolError('not_found', `no file \`${file}\` in the index (ignored files are not indexed).${hint}`);
    }
    const note = ctx.index.notes?.().find((n) => n.path === file)?.note;
    if (defs.length === 0) {
      const why = note ?? (languageOf(file) ? 'no definitions found' : 'listed without symbols (the index has no parser for this file type)');
      return { forModel: `${file}: ${why}. Read the file to see its contents.`, forUser: `outline ${file}: none` };
    }
    const out = [`${file} (${defs.length} definitions${note ? `; ${note}` : ''}):`];
    const open: number[] = [];
    for (const d of defs) {
      while (open.length > 0 && open[open.length - 1] < d.line) open.pop();
      out.push(`${'  '.repeat(open.length + 1)}${d.line}-${d.endLine} ${d.kind} ${d.name}: ${d.signature}`);
      if (d.endLine > d.line) open.push(d.endLine);
    }
    return { forModel: out.join('\n'), forUser: `outline ${file}: ${defs.length} definitions` };
  },
});
