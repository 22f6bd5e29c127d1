# Turns titles into URL slugs: "Hello, World!" -> "hello-world".
module Slug
  MAX_LENGTH = 60

  # Lower-cases the title, turns every run of characters other than a-z and 0-9 into one
  # hyphen, trims hyphens from both ends, and cuts the result to MAX_LENGTH characters
  # without leaving a hyphen at the end. Returns "untitled" when nothing is left.
  def self.slugify(title)
    slug = title.to_s.downcase.gsub(/[^a-z0-9]+/, '-').gsub(/\A-+|-+\z/, '')
    slug = slug[0, MAX_LENGTH] if slug.length > MAX_LENGTH
    slug.empty? ? 'untitled' : slug
  end

  # A slug not in `taken`: the slug itself, or the slug with "-2", "-3", ... appended.
  def self.unique(title, taken)
    base = slugify(title)
    return base unless taken.include?(base)

    n = 2
    n += 1 while taken.include?("#{base}-#{n}")
    "#{base}-#{n}"
  end
end
