#!/usr/bin/env bash
# Code generation benchmark: 50 models in 10 headers.
#   1. athanor-gen time for the whole step (best of 5 runs; one libclang parse)
#   2. compile time of one translation unit that includes the 10 generated headers and uses
#      every model (g++ -std=c++20, -O0 and -O2, best of 3)
#
#   tests/perf/codegen/bench.sh [BUILD_DIR]     (default build/bench; needs codegen/athanor-gen)
# Targets (docs/codegen.md): generation under 1 s, the translation unit under 5 s.
set -euo pipefail

root="$(cd "$(dirname "$0")/../../.." && pwd)"
build="${1:-$root/build/bench}"
gen="$build/codegen/athanor-gen"
cxx="${CXX:-g++}"
[ -x "$gen" ] || { echo "athanor-gen not found at $gen (build target athanor-gen first)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
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

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() { sort -g | head -1; }

# ---- generation
gen_times=()
for run in 1 2 3 4 5; do
  rm -rf "$work/out"
  t0=$(now)
  "$gen" -o "$work/out" --base-dir "$work/models" -I "$root/include" -I "$work/models" \
    "$work"/models/h*.hpp
  t1=$(now)
  gen_times+=("$(elapsed "$t0" "$t1")")
done
gen_best=$(printf '%s\n' "${gen_times[@]}" | best)
lines=$(cat "$work"/out/*.athanor.hpp | wc -l)

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
  local opt="$1" times=()
  for run in 1 2 3; do
    t0=$(now)
    "$cxx" -std=c++20 "$opt" -c "$tu" -o "$work/tu.o" -I "$root/include" -I "$work/out" -I "$work/models"
    t1=$(now)
    times+=("$(elapsed "$t0" "$t1")")
  done
  printf '%s\n' "${times[@]}" | best
}
compile_o0=$(compile -O0)
compile_o2=$(compile -O2)

printf 'codegen: 50 models in 10 headers (%s lines generated)\n' "$lines"
printf '  athanor-gen, whole step (best of 5):        %6.2f s   (target < 1 s)\n' "$gen_best"
printf '  compile TU using all 50 mappings, -O0:     %6.2f s   (target < 5 s)\n' "$compile_o0"
printf '  compile TU using all 50 mappings, -O2:     %6.2f s\n' "$compile_o2"
