/**
 * read_file: a text file with line numbers, in pages for large files (the note says how to read
 * on). Binary files are refused. Reading marks the file as seen, so a later edit can tell whether
 * it changed on disk in between. Huge and minified files are read in bounded slices
 * (read-slices.ts); a file that looks like a secret is read only if the user allows it.
 */
import { statSync } from 'node:fs';
import { looksMinified } from '../src/index/file-kind.ts';
import { defineTool, toolError } from './tool.ts';
import { workspaceError } from './change-flow.ts';
import { readHugeFile, readMinifiedText, readWholeMaxBytes, type SliceRequest } from './read-slices.ts';
import { askToReadSecret } from './secret-files.ts';
import { viewLine } from '../src/workspace/text-edits.ts';

/** Lines returned when no range is given (and the most one call returns). */
export const readPageLines = 400;
/** Characters returned per call at most; longer pages are cut at a line boundary. */
export const readPageChars = 40_000;
const maxLineChars = 2000;
/**
 * A requested range shorter than this is widened to it (a few lines before, the rest after):
 * small models ask for one guessed line at a time, and a definition is rarely one line.
 */
export const minReadLines = 40;
const linesBefore = 5;

export const readFileTool = defineTool({
  name: 'read_file',
  description:
    'Read a text file of the project, with line numbers ("12| code"). Large files come in pages of up to 400 lines: pass startLine/endLine (1-based, ' +
    'inclusive) to read a range (at least 40 lines are shown), or null for the start. Line numbers are not part of the file.',
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', maxLength: 500, description: 'Project-relative path, e.g. "src/app.ts".' },
      startLine: { type: ['integer', 'null'] },
      endLine: { type: ['integer', 'null'] },
    },
  },
  effect: 'read',
  order: 20,
  existingPaths: ['path'],
  unshownPaths: ['path'],
  oneShot: true,
  roles: { readFile: (path, lines) => ({ path, startLine: lines?.from ?? null, endLine: lines?.to ?? null }) },
  async execute(args, ctx) {
    let text: string;
    const slice = (rel: string): SliceRequest => ({
      rel,
      startLine: args.startLine,
      endLine: args.endLine,
      pageLines: readPageLines,
      pageChars: readPageChars,
      maxLineChars,
    });
    try {
      const refused = await askToReadSecret(ctx, args.path);
      if (refused) return refused;
      const size = statSync(ctx.workspace.resolve(args.path), { throwIfNoEntry: false })?.size ?? 0;
      if (size > readWholeMaxBytes) return readHugeFile(ctx.workspace.resolve(args.path), size, slice(ctx.workspace.relative(args.path)));
      text = await ctx.workspace.readText(args.path);
    } catch (error) {
      return workspaceError(error);
    }
    const rel = ctx.workspace.relative(args.path);
    if (text === '') return { forModel: `${rel} is empty (0 lines).`, seen: [rel], whole: rel };
    const lines = text.split('\n');
    if (looksMinified(text) && lines.some((line) => line.length > maxLineChars)) return readMinifiedText(text, slice(rel));
    const finalNewline = text.endsWith('\n');
    if (finalNewline) lines.pop();
    const total = lines.length;
    let start = args.startLine ?? 1;
    if (!Number.isInteger(start) || start < 1) return toolError('invalid_args', `startLine must be 1 or more (got ${start}).`);
    const notes: string[] = [];
    let endArg = args.endLine;
    if (start > total) {
      // Small models guess line numbers; reading the end of the file is what helps them on.
      notes.push(`[startLine ${start} is past the end: ${rel} has only ${total} line${total === 1 ? '' : 's'}, so this shows its last lines.]`);
      start = Math.max(1, total - minReadLines + 1);
      endArg = null;
    }
    let end = endArg ?? start + readPageLines - 1;
    if (!Number.isInteger(end) || end < start) {
      // Small models fill endLine with a guess; reading on from startLine is what they meant.
      notes.push(`[endLine ${end} was before startLine ${start}, so this reads on from startLine.]`);
      end = start + readPageLines - 1;
    }
    if (end - start + 1 < minReadLines) {
      start = Math.max(1, start - linesBefore);
      end = Math.max(end, start + minReadLines - 1);
      if (end > total) start = Math.max(1, Math.min(start, total - minReadLines + 1));
    }
    end = Math.min(end, total, start + readPageLines - 1);
    const width = String(end).length;
    const out: string[] = [];
    let chars = 0;
    let last = start - 1;
    for (let n = start; n <= end; n++) {
      let line = lines[n - 1].replace(/\r$/, '');
      if (line.length > maxLineChars) line = `${line.slice(0, maxLineChars)} [... line cut at ${maxLineChars} characters]`;
      const rendered = viewLine(n, width, line);
      if (chars + rendered.length > readPageChars && n > start) break;
      out.push(rendered);
      chars += rendered.length + 1;
      last = n;
    }
    const header = start === 1 && last === total ? `${rel} (${total} lines)` : `${rel} (lines ${start}-${last} of ${total})`;
    if (last < total) notes.push(`[${total - last} more lines. Call read_file with startLine ${last + 1} to read on.]`);
    if (last === total && !finalNewline) notes.push('[No newline at end of file.]');
    const whole = start === 1 && last === total ? { whole: rel } : {};
    return { forModel: [header, ...out, ...notes].join('\n'), forUser: header, seen: [rel], ...whole };
  },
});
