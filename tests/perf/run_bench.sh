#!/usr/bin/env bash
# Runs the benchmarks of `make bench` from a Release build directory, against the throwaway
# servers that tests/servers/with_servers.sh started (it exports their URLs):
#
#   tests/servers/with_servers.sh tests/perf/run_bench.sh <build-dir> [athanor_bench options]
#
# Prints the Core vs raw C client table (athanor_bench; options such as --all or --repeat are
# passed through), then the code generator's timings (tests/perf/codegen/bench.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run_bench.sh <build-dir> [athanor_bench options]}
shift

bench=$build/tests/perf/athanor_bench
if [ ! -x "$bench" ]; then
  echo "run_bench.sh: $bench not found; configure with -DATHANOR_BUILD_BENCH=ON and build" >&2
  exit 1
fi
# Partial figures are worse than none: every backend must be there.
for var in ATHANOR_TEST_URL_POSTGRESQL ATHANOR_TEST_URL_MARIADB; do
  if [ -z "${!var:-}" ]; then
    echo "run_bench.sh: $var is not set; run through tests/servers/with_servers.sh" >&2
    exit 1
  fi
done

echo
echo "== Athanor Core vs the raw C client libraries"
"$bench" "$@"

if [ -x "$here/codegen/bench.sh" ]; then
  echo
  echo "== athanor-gen: generation and compile times"
  "$here/codegen/bench.sh" "$build"
fi
