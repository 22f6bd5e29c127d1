require 'minitest/autorun'
require 'todo'

class TestParser < Minitest::Test
  def test_a_pending_item_with_tags_and_a_due_date
    item = Todo::Parser.parse_line('[ ] Buy milk #home #Errand @2024-03-01')
    assert_equal 'Buy milk', item.title
    assert_equal %w[home errand], item.tags
    assert_equal Date.new(2024, 3, 1), item.due
    refute item.done?
  end

  def test_a_done_item
    item = Todo::Parser.parse_line('[x] Send invoice #work')
    assert item.done?
    assert_nil item.due
  end

  def test_skips_blank_lines_and_comments
    items = Todo::Parser.parse("// list\n\n[ ] One\n[X] Two\n")
    assert_equal %w[One Two], items.map(&:title)
  end

  def test_rejects_other_lines
    assert_raises(ArgumentError) { Todo::Parser.parse_line('Buy milk') }
    assert_raises(ArgumentError) { Todo::Parser.parse_line('[ ] #home') }
  end

  def test_round_trips_through_to_line
    line = '[ ] Buy milk #home @2024-03-01'
    assert_equal line, Todo::Parser.parse_line(line).to_line
  end
end
