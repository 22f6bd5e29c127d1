/**
 * edit_file: search/replace edits to one file, applied together or not at all, through diff
 * approval. Exact text first, then a whitespace-tolerant match.
 */
import { defineTool } from './tool.ts';
import { proposeAndApply } from './change-flow.ts';
import { proposeEdits } from './file-edits.ts';

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
    return proposeAndApply(ctx, async () => [await proposeEdits(ctx.workspace, args.path, args.edits, ctx.index)]);
  },
});
