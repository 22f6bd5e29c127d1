require 'minitest/autorun'
require_relative 'version'

class HiddenVersionTest < Minitest::Test
  def v(text)
    Version.parse(text)
  end

  def test_the_full_precedence_chain
    chain = %w[1.0.0-alpha 1.0.0-alpha.1 1.0.0-alpha.beta 1.0.0-beta 1.0.0-beta.2 1.0.0-beta.11 1.0.0-rc.1 1.0.0]
    chain.each_cons(2) do |lower, higher|
      assert v(lower) < v(higher), "#{lower} < #{higher}"
      assert v(higher) > v(lower), "#{higher} > #{lower}"
    end
    assert_equal chain, chain.reverse.map { |t| v(t) }.sort.map(&:to_s)
  end

  def test_numeric_identifiers_are_lower_than_alphanumeric_ones
    assert v('1.0.0-1') < v('1.0.0-a')
    assert v('1.0.0-999') < v('1.0.0-0a')
    assert v('1.0.0-a.9') < v('1.0.0-a.10')
    assert v('1.0.0-B') < v('1.0.0-a'), 'ASCII order: upper case first'
  end

  def test_build_is_ignored_for_precedence
    assert_equal v('1.0.0+a'), v('1.0.0+b')
    assert_equal 0, v('1.0.0-rc.1+x') <=> v('1.0.0-rc.1')
    assert_equal '1.0.0-alpha+exp.sha.5114f85', v('1.0.0-alpha+exp.sha.5114f85').to_s
    assert_equal %w[exp sha 5114f85], v('1.0.0-alpha+exp.sha.5114f85').build
  end

  def test_build_without_prerelease
    version = v('1.0.0+20130313144700')
    assert_equal [], version.prerelease
    assert_equal ['20130313144700'], version.build
  end

  def test_zero_and_large_numbers
    version = v('0.0.0')
    assert_equal [0, 0, 0], [version.major, version.minor, version.patch]
    assert v('0.0.1') > v('0.0.0')
    assert v('10.20.30') > v('10.20.3')
    assert v('1.2.3') == v('1.2.3')
  end

  def test_hyphens_inside_identifiers
    assert_equal %w[x-y-z --], v('1.0.0-x-y-z.--').prerelease
    assert_equal %w[0-a], v('1.0.0+0-a').build
  end

  def test_leading_zeros
    assert_equal %w[0 a], v('1.0.0-0.a').prerelease
    assert_equal ['001'], v('1.0.0+001').build, 'build identifiers may have leading zeros'
    %w[01.2.3 1.02.3 1.2.03 1.2.3-01 1.2.3-alpha.007].each do |bad|
      assert_raises(ArgumentError, bad) { v(bad) }
    end
  end

  def test_rejects_malformed_versions
    ['', '1', '1.2', '1.2.3.4', 'v1.2.3', ' 1.2.3', '1.2.3 ', '1.2.3-', '1.2.3+', '1.2.3-a..b', '1.2.3-a_b',
     '1.2.3+a+b', 'a.b.c', '1.2.-3', "1.2.3\n", '1.2.3-é'].each do |bad|
      assert_raises(ArgumentError, bad.inspect) { v(bad) }
    end
  end
end
