#!/usr/bin/env bash
# Tests for normpath.sh: bash normpath_test.sh (exit 0 when every test passes).
cd "$(dirname "$0")" || exit 1
failures=0

# expect INPUT EXPECTED_OUTPUT
expect() {
  local actual status
  actual=$(bash normpath.sh "$1" 2>/dev/null)
  status=$?
  if [ "$status" != 0 ] || [ "$actual" != "$2" ]; then
    echo "FAIL normpath '$1': expected '$2', got '$actual' (status $status)"
    failures=$((failures + 1))
  else
    echo "ok   normpath '$1' = '$2'"
  fi
}

expect "a/b/c" "a/b/c"
expect "a//b///c" "a/b/c"
expect "a/./b/." "a/b"
expect "a/b/../c" "a/c"
expect "/usr/local/../bin/" "/usr/bin"
expect "../x" "../x"
expect "a/.." "."
expect "/" "/"

[ "$failures" -eq 0 ] || { echo "$failures test(s) failed"; exit 1; }
echo "all tests passed"
