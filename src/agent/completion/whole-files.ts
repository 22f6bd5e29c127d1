/**
 * Which files are changed by writing them whole rather than patched. In a turn that fills stubs,
 * a short file with stubs is (see stub-guard). By size, `agent.wholeFileLines` (default 0: none):
 * aider's whole-file format fixed 4 of 7 small-workspace bugs on the same GGUF where assist's
 * search/replace fixed 1 in the same peer run, but offering short files (up to 80 lines) only
 * whole to the 1.5B model made it worse (0 of the first 5 fixes, against 1-4 in five earlier runs):
 * it wrote files back unchanged, with read_file's line numbers, or rewrote go.mod instead of the
 * code. The setting stays for larger models.
 */
import type { WorkspaceView } from '../../model/text-grammar.ts';
import { writesWhole } from './stub-guard.ts';

/** How a turn decides which files are written whole. */
export interface WholeFileRule {
  /** Files of at most this many lines; 0: none by size. */
  maxLines: number;
  /** The turn fills stubs: a short file with stubs too. */
  stubTurn: boolean;
}

/** The number of lines of `text` (a final newline ends the last line; it does not start another). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Whether a file with `text` is changed by writing it whole under `rule`. */
export function writtenWhole(text: string, rule: WholeFileRule): boolean {
  return (rule.maxLines > 0 && lineCount(text) <= rule.maxLines) || (rule.stubTurn && writesWhole(text));
}

/** The grammar's view without the files written whole as search/replace targets. */
export function wholeWriteView(view: WorkspaceView, rule: WholeFileRule): WorkspaceView {
  if (!view.seen) return view;
  const seen = new Map([...view.seen].filter(([, text]) => !writtenWhole(text, rule)));
  return seen.size === view.seen.size ? view : { ...view, seen };
}
