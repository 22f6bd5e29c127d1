set -e
test -f tests/test_export.py || { echo "tests/test_export.py is missing"; exit 1; }
grep -q "def test" tests/test_export.py || { echo "tests/test_export.py has no test functions"; exit 1; }
python3 -m pytest -q -p no:cacheprovider
# The new tests must catch each of these broken versions of export.py.
for mutant in mutants/export_*.py; do
  cp "$mutant" tally/services/export.py
  if python3 -m pytest -q -x -p no:cacheprovider tests/test_export.py >/dev/null 2>&1; then
    echo "tests/test_export.py did not catch the broken export.py in $mutant"
    exit 1
  fi
done
echo "all broken versions were caught"
