require 'minitest/autorun'
require 'todo'

class TestList < Minitest::Test
  def setup
    @list = Todo::List.new(Todo::Parser.parse(<<~TODO))
      [ ] Buy milk #home @2024-03-01
      [x] Send invoice #work @2024-02-01
      [ ] Fix bike #home #outdoor
    TODO
  end

  def test_pending
    assert_equal ['Buy milk', 'Fix bike'], @list.pending.map(&:title)
  end

  def test_tagged
    assert_equal ['Buy milk', 'Fix bike'], @list.tagged('HOME').map(&:title)
  end

  def test_overdue_skips_done_items
    assert_equal ['Buy milk'], @list.overdue(Date.new(2024, 3, 2)).map(&:title)
    assert_equal [], @list.overdue(Date.new(2024, 3, 1)).map(&:title)
  end

  def test_complete
    @list.complete('fix BIKE')
    assert_equal ['Buy milk'], @list.pending.map(&:title)
    assert_raises(KeyError) { @list.complete('Walk the dog') }
  end
end
