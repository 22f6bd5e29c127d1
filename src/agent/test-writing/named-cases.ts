/**
 * The cases a request lists (asked-cases.ts) that a passing test of the new file is already named
 * for: `def test_slugify_spaces` for "spaces become hyphens", `func TestClampBelow` for "a value
 * below", `test('drops punctuation', …)` for "punctuation is dropped". Code completion asked for the
 * whole file mostly writes a test per case in the request's order and names each for its case; asked
 * again for each case, it wrote the same test once more, which was left out as a repeat and sampled
 * twice more (py-add-test: three passing tests in 12 s, then 60 s of writes that all repeated them).
 * A case is matched by a word of its own (no other case has it) in one test's name, each test for
 * one case at most; the names of the code under test ("slugify" in every name) match none.
 */

/** Words that say nothing of which case a test is for. */
const stopWords = new Set(
  'a an and are as at be become becomes by case cases for from gets given gives has have in into is it its of on or should that the then this to when with without works test tests value values'.split(
    ' ',
  ),
);

/** A word cut to its stem, enough to match "spaces" with "space", "matches" with "match" and "dropped" with "drop". */
function stem(word: string): string {
  const cut = /(?:ss|us|is)$/.test(word) ? word : word.replace(/(?:ing|ed)$|(?<=(?:s|x|z|ch|sh))es$|s$/, '');
  const base = cut.length >= 3 ? cut : word;
  // ("dropped" → "dropp" → "drop")
  return base.length >= 4 && base.at(-1) === base.at(-2) ? base.slice(0, -1) : base;
}

/** The words of a name or phrase, lower-cased: `test_slugify_upperCase`, "Upper case" → slugify, upper, case. */
function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The stems a phrase can be matched by: each word that says something, and each two neighbours run together ("upper case" → uppercase). */
function keys(text: string): Set<string> {
  const words = wordsOf(text);
  const out = new Set<string>();
  for (const [i, word] of words.entries()) {
    if (word.length >= 3 && !stopWords.has(word)) out.add(stem(word));
    if (i > 0) out.add(stem(`${words[i - 1]}${word}`));
  }
  return out;
}

/** The name a test is known by: the title in quotes (`test('drops punctuation', …)`), else the function's name. */
export function testName(defLine: string): string | undefined {
  const title = /^\s*(?:it|test|specify|t\.Run|\w+\.(?:it|test))(?:\s*\(\s*|\s+)(['"`])((?:(?!\1).)+)\1/.exec(defLine);
  if (title) return title[2];
  return /\b(?:def|fn|func|function|void)\s+(?:\([^)]*\)\s*)?(\w+)/.exec(defLine)?.[1];
}

/**
 * For each case of `cases`, the def line of a test in `defLines` named for it (a word of the case no
 * other case has, not a word of the code's names `subjectNames`), or undefined; each test named for
 * one case at most, the cases taken in order.
 */
export function testsNamedFor(cases: readonly string[], defLines: readonly string[], subjectNames: readonly string[] = []): Array<string | undefined> {
  const common = new Set(subjectNames.flatMap((name) => [...keys(name)]));
  const caseKeys = cases.map((item) => keys(item));
  const own = caseKeys.map((mine, i) => new Set([...mine].filter((key) => !common.has(key) && caseKeys.every((other, j) => j === i || !other.has(key)))));
  const tests = defLines.map((line) => ({ line, keys: keys(testName(line) ?? '') }));
  const claimed = new Set<string>();
  return own.map((mine) => {
    const test = tests.find(({ line, keys: named }) => !claimed.has(line) && [...mine].some((key) => named.has(key)));
    if (test) claimed.add(test.line);
    return test?.line;
  });
}
