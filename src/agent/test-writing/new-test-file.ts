/**
 * Where new tests of a file go, and which of the project's tests to write them like. Asked to "add
 * a test file" for src/http/router.ts "like the other tests", the 1.5B model spent its first step
 * (38 s on two cores) reading a test of its own choosing, then answered "No changes needed" twice
 * without writing one (ts-add-test-router). A developer would open a neighbouring test, copy its
 * imports and helpers, and name the new file the way the others are named; the intake shows that
 * test, and an answer with no test written goes back with the path the project's conventions give.
 */
import path from 'node:path';
import { languageOf } from '../../index/languages.ts';
import { isTestPath, testedName } from '../../languages/test-files.ts';
import { namesModule } from '../intake/intake.ts';
import { testSites } from './test-sites.ts';
import { failureCount } from '../attempts.ts';

/** A project file with its text (undefined: unreadable) for choosing an example. */
export interface KnownFile {
  path: string;
  text: string | undefined;
}

/** Lines of an example test that are worth reading: the imports, the helpers and a few tests. */
const exampleLines = 80;

/**
 * The project's test, in the language of `code`, to write new tests of `code` like: one that
 * imports code beside it (its helpers and fixtures are the ones to use), else one in the same part
 * of the tree; of those the shortest that holds a test. Undefined when the project has none.
 */
export function exampleTest(code: string, tests: readonly KnownFile[]): string | undefined {
  const language = languageOf(code);
  const codeDir = path.posix.dirname(code);
  const top = code.split('/')[0];
  let best: { path: string; score: number; lines: number } | undefined;
  for (const test of tests) {
    if (test.text === undefined || !isTestPath(test.path) || languageOf(test.path) !== language) continue;
    const lines = test.text.split('\n').length;
    // (a file of the test folder that defines no test is a helper, not an example to write tests like:
    // ts-add-test-availability was shown test/helpers.ts, and the file written held no test)
    if (lines < 5 || testSites(test.path, test.text).length === 0) continue;
    const score =
      (namesModule(test.text, code) ? 4 : 0) +
      (test.text.includes(`${codeDir}/`) || path.posix.dirname(test.path) === codeDir ? 2 : 0) +
      (test.path.split('/')[0] === top ? 1 : 0);
    if (!best || score > best.score || (score === best.score && lines < best.lines)) best = { path: test.path, score, lines };
  }
  return best?.path;
}

/** The lines of `example` (its text) to read: all of a short one, the head of a long one. */
export function exampleRange(text: string): { from: number; to: number } | undefined {
  const total = text.split('\n').length;
  return total <= exampleLines ? undefined : { from: 1, to: exampleLines };
}

/**
 * The path a new test of `code` gets by the project's conventions (`tests`: its test files): the
 * name pattern and folder most of them share (test/http-api.test.ts → test/router.test.ts for
 * src/http/router.ts; tests/test_export.py; clamp_test.go beside clamp.go). Undefined when the
 * project has no test in that language, or the path is taken.
 */
export function newTestPath(code: string, tests: readonly string[]): string | undefined {
  const language = languageOf(code);
  const stem = path.posix.basename(code).replace(/\.[^.]+$/, '');
  const votes = new Map<string, number>();
  for (const test of tests) {
    if (!isTestPath(test) || languageOf(test) !== language) continue;
    const base = path.posix.basename(test);
    const tested = testedName(test);
    if (!tested || !base.includes(tested)) continue;
    const pattern = base.replace(tested, '\u0000');
    const dir = path.posix.dirname(test);
    // a test beside its code (Go's rule) stays beside the new code; one in a tests folder goes to that folder
    const where = /(^|\/)(tests?|spec|__tests__)(\/|$)/.test(dir)
      ? dir
          .split('/')
          .slice(0, dir.split('/').findIndex((d) => /^(tests?|spec|__tests__)$/.test(d)) + 1)
          .join('/')
      : '\u0001';
    const key = `${where}\u0002${pattern}`;
    votes.set(key, (votes.get(key) ?? 0) + 1);
  }
  const top = [...votes].sort((a, b) => b[1] - a[1])[0];
  if (!top) return undefined;
  const [where, pattern] = top[0].split('\u0002');
  const name = pattern.replace('\u0000', stem);
  const file = where === '\u0001' ? path.posix.join(path.posix.dirname(code), name) : path.posix.join(where, name);
  return tests.includes(file) ? undefined : file;
}

/**
 * A write that replaces the code under test with tests, in a turn asked to add them in `testFile`
 * (not there yet): pyapp-test-export's model wrote its tests of tally/services/export.py over
 * export.py itself (refused: the request keeps it), after 160 s of writing, and had no time left
 * to write them again. Those tests belong in the test file: the change moves there, the code stays.
 * `testLines(text)` counts the lines that define tests. True when `before` (code, no tests) is
 * mostly gone from `after`, which defines tests.
 */
export function testsOverCode(before: string | null, after: string | null, testLines: (text: string) => number): boolean {
  if (before === null || after === null || testLines(before) > 0 || testLines(after) === 0) return false;
  const kept = new Set(after.split('\n').map((line) => line.trim()));
  const code = before.split('\n').filter((line) => line.trim().length > 3);
  return code.filter((line) => kept.has(line.trim())).length < code.length / 2;
}

/**
 * Whether `run` failed only because `file` is not there: the command a request names runs the test
 * file it asks for (ruby-add-test-slug: `ruby -Ilib -Itest test/test_slug.rb` → "No such file or
 * directory -- test/test_slug.rb (LoadError)"), which is no failure of the code.
 */
export function onlyMissing(run: { stdout: string; stderr: string }, file: string): boolean {
  const output = `${run.stdout}\n${run.stderr}`;
  return (
    output.includes(file) &&
    /no such file|cannot find|can't open|cannot open|not found|does not exist|ENOENT/i.test(output) &&
    (failureCount(output) ?? 0) === 0
  );
}
