/**
 * The one path every editing tool takes: build a change set, refuse it if it breaks a file's
 * syntax, stage it, ask for approval, apply what was approved (atomically, checkpointed), and
 * report the outcome as data for the model.
 */
import { spawnSync } from 'node:child_process';
import type { FileChange } from '../src/workspace/approval.ts';
import { diffStat } from '../src/text/diff-stat.ts';
import { DiskFullError } from '../src/workspace/full-write.ts';
import { PathError, StaleFileError } from '../src/workspace/workspace.ts';
import { syntaxRegression, type ChangedLines, type SyntaxRegression } from '../src/index/syntax-check.ts';
import { toolError, type ToolContext, type ToolResult } from './tool.ts';
import { EditError } from './file-edits.ts';
import { changedLinesView } from './changed-lines-view.ts';

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
function diffCounts(diff: string): string {
  const { added, removed } = diffStat(diff);
  return `+${added} -${removed}`;
}

function describe(change: FileChange): string {
  const kind = change.before === null ? 'created' : change.after === null ? 'deleted' : 'edited';
  return `${change.path} (${kind}, ${diffCounts(change.diff)})`;
}

/** Lines shown before and after the line of a syntax error. */
const contextLines = 3;
const maxShownLineChars = 160;
/** Changed lines shown when the error shows up far from them. */
const maxChangedLinesShown = 8;

/** Numbered lines `from`-`to` of `lines`, `mark` pointed at (its line flagged with `>`, its column with `^`). */
function numberedLines(lines: string[], from: number, to: number, mark?: { line: number; column: number }): string {
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const line = lines[n - 1] ?? '';
    const shown = line.length > maxShownLineChars ? `${line.slice(0, maxShownLineChars - 1)}…` : line;
    out.push(`${n === mark?.line ? '>' : ' '} ${String(n).padStart(width)} | ${shown}`);
    if (n === mark?.line && mark.column <= maxShownLineChars) out.push(`  ${' '.repeat(width)} | ${line.slice(0, mark.column - 1).replace(/[^\t]/g, ' ')}^`);
  }
  return out.join('\n');
}

/** A file's lines as shown: no carriage returns, no empty last line after the final newline. */
function shownLines(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The refusal of a change set whose first broken file is `change` (see `syntaxGate`). */
function syntaxRefusal(change: FileChange & { after: string }, regression: SyntaxRegression, others: string[]): ToolResult {
  const issue = regression.issues[0];
  const lines = shownLines(change.after);
  const out = [
    `The change was not applied: it would leave a syntax error in ${change.path} (${regression.language}), line ${issue.line}, column ` +
      `${issue.column}: ${issue.message}.`,
    numberedLines(lines, Math.max(1, issue.line - contextLines), Math.min(lines.length, issue.line + contextLines), issue),
  ];
  const near = (c: ChangedLines) => issue.line >= c.from - contextLines && issue.line <= Math.max(c.from, c.to) + contextLines;
  if (!regression.changed.some(near)) {
    const { from, to } = regression.changed.findLast((c) => c.from <= issue.line) ?? regression.changed[0];
    if (to >= from) {
      const shownTo = Math.min(to, from + maxChangedLinesShown - 1);
      out.push(`It shows up there; the changed ${to > from ? `lines ${from}-${to} may hold` : `line ${from} may hold`} an unclosed bracket, block or quote:`);
      out.push(numberedLines(lines, from, shownTo) + (shownTo < to ? `\n  (${to - shownTo} more changed lines)` : ''));
    } else out.push(`It shows up there; the change removed lines just before line ${from}.`);
  }
  if (regression.added > 1) out.push(`The change adds ${regression.added} syntax errors in all; the first is shown.`);
  if (others.length > 0) out.push(`Also broken: ${others.join(', ')}.`);
  out.push('Fix the edit so the file parses; nothing was written.');
  return { ...toolError('syntax', out.join('\n')), edit: { applied: [], deleted: [], unchanged: false } };
}

/** Shell scripts bash itself must parse within this long, or tree-sitter's verdict stands. */
const shellParseTimeoutMs = 2000;

/**
 * Whether bash itself parses `text` (`bash -n` reads, it runs nothing), for a shell script
 * tree-sitter refused: tree-sitter-bash rejects some valid scripts (`[[ $line == \[$section\] ]]`
 * in bash-ini-get: the model's working parser was refused twice), and bash is the judge of bash.
 * False when it is not a shell script, bash is missing, or it does not answer in time.
 */
function parsesWithShell(language: string, text: string): boolean {
  if (language !== 'bash') return false;
  const result = spawnSync('bash', ['-n'], { input: text, timeout: shellParseTimeoutMs, stdio: ['pipe', 'ignore', 'ignore'] });
  return !result.error && result.status === 0;
}

/**
 * The syntax gate: a change set that would leave any file with more tree-sitter parse errors than
 * it has now (see `syntaxRegression`) is refused before anyone is asked, as a `syntax` error that
 * shows the first new error in its code. Null when every changed file parses as well as before, or
 * has no grammar (Markdown, JSON, text...), or is over `maxBytes`.
 */
export function syntaxGate(changes: FileChange[], maxBytes: number): ToolResult | null {
  const broken: Array<{ change: FileChange & { after: string }; regression: SyntaxRegression }> = [];
  for (const change of changes) {
    if (change.after === null) continue;
    const regression = syntaxRegression(change.path, change.before, change.after, { maxBytes });
    if (regression && !parsesWithShell(regression.language, change.after)) broken.push({ change: { ...change, after: change.after }, regression });
  }
  if (broken.length === 0) return null;
  const others = broken.slice(1).map(({ change, regression }) => `${change.path} (line ${regression.issues[0].line}: ${regression.issues[0].message})`);
  return syntaxRefusal(broken[0].change, broken[0].regression, others);
}

/**
 * A refused change set's new files kept as drafts (`ToolContext.drafts`), and the refusal telling
 * the model it may fix them by an edit: written again whole, a new file costs the model minutes of
 * writing on a CPU, and the 1.5B model, refused a new test file for one bad line, edited another
 * file instead (the new one did not exist to edit).
 */
function keepDrafts(ctx: ToolContext, changes: readonly FileChange[], refused: ToolResult): ToolResult {
  const drafts = ctx.drafts;
  const created = changes.filter((c): c is FileChange & { after: string } => c.before === null && c.after !== null);
  if (!drafts || created.length === 0) return refused;
  for (const change of created) drafts.set(change.path, change.after);
  const many = created.length > 1;
  const note =
    `${created.map((c) => c.path).join(', ')} ${many ? 'are' : 'is'} kept as ${many ? 'drafts' : 'a draft'}: fix ${many ? 'them' : 'it'} with ` +
    `edit_file (find the draft's lines shown above, without their numbers, and replace them); ${many ? 'each is' : 'it is'} created once it parses.`;
  return { ...refused, forModel: `${refused.forModel}\n${note}` };
}

/**
 * `run` with `changes` staged (the sandbox sees them; nothing is written), then unstaged. A path a
 * run this one is inside has staged already keeps that text, and stays staged after: a repair's try
 * of a file holds the test of the report's case staged for it (a Rust test module), and staging the
 * test alone over it ran the code without the try.
 */
export async function withStaged<T>(workspace: ToolContext['workspace'], changes: FileChange[], run: () => Promise<T>): Promise<T> {
  const pending = new Set(workspace.pending().map((c) => c.path));
  const own = changes.filter((c) => !pending.has(c.path));
  workspace.stage(own);
  try {
    return await run();
  } finally {
    workspace.discard(own.map((c) => c.path));
  }
}

/** Files of one change set whose changed lines the observation shows. */
const maxViewedFiles = 3;

/**
 * Runs a change set through the syntax gate, approval and apply. `build` proposes the changes (it
 * may throw workspace errors); changes that alter nothing are dropped; a change that breaks the
 * syntax of a file is refused before it is staged or shown (`syntaxGate`). Text the user writes
 * in $EDITOR (the `edit` answer) is theirs and is not checked.
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
  if (changes.length === 0)
    return { forModel: 'No change: the file(s) already have exactly this content.', edit: { applied: [], deleted: [], unchanged: true } };
  if (signal.aborted) return toolError('aborted', 'The turn was cancelled; nothing was changed.');
  let amendedNotes: string[] = [];
  if (ctx.amendChanges) {
    try {
      const amended = await ctx.amendChanges(changes);
      if (amended) {
        changes = amended.changes.filter((c) => c.before !== c.after);
        amendedNotes = amended.notes;
      }
    } catch (error) {
      return workspaceError(error);
    }
    if (changes.length === 0) return { forModel: `No change: ${amendedNotes.join(' ')}`, edit: { applied: [], deleted: [], unchanged: true } };
  }
  const refused = syntaxGate(changes, ctx.config.index.maxFileBytes);
  if (refused) return keepDrafts(ctx, changes, refused);
  const paths = changes.map((c) => c.path);
  const held = ctx.holdChange?.(changes);
  if (held) return { ...toolError('held', held), edit: { applied: [], deleted: [], unchanged: false } };
  workspace.stage(changes);
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
        return toolError(
          'rejected',
          `The user rejected the change${changes.length > 1 ? 's' : ''} to ${paths.join(', ')}. Their reason: ${answer.reason || '(none given)'}`,
        );
      default:
        return answer satisfies never;
    }
    if (toApply.length === 0) return toolError('rejected', `The user approved none of the changes to ${paths.join(', ')}; nothing was written.`);
    if (signal.aborted) return toolError('aborted', 'The turn was cancelled; nothing was changed.');
    await workspace.apply(toApply);
    for (const change of toApply) ctx.drafts?.delete(change.path);
    const declined = paths.filter((p) => !toApply.some((c) => c.path === p));
    const lines = [`Applied: ${toApply.map(describe).join(', ')}.`, ...amendedNotes];
    if (declined.length > 0) lines.push(`The user declined the changes to ${declined.join(', ')}; those files are unchanged.`);
    if (userEdited.length > 0)
      lines.push(
        `The user edited the proposed text of ${userEdited.join(', ')} before applying; read ${userEdited.length > 1 ? 'them' : 'it'} again before ` +
          `editing further.`,
      );
    const edit = { applied: toApply.map((c) => c.path), deleted: toApply.filter((c) => c.after === null).map((c) => c.path), unchanged: false };
    // the model sees what its change made of each file (what the user edited, it is told to read)
    const views = toApply
      .filter((c) => !userEdited.includes(c.path))
      .slice(0, maxViewedFiles)
      .map((c) => changedLinesView(c.path, c.before, c.after))
      .filter(Boolean);
    return { forModel: [lines.join(' '), ...views].join('\n'), forUser: toApply.map((c) => c.diff).join('\n'), edit };
  } catch (error) {
    return workspaceError(error);
  } finally {
    workspace.discard(paths);
  }
}
