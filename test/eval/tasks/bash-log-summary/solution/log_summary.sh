#!/usr/bin/env bash
# Usage: log_summary.sh FILE [SINCE] — counts the log entries of FILE by level.

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: log_summary.sh FILE [SINCE]" >&2
  exit 2
fi
file=$1 since=${2:-}
if [ ! -f "$file" ] || [ ! -r "$file" ]; then
  echo "log_summary.sh: cannot read $file" >&2
  exit 2
fi
date_re='[0-9]{4}-[0-9]{2}-[0-9]{2}'
time_re='[0-9]{2}:[0-9]{2}:[0-9]{2}'
if [ -n "$since" ] && ! [[ $since =~ ^$date_re( $time_re)?$ ]]; then
  echo "log_summary.sh: SINCE must be YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS', not '$since'" >&2
  exit 2
fi

declare -A counts=()
total=0
entry_re="^($date_re $time_re) ([A-Z]+)( |$)"
while IFS= read -r line || [ -n "$line" ]; do
  [[ $line =~ $entry_re ]] || continue
  [ -n "$since" ] && [[ ${BASH_REMATCH[1]} < $since ]] && continue
  level=${BASH_REMATCH[2]}
  counts[$level]=$(( ${counts[$level]:-0} + 1 ))
  total=$((total + 1))
done < "$file"

for level in "${!counts[@]}"; do
  printf '%s %s\n' "$level" "${counts[$level]}"
done | LC_ALL=C sort -k2,2nr -k1,1
echo "total $total"
