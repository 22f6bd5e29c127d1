from slug import slugify


def test_spaces_and_case():
    assert slugify("Hello World") == "hello-world"


def test_punctuation():
    assert slugify("Rock & Roll!") == "rock-roll"
