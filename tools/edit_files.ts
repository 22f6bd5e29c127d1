/**
 * edit_files: one change set over several files (a refactor across files), approved as a whole
 * or file by file. Each file gets search/replace edits or a whole new content.
 */
import type { FileChange } from '../src/workspace/approval.ts';
import { appliedChanges, defineTool } from './tool.ts';
import { proposeAndApply } from './change-flow.ts';
import { checkWholeWrite, EditError, keptSectionsNote, proposeContent, proposeEdits } from './file-edits.ts';
import { editSchema } from './edit_file.ts';

export const editFilesTool = defineTool({
  name: 'edit_files',
  description:
    "Change several files in one step (e.g. a function's parameters and every call). Nothing is written unless every change is valid; the user " +
    'approves the whole set or file by file.',
  jsonNote:
    'For each file give either "edits" (search/replace, as in edit_file) with content null, or "content" (the whole new file, also for new files) with edits null.',
  schema: {
    type: 'object',
    properties: {
      changes: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: {
          type: 'object',
          properties: {
            path: { type: 'string', maxLength: 500 },
            edits: { oneOf: [{ type: 'array', items: editSchema, minItems: 1, maxItems: 8 }, { type: 'null' }] },
            content: { type: ['string', 'null'], maxLength: 100_000 },
          },
        },
      },
    },
  },
  effect: 'edit',
  order: 100,
  text: { form: 'file-changes', arg: 'changes' },
  example: {
    thought: 'Give greet a greeting word and pass it from main.',
    args: {
      changes: [
        {
          path: 'src/greet.py',
          edits: [{ find: 'def greet(name):\n    return f"Hello, {name}!"\n', replace: 'def greet(name, word="Hello"):\n    return f"{word}, {name}!"\n' }],
          content: null,
        },
        { path: 'src/main.py', edits: [{ find: 'print(greet("Ada"))\n', replace: 'print(greet("Ada", "Welcome"))\n' }], content: null },
      ],
    },
  },
  async execute(args, ctx) {
    const kept: string[] = [];
    const result = await proposeAndApply(ctx, async () => {
      // a file named twice with edits has them all, in order (pyapp-fix-page-count: two entries for
      // pagination.py, one per function, refused twice as "appears more than once")
      const items: Array<(typeof args.changes)[number] & { i: number }> = [];
      for (const [i, item] of args.changes.entries()) {
        const rel = ctx.workspace.relative(item.path);
        const earlier = items.find((e) => ctx.workspace.relative(e.path) === rel);
        if (!earlier) items.push({ ...item, i, ...(item.edits ? { edits: [...item.edits] } : {}) });
        else if (earlier.edits && item.edits) earlier.edits.push(...item.edits);
        else throw new EditError('invalid_args', `changes[${i}] (${item.path}): ${rel} appears more than once with its whole content; give it once.`);
      }
      const changes: FileChange[] = [];
      for (const { i, ...item } of items) {
        const label = `changes[${i}] (${item.path})`;
        if ((item.edits === null) === (item.content === null)) {
          throw new EditError('invalid_args', `${label}: give either "edits" or "content" (the other null).`);
        }
        try {
          if (item.edits !== null)
            changes.push(
              await proposeEdits(ctx.workspace, item.path, item.edits, ctx.index, ctx.failingLines?.(ctx.workspace.relative(item.path)), ctx.drafts),
            );
          else {
            const { keptSections, ...change } = await proposeContent(ctx.workspace, item.path, item.content!);
            checkWholeWrite(change, ctx.seen);
            changes.push(change);
            if (keptSections?.length) kept.push(keptSectionsNote(item.path, keptSections));
          }
        } catch (error) {
          if (error instanceof Error) error.message = `${label}: ${error.message} No file was changed.`;
          throw error;
        }
      }
      return changes;
    });
    return kept.length && (appliedChanges(result) || result.edit?.unchanged) ? { ...result, forModel: `${result.forModel}${kept.join('')}` } : result;
  },
});
