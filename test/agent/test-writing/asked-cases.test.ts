/** The cases a request for tests lists (asked-cases.ts), in the shapes requests give them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { casesAsked } from '../../../src/agent/test-writing/asked-cases.ts';

test('a list after "cover at least", split at its semicolons, brackets kept whole', () => {
  assert.deepEqual(
    casesAsked(
      'Write unit tests for `Router` in tests/test_routing.py. Cover at least: a matching request gives the right handler, with `{id:int}` converted; a trailing slash is ignored; a 405 lists every allowed method (test a path with two methods; GET and POST); and registering twice is an error. Do not change routing.py.',
    ),
    [
      'a matching request gives the right handler, with `{id:int}` converted',
      'a trailing slash is ignored',
      'a 405 lists every allowed method (test a path with two methods; GET and POST)',
      'registering twice is an error',
    ],
  );
});

test('a list of commas: its last "and" splits the last item only when the list has none after a comma', () => {
  assert.deepEqual(casesAsked('Add a test file for it that checks route matching, path parameters, unknown paths and wrong methods.'), [
    'route matching',
    'path parameters',
    'unknown paths',
    'wrong methods',
  ]);
  assert.deepEqual(
    casesAsked('Write minitest tests in test/test_slug.rb for Slug.slugify: punctuation and spaces, leading and trailing separators, and the length limit.'),
    ['punctuation and spaces', 'leading and trailing separators', 'the length limit'],
  );
});

test('without commas the list splits at "and", outside brackets', () => {
  assert.deepEqual(casesAsked('Please add a test file covering freeSlots (a day with and without bookings) and findFreeRooms.'), [
    'freeSlots (a day with and without bookings)',
    'findFreeRooms',
  ]);
});

test('a request that lists fewer than two cases, or none, gives none', () => {
  assert.deepEqual(casesAsked('Add pytest tests for `slugify` in a new file test_slug.py: spaces become hyphens.'), []);
  assert.deepEqual(casesAsked('Add a test file test/median.test.js for `median` in src/median.js.'), []);
  assert.deepEqual(casesAsked('Fix the bug in the parser.'), []);
});
