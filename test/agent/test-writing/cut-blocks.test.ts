/** Code completion's text cut off inside a block, closed at the indentation of each block it is in (cut-blocks.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closedBlocks } from '../../../src/agent/test-writing/cut-blocks.ts';

test('a Ruby test cut inside a loop of one line: the line once, then `end` for the method and the class', () => {
  const cut = `class SlugTest < Minitest::Test\n  def test_slugify\n${"    assert_equal 'a-b', Slug.slugify('a b')\n".repeat(12)}    assert_eq`;
  assert.equal(
    closedBlocks('test/test_slug.rb', cut),
    "class SlugTest < Minitest::Test\n  def test_slugify\n    assert_equal 'a-b', Slug.slugify('a b')\n  end\nend\n",
  );
});

test('JavaScript: the brackets each open line left open, reversed, with the semicolon; a test just begun is dropped', () => {
  const cut = "describe('x', () => {\n  test('a', () => {\n    assert.equal(f(1), 2);\n  });\n\n  test('b', () => {\n";
  assert.equal(closedBlocks('a.test.js', cut), "describe('x', () => {\n  test('a', () => {\n    assert.equal(f(1), 2);\n  });\n});\n");
  assert.equal(
    closedBlocks('lib_test.rs', 'mod tests {\n    #[test]\n    fn one() {\n        assert_eq!(f(), 1);\n'),
    'mod tests {\n    #[test]\n    fn one() {\n        assert_eq!(f(), 1);\n    }\n}\n',
  );
});

test('text that closes its blocks, and Python, are left as they are', () => {
  const whole = "test('a', () => {\n  assert.equal(1, 1);\n});\n";
  assert.equal(closedBlocks('a.test.js', whole), whole);
  const py = 'def test_a():\n    assert f() == 1\n    assert f() == 1\n    assert f() == 1\n';
  assert.equal(closedBlocks('test_a.py', py), py);
  assert.equal(closedBlocks('notes.unknown', 'x {\n  y'), 'x {\n  y');
});
