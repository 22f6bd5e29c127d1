/**
 * Rails's test habits in a Ruby project that runs plain minitest. Asked for "minitest tests in
 * test/test_slug.rb", the 1.5B model wrote `require 'test_helper'` and `class SlugTest <
 * ActiveSupport::TestCase` with `test "…" do` blocks, as a Rails app's tests are; ruby stopped at
 * "cannot load such file -- test_helper", and the model, reading that, tried to write a
 * test_helper.rb with no test in it, twice, and gave up (ruby-add-test-slug). Where the project has
 * no test_helper.rb and no Rails, their meaning is certain: the file requires minitest/autorun,
 * its class is a `Minitest::Test`, each `test "name" do` block is a `def test_name` method, and
 * ActiveSupport's `assert_not…` assertions are minitest's `refute…`.
 */

/** The error a test file with Rails's habits stops at in a project without them. */
const railsFailure = /cannot load such file -- test_helper\b|uninitialized constant (?:\w+::)*ActiveSupport\b|undefined method [`'‘]test[’'] for/;

/** ActiveSupport's assertions and the minitest ones that check the same. */
const refutes: ReadonlyArray<[RegExp, string]> = [
  [/\bassert_not_equal\b/g, 'refute_equal'],
  [/\bassert_not_nil\b/g, 'refute_nil'],
  [/\bassert_not_includes\b/g, 'refute_includes'],
  [/\bassert_not_empty\b/g, 'refute_empty'],
  [/\bassert_not_predicate\b/g, 'refute_predicate'],
  [/\bassert_not\b/g, 'refute'],
];

/** `name` as a method name's part: lower case, words joined by `_`. */
function methodWords(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'case'
  );
}

/**
 * `text` (a Ruby test file) written for plain minitest, when `output` (its failed run) shows it
 * stopped at a Rails habit and the project has no test helper (`hasTestHelper`) nor Rails
 * (`gemfile`); undefined when nothing here applies.
 */
export function minitestFix(text: string, output: string, hasTestHelper: boolean, gemfile: string | undefined): { text: string; what: string } | undefined {
  if (hasTestHelper || /\brails\b/i.test(gemfile ?? '') || !railsFailure.test(output)) return undefined;
  const what: string[] = [];
  let next = text;
  const helper = /^[ \t]*require(?:_relative)?[ \t]*\(?[ \t]*['"](?:\.\/)?test_helper(?:\.rb)?['"][ \t]*\)?[ \t]*$/m;
  if (helper.test(next)) {
    next = /^\s*require\s*\(?\s*['"]minitest\/autorun['"]/m.test(next) ? next.replace(helper, '') : next.replace(helper, "require 'minitest/autorun'");
    what.push("`require 'minitest/autorun'` instead of the test_helper the project does not have");
  }
  if (/<\s*ActiveSupport::TestCase\b/.test(next)) {
    next = next.replace(/<\s*ActiveSupport::TestCase\b/g, '< Minitest::Test');
    what.push('the class is a `Minitest::Test` (ActiveSupport::TestCase is Rails)');
  }
  const taken = new Set<string>();
  let blocks = 0;
  next = next.replace(/^([ \t]*)test\s*\(?\s*(["'])((?:(?!\2)[^\\\n]|\\.)*)\2\s*\)?\s*do[ \t]*$/gm, (_, indent: string, _q: string, name: string) => {
    let method = `test_${methodWords(name)}`;
    for (let n = 2; taken.has(method); n++) method = `test_${methodWords(name)}_${n}`;
    taken.add(method);
    blocks++;
    return `${indent}def ${method}`;
  });
  next = next.replace(/^([ \t]*)(setup|teardown)\s+do[ \t]*$/gm, (_, indent: string, hook: string) => {
    blocks++;
    return `${indent}def ${hook}`;
  });
  if (blocks > 0) what.push('each `test "…" do` block is a `def test_…` method (minitest has no `test` blocks)');
  let refuted = false;
  for (const [pattern, minitest] of refutes) {
    const replaced = next.replace(pattern, minitest);
    if (replaced !== next) refuted = true;
    next = replaced;
  }
  if (refuted) what.push("ActiveSupport's `assert_not…` became minitest's `refute…`");
  if (!/^\s*require\s*\(?\s*['"]minitest\/autorun['"]/m.test(next) && what.length > 0) {
    next = `require 'minitest/autorun'\n${next}`;
    what.push("`require 'minitest/autorun'` added");
  }
  return next === text ? undefined : { text: next, what: what.join('; ') };
}
