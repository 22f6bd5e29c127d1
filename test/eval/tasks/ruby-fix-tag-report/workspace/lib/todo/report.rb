require 'date'

module Todo
  # Summaries of a list for the terminal.
  module Report
    UNTAGGED = '(untagged)'.freeze

    # Titles of the items grouped by tag: tags in alphabetical order, titles in list order. An item
    # with several tags is under each of them; items without tags are under UNTAGGED.
    def self.by_tag(items)
      groups = Hash.new([])
      items.each do |item|
        tags = item.tags.empty? ? [UNTAGGED] : item.tags
        tags.each { |tag| groups[tag] << item.title }
      end
      groups.sort.to_h
    end

    # The pending items by tag, then the overdue ones, then how many are done.
    def self.render(list, today: Date.today)
      lines = []
      by_tag(list.pending).each do |tag, titles|
        lines << "#{tag} (#{titles.size})"
        titles.each { |title| lines << "  - #{title}" }
      end
      overdue = list.overdue(today)
      lines << "overdue: #{overdue.map(&:title).join(', ')}" unless overdue.empty?
      lines << "#{list.count(&:done?)}/#{list.count} done"
      lines.join("\n")
    end
  end
end
