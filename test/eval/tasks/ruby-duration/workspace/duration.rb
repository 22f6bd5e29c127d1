# Reads and writes durations such as "1h30m".
module Duration
  # The number of seconds in a duration like "2h", "45m", "1h30m15s" or "2d 3h".
  def self.parse(text)
    raise NotImplementedError, 'Duration.parse is not implemented yet'
  end

  # A number of seconds as a duration, largest unit first: 5415 -> "1h 30m 15s".
  def self.format(seconds)
    raise NotImplementedError, 'Duration.format is not implemented yet'
  end
end
