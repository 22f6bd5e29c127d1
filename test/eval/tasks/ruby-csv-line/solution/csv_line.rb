# Splits and joins single lines of CSV.
module CsvLine
  # The fields of one CSV line.
  def self.split(line, sep: ',')
    fields = []
    pos = 0
    loop do
      if line[pos] == '"'
        field = +''
        pos += 1
        loop do
          close = line.index('"', pos) or raise ArgumentError, "unterminated quote in #{line.inspect}"
          field << line[pos...close]
          if line[close + 1] == '"'
            field << '"'
            pos = close + 2
          else
            pos = close + 1
            break
          end
        end
        raise ArgumentError, "text after a closing quote in #{line.inspect}" unless pos == line.length || line[pos] == sep

        fields << field
      else
        stop = line.index(sep, pos) || line.length
        fields << line[pos...stop]
        pos = stop
      end
      return fields if pos >= line.length

      pos += 1
      if pos == line.length
        fields << ''
        return fields
      end
    end
  end

  # One CSV line holding `fields`, quoting only where needed.
  def self.join(fields, sep: ',')
    fields.map do |field|
      text = field.to_s
      if text.include?(sep) || text.match?(/["\r\n]/) || text.start_with?(' ') || text.end_with?(' ')
        "\"#{text.gsub('"', '""')}\""
      else
        text
      end
    end.join(sep)
  end
end
