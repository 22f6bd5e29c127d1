set -e
test -f tests/test_routing.py || { echo "tests/test_routing.py is missing"; exit 1; }
grep -q "def test" tests/test_routing.py || { echo "tests/test_routing.py has no test functions"; exit 1; }
python3 -m pytest -q -p no:cacheprovider
# The new tests must catch each of these broken versions of routing.py.
for mutant in mutants/routing_*.py; do
  cp "$mutant" tally/api/routing.py
  if python3 -m pytest -q -x -p no:cacheprovider tests/test_routing.py >/dev/null 2>&1; then
    echo "tests/test_routing.py did not catch the broken routing.py in $mutant"
    exit 1
  fi
done
echo "all broken versions were caught"
