require 'minitest/autorun'
require_relative 'version'

class VersionTest < Minitest::Test
  def v(text)
    Version.parse(text)
  end

  def test_parses_the_three_numbers
    version = v('1.4.2')
    assert_equal [1, 4, 2], [version.major, version.minor, version.patch]
    assert_equal [], version.prerelease
    assert_equal [], version.build
  end

  def test_parses_prerelease_and_build
    version = v('2.0.0-rc.1+build.7')
    assert_equal %w[rc 1], version.prerelease
    assert_equal %w[build 7], version.build
  end

  def test_to_s_gives_back_the_text
    assert_equal '2.0.0-rc.1+build.7', v('2.0.0-rc.1+build.7').to_s
  end

  def test_numbers_compare_numerically
    assert v('1.10.0') > v('1.9.0')
    assert v('2.0.0') > v('1.99.99')
  end

  def test_a_prerelease_comes_before_its_release
    assert v('1.0.0-alpha') < v('1.0.0')
  end

  def test_sorting
    sorted = %w[1.0.0 0.9.1 1.0.0-beta 0.10.0].map { |t| v(t) }.sort.map(&:to_s)
    assert_equal %w[0.9.1 0.10.0 1.0.0-beta 1.0.0], sorted
  end

  def test_rejects_incomplete_versions
    assert_raises(ArgumentError) { v('1.2') }
  end
end
