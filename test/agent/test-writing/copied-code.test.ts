/**
 * A test file that copies the code it is asked to test (copied-code.ts): the copy is replaced by an
 * import where that is certain (Python, CommonJS, Go), and the change is refused elsewhere. The
 * pure parts on texts; the turn with a scripted model (the loop is under test) on a real temp repo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { copiedDefinitions, copiesRefusal, replaceCopies, withoutCopies } from '../../../src/agent/test-writing/copied-code.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { lastPromptText, makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>, thought = ''): Action => ({ thought, tool, args });

const slug = 'import re\n\n\ndef slugify(title):\n    words = re.split(r"[^a-z0-9]+", title.lower())\n    return "-".join(w for w in words if w)\n';
/** What the 1.5B model wrote in py-add-test: the function, then its tests. */
const copyThenTests =
  'import re\n\ndef slugify(title):\n    """Lower-case words."""\n    words = re.split(r"[^a-z0-9]+", title.lower())\n    return "-".join(w for w in words if w)\n\n' +
  'def test_spaces():\n    assert slugify("a b") == "a-b"\n\ndef test_upper():\n    assert slugify("AB") == "ab"\n';
const onlySlugPy = (name: string) => (name === 'slugify' ? 'slug.py' : undefined);

test('a test file defining the function it tests holds a copy; its tests, helpers inside them and unknown names do not', () => {
  assert.deepEqual(copiedDefinitions('test_slug.py', copyThenTests, onlySlugPy), [{ name: 'slugify', line: 3, endLine: 6, from: 'slug.py' }]);
  const helper =
    'from slug import slugify\n\ndef check(t):\n    return slugify(t)\n\ndef test_a():\n    def slugify(t):\n        return t\n    assert check("a") == "a"\n';
  assert.deepEqual(copiedDefinitions('test_slug.py', helper, onlySlugPy), [], 'a name of its own, and a nested def');
  assert.deepEqual(copiedDefinitions('slug_copy.py', copyThenTests, onlySlugPy), [], 'not a test file');
  assert.deepEqual(
    copiedDefinitions('test_slug.py', copyThenTests, () => undefined),
    [],
    'the project defines no such name (or several files do)',
  );
  assert.equal(copiedDefinitions('test_slug.py', copyThenTests, onlySlugPy, () => slug).length, 1, 'the copy has the real lines');
  const fake = 'def slugify(title):\n    return "fixed-slug"\n\ndef test_page(monkeypatch):\n    assert slugify("x") == "fixed-slug"\n';
  assert.deepEqual(
    copiedDefinitions('test_page.py', fake, onlySlugPy, () => slug),
    [],
    'a test double of the same name is not a copy',
  );
});

test('the copy gives way to an import of the real code: Python beside it or in a package, CommonJS, Go in the same folder', () => {
  const copies = copiedDefinitions('test_slug.py', copyThenTests, onlySlugPy);
  const python = replaceCopies('test_slug.py', copyThenTests, copies, () => slug);
  assert.equal(
    python?.text,
    'import re\nfrom slug import slugify\n\ndef test_spaces():\n    assert slugify("a b") == "a-b"\n\ndef test_upper():\n    assert slugify("AB") == "ab"\n',
  );
  assert.match(python?.what ?? '', /^test_slug\.py defined its own `slugify`, a copy of the code in slug\.py: .* added `from slug import slugify`/);
  const nested = copiedDefinitions('tests/test_slug.py', copyThenTests, () => 'src/shop/slug.py');
  assert.match(replaceCopies('tests/test_slug.py', copyThenTests, nested, () => slug)?.text ?? '', /^import re\nfrom shop\.slug import slugify\n/);

  const median = 'function median(values) {\n  return values[0];\n}\nmodule.exports = { median };\n';
  const jsTest =
    "const test = require('node:test');\nconst assert = require('node:assert');\n\n/** The median. */\nfunction median(values) {\n  return values[0];\n}\n\n" +
    "test('odd', () => {\n  assert.strictEqual(median([1, 2, 3]), 2);\n});\n";
  const jsCopies = copiedDefinitions('test/median.test.js', jsTest, () => 'src/median.js');
  assert.deepEqual(
    jsCopies.map((c) => [c.name, c.line, c.endLine]),
    [['median', 5, 7]],
  );
  assert.equal(
    replaceCopies('test/median.test.js', jsTest, jsCopies, () => median)?.text,
    "const { median } = require('../src/median');\nconst test = require('node:test');\nconst assert = require('node:assert');\n\ntest('odd', () => {\n  assert.strictEqual(median([1, 2, 3]), 2);\n});\n",
  );
  assert.equal(
    replaceCopies('test/median.test.js', jsTest, jsCopies, () => 'export function median(v) {\n  return v[0];\n}\n'),
    undefined,
    'an ES module',
  );

  const goTest =
    'package clamp\n\nimport "testing"\n\nfunc Clamp(v, lo, hi int) int {\n\treturn v\n}\n\nfunc TestClamp(t *testing.T) {\n\tif Clamp(5, 0, 3) != 3 {\n\t\tt.Fatal()\n\t}\n}\n';
  const goCopies = copiedDefinitions('clamp_test.go', goTest, (name) => (name === 'Clamp' ? 'clamp.go' : undefined));
  assert.equal(
    replaceCopies('clamp_test.go', goTest, goCopies, () => '')?.text,
    'package clamp\n\nimport "testing"\n\nfunc TestClamp(t *testing.T) {\n\tif Clamp(5, 0, 3) != 3 {\n\t\tt.Fatal()\n\t}\n}\n',
  );

  const ruby =
    "require 'minitest/autorun'\n\nmodule Slug\n  def self.slugify(t)\n    t\n  end\nend\n\nclass TestSlug < Minitest::Test\n  def test_a\n    assert_equal 'a', Slug.slugify('a')\n  end\nend\n";
  const rubyCopies = copiedDefinitions('test/test_slug.rb', ruby, (name) => (name === 'Slug' ? 'lib/slug.rb' : undefined));
  assert.deepEqual(
    rubyCopies.map((c) => c.name),
    ['Slug'],
  );
  assert.equal(
    replaceCopies('test/test_slug.rb', ruby, rubyCopies, () => ''),
    undefined,
    'Ruby: the model redoes it',
  );
  assert.match(
    copiesRefusal('test/test_slug.rb', rubyCopies),
    /^Not applied: test\/test_slug\.rb defines its own `Slug` \(lines 3-7\), a copy of the code in lib\/slug\.rb/,
  );
});

test('closing up the lines a copy leaves keeps as many blank lines in a row as the file has elsewhere', () => {
  const pep8 = 'import re\n\n\ndef f():\n    pass\n\n\ndef test_f():\n    f()\n';
  assert.equal(withoutCopies(pep8, [{ name: 'f', line: 4, endLine: 5, from: 'f.py' }]), 'import re\n\n\ndef test_f():\n    f()\n');
  const js = "const a = 1;\n\nfunction f() {\n  return 1;\n}\n\ntest('f', () => {});\n";
  assert.equal(withoutCopies(js, [{ name: 'f', line: 3, endLine: 5, from: 'f.js' }]), "const a = 1;\n\ntest('f', () => {});\n");
});

test('asked for tests, the model writes the function and its tests: the test file it gets imports the real one, and it is told so', async (t) => {
  const repo = await makeRepo({ 'slug.py': slug });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('write_file', { path: 'test_slug.py', content: copyThenTests }), act('answer', { text: 'Done.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig(), model, tools: builtinTools });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Add pytest tests for `slugify` (in slug.py) in a new file test_slug.py. Do not change slug.py.');
  const written = await readFile(path.join(repo.root, 'test_slug.py'), 'utf8');
  assert.match(written, /^import re\nfrom slug import slugify\n\ndef test_spaces\(\):/);
  assert.doesNotMatch(written, /def slugify/);
  assert.equal(await readFile(path.join(repo.root, 'slug.py'), 'utf8'), slug);
  assert.match(
    lastPromptText(model.prompts, 1),
    /Applied: test_slug\.py \(created[^)]*\)\. test_slug\.py defined its own `slugify`, a copy of the code in slug\.py/,
  );
});
