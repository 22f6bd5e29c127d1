/**
 * A pytest file whose checks are bare `assert` lines at its top level. Asked for pytest tests, the
 * 1.5B model wrote `# Tests` and six top-level asserts (py-add-test), four times: pytest collects
 * no test from that (a top-level assert runs once, at import, and a failing one is a collection
 * error), so it was refused as "no test" each time. Their intent is certain: each is a test. assist
 * puts each in a test function of its own (`def test_slugify_1():`), so each passes or fails alone.
 */
import { languageOf } from '../../index/languages.ts';
import { isTestPath } from '../../languages/test-files.ts';

/** Whether brackets and strings opened on `line` are still open at its end (a statement that goes on). */
function opens(line: string, depth: number): number {
  let d = depth;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '#') break;
    else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) d++;
    else if (')]}'.includes(c)) d--;
  }
  return d;
}

/**
 * Python test file `file` (text `text`) with each top-level `assert` statement in a test function
 * of its own, named for `subject` (`slugify`, `Slug.slugify`); undefined when it has none, or is not
 * a Python test file.
 */
export function assertsAsTests(file: string, text: string, subject: string): { text: string; what: string } | undefined {
  if (languageOf(file) !== 'python' || !isTestPath(file)) return undefined;
  const base = (subject.split(/[.:]/).pop() ?? '').replace(/\W/g, '').toLowerCase() || 'case';
  const lines = text.split('\n');
  const out: string[] = [];
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!/^assert\b/.test(lines[i])) {
      out.push(lines[i]);
      continue;
    }
    const statement = [lines[i]];
    let depth = opens(lines[i], 0);
    while ((depth > 0 || /\\$/.test(statement.at(-1)!)) && i + 1 < lines.length) {
      i++;
      statement.push(lines[i]);
      depth = opens(lines[i], depth);
    }
    count++;
    if (out.length > 0 && out.at(-1)!.trim() !== '' && !out.at(-1)!.startsWith('#')) out.push('');
    out.push(`def test_${base}_${count}():`, ...statement.map((line) => `    ${line}`), '');
  }
  if (count === 0) return undefined;
  const joined = out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\n*$/, '\n');
  return {
    text: joined,
    what:
      `${file} checked with top-level asserts, which pytest does not collect as tests (they run once, at import); assist put each in a test ` +
      `function of its own (test_${base}_1${count > 1 ? ` … test_${base}_${count}` : ''}).`,
  };
}

/**
 * A minitest file whose `def test_…` methods stand at its top level, outside any test class:
 * minitest runs none of them (ruby-add-test-slug's model wrote five, and the run "passed" with no
 * test). Their intent is certain: they go into a `Minitest::Test` class named for the file
 * (test/test_slug.rb: `TestSlug`), with `require 'minitest/autorun'` when the file lacks it.
 * Undefined when the file has a test class already, or no such method.
 */
export function methodsAsMinitest(file: string, text: string): { text: string; what: string } | undefined {
  if (languageOf(file) !== 'ruby' || !isTestPath(file) || /_spec\.rb$/.test(file)) return undefined;
  const autorun = /^\s*require\s+['"]minitest\/autorun['"]/m.test(text) || /\bMinitest\.(autorun|run)\b/.test(text);
  if (/^\s*class\s+\w+\s*<\s*(Minitest|MiniTest)::(Test|Unit::TestCase)\b/m.test(text)) {
    // a test class with `require 'minitest'` alone: `ruby test/test_slug.rb` runs none of it and exits 0
    const bare = /^([ \t]*require[ \t]+)(['"])minitest\2[ \t]*$/m.exec(text);
    if (autorun || !bare) return undefined;
    return {
      text: text.replace(bare[0], `${bare[1]}${bare[2]}minitest/autorun${bare[2]}`),
      what: `${file} required 'minitest' alone, which runs no test; assist made it \`require 'minitest/autorun'\`.`,
    };
  }
  if (/^\s*(RSpec\.)?describe\b/m.test(text)) return undefined;
  const lines = text.split('\n');
  const first = lines.findIndex((line) => /^def test_\w+/.test(line));
  if (first < 0) return undefined;
  // the last top-level `end` closing a top-level def: the class holds everything from the first test to it
  let last = -1;
  for (let i = first; i < lines.length; i++) if (/^end\b/.test(lines[i])) last = i;
  if (last < first) return undefined;
  const base = (file.split('/').pop() ?? '').replace(/\.rb$/, '').replace(/^test_|_test$/g, '');
  const name = `Test${base.replace(/(^|[_-])(\w)/g, (_, __, c: string) => c.toUpperCase()) || 'Code'}`;
  const body = lines.slice(first, last + 1).map((line) => (line.trim() ? `  ${line}` : line));
  const head = lines.slice(0, first);
  if (!autorun) {
    const at = head.findLastIndex((line) => /^\s*require(_relative)?\s/.test(line));
    head.splice(at + 1, 0, "require 'minitest/autorun'");
  }
  const out = [...head, `class ${name} < Minitest::Test`, ...body, 'end', ...lines.slice(last + 1)].join('\n');
  return {
    text: out,
    what: `${file} defined its tests at the top level, where minitest runs none of them; assist put them in \`class ${name} < Minitest::Test\`.`,
  };
}
