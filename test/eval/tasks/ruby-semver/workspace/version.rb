# A semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]) ordered by precedence.
class Version
  include Comparable

  attr_reader :major, :minor, :patch, :prerelease, :build

  def self.parse(text)
    raise NotImplementedError, 'Version.parse is not implemented yet'
  end

  def <=>(other)
    raise NotImplementedError, 'Version#<=> is not implemented yet'
  end

  def to_s
    raise NotImplementedError, 'Version#to_s is not implemented yet'
  end
end
