/**
 * Stubs are filled in whole. Asked to implement a stub so its tests pass, the 1.5B model edits the
 * stub's own line instead of writing a body: in every exercise of every eval run it swapped
 * `NotImplementedError` for the `ArgumentError` a test expected and kept the message "not
 * implemented yet" (ruby-duration), turned `return -1; /* not implemented yet *\/` into
 * `return 0; /* not implemented yet *\/` (c-human-size), or reworded the "not implemented" echo
 * (bash-ini-get). A search/replace block frames the job as "change this line"; a whole file frames
 * it as "write this code" (as aider's whole-file format does). Measured: with this the model
 * writes real bodies (ruby-account ended at 4 of 6 tests passing), but no exercise passed yet.
 * So, in a turn that asks to implement something or make tests pass:
 * - a short file that holds stubs offers no search/replace edit (the text grammar leaves it out):
 *   it is written whole with write_file;
 * - a change that rewrites a stub line but leaves as many stubs as before implemented nothing, and
 *   is refused with the stubs it kept (any protocol, any file size);
 * - the intake's last look names the stubs and says to write the file whole.
 */
import type { FileChange } from '../../workspace/approval.ts';
import { isTestPath } from '../../languages/test-files.ts';
import { asksForChange } from '../intake/task-kind.ts';

/**
 * Lines that mark a body as not written yet, in the conventions of many languages and exercise
 * sets: "not implemented", NotImplementedError, Rust's `todo!()`/`unimplemented!()`, Go's
 * `panic("Please implement ...")`, Java's "write your own implementation", JS's "implement this
 * function", a "TODO: implement" comment.
 */
const stubMarker =
  /\byour\s+code\s+(goes\s+)?here\b|\badd\s+your\s+(code|implementation)\b|\bnot\s+(yet\s+)?implemented\b|\bNotImplemented(Error|Exception)?\b|\bunimplemented!\s*\(|\btodo!\s*\(|\bplease\s+implement\b|\bimplement\s+(this\s+(function|method)|me)\b|\byour\s+own\s+implementation\b|\bTODO\b:?\s+implement/i;
/** HTTP's "501 Not Implemented" is finished code. */
const httpStatus = /\b501\b|NOT_IMPLEMENTED/;

/** A Python body that is only `pass` (after its def line and an optional one-line docstring). */
function isPassBody(lines: readonly string[], i: number): boolean {
  if (!/^\s*pass\s*(#.*)?$/.test(lines[i])) return false;
  let j = i - 1;
  while (j >= 0 && lines[j].trim() === '') j--;
  if (j >= 0 && /^\s*[rbu]?("""|''').*\1\s*$/.test(lines[j])) j--;
  while (j >= 0 && lines[j].trim() === '') j--;
  return j >= 0 && /^\s*(async\s+)?def\s.*:\s*(#.*)?$/.test(lines[j]);
}

/** The 1-based numbers of the stub lines of `text`. */
export function stubLines(text: string): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) if ((stubMarker.test(lines[i]) && !httpStatus.test(lines[i])) || isPassBody(lines, i)) out.push(i + 1);
  return out;
}

/** Whether `task` asks to fill in code: implement, complete, fill in, or make tests pass ("the tests in hello_test.sh pass": a file name's dot ends no sentence). */
export function fillsStubs(task: string): boolean {
  return asksForChange(task) && (/\b(implement\w*|fill\s+in|complete|finish)\b/i.test(task) || /\btests?\b(?:[^.]|\.(?=\w))*\bpass\b/i.test(task));
}

/** Files of at most this many lines are written whole while they hold stubs. */
export const maxWholeStubLines = 150;

/** Whether `text` is a short file with stubs: one to write whole, not patch. */
export function writesWhole(text: string): boolean {
  return text.split('\n').length <= maxWholeStubLines && stubLines(text).length > 0;
}

/** Of files read, the short ones with stubs that are not tests: the code a stub task writes. */
export function stubFilesToWrite(read: ReadonlyArray<{ path: string; text: string }>): Array<{ path: string; text: string }> {
  return read.filter(({ path, text }) => !isTestPath(path) && writesWhole(text));
}

/** Stub lines shown in a note, each cut to this many characters. */
const maxNoteLineChars = 100;

/** "line 5: raise NotImplementedError, …; line 10: …" for the stubs of `text` (at most three). */
function describeStubs(text: string): string {
  const lines = text.split('\n');
  const stubs = stubLines(text);
  const shown = stubs.slice(0, 3).map((n) => {
    const line = lines[n - 1].trim();
    return `line ${n}: ${line.length > maxNoteLineChars ? `${line.slice(0, maxNoteLineChars - 1)}…` : line}`;
  });
  return shown.join('; ') + (stubs.length > 3 ? `; ${stubs.length - 3} more` : '');
}

/**
 * The refusal of a change set that rewrote a stub line of some file and left it as many stubs as
 * it had: it implemented nothing. Undefined when every change fills in, leaves alone, or removes stubs.
 */
export function keptStubs(changes: readonly FileChange[], writeTool: string | undefined): string | undefined {
  for (const change of changes) {
    if (change.before === null || change.after === null) continue;
    const before = stubLines(change.before);
    if (before.length === 0) continue;
    const afterLines = new Set(change.after.split('\n'));
    const beforeLines = change.before.split('\n');
    const touched = before.some((n) => !afterLines.has(beforeLines[n - 1]));
    if (!touched || stubLines(change.after).length < before.length) continue;
    const how = writeTool ? `Write ${change.path} whole with ${writeTool}` : `Write the code of ${change.path}`;
    return (
      `Not applied: the change rewrites a stub of ${change.path} but leaves it a stub (${describeStubs(change.after)}); it implements nothing. ` +
      `${how}: each stub replaced by code that does what the task and the tests ask, with the names and signatures the tests use.`
    );
  }
  return undefined;
}

/**
 * The refusal of a change that leaves a file with more stubs than it had (a new file whose function
 * is a placeholder): asked for `isPalindrome`, the 1.5B model wrote its body as `// Your code here`,
 * compiled it ("missing return statement"), and put the file back as it was. Undefined otherwise.
 */
export function addedStubs(changes: readonly FileChange[], writeTool: string | undefined): string | undefined {
  for (const change of changes) {
    if (change.after === null || isTestPath(change.path)) continue;
    // an abstract method's body is `pass` by design
    if (/\babstractmethod\b|\bABC\b|\bProtocol\b|\binterface\b|\babstract\b/.test(change.after)) continue;
    const before = change.before === null ? 0 : stubLines(change.before).length;
    if (stubLines(change.after).length <= before) continue;
    const how = writeTool ? `Call ${writeTool} with ${change.path} whole` : `Write the code of ${change.path}`;
    return (
      `Not applied: the change leaves placeholders in ${change.path} instead of code (${describeStubs(change.after)}). ` +
      `${how}: every function with the code that does what the task asks.`
    );
  }
  return undefined;
}

/** The line after the intake's last look in a turn that fills stubs, naming the short files with stubs it read; '' if none. */
export function stubHint(stubbed: ReadonlyArray<{ path: string; text: string }>, writeTool: string | undefined): string {
  if (stubbed.length === 0 || !writeTool) return '';
  const files = stubbed.map(({ path, text }) => `${path} (${describeStubs(text)})`).join(', ');
  const which = stubbed.length > 1 ? 'each file whole' : `${stubbed[0].path} whole`;
  return (
    `Next: the code to write is the stubs in ${files}. Write ${which} with ${writeTool}: every stub replaced by working code that ` +
    `does what the task and the tests ask, keeping the names and signatures the tests use.`
  );
}
