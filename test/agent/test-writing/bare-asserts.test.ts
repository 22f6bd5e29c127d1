/**
 * Top-level asserts in a pytest file become one test function each (bare-asserts.ts), and assist's
 * own settings are not the model's to write (kept-files.ts `settingsHeld`). Pure: texts in, texts out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertsAsTests, methodsAsMinitest } from '../../../src/agent/test-writing/bare-asserts.ts';
import { settingsHeld } from '../../../src/agent/intake/kept-files.ts';

test('each top-level assert of a pytest file becomes a test of its own; statements over lines stay whole', () => {
  const bare =
    'from slug import slugify\n\n# Tests\nassert slugify("A b") == "a-b"\nassert slugify(\n    "C, d!"\n) == "c-d"\n\ndef test_kept():\n    assert slugify("") == ""\n';
  const wrapped = assertsAsTests('test_slug.py', bare, 'slugify');
  assert.equal(
    wrapped?.text,
    'from slug import slugify\n\n# Tests\ndef test_slugify_1():\n    assert slugify("A b") == "a-b"\n\ndef test_slugify_2():\n    assert slugify(\n        "C, d!"\n    ) == "c-d"\n\ndef test_kept():\n    assert slugify("") == ""\n',
  );
  assert.match(wrapped?.what ?? '', /top-level asserts, which pytest does not collect as tests .* \(test_slugify_1 … test_slugify_2\)/);
  assert.equal(assertsAsTests('test_slug.py', 'def test_a():\n    assert True\n', 'slugify'), undefined, 'no bare assert');
  assert.equal(assertsAsTests('slug.py', bare, 'slugify'), undefined, 'not a test file');
  assert.match(assertsAsTests('tests/test_slug.py', 'assert 1\n', 'Slug.slugify')?.text ?? '', /^def test_slugify_1\(\):\n {4}assert 1\n$/);
});

test("assist's settings file is not the model's to write unless the request asks for it", () => {
  const change = { path: '.assistrc.json', before: null, after: '{ "tests": { "command": "npm test" } }\n', diff: '' };
  assert.match(settingsHeld([change], 'Add tests for median.') ?? '', /^Not applied: \.assistrc\.json holds assist's own settings/);
  assert.equal(settingsHeld([change], 'Set the test command in .assistrc.json to pytest.'), undefined);
  assert.equal(settingsHeld([{ ...change, path: 'config/.assistrc.json.example' }], 'Add tests.'), undefined);
});

test('minitest methods at the top level of a test file go into a test class, with minitest required', () => {
  const loose =
    "require_relative '../lib/slug'\n\ndef test_spaces\n  assert_equal 'a-b', Slug.slugify('A b')\nend\n\ndef test_empty\n  assert_equal 'untitled', Slug.slugify('')\nend\n";
  const classed = methodsAsMinitest('test/test_slug.rb', loose);
  assert.equal(
    classed?.text,
    "require_relative '../lib/slug'\nrequire 'minitest/autorun'\n\nclass TestSlug < Minitest::Test\n  def test_spaces\n    assert_equal 'a-b', Slug.slugify('A b')\n  end\n\n  def test_empty\n    assert_equal 'untitled', Slug.slugify('')\n  end\nend\n",
  );
  assert.match(classed?.what ?? '', /where minitest runs none of them; assist put them in `class TestSlug < Minitest::Test`/);
  const inClass = "require 'minitest/autorun'\n\nclass TestSlug < Minitest::Test\n  def test_a\n    assert true\n  end\nend\n";
  assert.equal(methodsAsMinitest('test/test_slug.rb', inClass), undefined);
  assert.equal(methodsAsMinitest('lib/slug.rb', loose), undefined, 'not a test file');
  const noRun = inClass.replace("require 'minitest/autorun'", "require 'minitest'");
  assert.equal(methodsAsMinitest('test/test_slug.rb', noRun)?.text, inClass, "require 'minitest' alone runs nothing");
});
