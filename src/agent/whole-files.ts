/**
 * Short files are changed by writing them whole. The 1.5B model, patching with search/replace,
 * copied its lines unchanged in about 4 of 10 edit actions of this session's eval runs; aider,
 * driving the same GGUF with its whole-file format (the model writes the file back with the
 * change in it), fixed 4 of 7 small-workspace bugs where assist fixed 1 in the same run. So with
 * the text action format, a file of at most `agent.wholeFileLines` lines offers no search/replace
 * edit (the grammar leaves it out of the anchors): it is changed with write_file, whole. In a turn
 * that fills stubs, a file with stubs is written whole up to `maxWholeStubLines` (see stub-guard).
 * Longer files are patched: rewriting them costs a step minutes of tokens.
 */
import type { WorkspaceView } from '../model/text-grammar.ts';
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
