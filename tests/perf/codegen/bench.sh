#!/usr/bin/env bash
# Code generation benchmark: 50 models in 10 headers.
#   1. athanor-gen time for the whole step (one libclang parse): without a cache, the first run
#      with --cache-dir, and later runs (as in a rebuild, the default of athanor_generate)
#   2. compile time (g++ -std=c++20, best of 3) of
#      - one translation unit that includes the 10 generated headers and, for every model, inserts
#        an object (insert_object), selects with a typed where clause, reads the rows back
#        (hydrate_all, hydrate) and binds an object: at -O0 and -O2
#      - one translation unit doing the same with one model (one generated header): at -O0
#      - the 10 generated sources (x.athanor.cpp, the mappers' bodies, compiled once per target)
#        one after the other: at -O0 and -O2
#
#   tests/perf/codegen/bench.sh [BUILD_DIR]     (default build/bench; needs codegen/athanor-gen)
#   KEEP=1 tests/perf/codegen/bench.sh ...      keeps the work directory (models, generated code,
#                                               tu.cpp, one.cpp) for -ftime-report / -H and prints
#                                               its path
# A failing athanor-gen or compiler run stops the script with the tool's error and exit status 1.
# Targets (docs/codegen.md): generation under 1 s, the all-models translation unit under 3 s and
# the one-model unit under 1.5 s at -O0.
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
lines=$(cat "$work"/out/h*.athanor.* | wc -l)

# ---- compile
# use_<model>(): what an application does with a model; the translation units below call it for
# every model or for one.
use_model() {
  local h="$1" m="$2" t="perf$1::M$2"
  local c="perf$1::M${2}_"
  echo "std::size_t use_${h}_$m(athanor::Connection& conn) {"
  echo "  $t object;"
  echo "  object.name = \"n\";"
  echo "  athanor::insert_object(conn, object);"
  echo "  auto query = athanor::select($c::table()).where($c::count > 3 && $c::kind == perf$h::Kind::kB);"
  echo "  std::vector<$t> rows = athanor::hydrate_all<$t>(conn.execute(query));"
  echo "  std::optional<athanor::Row> row = conn.execute(athanor::select($c::table())).first();"
  echo "  if (row) rows.push_back(athanor::Mapper<$t>::hydrate(*row));"
  echo "  return rows.size() + athanor::Mapper<$t>::bind(object).size();"
  echo "}"
}
tu="$work/tu.cpp"
{
  for h in $(seq 0 9); do echo "#include \"h$h.athanor.hpp\""; done
  echo "#include <cstddef>"
  for h in $(seq 0 9); do
    for m in $(seq 0 4); do use_model "$h" "$m"; done
  done
  echo "std::size_t use_all(athanor::Connection& conn) {"
  echo "  std::size_t n = 0;"
  for h in $(seq 0 9); do
    for m in $(seq 0 4); do echo "  n += use_${h}_$m(conn);"; done
  done
  echo "  return n;"
  echo "}"
} > "$tu"
one="$work/one.cpp"
{
  echo "#include \"h0.athanor.hpp\""
  echo "#include <cstddef>"
  use_model 0 0
} > "$one"
# Best of 3 compiles of `source` with `opt`.
compile() {
  local opt="$1" source="$2"
  for run in 1 2 3; do
    measure "$cxx" -std=c++20 "$opt" -c "$source" -o "$work/tu.o" -I "$root/include" \
      -I "$work/out" -I "$work/models" || exit 1
    echo
  done | best
}
# The generated sources compiled one after the other (what the target's build adds), best of 3;
# "0 0" for a generator that writes none.
compile_sources() {
  local opt="$1" sources=("$work"/out/h*.athanor.cpp)
  [ -f "${sources[0]}" ] || { echo "0 0"; return; }
  for run in 1 2 3; do
    measure bash -c 'cxx="$1"; opt="$2"; out="$3"; shift 3
      for s in "$@"; do "$cxx" -std=c++20 "$opt" -c "$s" -o "$out/gen.o" -I "'"$root"'/include" \
        -I "$out" -I "'"$work"'/models" || exit 1; done' _ "$cxx" "$opt" "$work/out" "${sources[@]}" \
      || exit 1
    echo
  done | best
}
compile_o0=$(compile -O0 "$tu")
compile_o2=$(compile -O2 "$tu")
compile_one=$(compile -O0 "$one")
sources_o0=$(compile_sources -O0)
sources_o2=$(compile_sources -O2)

show() { awk -v label="$1" -v target="$3" '{ printf "  %-58s %6.2f s wall %6.2f s cpu  %s\n", label, $1, $2, target }' <<<"$2"; }
printf 'codegen: 50 models in 10 headers (%s lines generated), %s\n' "$lines" "$($cxx --version | head -1)"
show "athanor-gen, no cache (best of 3)" "$gen_nocache" ""
show "athanor-gen, first run with --cache-dir" "$gen_cold" ""
show "athanor-gen, later runs with --cache-dir (best of 5)" "$gen_warm" "(target < 1 s)"
show "compile TU using all 50 models, -O0 (best of 3)" "$compile_o0" "(target < 3 s)"
show "compile TU using all 50 models, -O2 (best of 3)" "$compile_o2" ""
show "compile TU using one model, -O0 (best of 3)" "$compile_one" "(target < 1.5 s)"
show "compile the 10 generated .cpp files, -O0 (best of 3)" "$sources_o0" ""
show "compile the 10 generated .cpp files, -O2 (best of 3)" "$sources_o2" ""
