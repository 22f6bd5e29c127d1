#!/usr/bin/env bash
# Tests for log_summary.sh: bash log_summary_test.sh (exit 0 when every test passes).
cd "$(dirname "$0")" || exit 1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# expect NAME EXPECTED_STATUS EXPECTED_OUTPUT -- ARGS...
expect() {
  local name=$1 status=$2 output=$3
  shift 4
  local actual actual_status
  actual=$(bash log_summary.sh "$@" 2>/dev/null)
  actual_status=$?
  if [ "$actual_status" != "$status" ] || [ "$actual" != "$output" ]; then
    echo "FAIL $name: expected status $status and output:"
    echo "$output"
    echo "got status $actual_status and output:"
    echo "$actual"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

cat > "$dir/app.log" <<'LOG'
2024-03-01 09:59:58 INFO starting
2024-03-01 10:00:00 WARN cache is cold
2024-03-01 10:00:01 INFO listening on :8080
2024-03-02 08:15:00 ERROR disk full
2024-03-02 08:15:01 INFO retrying
LOG

expect "counts by level, largest first" 0 "INFO 3
ERROR 1
WARN 1
total 5" -- "$dir/app.log"
expect "only entries since a date" 0 "ERROR 1
INFO 1
total 2" -- "$dir/app.log" 2024-03-02
expect "a missing file" 2 "" -- "$dir/missing.log"

[ "$failures" -eq 0 ] || { echo "$failures test(s) failed"; exit 1; }
echo "all tests passed"
