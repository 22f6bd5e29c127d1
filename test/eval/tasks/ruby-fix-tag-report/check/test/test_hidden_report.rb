require 'minitest/autorun'
require 'todo'

class TestHiddenReport < Minitest::Test
  def items(text)
    Todo::Parser.parse(text)
  end

  def test_several_tags_and_untagged_items
    groups = Todo::Report.by_tag(items(<<~TODO))
      [ ] Call the bank
      [ ] Fix bike #outdoor #home
      [ ] Water plants #home
      [ ] Pay rent
    TODO
    assert_equal [['(untagged)', ['Call the bank', 'Pay rent']], ['home', ['Fix bike', 'Water plants']], ['outdoor', ['Fix bike']]],
                 groups.to_a
  end

  def test_groups_do_not_leak_between_calls
    first = Todo::Report.by_tag(items("[ ] One #a\n"))
    second = Todo::Report.by_tag(items("[ ] Two #b\n"))
    assert_equal [['a', ['One']]], first.to_a
    assert_equal [['b', ['Two']]], second.to_a
  end

  def test_no_items
    assert_equal [], Todo::Report.by_tag([]).to_a
  end

  def test_render_without_pending_items
    list = Todo::List.new(items("[x] Done #a\n"))
    assert_equal '1/1 done', Todo::Report.render(list, today: Date.new(2024, 1, 1))
  end
end
