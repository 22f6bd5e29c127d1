# Splits and joins single lines of CSV.
module CsvLine
  # The fields of one CSV line.
  def self.split(line, sep: ',')
    raise NotImplementedError, 'CsvLine.split is not implemented yet'
  end

  # One CSV line holding `fields`, quoting only where needed.
  def self.join(fields, sep: ',')
    raise NotImplementedError, 'CsvLine.join is not implemented yet'
  end
end
