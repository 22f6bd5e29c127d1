/**
 * Where a project's tests are in a test file, read from their lines: each test's first line (its
 * attributes and annotations too: `#[test]`, `@Test`, `@pytest.mark…`), the line that defines it,
 * and its last line, by indentation (the first line after it as far left as its definition ends it:
 * a closer such as `}`, `});` or `end` is the test's own last line, anything else begins what comes
 * next). And which test a request's words are nearest to, for a new test to be written beside it.
 */
import { testDefinitions } from '../checks/test-guard.ts';

/** One test of a file; lines 0-based. */
export interface TestSite {
  path: string;
  /** First line of the test: its attributes, or the definition. */
  start: number;
  /** The line that defines it. */
  def: number;
  /** Its last line. */
  end: number;
}

/** Lines that group tests rather than being one (`describe(`, `context`, `#[cfg(test)]`). */
const grouping = /^\s*(#\[cfg\(test\)\]|(describe|context)\b)/;
/** Lines that go with the definition below them: attributes, annotations, decorators. */
const attribute = /^\s*(#\[|@[\w.]+)/;
/** A line that closes the block it ends (the test's own last line). */
const closer = /^\s*(\}|\)|\]|end\b)/;

const indentOf = (line: string) => /^\s*/.exec(line)?.[0].length ?? 0;

/** The last line (0-based) of a block whose first line is `def`: by indentation; undefined when the text ends before a bracketed block closes. */
export function blockEnd(lines: readonly string[], def: number): number | undefined {
  const indent = indentOf(lines[def]);
  for (let i = def + 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    if (indentOf(lines[i]) > indent) continue;
    if (closer.test(lines[i])) return i;
    // (Python: the block ended on the last non-blank line before this one)
    let last = i - 1;
    while (last > def && !lines[last].trim()) last--;
    return last;
  }
  // the text ends: an indented block (Python's `…:`) ends with it, a bracketed one is not closed
  let last = lines.length - 1;
  while (last > def && !lines[last].trim()) last--;
  return last > def && /:\s*(#.*)?$/.test(lines[def]) ? last : undefined;
}

/** The tests of a file, in order (a test whose block does not end is left out). */
export function testSites(path: string, text: string): TestSite[] {
  const lines = text.split('\n');
  const sites: TestSite[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (testDefinitions(lines[i]).length === 0 || grouping.test(lines[i])) continue;
    let start = i;
    let def = i;
    // an attribute that marks a test (`#[test]`, `@Test`): the definition is the line below
    if (attribute.test(lines[i])) {
      def = i + 1;
      while (def < lines.length && (attribute.test(lines[def]) || !lines[def].trim())) def++;
      if (def >= lines.length) break;
    }
    while (start > 0 && attribute.test(lines[start - 1]) && indentOf(lines[start - 1]) === indentOf(lines[def])) start--;
    const end = blockEnd(lines, def);
    if (end === undefined) continue;
    sites.push({ path, start, def, end });
    i = end;
  }
  return sites;
}

/**
 * The start of a new test like the one defined on `defLine`: the line up to its name, with the
 * name's test prefix (`def test_`, `func Test`, `test('`, `it "`, `    fn `); undefined when the line
 * names no test in a way these read.
 */
export function testOpener(defLine: string): string | undefined {
  const quoted = /^(.*?\b(?:it|test|specify)\s*\(?\s*)(['"`])/.exec(defLine);
  if (quoted) return quoted[1] + quoted[2];
  const named = /^(.*?\b(?:def|func|fn|void|sub)\s+)(test_|Test|test)?([A-Za-z_]\w*)/.exec(defLine);
  if (named) return named[1] + (named[2] ?? '');
  return undefined;
}

/**
 * The lines of a test file that begin as `opener` does (`def test_`, `func Test`, `test('`), ends'
 * spaces off: the first lines of its tests, which a test written after them may not copy (the
 * engine stops a middle that begins as one: `notFirstLines`).
 */
export function openedLines(lines: readonly string[], opener: string): string[] {
  const opened = opener.trim();
  return lines.map((line) => line.trim()).filter((line) => line.startsWith(opened));
}

/** Words of a request worth matching in tests: identifiers and numbers of 3+ characters, lower case, no common English. */
export function requestWords(task: string): Set<string> {
  const words = task.toLowerCase().match(/[a-z_$][\w$]{2,}|\d{2,}/g) ?? [];
  return new Set(words.filter((w) => !common.has(w)).map(singular));
}

const singular = (word: string) => (word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word);

const common = new Set(
  (
    'the and for are was were with that this then than there their they them these those from into when what which while ' +
    'should would could can not but have has had been being does did done its our your you all any also only just like ' +
    'please fix fixes bug bugs find keep existing test tests passing pass error errors instead some someone other through ' +
    'user users report reports reported way how why who get got give gives make makes made use used using same still too ' +
    'one two each every both more most less very much many new old out about after before again'
  ).split(' '),
);

/**
 * The test nearest to `task` by its words (each word that occurs in a test counts by how rare it is
 * among the tests: "pages" in one test tells more than "entries" in ten), undefined when no test
 * shares a word with it. `files`: test files with their text.
 */
export function nearestTest(task: string, files: ReadonlyArray<{ path: string; text: string }>): (TestSite & { score: number }) | undefined {
  const wanted = requestWords(task);
  const all = files.flatMap(({ path, text }) => {
    const lines = text.split('\n');
    return testSites(path, text).map((site) => ({
      site,
      words: new Set(
        (
          lines
            .slice(site.start, site.end + 1)
            .join('\n')
            .toLowerCase()
            .match(/[a-z_$][\w$]{2,}|\d{2,}/g) ?? []
        ).map(singular),
      ),
    }));
  });
  const counts = new Map<string, number>();
  for (const { words } of all) for (const word of words) if (wanted.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  let best: (TestSite & { score: number }) | undefined;
  for (const { site, words } of all) {
    let score = 0;
    for (const word of words) if (wanted.has(word)) score += Math.log(1 + all.length / (counts.get(word) ?? 1));
    if (score > 0 && (!best || score > best.score)) best = { ...site, score };
  }
  return best;
}
