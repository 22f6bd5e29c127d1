#!/usr/bin/env bash
# Usage: ini_get.sh FILE SECTION KEY — prints the value of KEY in [SECTION] of the INI file FILE.

if [ "$#" -ne 3 ]; then
  echo "usage: ini_get.sh FILE SECTION KEY" >&2
  exit 2
fi
file=$1 want_section=$2 want_key=$3
if [ ! -f "$file" ] || [ ! -r "$file" ]; then
  echo "ini_get.sh: cannot read $file" >&2
  exit 2
fi

trim() {
  local s=$1
  s=${s#"${s%%[![:blank:]]*}"}
  s=${s%"${s##*[![:blank:]]}"}
  printf '%s' "$s"
}

section="" in_any=0 found=0 value=""
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%$'\r'}
  stripped=$(trim "$line")
  case $stripped in
    '' | ';'* | '#'*) continue ;;
    '['*']')
      inner=${stripped#[}
      section=$(trim "${inner%]}")
      in_any=1
      continue ;;
  esac
  [ "$in_any" = 1 ] && [ "$section" = "$want_section" ] || continue
  case $line in *=*) ;; *) continue ;; esac
  key=$(trim "${line%%=*}")
  if [ "$key" = "$want_key" ]; then
    value=$(trim "${line#*=}")
    found=1
  fi
done < "$file"

[ "$found" = 1 ] || exit 1
printf '%s\n' "$value"
