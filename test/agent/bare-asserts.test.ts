/**
 * Top-level asserts in a pytest file become one test function each (bare-asserts.ts), and assist's
 * own settings are not the model's to write (kept-files.ts `settingsHeld`). Pure: texts in, texts out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertsAsTests } from '../../src/agent/bare-asserts.ts';
import { settingsHeld } from '../../src/agent/kept-files.ts';

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
