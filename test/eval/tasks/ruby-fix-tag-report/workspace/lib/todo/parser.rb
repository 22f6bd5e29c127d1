require 'date'

module Todo
  # Reads the file format: "[ ] Buy milk #home @2024-03-01", "[x] Send invoice #work".
  module Parser
    LINE = /\A\[(?<mark>[ xX])\]\s+(?<rest>\S.*)\z/.freeze
    DUE = /\A@\d{4}-\d{2}-\d{2}\z/.freeze

    # The items of a whole file; blank lines and `//` comments are skipped.
    def self.parse(text)
      text.each_line.map(&:strip).reject { |line| line.empty? || line.start_with?('//') }.map { |line| parse_line(line) }
    end

    def self.parse_line(line)
      match = LINE.match(line.strip) or raise ArgumentError, "not a to-do line: #{line.inspect}"
      words = match[:rest].split
      tags = words.select { |word| tag?(word) }.map { |word| word[1..].downcase }.uniq
      due_word = words.find { |word| DUE.match?(word) }
      title = words.reject { |word| tag?(word) || DUE.match?(word) }.join(' ')
      raise ArgumentError, "no title in #{line.inspect}" if title.empty?

      Item.new(title: title, tags: tags, due: due_word && Date.iso8601(due_word[1..]), done: match[:mark] != ' ')
    end

    def self.tag?(word)
      word.start_with?('#') && word.length > 1
    end
  end
end
