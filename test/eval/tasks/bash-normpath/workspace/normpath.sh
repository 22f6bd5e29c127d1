#!/usr/bin/env bash
# Usage: normpath.sh PATH — prints PATH normalised (no ".", no needless "..", single slashes).

echo "normpath.sh: not implemented yet" >&2
exit 2
