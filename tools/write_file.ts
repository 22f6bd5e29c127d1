/** write_file: creates a file or replaces a whole file, through diff approval. */
import { defineTool } from './tool.ts';
import { proposeAndApply } from './change-flow.ts';
import { checkWholeWrite, proposeContent } from './file-edits.ts';

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
    return proposeAndApply(ctx, async () => {
      const change = await proposeContent(ctx.workspace, args.path, withoutReadMarks(args.content));
      checkWholeWrite(change, ctx.seen);
      return [change];
    });
  },
});

/**
 * `content` without the marks of a read_file observation, when the model copied one whole: the
 * header line (`version.rb (23 lines)`) and a line-number gutter (` 1| `) on every line. The 1.5B
 * model wrote ruby-semver's version.rb that way three times. Content where not every line has the
 * gutter is left as it is.
 */
export function withoutReadMarks(content: string): string {
  const lines = content.split('\n');
  let start = 0;
  if (/^\S+ \(\d+ lines?\)\s*$/.test(lines[0] ?? '')) start = 1;
  const body = lines.slice(start);
  const last = body.at(-1) === '' ? body.length - 1 : body.length;
  const numbered = body.slice(0, last);
  if (numbered.length === 0 || !numbered.every((line) => /^\s*\d+\| ?/.test(line))) return content;
  return body.map((line, i) => (i < last ? line.replace(/^\s*\d+\| ?/, '') : line)).join('\n');
}
