/**
 * What an answer that describes a fix instead of making it points at: small models diagnose in
 * prose ("The bug is in tally/api/pagination.py, in the `page_count` function … the fix is to
 * calculate the number of pages correctly") and answer, and told only that the request asks for a
 * change, the 1.5B model answered again that it would make none. The reminder then shows the lines
 * of the function the answer names, so the next step has them in front of it.
 */
import type { RepoIndex } from '../../index/repo-index.ts';
import { isTestPath } from '../../languages/test-files.ts';
import { viewLine } from '../../workspace/text-edits.ts';
import { identifiersIn } from '../project-context.ts';

export interface AnswerTarget {
  name: string;
  path: string;
  from: number;
  to: number;
  /** Its lines, numbered as read_file shows them. */
  lines: string;
}

/** Lines of a named function shown at most. */
const maxShownLines = 30;

/**
 * The first function or method `answer` names as code that the project defines once, outside the
 * tests, with its lines as read_file shows them; undefined when it names none.
 */
export async function answerTarget(
  answer: string,
  index: RepoIndex | undefined,
  textOf: (path: string) => Promise<string | undefined>,
): Promise<AnswerTarget | undefined> {
  if (!index) return undefined;
  for (const name of identifiersIn(answer)) {
    let defs: Array<{ path: string; kind: string; line: number; endLine: number }> = [];
    try {
      defs = index.symbols(name, { maxRefs: 0 }).defs.filter((d) => (d.kind === 'function' || d.kind === 'method') && !isTestPath(d.path));
    } catch {
      return undefined;
    }
    if (defs.length !== 1) continue;
    const [def] = defs;
    const text = await textOf(def.path);
    if (text === undefined) continue;
    const all = text.split('\n');
    const to = Math.min(def.endLine, def.line + maxShownLines - 1, all.length);
    const width = String(to).length;
    const lines = all
      .slice(def.line - 1, to)
      .map((line, i) => viewLine(def.line + i, width, line))
      .join('\n');
    return { name, path: def.path, from: def.line, to, lines };
  }
  return undefined;
}

/** The reminder's addition for `target`: its lines, and the edit to make there. */
export function answerTargetNote(target: AnswerTarget, editTool: string | undefined): string {
  return (
    `\nYour answer names \`${target.name}\` (${target.path}:${target.from}-${target.to}):\n${target.lines}\n` +
    `If the fault is there, fix it now${editTool ? ` with ${editTool}` : ''}: the wrong line copied exactly, then the line as it must be.`
  );
}
