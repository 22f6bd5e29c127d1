require 'minitest/autorun'
require 'slug'

class TestSlug < Minitest::Test
  def test_punctuation_and_spaces_become_one_hyphen
    assert_equal 'hello-world', Slug.slugify('Hello,   World!')
  end

  def test_separators_at_the_ends_are_trimmed
    assert_equal 'a-b', Slug.slugify('  --a b--  ')
  end

  def test_long_titles_are_cut_without_a_trailing_hyphen
    title = "#{'a' * 59} bcd"
    slug = Slug.slugify(title)
    assert_equal 'a' * 59, slug
    assert_operator Slug.slugify('x' * 100).length, :<=, Slug::MAX_LENGTH
    assert_equal 60, Slug.slugify('x' * 100).length
  end

  def test_nothing_left_is_untitled
    assert_equal 'untitled', Slug.slugify('')
    assert_equal 'untitled', Slug.slugify('!!!')
  end

  def test_unique_numbers_taken_slugs
    assert_equal 'post', Slug.unique('Post', [])
    assert_equal 'post-2', Slug.unique('Post', ['post'])
    assert_equal 'post-3', Slug.unique('Post', ['post', 'post-2'])
  end
end
