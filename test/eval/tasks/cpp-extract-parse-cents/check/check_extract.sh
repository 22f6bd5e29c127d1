set -e
make test
g++ -std=c++17 -Wall -o /tmp/hidden_parse_cents hidden_parse_cents.cpp inventory.cpp
/tmp/hidden_parse_cents
g++ -std=c++17 -Wall -o /tmp/report report.cpp inventory.cpp
/tmp/report hidden_stock.csv > /tmp/all.txt
diff -u expected_all.txt /tmp/all.txt
/tmp/report hidden_stock.csv --max-price 3.5 > /tmp/cheap.txt
diff -u expected_cheap.txt /tmp/cheap.txt
for bad in 3.555 abc 1. .5 -1 1,5 ""; do
  status=0
  /tmp/report hidden_stock.csv --max-price "$bad" > /dev/null 2>&1 || status=$?
  if [ "$status" -ne 1 ]; then
    echo "report --max-price '$bad' exited $status, not 1 as before"
    exit 1
  fi
done
grep -q 'parse_cents' inventory.hpp || { echo "inventory.hpp does not declare parse_cents"; exit 1; }
grep -q 'parse_cents *(' report.cpp || { echo "report.cpp does not call parse_cents"; exit 1; }
if grep -Eq "isdigit|stol|find\('\.'\)" report.cpp; then
  echo "report.cpp still parses prices itself"
  exit 1
fi
test "$(grep -c 'parse_cents *(' inventory.cpp)" -ge 2 || { echo "load_items does not call parse_cents"; exit 1; }
echo "extract check passed"
