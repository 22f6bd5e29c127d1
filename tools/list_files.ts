/**
 * list_files: the project's files (what git would track: .gitignore, .assistignore and hidden
 * files are honoured, like `rg --files`), optionally under one directory and matching a glob.
 * Files read differently are marked: secret-looking (read_file asks first), huge (read in
 * slices), and binary or minified ones the index skipped.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { formatBytes } from '../src/index/file-kind.ts';
import { walkFiles } from '../src/index/file-walk.ts';
import { defineTool, toolError, type ToolContext } from './tool.ts';
import { workspaceError } from './change-flow.ts';
import { readWholeMaxBytes } from './read-slices.ts';
import { secretReason } from './secret-files.ts';

/** Most paths listed in one result. */
export const listLimit = 500;

export const listFilesTool = defineTool({
  name: 'list_files',
  description:
    'List project files (ignored and hidden files are left out). glob filters like ripgrep --glob: "*.ts" matches at any depth, "src/**/*.py" from ' +
    'the root, "!test/**" excludes. dir limits the listing to one directory. Both may be null.',
  schema: {
    type: 'object',
    properties: {
      glob: { type: ['string', 'null'], maxLength: 200 },
      dir: { type: ['string', 'null'], maxLength: 500 },
    },
  },
  effect: 'read',
  order: 60,
  oneShot: true,
  async execute(args, ctx) {
    let dir: string | null = null;
    try {
      if (args.dir && args.dir.trim() !== '' && args.dir.trim() !== '.') {
        const abs = ctx.workspace.resolve(args.dir);
        dir = ctx.workspace.relative(abs);
        if (!statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
          const suggestions = await ctx.workspace.suggest(dir, { directories: true });
          const hint =
            suggestions.length > 0
              ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`
              : ' Call list_files with dir null to see the whole project.';
          return toolError('not_found', `No directory "${dir}" in the project.${hint}`);
        }
      }
      const files = await walkFiles(ctx.root, { glob: args.glob, dir, signal: ctx.signal });
      const where = `${dir ? ` under ${dir}/` : ''}${args.glob ? ` matching ${JSON.stringify(args.glob)}` : ''}`;
      if (files.length === 0) return { forModel: `No files${where}.` };
      const shown = annotate(files.slice(0, listLimit), ctx);
      const note =
        files.length > listLimit
          ? `\n[Showing ${listLimit} of ${files.length} files. Narrow with dir or glob.]`
          : `\n[${files.length} file${files.length === 1 ? '' : 's'}${where}.]`;
      return { forModel: shown.join('\n') + note, forUser: `${files.length} files${where}` };
    } catch (error) {
      if (error instanceof Error && /^Invalid glob/.test(error.message)) return toolError('invalid_args', error.message);
      return workspaceError(error);
    }
  },
});

/** Each path, with a short bracketed note when it is not an ordinary text file to read. */
function annotate(files: string[], ctx: ToolContext): string[] {
  const skipped = new Map((ctx.index?.notes?.() ?? []).filter((n) => n.note.startsWith('skipped: ')).map((n) => [n.path, n.note.slice('skipped: '.length)]));
  return files.map((file) => {
    const notes: string[] = [];
    if (secretReason(file, ctx.config.secrets.patterns)) notes.push('looks like a secret: read_file asks the user first');
    const kind = /^(binary|minified)\b/.exec(skipped.get(file) ?? '')?.[1];
    if (kind) notes.push(kind);
    const size = statSync(path.join(ctx.root, file), { throwIfNoEntry: false })?.size ?? 0;
    if (size > readWholeMaxBytes) notes.push(kind === 'binary' ? formatBytes(size) : `${formatBytes(size)}: read_file reads it in slices`);
    return notes.length ? `${file}  [${notes.join('; ')}]` : file;
  });
}
