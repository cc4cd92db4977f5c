#!/usr/bin/env bash
# Code generation benchmark: 50 models in 10 headers.
#   1. athanor-gen time for the whole step (one libclang parse): without a cache, the first run
#      with --cache-dir, and later runs (as in a rebuild, the default of athanor_generate)
#   2. compile time of one translation unit that includes the 10 generated headers and uses
#      every model (g++ -std=c++20, -O0 and -O2, best of 3)
#
#   tests/perf/codegen/bench.sh [BUILD_DIR]     (default build/bench; needs codegen/athanor-gen)
#   KEEP=1 tests/perf/codegen/bench.sh ...      keeps the work directory (models, generated headers,
#                                               tu.cpp) for -ftime-report / -H and prints its path
# A failing athanor-gen or compiler run stops the script with the tool's error and exit status 1.
# Targets (docs/codegen.md): generation under 1 s, the translation unit under 5 s.
set -euo pipefail

root="$(cd "$(dirname "$0")/../../.." && pwd)"
build="${1:-$root/build/bench}"
gen="$build/codegen/athanor-gen"
cxx="${CXX:-g++}"
[ -x "$gen" ] || { echo "athanor-gen not found at $gen (build target athanor-gen first)" >&2; exit 1; }

work="$(mktemp -d)"
if [ "${KEEP:-0}" = 1 ]; then
  trap 'echo "work directory kept: $work" >&2' EXIT
else
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/models" "$work/out"

# ---- 50 models: 10 headers x 5 structs, each with 9 columns and parent/children relationships.
for h in $(seq 0 9); do
  f="$work/models/h$h.hpp"
  {
    echo "#pragma once"
    echo "#include <cstdint>"
    echo "#include <optional>"
    echo "#include <string>"
    echo "#include <athanor/model.hpp>"
    echo "namespace perf$h {"
    echo "enum class Kind { kA, kB ATHANOR_ENUM_VALUE(\"b\"), kC };"
    for m in $(seq 0 4); do echo "struct M$m;"; done
    for m in $(seq 0 4); do
      echo "struct ATHANOR_TABLE(\"p${h}_m$m\", comment = \"Model $m of header $h\") M$m {"
      echo "  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;"
      echo "  ATHANOR_COLUMN(length = 100, index) std::string name;"
      echo "  std::optional<std::string> note;"
      echo "  std::int32_t count = 0;"
      echo "  double score = 0;"
      echo "  bool active = false;"
      echo "  std::optional<athanor::Timestamp> created_at;"
      echo "  Kind kind = Kind::kA;"
      if [ "$m" -gt 0 ]; then
        echo "  ATHANOR_COLUMN(foreign_key = \"p${h}_m$((m - 1)).id\") std::int64_t parent_id = 0;"
        echo "  ATHANOR_RELATIONSHIP(back_populates = \"children\") athanor::Reference<M$((m - 1))> parent;"
      fi
      if [ "$m" -lt 4 ]; then
        echo "  ATHANOR_RELATIONSHIP(back_populates = \"parent\") athanor::Collection<M$((m + 1))> children;"
      fi
      echo "};"
    done
    echo "}  // namespace perf$h"
  } > "$f"
done

# Wall and CPU (user + system) seconds of a command, as "wall cpu". CPU time is the fairer figure
# on a busy machine: the tools are single-threaded.
# A failing command prints its error output and makes measure (and so the script) fail.
measure() {
  local TIMEFORMAT='%R %U %S' timing status=0
  timing=$({ time "$@" >/dev/null 2>"$work/command.err"; } 2>&1) || status=$?
  if [ "$status" -ne 0 ]; then
    echo "bench.sh: exit status $status from: $*" >&2
    cat "$work/command.err" >&2
    return 1
  fi
  tail -1 <<<"$timing" | awk '{ printf "%.2f %.2f", $1, $2 + $3 }'
}
# The line with the least CPU time (awk reads all its input: no SIGPIPE under pipefail).
best() { sort -g -k2 | awk 'NR == 1'; }

# ---- generation: a cold run (parses <athanor/model.hpp> and precompiles it into the cache), then
# warm runs (what a rebuild after editing a model costs).
generate() {
  rm -rf "$work/out"
  "$gen" -o "$work/out" --cache-dir "$work/cache" --base-dir "$work/models" -I "$root/include" \
    -I "$work/models" "$work"/models/h*.hpp
}
no_cache() {
  rm -rf "$work/out"
  "$gen" -o "$work/out" --base-dir "$work/models" -I "$root/include" -I "$work/models" \
    "$work"/models/h*.hpp
}
rm -rf "$work/cache"
gen_nocache=$(for run in 1 2 3; do measure no_cache || exit 1; echo; done | best)
gen_cold=$(measure generate)
gen_warm=$(for run in 1 2 3 4 5; do measure generate || exit 1; echo; done | best)
for h in $(seq 0 9); do
  if [ ! -f "$work/out/h$h.athanor.hpp" ]; then
    echo "bench.sh: athanor-gen wrote no h$h.athanor.hpp" >&2
    exit 1
  fi
done
lines=$(cat "$work"/out/h*.athanor.hpp | wc -l)

# ---- compile
tu="$work/tu.cpp"
{
  for h in $(seq 0 9); do echo "#include \"h$h.athanor.hpp\""; done
  echo "#include <cstddef>"
  echo "std::size_t use_all() {"
  echo "  std::size_t n = 0;"
  for h in $(seq 0 9); do
    for m in $(seq 0 4); do
      echo "  n += athanor::to_string(athanor::select(perf$h::M${m}_::table()).where(perf$h::M${m}_::count > 3 && perf$h::M${m}_::kind == perf$h::Kind::kB), \"sqlite\").size();"
      echo "  n += athanor::Mapper<perf$h::M$m>::bind(perf$h::M$m{}).size();"
    done
  done
  echo "  return n;"
  echo "}"
} > "$tu"
compile() {
  local opt="$1"
  for run in 1 2 3; do
    measure "$cxx" -std=c++20 "$opt" -c "$tu" -o "$work/tu.o" -I "$root/include" -I "$work/out" \
      -I "$work/models" || exit 1
    echo
  done | best
}
compile_o0=$(compile -O0)
compile_o2=$(compile -O2)

show() { awk -v label="$1" -v target="$3" '{ printf "  %-52s %6.2f s wall %6.2f s cpu  %s\n", label, $1, $2, target }' <<<"$2"; }
printf 'codegen: 50 models in 10 headers (%s lines generated), %s\n' "$lines" "$($cxx --version | head -1)"
show "athanor-gen, no cache (best of 3)" "$gen_nocache" ""
show "athanor-gen, first run with --cache-dir" "$gen_cold" ""
show "athanor-gen, later runs with --cache-dir (best of 5)" "$gen_warm" "(target < 1 s)"
show "compile TU using all 50 mappings, -O0 (best of 3)" "$compile_o0" "(target < 5 s)"
show "compile TU using all 50 mappings, -O2 (best of 3)" "$compile_o2" ""
