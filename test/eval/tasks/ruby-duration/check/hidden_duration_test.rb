require 'minitest/autorun'
require_relative 'duration'

class HiddenDurationTest < Minitest::Test
  def test_all_four_units
    assert_equal 90_061, Duration.parse('1d1h1m1s')
    assert_equal 90_061, Duration.parse('1d 1h 1m 1s')
  end

  def test_surrounding_spaces_and_upper_case
    assert_equal 180, Duration.parse('  3m ')
    assert_equal 7200, Duration.parse('2H')
  end

  def test_zero_amounts_and_large_numbers
    assert_equal 5, Duration.parse('0m5s')
    assert_equal 7200, Duration.parse('120m')
  end

  def test_rejects_malformed_durations
    ['', '   ', '10', '1.5h', '30m1h', '1h1h', '1w', 'h', '-5s', '1h 30'].each do |bad|
      assert_raises(ArgumentError, "expected #{bad.inspect} to be rejected") { Duration.parse(bad) }
    end
  end

  def test_formats_each_unit_alone
    assert_equal '1m', Duration.format(60)
    assert_equal '1h', Duration.format(3600)
    assert_equal '59s', Duration.format(59)
  end

  def test_formats_skip_zero_units
    assert_equal '1d 1s', Duration.format(86_401)
    assert_equal '2d 3h', Duration.format(183_600)
    assert_equal '1d 1h 1m 1s', Duration.format(90_061)
  end

  def test_format_rejects_negative_seconds
    assert_raises(ArgumentError) { Duration.format(-1) }
  end

  def test_round_trip
    [1, 59, 61, 3599, 3601, 86_399, 1_000_000].each do |n|
      assert_equal n, Duration.parse(Duration.format(n))
    end
  end
end
