/** write_file: creates a file or replaces a whole file, through diff approval. */
import { appliedChanges, defineTool } from './tool.ts';
import { proposeAndApply } from './change-flow.ts';
import { checkWholeWrite, keptSectionsNote, proposeContent } from './file-edits.ts';

export const writeFileTool = defineTool({
  name: 'write_file',
  description:
    'Create a new file, or replace the whole content of an existing one (for small changes to an existing file, prefer edit_file). The user sees the ' +
    'diff and approves it before it is written.',
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', maxLength: 500, description: 'Project-relative path, e.g. "src/app.ts".' },
      content: { type: 'string', maxLength: 100_000, description: 'The complete new text of the file.' },
    },
  },
  effect: 'edit',
  order: 10,
  text: { form: 'fence', arg: 'content' },
  example: { thought: 'Write the module.', args: { path: 'src/greet.py', content: 'def greet(name):\n    return f"Hello, {name}!"\n' } },
  oneShot: true,
  roles: { createFile: (path) => ({ path, content: '' }) },
  async execute(args, ctx) {
    let kept: string[] = [];
    const result = await proposeAndApply(ctx, async () => {
      const { keptSections, ...change } = await proposeContent(ctx.workspace, args.path, args.content);
      checkWholeWrite(change, ctx.seen);
      kept = keptSections ?? [];
      return [change];
    });
    return kept.length && (appliedChanges(result) || result.edit?.unchanged)
      ? { ...result, forModel: `${result.forModel}${keptSectionsNote(args.path, kept)}` }
      : result;
  },
});
