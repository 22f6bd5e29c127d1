module Todo
  # One thing to do: a title, its tags (lower case, without the '#'), an optional due Date, and
  # whether it is done.
  Item = Struct.new(:title, :tags, :due, :done, keyword_init: true) do
    def done?
      done ? true : false
    end

    def overdue?(today)
      !done? && !due.nil? && due < today
    end

    # The item as a line of the file format.
    def to_line
      words = [done? ? '[x]' : '[ ]', title]
      words.concat(tags.map { |tag| "##{tag}" })
      words << "@#{due.iso8601}" if due
      words.join(' ')
    end
  end
end
