#!/usr/bin/env bash
# CLI start-up and large-snapshot benchmark (docs/PERFORMANCE.md, "CLI: cheap starts, streaming").
#
#   tests/bench/cli-bench.sh [OUT_DIR]
#
# Environment:
#   CW      the launcher script to run (default: functions/local/target/cloudwarden)
#   JAR     instead of CW: run "java [HEAP] -jar JAR" (e.g. a copy of an older build's cloudwarden.jar)
#   HEAP    JVM heap flag for the 100k runs (default -Xmx512m; empty for the JVM's default heap)
#   SIZE    resources in the large estate (default 100000)
#   RUNS    repetitions of each figure (default 3)
#   FIGURES which figures to run (default: version check-small check-big drift-big)
#
# Prints one line per run (figure, run, wall seconds, CPU seconds = user + system, peak RSS MiB, exit code) and
# min / median per figure (OUT_DIR/results accumulates runs: delete it to start over); keeps every run's JSON output
# in OUT_DIR so two builds' findings and drift can be compared with diff (only generatedAt differs).
# CPU seconds are the figure to compare on a shared machine: wall time there mostly measures the other load.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/cloudwarden-cli-bench}
CW=$(realpath "${CW:-functions/local/target/cloudwarden}" 2>/dev/null || echo "${CW:-}")
OUT=$(mkdir -p "$OUT" && realpath "$OUT")
HEAP=${HEAP--Xmx512m}
SIZE=${SIZE:-100000}
RUNS=${RUNS:-3}
mkdir -p "$OUT/estate" "$OUT/state"
if [[ ! -f "$OUT/estate/snapshot-$SIZE.json" ]]; then
  java -cp tests/bench/target/benchmarks.jar io.cloudwarden.bench.WriteEstate "$SIZE" "$OUT/estate" >/dev/null
fi
SMALL=$(realpath examples/snapshot.json)
BIG=$OUT/estate/snapshot-$SIZE.json
APPROVED=$OUT/estate/approved-$SIZE.json
# an empty state directory (no actors to annotate), run in OUT (no ./.cloudwardenignore): the same inputs for
# every build
COMMON=(--state-dir "$OUT/state")

FIGURES=${FIGURES:-version check-small check-big drift-big}
run() { # figure heapflag args...
  local fig=$1 heap=$2; shift 2
  [[ " $FIGURES " == *" $fig "* ]] || return 0
  for i in $(seq 1 "$RUNS"); do
    local code=0
    cmd "$heap"
    (cd "$OUT" && /usr/bin/time -f '%e %M %U %S' -o "$OUT/time" "${CMD[@]}" "$@" >"$OUT/$fig.$i.out" 2>"$OUT/$fig.$i.err") \
      || code=$?
    read -r wall rss user sys < <(tail -1 "$OUT/time") # time prefixes a line when the exit code is not 0
    cpu=$(echo "$user + $sys" | bc)
    printf '%-12s run %d  wall %7.2f s  cpu %7.2f s  peak RSS %5d MiB  exit %d\n' "$fig" "$i" "$wall" "$cpu" \
      "$((rss / 1024))" "$code"
    echo "$fig $wall $((rss / 1024)) $cpu" >>"$OUT/results"
  done
}

# JAR=path measures a plain "java [heap] -jar JAR" (e.g. an older build); otherwise the launcher, which reads
# JAVA_OPTS
cmd() { # heapflag
  if [[ -n ${JAR:-} ]]; then CMD=(java $1 -jar "$JAR"); else CMD=(env "JAVA_OPTS=$1" "$CW"); fi
}
touch "$OUT/results"
run version ""      --version
run check-small ""  check "${COMMON[@]}" --snapshot "$SMALL" --format json
run check-big "$HEAP" check "${COMMON[@]}" --snapshot "$BIG" --format json
run drift-big "$HEAP" drift "${COMMON[@]}" --baseline "$APPROVED" --snapshot "$BIG" --format json
echo
# min and median of each figure (wall, CPU = user + system, peak RSS)
for fig in $(awk '{print $1}' "$OUT/results" | sort -u); do
  stat() { awk -v f="$fig" -v c="$1" '$1 == f {print $c}' "$OUT/results" | sort -n |
    awk '{v[NR] = $1} END {printf "min %8.2f median %8.2f", v[1], v[int((NR + 1) / 2)]}'; }
  printf '%-12s wall %s s   cpu %s s   peak RSS %s MiB\n' "$fig" "$(stat 2)" "$(stat 4)" "$(stat 3)"
done
