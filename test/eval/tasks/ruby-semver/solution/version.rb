# A semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]) ordered by precedence.
class Version
  include Comparable

  attr_reader :major, :minor, :patch, :prerelease, :build

  NUMBER = /0|[1-9]\d*/.freeze
  IDENTIFIERS = /[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*/.freeze
  FORMAT = /\A(#{NUMBER})\.(#{NUMBER})\.(#{NUMBER})(?:-(#{IDENTIFIERS}))?(?:\+(#{IDENTIFIERS}))?\z/.freeze

  def self.parse(text)
    match = FORMAT.match(text.to_s) or raise ArgumentError, "not a semantic version: #{text.inspect}"
    prerelease = match[4] ? match[4].split('.') : []
    if prerelease.any? { |id| id.match?(/\A0\d+\z/) }
      raise ArgumentError, "numeric prerelease identifiers must not have leading zeros: #{text.inspect}"
    end

    new(match[1].to_i, match[2].to_i, match[3].to_i, prerelease, match[5] ? match[5].split('.') : [])
  end

  def initialize(major, minor, patch, prerelease, build)
    @major = major
    @minor = minor
    @patch = patch
    @prerelease = prerelease
    @build = build
  end

  def <=>(other)
    return nil unless other.is_a?(Version)

    order = [major, minor, patch] <=> [other.major, other.minor, other.patch]
    return order unless order.zero?
    return 0 if prerelease == other.prerelease
    return 1 if prerelease.empty?
    return -1 if other.prerelease.empty?

    prerelease.zip(other.prerelease).each do |mine, theirs|
      return 1 if theirs.nil?

      order = compare_identifiers(mine, theirs)
      return order unless order.zero?
    end
    prerelease.length <=> other.prerelease.length
  end

  def to_s
    text = "#{major}.#{minor}.#{patch}"
    text += "-#{prerelease.join('.')}" unless prerelease.empty?
    text += "+#{build.join('.')}" unless build.empty?
    text
  end

  private

  def compare_identifiers(a, b)
    a_numeric = a.match?(/\A\d+\z/)
    b_numeric = b.match?(/\A\d+\z/)
    return a.to_i <=> b.to_i if a_numeric && b_numeric
    return -1 if a_numeric
    return 1 if b_numeric

    a <=> b
  end
end
