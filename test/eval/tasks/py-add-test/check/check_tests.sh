set -e
test -f test_slug.py
grep -q "def test" test_slug.py
python3 -m pytest -q -p no:cacheprovider test_slug.py
# The tests must catch a broken slugify (one that keeps upper case and spaces).
cp slug.py /tmp/slug_orig.py
printf 'def slugify(title):\n    return title\n' > slug.py
if python3 -m pytest -q -p no:cacheprovider test_slug.py >/dev/null 2>&1; then echo "tests did not catch a broken slugify"; cp /tmp/slug_orig.py slug.py; exit 1; fi
cp /tmp/slug_orig.py slug.py
