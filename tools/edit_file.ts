/**
 * edit_file: search/replace edits to one file, applied together or not at all, through diff
 * approval. Exact text first, then a whitespace-tolerant match.
 */
import { defineTool, toolError } from './tool.ts';
import { type BodyRewrite, rewriteBodyAround } from './body-rewrite.ts';
import { proposeAndApply } from './change-flow.ts';
import { EditError, proposeEdits } from './file-edits.ts';
import type { FileChange } from '../src/workspace/approval.ts';

/** The wire schema of one search/replace edit (shared with edit_files). */
export const editSchema = {
  type: 'object',
  properties: {
    find: { type: 'string', maxLength: 20_000, description: 'Existing lines, copied exactly (without line numbers), unique in the file.' },
    replace: { type: 'string', maxLength: 20_000, description: 'The new text for those lines.' },
  },
} as const;

export const editFileTool = defineTool({
  name: 'edit_file',
  description:
    'Change an existing file by search/replace: each edit replaces lines copied exactly from the file (enough whole lines to be unique) with new ' +
    'lines. All edits apply together or none does. The user sees the diff and approves it.',
  jsonNote: 'Each edit is {"find": the existing lines, "replace": the new lines}.',
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', maxLength: 500, description: 'Project-relative path, e.g. "src/app.ts".' },
      edits: { type: 'array', items: editSchema, minItems: 1, maxItems: 8 },
    },
  },
  effect: 'edit',
  order: 30,
  text: { form: 'search-replace', arg: 'edits' },
  example: {
    thought: 'Add the missing comma.',
    args: { path: 'src/greet.py', edits: [{ find: '    return f"Hello {name}!"\n', replace: '    return f"Hello, {name}!"\n' }] },
  },
  existingPaths: ['path'],
  oneShot: true,
  roles: { editFile: (path) => ({ path, edits: [] }) },
  async execute(args, ctx) {
    let rewrite: BodyRewrite | undefined;
    let copied: EditError | undefined;
    const result = await proposeAndApply(ctx, async () => {
      try {
        return [await proposeEdits(ctx.workspace, args.path, args.edits, ctx.index, ctx.failingLines?.(ctx.workspace.relative(args.path)), ctx.drafts)];
      } catch (error) {
        // lines copied unchanged: the function they are in is written afresh (body-rewrite.ts)
        if (!(error instanceof EditError) || !error.unchanged) throw error;
        copied = error;
        // a rewrite the tests fail worse with is not offered, nor a script's top-level code that nothing
        // judges (no tests that fail no worse with it, no failing run of the model's that passes with
        // it): the refusal of the copied lines stands
        let change: FileChange | undefined;
        rewrite = await rewriteBodyAround(ctx, ctx.workspace.relative(args.path), args.edits.map((e) => e.find).join('\n'), async (text, needsRun) => {
          const proposed = await ctx.workspace.proposeChange(args.path, text);
          const worse = await ctx.worsens?.([proposed]);
          if (worse === true || (needsRun && worse !== false)) return false;
          change = proposed;
          return true;
        });
        if (!rewrite || !change) throw error;
        return [change];
      }
    });
    if (!rewrite || !copied) return result;
    // a rewrite that does not parse is not worth showing: the refusal of the copied lines is
    if (result.error?.code === 'syntax') return toolError(copied.code, copied.message);
    return { ...result, forModel: `${rewrite.note}\n${result.forModel}` };
  },
});
