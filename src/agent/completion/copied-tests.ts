/**
 * Code that is a copy of its tests. Asked for the code of a script with its test script before the
 * gap, the 1.5B model wrote the test script itself into ini_get.sh, twice in one run (bash-ini-get):
 * the copy runs `bash ini_get.sh`, itself, over and over until the try's time limit, 60 s of a
 * 300 s task each time. Such a try is not run: its new lines are mostly lines of the tests.
 */

/** Lines shorter than this (trimmed) are too common to tell a copy: `fi`, `end`, `}`, `return x`. */
const minLineChars = 10;
/** A copy has at least this many of the tests' lines among its new ones. */
const minCopiedLines = 4;

/** The lines of `text` long enough to tell a copy, trimmed. */
function significant(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= minLineChars);
}

/** The lines of the project's tests (`tests`: their texts) that tell a copy of them: read once, asked of every try. */
export function testLinesOf(tests: Iterable<string>): ReadonlySet<string> {
  const lines = new Set<string>();
  for (const text of tests) for (const line of significant(text)) lines.add(line);
  return lines;
}

/**
 * Whether `after` (a file's text after a change; `before`, its text before) adds mostly lines of
 * the tests (`testLines`, testLinesOf): at least four, and at least half of its new lines of some
 * length; or four of them in a row (the tests' data: bash-ini-get's greedy script began by writing
 * the test's INI file over the file it was given to read, then read it).
 */
export function copiesTests(before: string, after: string, testLines: ReadonlySet<string>): boolean {
  const old = new Set(significant(before));
  const added = significant(after).filter((line) => !old.has(line));
  if (added.length < minCopiedLines) return false;
  const copied = added.filter((line) => testLines.has(line)).length;
  if (copied >= minCopiedLines && copied * 2 >= added.length) return true;
  let run = 0;
  for (const line of added) {
    run = testLines.has(line) ? run + 1 : 0;
    if (run >= minCopiedLines) return true;
  }
  return false;
}

/**
 * Tries of one fill, watched for copies of the tests: once one is caught, what the model writes next
 * is written without the test files before it (the copy is of what it read nearest the gap; the
 * request's prose still says what the code must do).
 */
export class TestCopyWatch {
  private caught = false;
  constructor(private readonly testLines: ReadonlySet<string>) {}
  /** Whether the change from `before` to `after` copies the tests; if so, the tries after it read none. */
  copies(before: string, after: string): boolean {
    if (!copiesTests(before, after, this.testLines)) return false;
    this.caught = true;
    return true;
  }
  /** What to add to an infill's ask: the tests left out, after a copy. */
  get how(): { withoutTests?: true } {
    return this.caught ? { withoutTests: true } : {};
  }
}
