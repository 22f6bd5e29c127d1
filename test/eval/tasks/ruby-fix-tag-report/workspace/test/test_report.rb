require 'minitest/autorun'
require 'todo'

class TestReport < Minitest::Test
  def list
    Todo::List.new(Todo::Parser.parse(<<~TODO))
      [ ] Buy milk #home
      [ ] Send invoice #work @2024-01-31
      [x] Book flights #travel
      [ ] Fix bike #home
    TODO
  end

  def test_groups_titles_by_tag
    assert_equal({ 'home' => ['Buy milk', 'Fix bike'], 'travel' => ['Book flights'], 'work' => ['Send invoice'] },
                 Todo::Report.by_tag(list))
  end

  def test_render
    expected = <<~REPORT.chomp
      home (2)
        - Buy milk
        - Fix bike
      work (1)
        - Send invoice
      overdue: Send invoice
      1/4 done
    REPORT
    assert_equal expected, Todo::Report.render(list, today: Date.new(2024, 2, 15))
  end
end
