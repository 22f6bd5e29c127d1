/**
 * Turning edit tool arguments into proposed changes (shared by edit_file and edit_files): the
 * file's current text, search/replace edits applied all-or-nothing, or a whole new content
 * that keeps the file's final-newline habit.
 */
import { keepLeftOutSections, markdownPath } from './markdown-sections.ts';
import type { FileChange } from '../src/workspace/approval.ts';
import { applyEdits, type TextEdit, viewLineNumber } from '../src/workspace/text-edits.ts';
import { PathError, type Workspace } from '../src/workspace/workspace.ts';
import type { ToolErrorCode } from './tool.ts';
import type { RepoIndex } from '../src/index/repo-index.ts';
import { calleesNote } from './callees-note.ts';

/** An edit that could not be built; the message is for the model. */
export class EditError extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    /** The edits would change nothing: each replacement is the text it replaces. */
    readonly unchanged = false,
  ) {
    super(message);
  }
}

/**
 * `text` without the line numbers of read_file's view, when the model copied them (`12| code` on
 * every line, maybe after its header `src/db.ts (48 lines)`, even made a comment: `# src/db.py (55
 * lines)`): a small model wrote a file that way, header and all. Text where not every line is
 * numbered is left as it is; with `firstFree`, but for its first line: ts-fix-back-to-back's REPLACE
 * began with its SEARCH's first line, then went on in the view's numbered lines (`  14|     .prepare(`),
 * and the syntax gate refused it.
 */
export function withoutViewNumbers(text: string, options: { firstFree?: boolean } = {}): string {
  const lines = text.split('\n');
  const header = /^(?:(?:#|\/\/|--|;)\s*)?\S+ \((\d+ lines|lines \d+-\d+ of \d+)\)$/.test(lines[0] ?? '') ? 1 : 0;
  const body = lines.slice(header);
  const filled = body.filter((line) => line.trim() !== '');
  const numbered = options.firstFree && filled.length > 0 && !viewLineNumber.test(filled[0]) ? filled.slice(1) : filled;
  if (numbered.length < 2 || !numbered.every((line) => viewLineNumber.test(line))) return text;
  return body.map((line) => line.replace(viewLineNumber, '')).join('\n');
}

/** Files whose text may itself be a fenced block: prose formats, where a fence is content. */
const prose = /\.(md|markdown|mdx|txt|rst|adoc)$/i;

/**
 * `text` without a Markdown fence wrapped around all of it (a line "```bash" first, "```" last),
 * when the model fenced the code by chat habit inside the block or string that already carries it:
 * the 1.5B model wrote count.sh as "```bash\n#!/bin/bash\n…```", and bash ran the fence lines as
 * commands. A prose file (`path` .md, .txt, …) is left as it is: a fence there may be its content.
 */
export function withoutWrappingFence(text: string, path?: string): string {
  if (path && prose.test(path)) return text;
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last > 0 && lines[last].trim() === '') last--;
  if (last < 1 || !/^\s*```[\w+#.-]*\s*$/.test(lines[0])) return text;
  const bare = (line: string) => /^\s*```\s*$/.test(line);
  if (last >= 2 && bare(lines[last])) return `${lines.slice(1, last).join('\n')}\n`;
  // an opening fence alone: the text grammar closes a code block at the first bare fence, the model's own closing one
  if (!lines.slice(1).some(bare)) return `${lines.slice(1, last + 1).join('\n')}\n`;
  return text;
}

/**
 * The change for search/replace edits of one existing file, or of the draft of a new file the
 * syntax gate refused (`drafts`, see ToolContext.drafts) while no file is there.
 */
export async function proposeEdits(
  workspace: Workspace,
  path: string,
  edits: TextEdit[],
  index?: RepoIndex,
  near?: readonly number[],
  drafts?: ReadonlyMap<string, string>,
): Promise<FileChange> {
  const rel = workspace.relative(path);
  const draft = drafts?.get(rel);
  const before = await workspace.readForEdit(path).catch((error: unknown) => {
    if (draft !== undefined && error instanceof PathError && error.code === 'not_found') return draft;
    throw error;
  });
  const outcome = applyEdits(
    before,
    // (a numbered SEARCH is matched, and its REPLACE unnumbered, by applyEdits; here: a REPLACE numbered alone)
    edits.map((edit) => (withoutViewNumbers(edit.find) === edit.find ? { ...edit, replace: withoutViewNumbers(edit.replace, { firstFree: true }) } : edit)),
    rel,
    near,
  );
  if (!outcome.ok) {
    // lines copied unchanged: what they call may hold the fault
    const callees = outcome.unchanged ? await calleesNote(edits.map((e) => e.find).join('\n'), rel, index, workspace) : '';
    throw new EditError(outcome.code, callees ? `${outcome.message}\n${callees}` : outcome.message, !!outcome.unchanged);
  }
  return workspace.proposeChange(path, outcome.text);
}

/** A whole write may not shrink a file of this many lines or more to less than a fifth of them. */
const minLinesToGuard = 20;

/**
 * Refuses a whole-file write that would lose what the model has not looked at: emptying an
 * existing file, shrinking one of 20 lines or more to under a fifth, or replacing one it has not
 * read in this session (small models overwrite files they never read with a guess of their content).
 */
export function checkWholeWrite(change: FileChange, seen?: (path: string) => boolean): void {
  if (change.before === null || change.before === change.after) return;
  const lines = change.before.split('\n').length - (change.before.endsWith('\n') ? 1 : 0);
  if (change.before.trim() !== '' && (change.after ?? '').trim() === '') {
    throw new EditError(
      'invalid_args',
      `This would empty ${change.path} (${lines} lines); nothing was written. To change part of it, use edit_file; to remove it, use delete_file.`,
    );
  }
  const kept = (change.after ?? '').split('\n').length - ((change.after ?? '').endsWith('\n') ? 1 : 0);
  if (lines >= minLinesToGuard && kept * 5 < lines) {
    // ts-fix-back-to-back: a 160-line module became the one line "obj['replacement']" (valid syntax, so the gate let it through)
    throw new EditError(
      'invalid_args',
      `This would replace all ${lines} lines of ${change.path} with ${kept}; nothing was written. To change part of it, use edit_file with the ` +
        'lines to change; to remove it, use delete_file.',
    );
  }
  if (seen && !seen(change.path)) {
    throw new EditError(
      'invalid_args',
      `${change.path} already exists (${lines} lines) and you have not read it; nothing was written. Read it first with read_file, then change it ` +
        `with edit_file (or write its complete new content).`,
    );
  }
}

/**
 * The change for a whole-file write. An existing file keeps whether it ends with a newline; a new
 * file gets one unless empty. An existing Markdown document keeps the sections the text leaves out
 * (markdown-sections.ts); `keptSections` names them.
 */
export async function proposeContent(workspace: Workspace, path: string, written: string): Promise<FileChange & { keptSections?: string[] }> {
  let content = withoutViewNumbers(withoutWrappingFence(written, path));
  let change = await workspace.proposeChange(path, content);
  let keptSections: string[] = [];
  if (change.before !== null && markdownPath.test(path)) {
    const merged = keepLeftOutSections(change.before, content);
    if (merged.kept.length) {
      content = merged.text;
      keptSections = merged.kept;
      change = await workspace.proposeChange(path, content);
    }
  }
  const before = change.before;
  let after = content;
  if (before === null) {
    if (after !== '' && !after.endsWith('\n')) after += '\n';
  } else if (before !== '' && after !== '') {
    const hadNewline = before.endsWith('\n');
    if (hadNewline && !after.endsWith('\n')) after += '\n';
    if (!hadNewline && after.endsWith('\n') && !after.endsWith('\n\n')) after = after.slice(0, -1);
  }
  const final = after === content ? change : await workspace.proposeChange(path, after);
  return keptSections.length ? { ...final, keptSections } : final;
}

/** What the model is told of the sections a whole write of a Markdown file left out and kept. */
export function keptSectionsNote(path: string, kept: readonly string[]): string {
  return (
    `\nKept in ${path}: ${kept.length === 1 ? 'a section' : `${kept.length} sections`} your text left out, where ${kept.length === 1 ? 'it' : 'they'} stood (${kept.join(', ')}). ` +
    'To remove a section, use edit_file on its lines.'
  );
}
