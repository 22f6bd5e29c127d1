# Reads and writes durations such as "1h30m".
module Duration
  UNITS = { 'd' => 86_400, 'h' => 3600, 'm' => 60, 's' => 1 }.freeze

  # The number of seconds in a duration like "2h", "45m", "1h30m15s" or "2d 3h".
  def self.parse(text)
    rest = text.to_s.strip.downcase
    raise ArgumentError, 'empty duration' if rest.empty?

    total = 0
    last = -1
    until rest.empty?
      part = rest.match(/\A(\d+)([dhms])\s*/) or raise ArgumentError, "not a duration: #{text.inspect}"
      index = UNITS.keys.index(part[2])
      raise ArgumentError, "units out of order or repeated in #{text.inspect}" if index <= last

      last = index
      total += part[1].to_i * UNITS[part[2]]
      rest = part.post_match
    end
    total
  end

  # A number of seconds as a duration, largest unit first: 5415 -> "1h 30m 15s".
  def self.format(seconds)
    raise ArgumentError, "not a non-negative number of seconds: #{seconds.inspect}" unless seconds.is_a?(Integer) && seconds >= 0
    return '0s' if seconds.zero?

    UNITS.filter_map do |unit, size|
      count, seconds = seconds.divmod(size)
      "#{count}#{unit}" if count.positive?
    end.join(' ')
  end
end
