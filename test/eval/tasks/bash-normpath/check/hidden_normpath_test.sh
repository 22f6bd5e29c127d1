#!/usr/bin/env bash
cd "$(dirname "$0")" || exit 1
failures=0
touch glob-bait-1 glob-bait-2

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

expect "/.." "/"
expect "/../../a/../../b" "/b"
expect "//a//" "/a"
expect "///" "/"
expect "/./." "/"
expect "." "."
expect "./" "."
expect "" "."
expect ".." ".."
expect "../../b" "../../b"
expect "a/../../b" "../b"
expect "a/b/../../.." ".."
expect "../a/../.." "../.."
expect "./a/./b/./" "a/b"
expect "a/b/c/../../d/./e/.." "a/d"
expect "..." "..."
expect "a/.../b" "a/.../b"
expect ".hidden/./x" ".hidden/x"
expect "a..b/c" "a..b/c"
expect "my files/some  dir/../x y" "my files/x y"
expect "*" "*"
expect "glob-bait-*/../x" "x"
expect "a/*/b" "a/*/b"
expect "a/?/b" "a/?/b"
expect "-n" "-n"
expect "-e/x/.." "-e"
expect "/a\\b/c" "/a\\b/c"

if bash normpath.sh >/dev/null 2>&1; [ $? != 2 ]; then
  echo "FAIL no argument: expected exit 2"
  failures=$((failures + 1))
fi
if bash normpath.sh a b >/dev/null 2>&1; [ $? != 2 ]; then
  echo "FAIL two arguments: expected exit 2"
  failures=$((failures + 1))
fi
if ! bash normpath.sh 2>&1 >/dev/null | grep -q .; then
  echo "FAIL no argument: no usage message on stderr"
  failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] || { echo "$failures hidden test(s) failed"; exit 1; }
echo "all hidden tests passed"
