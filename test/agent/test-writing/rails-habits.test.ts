/**
 * Rails's test habits in a plain-minitest project (rails-habits.ts), and a Ruby constant a new test
 * never requires (compiler-fixes.ts): written the minitest way only where that is certain. The
 * turn test runs the real ruby in the sandbox: the file the 1.5B model wrote in ruby-add-test-slug
 * stops at its first line; fixed, its tests run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { compilerFixes } from '../../../src/agent/checks/compiler-fixes.ts';
import { minitestFix } from '../../../src/agent/test-writing/rails-habits.ts';
import type { Action } from '../../../src/model/language-model.ts';
import { ScriptedModel } from '../../../src/model/scripted-model.ts';
import { builtinTools } from '../../../tools/index.ts';
import { makeRepo, startSession, testConfig } from '../harness.ts';

const act = (tool: string, args: Record<string, unknown>): Action => ({ thought: '', tool, args });

/** What the 1.5B model wrote in ruby-add-test-slug (shortened). */
const railsStyle =
  "require 'test_helper'\n\nclass SlugTest < ActiveSupport::TestCase\n  test \"slugify with hyphens\" do\n    assert_equal 'hello-world', Slug.slugify('hello, world')\n  end\n\n" +
  "  test 'slugify with hyphens' do\n    assert_not_equal 'x', Slug.slugify('y')\n  end\nend\n";
const loadError =
  "<internal:/usr/lib/ruby/vendor_ruby/rubygems/core_ext/kernel_require.rb>:85:in `require': cannot load such file -- test_helper (LoadError)\n" +
  "\tfrom test/test_slug.rb:1:in `<main>'\n";
const slug = "module Slug\n  def self.slugify(title)\n    title.downcase.gsub(/[^a-z0-9]+/, '-').gsub(/^-|-$/, '')\n  end\nend\n";

test('the test_helper, the ActiveSupport class, test blocks and assert_not become plain minitest', () => {
  const fixed = minitestFix(railsStyle, loadError, false, undefined);
  assert.ok(fixed);
  assert.equal(
    fixed.text,
    "require 'minitest/autorun'\n\nclass SlugTest < Minitest::Test\n  def test_slugify_with_hyphens\n    assert_equal 'hello-world', Slug.slugify('hello, world')\n  end\n\n" +
      "  def test_slugify_with_hyphens_2\n    refute_equal 'x', Slug.slugify('y')\n  end\nend\n",
  );
  assert.match(fixed.what, /minitest\/autorun[^]*Minitest::Test[^]*def test_[^]*refute/);
  assert.equal(minitestFix(railsStyle, loadError, true, undefined), undefined, 'a project with its own test_helper.rb');
  assert.equal(minitestFix(railsStyle, loadError, false, "gem 'rails', '~> 7.1'\n"), undefined, 'a Rails project');
  assert.equal(minitestFix(railsStyle, '1 runs, 1 assertions, 1 failures, 0 errors', false, undefined), undefined, 'a run that did not stop at a habit');
});

test("minitest's old name, MiniTest, where the installed minitest no longer defines it: Minitest", async () => {
  const old = "require 'minitest/autorun'\n\nclass SlugTest < MiniTest::Test\nend\n";
  const tree: Record<string, string> = { 'test/test_slug.rb': old };
  const output = "test/test_slug.rb:3:in '<main>': uninitialized constant MiniTest (NameError)\n";
  const [fix] = await compilerFixes(
    output,
    ['test/test_slug.rb'],
    async (f) => tree[f],
    async () => Object.keys(tree),
  );
  assert.equal(fix.text, "require 'minitest/autorun'\n\nclass SlugTest < Minitest::Test\nend\n");
  assert.deepEqual(
    await compilerFixes(
      '1 runs, 1 assertions, 0 failures, 0 errors\n',
      ['test/test_slug.rb'],
      async (f) => tree[f],
      async () => [],
    ),
    [],
  );
});

test('a constant the test never requires gets the require of the one project file named for it', async () => {
  const tree: Record<string, string> = { 'lib/slug.rb': slug, 'test/test_slug.rb': "require 'minitest/autorun'\n\nclass SlugTest < Minitest::Test\nend\n" };
  const read = async (f: string) => tree[f];
  const list = async () => Object.keys(tree);
  const output = "SlugTest#test_dots:\nNameError: uninitialized constant SlugTest::Slug\n    test/test_slug.rb:5:in `test_dots'\n";
  const definer = (name: string) => (name === 'Slug' ? 'lib/slug.rb' : undefined);
  const [fix] = await compilerFixes(output, ['test/test_slug.rb'], read, list, { definer, files: () => Object.keys(tree) });
  assert.equal(fix.text, "require 'minitest/autorun'\nrequire_relative '../lib/slug'\n\nclass SlugTest < Minitest::Test\nend\n");
  assert.match(fix.what, /required lib\/slug\.rb/);
  const other = 'NameError: uninitialized constant SlugTest::Widget\n    test/test_slug.rb:5\n';
  assert.deepEqual(await compilerFixes(other, ['test/test_slug.rb'], read, list, { definer, files: () => Object.keys(tree) }), [], 'no file defines it');
});

test('in a turn: the Rails-style test file is written for minitest, required what it tests, and its tests run', async (t) => {
  const repo = await makeRepo({ 'lib/slug.rb': slug });
  t.after(repo.cleanup);
  const model = new ScriptedModel([act('write_file', { path: 'test/test_slug.rb', content: railsStyle }), act('answer', { text: 'Added tests.' })]);
  const s = await startSession(t, { root: repo.root, config: testConfig({ autoTest: 'on' }), model, tools: builtinTools, needsSandbox: true });
  if (!s) return;
  t.after(() => s.session.dispose());
  await s.session.agent.runTurn('Write minitest tests in test/test_slug.rb for Slug.slugify. Run them with `ruby -Ilib -Itest test/test_slug.rb`.');
  const written = await fs.readFile(path.join(repo.root, 'test/test_slug.rb'), 'utf8');
  assert.match(written, /^require 'minitest\/autorun'\nrequire_relative '\.\.\/lib\/slug'\n/);
  assert.match(written, /class SlugTest < Minitest::Test\n {2}def test_slugify_with_hyphens\n/);
  const seen = model.prompts[1].at(-1)!.content;
  assert.match(seen, /assist fixed it \(test\/test_slug\.rb: `require 'minitest\/autorun'`/);
  assert.match(seen, /tests PASSED/, seen);
});
