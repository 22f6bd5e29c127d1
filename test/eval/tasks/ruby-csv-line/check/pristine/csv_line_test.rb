require 'minitest/autorun'
require_relative 'csv_line'

class CsvLineTest < Minitest::Test
  def test_splits_plain_fields
    assert_equal %w[a b c], CsvLine.split('a,b,c')
  end

  def test_keeps_spaces_and_empty_fields
    assert_equal [' a', '', 'b '], CsvLine.split(' a,,b ')
  end

  def test_quoted_fields_may_hold_the_separator
    assert_equal ['x,y', 'z'], CsvLine.split('"x,y",z')
  end

  def test_doubled_quotes_inside_quotes
    assert_equal ['say "hi"'], CsvLine.split('"say ""hi"""')
  end

  def test_unterminated_quote_is_an_error
    assert_raises(ArgumentError) { CsvLine.split('"abc,d') }
  end

  def test_other_separators
    assert_equal ['a', 'b;c'], CsvLine.split("a\t\"b;c\"", sep: "\t")
  end

  def test_join_quotes_only_where_needed
    assert_equal 'a,"b,c","say ""hi"""', CsvLine.join(['a', 'b,c', 'say "hi"'])
  end
end
