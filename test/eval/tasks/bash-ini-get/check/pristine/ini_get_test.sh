#!/usr/bin/env bash
# Tests for ini_get.sh: bash ini_get_test.sh (exit 0 when every test passes).
cd "$(dirname "$0")" || exit 1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# expect NAME EXPECTED_STATUS EXPECTED_OUTPUT -- ARGS...
expect() {
  local name=$1 status=$2 output=$3
  shift 4
  local actual actual_status
  actual=$(bash ini_get.sh "$@" 2>/dev/null)
  actual_status=$?
  if [ "$actual_status" != "$status" ] || [ "$actual" != "$output" ]; then
    echo "FAIL $name: expected status $status and output '$output', got status $actual_status and output '$actual'"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

cat > "$dir/app.ini" <<'INI'
; settings for the app
[server]
host = example.org
port=8080

[db]
user = admin
url = postgres://db:5432/app?ssl=true
INI

expect "reads a key" 0 "example.org" -- "$dir/app.ini" server host
expect "spaces around = are optional" 0 "8080" -- "$dir/app.ini" server port
expect "keys belong to their section" 0 "admin" -- "$dir/app.ini" db user
expect "values may contain =" 0 "postgres://db:5432/app?ssl=true" -- "$dir/app.ini" db url
expect "a missing key" 1 "" -- "$dir/app.ini" server user
expect "a missing section" 1 "" -- "$dir/app.ini" cache host
expect "a missing file" 2 "" -- "$dir/nope.ini" server host

[ "$failures" -eq 0 ] || { echo "$failures test(s) failed"; exit 1; }
echo "all tests passed"
