#!/usr/bin/env bash
# Usage: normpath.sh PATH — prints PATH normalised (no ".", no needless "..", single slashes).

if [ "$#" -ne 1 ]; then
  echo "usage: normpath.sh PATH" >&2
  exit 2
fi
path=$1
absolute=0
[ "${path:0:1}" = / ] && absolute=1

parts=()
IFS=/ read -r -d '' -a names < <(printf '%s\0' "$path")
for name in "${names[@]}"; do
  case $name in
    '' | .) ;;
    ..)
      if [ "${#parts[@]}" -gt 0 ] && [ "${parts[-1]}" != .. ]; then
        unset 'parts[-1]'
      elif [ "$absolute" = 0 ]; then
        parts+=(..)
      fi ;;
    *) parts+=("$name") ;;
  esac
done

joined=$(IFS=/; printf '%s' "${parts[*]}")
if [ "$absolute" = 1 ]; then
  printf '/%s\n' "$joined"
elif [ -n "$joined" ]; then
  printf '%s\n' "$joined"
else
  printf '.\n'
fi
