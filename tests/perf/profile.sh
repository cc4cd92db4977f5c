#!/usr/bin/env bash
# Counts the client-side instructions of one benchmark method with valgrind's callgrind: unlike a
# time, the count does not depend on what else the machine is doing, so Core and raw can be
# compared on a busy machine, and a change measured to the percent.
#
#   tests/perf/profile.sh <build-dir> <backend> <workload> <raw|core> [method-text] [rows]
#
# Runs the method twice in one process (the first run pays one-time costs such as statement
# preparation) and prints the instructions of the second run, per row. The profile of both runs
# is left in callgrind.<backend>.<workload>.<side>.out for callgrind_annotate (--inclusive=yes
# gives the time per function). The database URLs come from the environment, as for the
# benchmark itself (tests/servers/with_servers.sh).
set -euo pipefail
build=${1:?usage: profile.sh <build-dir> <backend> <workload> <raw|core> [method-text] [rows]}
backend=${2:?backend}
workload=${3:?workload}
side=${4:?raw or core}
method=${5:-}
rows=${6:-10000}
bench=$build/tests/perf/athanor_bench
out=callgrind.$backend.$workload.$side.out

count() {  # <runs> <output file>: instructions spent inside run_method
  valgrind --tool=callgrind --callgrind-out-file="$2" --toggle-collect='*run_method*' \
    "$bench" --rows "$rows" --backend "$backend" --workload "$workload" --side "$side" \
    --method "$method" --all --repeat "$1" --min-time 0 --max-runs "$1" --processes 1 >/dev/null 2>&1
  awk '/^(summary|totals):/ {print $2; exit}' "$2"
}

scratch=$(mktemp)
trap 'rm -f "$scratch"' EXIT
once=$(count 1 "$scratch")
twice=$(count 2 "$out")
steady=$((twice - once))
echo "$backend $workload $side${method:+ '$method'}: $steady instructions per run," \
  "$((steady / rows)) per row (profile: $out)"
