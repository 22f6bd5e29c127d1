#!/usr/bin/env bash
# Usage: ini_get.sh FILE SECTION KEY — prints the value of KEY in [SECTION] of the INI file FILE.

echo "ini_get.sh: not implemented yet" >&2
exit 2
