/** The part of a request about one function, as the comment above it that a stub's body is written under. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namesFunction, specParagraphs, wrappedLines } from '../../../src/agent/intake/spec-paragraphs.ts';

const sizes =
  'Implement the functions in size.c so that the tests in test_size.c pass. Run them with `make test`.\n\n' +
  '# Human-readable sizes\n\n' +
  '`int format_size(unsigned long long n, char *out, size_t size)` writes n bytes for people into `out`.\n' +
  'Below 1024 it writes `N B`.\n\n' +
  '- 1536 is `1.5 KiB`\n- 1048576 is `1.0 MiB`\n\n' +
  '`int parse_size(const char *text, unsigned long long *out)` reads a size, `1.5K` is 1536.\n\n' +
  'Nothing else is allowed.';

test('each function gets the paragraphs that name it and the ones after them that name no other', () => {
  const names = ['format_size', 'parse_size'];
  assert.equal(
    specParagraphs(sizes, 'format_size', names),
    '`int format_size(unsigned long long n, char *out, size_t size)` writes n bytes for people into `out`.\nBelow 1024 it writes `N B`.\n\n' +
      '- 1536 is `1.5 KiB`\n- 1048576 is `1.0 MiB`',
  );
  assert.equal(
    specParagraphs(sizes, 'parse_size', names),
    '`int parse_size(const char *text, unsigned long long *out)` reads a size, `1.5K` is 1536.\n\nNothing else is allowed.',
  );
});

test('a function the request does not name, or the only one, gets the whole request without its headings and what it says of the tests', () => {
  const whole = specParagraphs(sizes, '<=>', ['format_size', '<=>']);
  assert.ok(whole.startsWith('`int format_size('), 'the paragraph that names test_size.c is about the tests');
  assert.ok(!whole.includes('# Human'), 'headings left out');
  assert.ok(whole.endsWith('Nothing else is allowed.'));
  assert.equal(specParagraphs(sizes, 'format_size', ['format_size']), whole);
});

test('a long specification is cut at a paragraph that fits', () => {
  const long = `${'a'.repeat(900)}\n\n${'b'.repeat(900)}`;
  assert.equal(specParagraphs(long, 'f', ['f']), 'a'.repeat(900));
  assert.equal(specParagraphs('c'.repeat(2000), 'f', ['f']).length, 1500);
});

test('names are words, an operator is itself', () => {
  assert.ok(namesFunction('`Version.parse(text)` reads', 'parse'));
  assert.ok(!namesFunction('the parser reads', 'parse'));
  assert.ok(!namesFunction('to_string', 'to_s'));
  assert.ok(namesFunction('compares with <=> as usual', '<=>'));
  assert.ok(namesFunction('call $get', '$get'));
});

test('as comment lines: paragraphs wrapped at 96 columns, list items on lines of their own', () => {
  const lines = wrappedLines(`${'word '.repeat(30).trim()}\nmore.\n\n- one\n- two`);
  assert.ok(lines.every((l) => l.length <= 96));
  assert.deepEqual(lines.slice(-3), ['', '- one', '- two']);
  assert.deepEqual(wrappedLines('x'), ['x']);
});
