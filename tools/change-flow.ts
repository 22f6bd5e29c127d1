/**
 * The one path every editing tool takes: build a change set, stage it, ask for approval, apply
 * what was approved (atomically, checkpointed), and report the outcome as data for the model.
 */
import type { FileChange } from '../src/workspace/approval.ts';
import { DiskFullError } from '../src/workspace/full-write.ts';
import { PathError, StaleFileError } from '../src/workspace/workspace.ts';
import { toolError, type ToolContext, type ToolResult } from './tool.ts';
import { EditError } from './file-edits.ts';

/** A workspace failure as a tool result (never a throw). */
export function workspaceError(error: unknown): ToolResult {
  if (error instanceof PathError) return toolError(error.code, error.message);
  if (error instanceof EditError) return toolError(error.code, error.message);
  if (error instanceof StaleFileError) return toolError('stale', error.message);
  if (error instanceof DiskFullError) return toolError('disk_full', error.message);
  if (error instanceof Error && error.name === 'AbortError') return toolError('aborted', 'The turn was cancelled; nothing was changed.');
  const message = error instanceof Error ? error.message : String(error);
  return toolError('failed', message);
}

/** "+3 -1" line counts of a unified diff. */
export function diffStat(diff: string): string {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return `+${added} -${removed}`;
}

function describe(change: FileChange): string {
  const kind = change.before === null ? 'created' : change.after === null ? 'deleted' : 'edited';
  return `${change.path} (${kind}, ${diffStat(change.diff)})`;
}

/**
 * Runs a change set through approval and apply. `build` proposes the changes (it may throw
 * workspace errors); changes that alter nothing are dropped.
 */
export async function proposeAndApply(ctx: ToolContext, build: () => Promise<FileChange[]>): Promise<ToolResult> {
  const { workspace, signal } = ctx;
  if (signal.aborted) return toolError('aborted', 'The turn was cancelled; nothing was changed.');
  let changes: FileChange[];
  try {
    changes = (await build()).filter((c) => c.before !== c.after);
  } catch (error) {
    return workspaceError(error);
  }
  if (changes.length === 0) return { forModel: 'No change: the file(s) already have exactly this content.', edit: { applied: [], deleted: [], unchanged: true } };
  if (signal.aborted) return toolError('aborted', 'The turn was cancelled; nothing was changed.');
  workspace.stage(changes);
  const paths = changes.map((c) => c.path);
  try {
    const answer = await ctx.approve({ kind: 'edit', changes });
    if (signal.aborted) return toolError('aborted', 'The turn was cancelled; nothing was changed.');
    let toApply: FileChange[];
    let userEdited: string[] = [];
    switch (answer.answer) {
      case 'yes':
        toApply = answer.paths ? changes.filter((c) => answer.paths!.includes(c.path)) : changes;
        break;
      case 'always':
        toApply = changes;
        break;
      case 'edit': {
        toApply = [];
        for (const change of answer.paths ? changes.filter((c) => answer.paths!.includes(c.path)) : changes) {
          const edited = answer.edited[change.path];
          if (edited === undefined) toApply.push(change);
          else {
            toApply.push(await workspace.proposeChange(change.path, edited));
            userEdited.push(change.path);
          }
        }
        toApply = toApply.filter((c) => c.before !== c.after);
        userEdited = userEdited.filter((p) => toApply.some((c) => c.path === p));
        break;
      }
      case 'no':
        return toolError('rejected', `The user rejected the change${changes.length > 1 ? 's' : ''} to ${paths.join(', ')}. Their reason: ${answer.reason || '(none given)'}`);
      default:
        return answer satisfies never;
    }
    if (toApply.length === 0) return toolError('rejected', `The user approved none of the changes to ${paths.join(', ')}; nothing was written.`);
    if (signal.aborted) return toolError('aborted', 'The turn was cancelled; nothing was changed.');
    await workspace.apply(toApply);
    const declined = paths.filter((p) => !toApply.some((c) => c.path === p));
    const lines = [`Applied: ${toApply.map(describe).join(', ')}.`];
    if (declined.length > 0) lines.push(`The user declined the changes to ${declined.join(', ')}; those files are unchanged.`);
    if (userEdited.length > 0) lines.push(`The user edited the proposed text of ${userEdited.join(', ')} before applying; read ${userEdited.length > 1 ? 'them' : 'it'} again before editing further.`);
    const edit = { applied: toApply.map((c) => c.path), deleted: toApply.filter((c) => c.after === null).map((c) => c.path), unchanged: false };
    return { forModel: lines.join(' '), forUser: toApply.map((c) => c.diff).join('\n'), edit };
  } catch (error) {
    return workspaceError(error);
  } finally {
    workspace.discard(paths);
  }
}
