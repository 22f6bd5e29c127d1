module Todo
  # The items of one file, in file order.
  class List
    include Enumerable

    def self.load(path)
      new(Parser.parse(File.read(path)))
    end

    def initialize(items = [])
      @items = items.dup
    end

    def each(&block)
      @items.each(&block)
    end

    def add(item)
      @items << item
      self
    end

    def pending
      reject(&:done?)
    end

    def tagged(tag)
      select { |item| item.tags.include?(tag.downcase) }
    end

    def overdue(today)
      select { |item| item.overdue?(today) }
    end

    # Marks the item with this title (any case) done and returns it.
    def complete(title)
      item = find { |i| i.title.casecmp?(title) } or raise KeyError, "no item titled #{title.inspect}"
      item.done = true
      item
    end

    def save(path)
      File.write(path, map(&:to_line).join("\n") + "\n")
    end
  end
end
