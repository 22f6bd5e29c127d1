/** The words of comment lines, and when a line copies the prose of comments put above a gap. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addedProse, commentText, copyKind, singleSpaced } from '../../src/text/comment-prose.ts';

test('a comment’s words, its markers left out and its spaces made single, in the usual comment styles', () => {
  assert.equal(commentText('# When SINCE is given,   as `YYYY-MM-DD`'), 'When SINCE is given, as `YYYY-MM-DD`');
  assert.equal(commentText('    // the total of the cart'), 'the total of the cart');
  assert.equal(commentText(' * Returns the page count. */'), 'Returns the page count.');
  assert.equal(commentText('-- rows of the day'), 'rows of the day');
  assert.equal(commentText('; settings'), 'settings');
  for (const code of ['#include <stdio.h>', '#!/usr/bin/env bash', '#[derive(Debug, Clone)]', '#define MAX 10', 'x = 1  # one', 'total -= 1'])
    assert.equal(commentText(code), undefined, code);
});

test('a comment line copies the prose when its words are part of it, however the prose was wrapped', () => {
  const prose =
    'Request: Implement log_summary.sh. When SINCE is given, as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, only entries at or after that moment count (`2024-03-02` means from midnight on).';
  assert.equal(copyKind('# When SINCE is given, as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, only entries at or after that', prose), 'copied');
  assert.equal(copyKind('#   moment count (`2024-03-02` means from midnight on).', prose), 'copied', 'rewrapped');
  assert.equal(copyKind('# at or after that moment', prose), 'between', 'too short to tell: a heading between copied paragraphs');
  assert.equal(copyKind('# Count the entries of each level', prose), 'other', 'its own words');
  assert.equal(copyKind('echo "When SINCE is given, as `YYYY-MM-DD`"', prose), 'other', 'code, not a comment');
  assert.equal(copyKind('   ', prose), 'between', 'a blank line');
});

test('a test script copied as comments, line by line, copies the test file made single-spaced', () => {
  const tests = singleSpaced('expect "reads a key" 0 "example.org" -- "$dir/app.ini" server host\nexpect "a missing key" 1 "" -- "$dir/app.ini" server user\n');
  assert.equal(copyKind('# expect "reads a key" 0 "example.org" -- "$dir/app.ini" server host', tests), 'copied');
  assert.equal(copyKind('# expect "a missing key" 1 ""   -- "$dir/app.ini" server user', tests), 'copied');
});

test('the prose a code gap must not copy is the comments put above it, not the file’s own', () => {
  const file = '#!/usr/bin/env bash\n# Usage: ini_get.sh FILE SECTION KEY, prints the value\necho stub\n';
  const prefix =
    '#!/usr/bin/env bash\n# Usage: ini_get.sh FILE SECTION KEY, prints the value\n# Request: Implement ini_get.sh so that the tests pass.\n#   Blank lines are ignored.\n';
  assert.equal(addedProse(prefix, file), 'Request: Implement ini_get.sh so that the tests pass. Blank lines are ignored.');
  assert.equal(addedProse(file, file), '');
});
