#!/usr/bin/env bash
cd "$(dirname "$0")" || exit 1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

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

printf '%s\n' \
  '2024-05-01 00:00:00 DEBUG boot' \
  '2024-05-01 00:00:01 ERROR first failure' \
  '    at Main.run(Main.java:10)' \
  '' \
  '2024-05-01 00:00:02 warn lower case is not a level' \
  '2024-05-01 00:00:03 WARN: a colon is not a level' \
  '01/05/2024 00:00:04 ERROR another date format' \
  '2024-05-01T00:00:05 ERROR no space before the time' \
  '2024-05-01 00:00:06  ERROR two spaces' \
  'x2024-05-01 00:00:07 ERROR prefix' \
  '2024-05-01 00:00:08 DEBUG' \
  '2024-05-01 23:59:59 ERROR second failure' \
  '2024-05-02 00:00:00 TRACE midnight' \
  '2024-05-02 00:00:00 DEBUG also midnight' > "$dir/mixed.log"
printf '2024-05-03 12:00:00 FATAL no newline at the end' >> "$dir/mixed.log"

expect "ties in alphabetical order, malformed lines ignored" 0 "DEBUG 3
ERROR 2
FATAL 1
TRACE 1
total 7" -- "$dir/mixed.log"
expect "a date means from midnight on" 0 "DEBUG 1
FATAL 1
TRACE 1
total 3" -- "$dir/mixed.log" 2024-05-02
expect "a full timestamp is inclusive" 0 "DEBUG 1
ERROR 1
FATAL 1
TRACE 1
total 4" -- "$dir/mixed.log" "2024-05-01 23:59:59"
expect "nothing after SINCE" 0 "total 0" -- "$dir/mixed.log" "2025-01-01"

: > "$dir/empty.log"
expect "an empty log" 0 "total 0" -- "$dir/empty.log"

printf '%s\n' '2024-01-01 00:00:00 B x' '2024-01-01 00:00:00 A x' '2024-01-01 00:00:00 C x' \
  '2024-01-01 00:00:00 B x' '2024-01-01 00:00:00 C x' '2024-01-01 00:00:00 AB x' > "$dir/ties.log"
expect "count first, then level name" 0 "B 2
C 2
A 1
AB 1
total 6" -- "$dir/ties.log"

expect "a malformed SINCE" 2 "" -- "$dir/mixed.log" "yesterday"
expect "a SINCE with a T" 2 "" -- "$dir/mixed.log" "2024-05-02T00:00:00"
expect "no arguments" 2 "" --
expect "too many arguments" 2 "" -- "$dir/mixed.log" 2024-05-02 extra
expect "a folder" 2 "" -- "$dir"

[ "$failures" -eq 0 ] || { echo "$failures hidden test(s) failed"; exit 1; }
echo "all hidden tests passed"
