/**
 * The failing tests of a fix are its specification. Small models, shown a failing assertion,
 * often "fix" the assertion instead of the code (seen in the eval: the expected total rewritten
 * to match the wrong one). In a turn that asks for a change and whose tests failed before the first
 * step, every change to a test file is held back with a note saying so, unless the request is about
 * the tests themselves ("fix the test", "add a test"). It used to be held once, the same change made
 * again applied (the test might really be wrong): the 1.5B model took that way out whenever it was
 * offered (c-fix-strlen: `!= 5` flipped to `== 5`, repeated, applied, "the test now passes"). The
 * model may say in its answer that a test looks wrong; the person decides. In the text protocol
 * the grammar offers no search/replace edit of a test file at all.
 */
import { isTestPath } from '../../languages/test-files.ts';
import { languageOf } from '../../index/languages.ts';
import type { WorkspaceView } from '../../model/text-grammar.ts';
import type { FileChange } from '../../workspace/approval.ts';
import { asksForChange } from '../intake/task-kind.ts';

/** A request that is itself about writing or changing tests: its test files are fair game. */
const aboutEditingTests = /\b(add|write|create|update|change|edit|extend|correct|rewrite|fix)\s+(\w+\s+){0,3}(unit\s+)?(tests?|specs?)\b(?!\s+pass)/i;

/** "without changing the tests", "do not edit the test file", "tests must not change", "make the tests pass without changing them". */
const keepTests =
  /\b(without|not|never|n't)\s+(\w+\s+){0,2}(chang|edit|modif|touch|alter|rewrit)\w*\s+(\w+\s+){0,2}(tests?|specs?)\b|\b(tests?|specs?)\s+(must|should|may)\s+not\s+(be\s+)?(chang|edit|modif)|\bnot\s+in\s+the\s+tests?\b|\btests?\b[^.]*\bwithout\s+(chang|edit|modif|touch)\w*\s+them\b/i;

/** Whether test files are guarded in a turn asked `task` whose tests failed at the start. */
export function guardsTests(task: string): boolean {
  // "Do not change the tests" names changing tests too: the negation wins
  return asksForChange(task) && (keepTests.test(task) || !aboutEditingTests.test(task));
}

/**
 * Lines that define a test inside a code file: Rust's `#[test]` and `#[cfg(test)]`, Python's and
 * Ruby's `def test_…` (Ruby's with no parentheses: minitest's `def test_slugify`), Go's
 * `func Test…`, Java's and C#'s `@Test`/`[Test]`/`[Fact]`, JS/TS `it(`/`test(`/`describe(`, and
 * RSpec's and minitest/spec's `it 'does' do`, `describe Slug do`. rust-fix-average wrote
 * src/stats.rs whole without its test module after the tests had passed; `cargo test` then ran 0
 * tests and "passed".
 */
const testDefinition =
  /^\s*(#\[(test|cfg\(test\))\]|def test_?\w*\s*([(:]|$)|func Test\w*\s*\(|@Test\b|\[(Test|Fact|TestMethod)\]|(it|test|describe)\s*\(\s*['"`]|(it|test|specify|describe|context)\s+(['"]|[A-Z]\w*(::\w+)*\s+do\b))/;

/** The languages whose test definitions `testDefinition` knows: a test file in another may hold tests it cannot see. */
const knownTestLanguages = new Set(['python', 'javascript', 'typescript', 'tsx', 'go', 'rust', 'java', 'ruby']);

/**
 * What the tests of a request for tests are to call, for the words of a refusal: the first
 * backticked name (`slugify`, `median()`), else a `Module.method` the request names
 * (Slug.slugify), else "the code". A backticked command (`ruby -Ilib -Itest test/test_slug.rb`) is
 * not a name: ruby-add-test-slug's refusal said "each calls ruby".
 */
export function testSubjectOf(task: string): string {
  return /`([A-Za-z_$][\w$.]*)(?:\(\))?`/.exec(task)?.[1] ?? /\b[A-Z]\w*(?:\.|::)[a-z_]\w*[?!]?/.exec(task)?.[0] ?? 'the code';
}

/**
 * Whether `task` keeps the code as it is while asking for something else ("Do not change slug.py",
 * "Don't change the router itself"): its behaviour is then the reference new tests are written to.
 */
export function keepsCodeAsIs(task: string): boolean {
  return /\b(don'?t|do not|never|without)\s+(\w+\s+)?(chang|modif|edit|touch|alter)\w*\b(?![^.]*\btests?\b)/i.test(task);
}

/** Whether `task` asks for tests to be written ("Add pytest tests for `slugify`", "Write a test file for ..."). */
export function asksForTests(task: string): boolean {
  // a verb of the request's own sentence: not `add(2, 3)` in a code example, nor a sentence on another line
  return asksForChange(task) && /\b(add|write|create|cover)\s[^.\n]*\btests?\b/i.test(task);
}

/**
 * The refusal of a change that leaves a test file with no test in it, in a turn that asks for tests:
 * asked for pytest tests of `slugify`, the 1.5B model wrote test_slug.py as a copy of the function,
 * ran it with `python3` (which passed, running nothing) and answered. Undefined otherwise.
 */
export function testlessTestFile(changes: readonly FileChange[], subject: string): string | undefined {
  for (const change of changes) {
    // (a file named as a test: a helper or an empty __init__.py in a tests folder holds no test by design)
    const name = change.path.split('/').pop() ?? '';
    if (!/^test_|_test\.|\.test\.|\.spec\.|_spec\.|Tests?\.\w+$/.test(name)) continue;
    if (change.after === null || !isTestPath(change.path) || !knownTestLanguages.has(languageOf(change.path) ?? '')) continue;
    if (testDefinitions(change.after).length > 0) continue;
    return (
      `Not applied: ${change.path} would hold no test (no test function or test case in it). Write tests: each calls ${subject} ` +
      'with one input and asserts what it must return.'
    );
  }
  return undefined;
}

/**
 * The refusal of a change that takes tests the project has out of a test file (or deletes it), in a
 * turn that asks for tests to be added: the model, its new tests failing in the new file, wrote the
 * project's test/services.test.ts whole as its own 17 lines, then tried to delete it
 * (ts-add-test-availability). `newFile`: where the new tests go, when the request says. Undefined
 * when no change drops a test, or the request `task` asks for tests (or a test file) to go, move or be rewritten.
 */
export function droppedProjectTests(changes: readonly FileChange[], newFile: string | undefined, task: string): string | undefined {
  // (a request that also asks for tests to go, move or be rewritten may take them out; "punctuation is
  // dropped", a case to test, does not)
  if (/\b(?:remov|delet|drop|replac|rewrit|merg|mov|consolidat|renam)\w*\s+(?:[\w'-]+\s+){0,4}?(?:tests?|specs?|[\w./-]*tests?[\w./-]*)\b/i.test(task))
    return undefined;
  for (const change of changes) {
    if (change.before === null || change.path === newFile || !isTestPath(change.path)) continue;
    const gone = droppedTests(change)?.gone ?? [];
    if (gone.length === 0) continue;
    const where = newFile ? `Write the new tests in ${newFile}` : `Add the new tests after the tests of ${change.path}, keeping those`;
    return (
      `Not applied: this change ${change.after === null ? 'deletes' : 'takes'} ${gone.length} of the project's tests ${change.after === null ? 'in' : 'out of'} ` +
      `${change.path} (${gone
        .slice(0, 3)
        .map((line) => `\`${line.trim()}\``)
        .join(', ')}${gone.length > 3 ? ', …' : ''}), and the task asks for tests to be added: the project's tests stay as they are. ${where}.`
    );
  }
  return undefined;
}

/** The test-defining lines of a change's file before and after it, and those gone, when it leaves fewer than it found; undefined otherwise. */
function droppedTests(change: FileChange): { before: string[]; after: string[]; gone: string[] } | undefined {
  const before = testDefinitions(change.before);
  const after = testDefinitions(change.after);
  if (after.length >= before.length) return undefined;
  return { before, after, gone: before.filter((line) => !after.includes(line)) };
}

/** Whether any of `files` is a test file (by the table's test-file names). */
export function anyTestFile(files: readonly string[]): boolean {
  return files.some((file) => isTestPath(file));
}

/**
 * Whether `files` hold a test file and, besides tests, no code (settings and docs are not code): a
 * turn that changed only these has not touched the code under test.
 */
export function onlyTestFiles(files: readonly string[]): boolean {
  return files.some((file) => isTestPath(file)) && files.every((file) => isTestPath(file) || languageOf(file) === null);
}

/** The test-defining lines of `text`, in order. */
export function testDefinitions(text: string | null): string[] {
  return (text ?? '').split('\n').filter((line) => testDefinition.test(line));
}

/**
 * A quoted file name in a test (`'nope.ini'`, `"data/in.csv"`, `"$dir/nope.ini"`, `f"{tmp}/a.cfg"`):
 * a name with an extension, no spaces, maybe in a folder the test names by a variable.
 */
const quotedFile = /(['"`])(?:\$\{?\w+\}?\/|\{\w+\}\/)?((?:[\w.-]+\/)*[\w-][\w.-]*\.[A-Za-z]\w{0,5})\1/g;

/**
 * The data files `tests` (path → text) name in quotes that `exists` says are not there, each with the
 * first test file naming it: a test that reads a file it does not make expects it missing
 * (bash-ini-get's `nope.ini`, for "the file cannot be read, exit 2"), and one it makes itself is its own.
 */
export function fixturesNamed(tests: ReadonlyMap<string, string>, exists: (path: string) => boolean): Map<string, string> {
  const named = new Map<string, string>();
  for (const [file, text] of tests) {
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const [, , name] of text.matchAll(quotedFile)) {
      // (a code file a test names is a module to write, `#include "calc.h"`, not a fixture)
      if (named.has(name) || languageOf(name) !== null || exists(name) || exists(`${dir}${name}`) || /^\.\.?\//.test(name)) continue;
      named.set(name, file);
    }
  }
  return named;
}

export class TestEditGuard {
  /**
   * `fixtures`: files the tests name that are not there (fixturesNamed), each with a test file
   * naming it. A change that makes one is held: the tests are the specification, and a file they
   * expect missing, made, passes them by changing what they test (bash-ini-get: the model wrote
   * `nope.ini`, the file the tests read to see the script fail, three times).
   */
  constructor(private readonly fixtures: ReadonlyMap<string, string> = new Map()) {}

  /** The note refusing a change set that touches test files or drops tests from code files, or undefined to let it through. */
  hold(changes: readonly FileChange[]): string | undefined {
    for (const change of changes) {
      if (change.before !== null || change.after === null) continue;
      const name = [...this.fixtures.keys()].find((f) => change.path === f || change.path.endsWith(`/${f}`));
      if (!name) continue;
      return (
        `Not applied: ${change.path} is a file ${this.fixtures.get(name)} names and does not find, and the task is to make the tests ` +
        'pass without changing them: a test that reads a file it does not make expects it missing (to see the code fail on it), so ' +
        'making it changes what the test checks. Change the code under test instead; if the file is really missing, say so in your answer.'
      );
    }
    const tests = changes.map((c) => c.path).filter((p) => isTestPath(p));
    if (tests.length > 0) {
      const what = tests.length > 1 ? `${tests.join(', ')} are test files` : `${tests[0]} is a test file`;
      return (
        `Not applied: ${what}, and the task is to make the failing tests pass: they say what the code must do, so they do not change. ` +
        'Change the code they test instead (the failure names the function and the values it expected). If a test itself looks wrong, ' +
        'say so in your answer.'
      );
    }
    for (const change of changes) {
      const dropped = droppedTests(change);
      if (!dropped) continue;
      const { before, after } = dropped;
      const gone = dropped.gone.map((line) => `  ${line.trim()}`);
      return (
        `Not applied: this change drops tests from ${change.path} (${before.length} test lines before, ${after.length} after)` +
        `${gone.length ? `:\n${gone.slice(0, 5).join('\n')}\n` : '. '}The tests say what the code must do: keep every one of them as it is and ` +
        'change only the code they test. When you write the file whole, copy its tests unchanged.'
      );
    }
    return undefined;
  }
}

/** The grammar's view of the workspace, with no test file to edit while `guard` holds them. */
export function editableView(view: WorkspaceView, guard: TestEditGuard | undefined): WorkspaceView {
  if (!guard || !view.seen) return view;
  return { ...view, seen: new Map([...view.seen].filter(([file]) => !isTestPath(file))) };
}
