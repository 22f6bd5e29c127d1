#!/usr/bin/env bash
cd "$(dirname "$0")" || exit 1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

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

printf '%s\n' \
  'orphan = before any section' \
  '  [ paths ]  ' \
  "	home	=	/home/me  " \
  '# a comment = not a key' \
  '   ; indented comment' \
  'empty =' \
  'name = two words here' \
  'eq==x=' \
  '[other]' \
  'home = elsewhere' \
  'Name = capital' \
  '[paths]' \
  'name = second value' \
  'extra = merged' > "$dir/tricky.ini"

expect "spaces and tabs are trimmed" 0 "/home/me" -- "$dir/tricky.ini" paths home
expect "section names are trimmed inside brackets" 0 "/home/me" -- "$dir/tricky.ini" paths home
expect "an empty value" 0 "" -- "$dir/tricky.ini" paths empty
expect "the last value wins across repeated sections" 0 "second value" -- "$dir/tricky.ini" paths name
expect "repeated sections add up" 0 "merged" -- "$dir/tricky.ini" paths extra
expect "the value starts after the first =" 0 "=x=" -- "$dir/tricky.ini" paths eq
expect "same key in another section" 0 "elsewhere" -- "$dir/tricky.ini" other home
expect "names are case-sensitive" 0 "capital" -- "$dir/tricky.ini" other Name
expect "names are case-sensitive (missing)" 1 "" -- "$dir/tricky.ini" other name
expect "comments are not keys" 1 "" -- "$dir/tricky.ini" paths '# a comment'
expect "keys before any section are ignored" 1 "" -- "$dir/tricky.ini" paths orphan
expect "a section name is not a key" 1 "" -- "$dir/tricky.ini" paths paths

printf '[win]\r\nkey = value\r\nlast = no newline' > "$dir/windows.ini"
expect "Windows line endings" 0 "value" -- "$dir/windows.ini" win key
expect "the last line without a newline" 0 "no newline" -- "$dir/windows.ini" win last

printf '[a]\nkey = 1\n[b]\n' > "$dir/short.ini"
expect "a key of an earlier section" 1 "" -- "$dir/short.ini" b key
expect "too few arguments" 2 "" -- "$dir/short.ini" a
expect "too many arguments" 2 "" -- "$dir/short.ini" a key extra
expect "a folder is not a readable file" 2 "" -- "$dir" a key

if ! bash ini_get.sh "$dir/nope.ini" a key 2>&1 >/dev/null | grep -q .; then
  echo "FAIL a missing file: no message on stderr"
  failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] || { echo "$failures hidden test(s) failed"; exit 1; }
echo "all hidden tests passed"
