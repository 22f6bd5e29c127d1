import re


def slugify(title):
    """Lower-case words of `title` joined by single hyphens; anything but a-z and 0-9 separates words."""
    words = re.split(r"[^a-z0-9]+", title.lower())
    return "-".join(w for w in words if w)
