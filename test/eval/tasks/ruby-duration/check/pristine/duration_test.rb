require 'minitest/autorun'
require_relative 'duration'

class DurationTest < Minitest::Test
  def test_parses_hours_and_minutes
    assert_equal 5400, Duration.parse('1h30m')
  end

  def test_parses_a_single_unit
    assert_equal 45, Duration.parse('45s')
    assert_equal 172_800, Duration.parse('2d')
  end

  def test_parses_parts_separated_by_spaces
    assert_equal 5415, Duration.parse('1h 30m 15s')
  end

  def test_rejects_text_that_is_not_a_duration
    assert_raises(ArgumentError) { Duration.parse('soon') }
  end

  def test_formats_largest_unit_first
    assert_equal '1h 30m 15s', Duration.format(5415)
  end

  def test_formats_whole_days
    assert_equal '1d', Duration.format(86_400)
  end

  def test_formats_zero
    assert_equal '0s', Duration.format(0)
  end
end
