/** Which cases a request lists already have a test named for them (named-cases.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testName, testsNamedFor } from '../../../src/agent/test-writing/named-cases.ts';

const cases = ['spaces become hyphens', 'upper case becomes lower case', 'punctuation is dropped'];

test('a test is named for the case a word of its name is of, neighbouring words run together and stems matched', () => {
  assert.deepEqual(testsNamedFor(cases, ['def test_slugify_spaces():', 'def test_slugify_uppercase():', 'def test_drops_punctuation():'], ['slugify']), [
    'def test_slugify_spaces():',
    'def test_slugify_uppercase():',
    'def test_drops_punctuation():',
  ]);
  assert.deepEqual(
    testsNamedFor(['spaces become hyphens', 'matches are kept'], ['def test_match():', 'def test_space():']),
    ['def test_space():', 'def test_match():'],
    'plurals: -s, and -es after s, x, z, ch, sh',
  );
  assert.deepEqual(
    testsNamedFor(['a value below', 'inside', 'above the range'], ['func TestClampBelow(t *testing.T) {', 'func TestClampAbove(t *testing.T) {'], ['Clamp']),
    ['func TestClampBelow(t *testing.T) {', undefined, 'func TestClampAbove(t *testing.T) {'],
  );
});

test("no test is named for a case by the code's names, a word other cases share, or a test another case took", () => {
  assert.deepEqual(testsNamedFor(cases, ['def test_slugify():'], ['slugify']), [undefined, undefined, undefined], 'the name of the code under test');
  assert.deepEqual(testsNamedFor(['unknown paths', 'path parameters'], ["test('path', () => {"]), [undefined, undefined], '"path" is a word of both cases');
  assert.deepEqual(testsNamedFor(['spaces', 'tabs'], ['def test_spaces_and_tabs():']), ['def test_spaces_and_tabs():', undefined], 'one case a test');
});

test("a test's name is its title in quotes, else its function's name", () => {
  assert.equal(testName("test('drops punctuation', () => {"), 'drops punctuation');
  assert.equal(testName("  it 'numbers taken slugs' do"), 'numbers taken slugs');
  assert.equal(testName('func (s *Suite) TestBelow(t *testing.T) {'), 'TestBelow');
  assert.equal(testName('#[test]'), undefined);
});
