/**
 * Which tests a run says failed, and what those tests call. A fix's fault is in the code the
 * failing tests exercise, which the failure output rarely names (node's runner prints
 * "not ok 37 - back-to-back bookings are fine"; the test calls `bookRoom`, whose `findConflicts`
 * holds the bug), so the repair looks the tests up in the test files and reads the calls off
 * their bodies.
 */
import { calledNames } from '../../../tools/callees-note.ts';
import { testDefinitions } from '../checks/test-guard.ts';

/** Lines of a test body read at most (a test without a next definition ends here). */
const maxBodyLines = 60;

/**
 * The titles and names of the failing tests a run's output reports, in order, each once: TAP and
 * node's runner (`not ok 3 - title`), pytest (`FAILED path::test_x`, `path::test_x FAILED`), go
 * (`--- FAIL: TestX`), cargo (`test m::x ... FAILED`), minitest (`Failure:` / `Error:` then
 * `Class#test_x`), jest and vitest (`✕ title`, `● Suite › title`), RSpec (`rspec ./x_spec.rb:12 # title`).
 */
export function failingTestNames(output: string): string[] {
  const found: string[] = [];
  const add = (name: string | undefined) => {
    const clean = name?.trim().replace(/\s+\(\d+(\.\d+)?\s*m?s\)$/, '');
    if (clean && clean.length >= 3 && !found.includes(clean)) found.push(clean);
  };
  for (const line of output.split('\n')) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^\s*not ok \d+\s*(?:-\s*)?(.+?)\s*(?:#.*)?$/))) add(m[1]);
    else if ((m = line.match(/\bFAILED\s+\S*::(?:\w+::)*(\w+)/))) add(m[1]);
    else if ((m = line.match(/\S*::(\w+)(?:\[[^\]]*\])?\s+FAILED\b/))) add(m[1]);
    else if ((m = line.match(/^\s*--- FAIL: (\w+)/))) add(m[1]);
    else if ((m = line.match(/^test (?:\w+::)*(\w+) \.\.\. FAILED/))) add(m[1]);
    else if ((m = line.match(/^\s*[\w:]+#(test_\w+)/))) add(m[1]);
    else if ((m = line.match(/^\s*[✕✗×]\s+(.+)$/))) add(m[1]);
    else if ((m = line.match(/^\s*●\s+(?:.*›\s+)?(.+)$/))) add(m[1]);
    else if ((m = line.match(/^rspec \S+ # (.+)$/))) add(m[1]);
  }
  return found;
}

/** Whether `line` is where the test `name` is defined: a definition line that names it as a word or quotes it as a title. */
function definesTest(line: string, name: string): boolean {
  if (/^\w+$/.test(name)) return new RegExp(`\\b${name}\\b`).test(line) && /\b(def|func|fn|function|void|test|it)\b|#\[test\]|@Test/.test(line);
  return line.includes(`'${name}'`) || line.includes(`"${name}"`) || line.includes(`\`${name}\``);
}

/**
 * Where the tests `names` are in a test file's `text`: 1-based inclusive line ranges, from the line
 * that defines each test to the next test definition, at most 60 lines.
 */
export function testRanges(names: readonly string[], text: string): Array<{ from: number; to: number }> {
  const ranges: Array<{ from: number; to: number }> = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (!names.some((name) => definesTest(line, name))) continue;
    let end = i + 1;
    while (end < lines.length && end - i < maxBodyLines && testDefinitions(lines[end]).length === 0) end++;
    ranges.push({ from: i + 1, to: end });
  }
  return ranges;
}

/**
 * The bodies of the failing tests `names` in `tests` (path and text of each test file): from the
 * line that defines the test to the next test definition, at most 60 lines.
 */
export function failingTestBodies(names: readonly string[], tests: ReadonlyArray<{ path: string; text: string }>): string[] {
  return tests.flatMap(({ text }) => {
    const lines = text.split('\n');
    return testRanges(names, text).map(({ from, to }) => lines.slice(from - 1, to).join('\n'));
  });
}

/** The names the failing tests of `output` call, first called first; [] when no failing test is found in `tests`. */
export function callsOfFailingTests(output: string, tests: ReadonlyArray<{ path: string; text: string }>): string[] {
  return [...new Set(callsPerFailingTest(output, tests).flat())];
}

/** What each failing test of `output` calls, test by test (a test found in `tests` once each). */
export function callsPerFailingTest(output: string, tests: ReadonlyArray<{ path: string; text: string }>): string[][] {
  const names = failingTestNames(output);
  if (names.length === 0) return [];
  // (the test's own line defines it: its name is not a call)
  return failingTestBodies(names, tests).map((body) => calledNames(body.split('\n').slice(1).join('\n')));
}
