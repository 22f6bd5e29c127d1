/** delete_file: removes a file, through diff approval (and undo restores it). */
import { defineTool } from './tool.ts';
import { proposeAndApply } from './change-flow.ts';

export const deleteFileTool = defineTool({
  name: 'delete_file',
  description: 'Delete a file of the project. The user approves it first; /undo brings it back.',
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', maxLength: 500, description: 'Project-relative path of the file.' },
    },
  },
  effect: 'edit',
  order: 110,
  existingPaths: ['path'],
  async execute(args, ctx) {
    return proposeAndApply(ctx, async () => {
      await ctx.workspace.readForEdit(args.path);
      return [await ctx.workspace.proposeChange(args.path, null)];
    });
  },
});
