require 'minitest/autorun'
require_relative 'csv_line'

class HiddenCsvLineTest < Minitest::Test
  def test_empty_line_and_trailing_separator
    assert_equal [''], CsvLine.split('')
    assert_equal ['a', ''], CsvLine.split('a,')
    assert_equal ['', ''], CsvLine.split(',')
    assert_equal ['', 'a'], CsvLine.split(',a')
  end

  def test_empty_quoted_fields
    assert_equal ['', 'b'], CsvLine.split('"",b')
    assert_equal ['a', ''], CsvLine.split('a,""')
    assert_equal ['"'], CsvLine.split('""""')
  end

  def test_quoted_fields_may_hold_line_breaks
    assert_equal ["two\nlines", 'x'], CsvLine.split("\"two\nlines\",x")
  end

  def test_a_quote_inside_an_unquoted_field_is_ordinary
    assert_equal ['5" floppy', 'x'], CsvLine.split('5" floppy,x')
    assert_equal ['a"b"'], CsvLine.split('a"b"')
  end

  def test_text_after_a_closing_quote_is_an_error
    assert_raises(ArgumentError) { CsvLine.split('"ab"c,d') }
    assert_raises(ArgumentError) { CsvLine.split('"ab" ,d') }
  end

  def test_unterminated_quotes
    assert_raises(ArgumentError) { CsvLine.split('"') }
    assert_raises(ArgumentError) { CsvLine.split('a,"b""') }
  end

  def test_separator_inside_quotes_with_other_separators
    assert_equal ['a;b', 'c'], CsvLine.split('"a;b";c', sep: ';')
    assert_equal ['a,b', 'c'], CsvLine.split('a,b;c', sep: ';')
  end

  def test_join_plain_and_empty_fields
    assert_equal 'a,b,c', CsvLine.join(%w[a b c])
    assert_equal ',', CsvLine.join(['', ''])
    assert_equal '', CsvLine.join([''])
  end

  def test_join_quotes_spaces_at_the_edges_and_line_breaks
    assert_equal '" a","b ",c d', CsvLine.join([' a', 'b ', 'c d'])
    assert_equal "\"x\ny\",\"r\rz\"", CsvLine.join(["x\ny", "r\rz"])
  end

  def test_join_with_another_separator
    assert_equal 'a,b;"c;d"', CsvLine.join(['a,b', 'c;d'], sep: ';')
  end

  def test_round_trip
    [
      ['plain'], ['', '', ''], ['a,b', '"', '""', ' lead', 'trail '], ["multi\nline", 'x;y'], ['5" floppy', 'say "hi"'],
    ].each do |fields|
      assert_equal fields, CsvLine.split(CsvLine.join(fields)), fields.inspect
      assert_equal fields, CsvLine.split(CsvLine.join(fields, sep: ';'), sep: ';'), fields.inspect
    end
  end
end
