#!/usr/bin/env bash
# Runs the clang-tidy checks of .clang-tidy (warnings are errors) over the library's own sources:
# core/, orm/, codegen/ and, through HeaderFilterRegex, the headers they include. The compile
# commands come from a configure-only tree without precompiled headers (clang cannot read GCC's).
#
#   run_clang_tidy.sh <lint-build-dir> [jobs]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: run_clang_tidy.sh <lint-build-dir> [jobs]}
jobs=${2:-$(nproc)}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DATHANOR_BUILD_TESTS=OFF -DATHANOR_BUILD_SAMPLES=OFF >/dev/null
cd "$root"
mapfile -t files < <(git ls-files 'core/*.cpp' 'orm/*.cpp' 'codegen/*.cpp')
echo "== clang-tidy: ${#files[@]} files, $jobs jobs"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! printf '%s\n' "${files[@]}" |
    xargs -P "$jobs" -n 4 clang-tidy -p "$build" --quiet >"$log" 2>&1; then
  grep -E "(warning|error):" "$log" | sort -u >&2 || cat "$log" >&2
  echo "FAIL: clang-tidy found problems (above)" >&2
  exit 1
fi
echo "== clang-tidy: no findings"
