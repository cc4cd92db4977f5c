#!/usr/bin/env bash
# Fails when a C++ file of the project differs from what .clang-format makes of it, and lists
# the files. `make format` applies the format.
#
#   check_format.sh [source-dir]
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}"
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  echo "FAIL: ${#bad[@]} file(s) differ from .clang-format (run 'make format'):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "== clang-format: ${#files[@]} files formatted"
