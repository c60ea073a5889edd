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
# Prints one line per run (figure, run, wall seconds, peak RSS MiB, exit code) and min / median per figure;
# keeps every run's JSON output in OUT_DIR so two builds' findings and drift can be compared with diff.
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
    (cd "$OUT" && /usr/bin/time -f '%e %M' -o "$OUT/time" "${CMD[@]}" "$@" >"$OUT/$fig.$i.out" 2>"$OUT/$fig.$i.err") \
      || code=$?
    read -r wall rss < <(tail -1 "$OUT/time") # time prefixes a line when the exit code is not 0
    printf '%-18s run %d  wall %6.2f s  peak RSS %6.0f MiB  exit %d\n' "$fig" "$i" "$wall" "$((rss / 1024))" "$code"
    echo "$fig $wall $((rss / 1024))" >>"$OUT/results"
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
awk '{w[$1]=w[$1]" "$2; m[$1]=m[$1]" "$3} END {for (f in w) print f, w[f], "|", m[f]}' "$OUT/results" | sort |
while read -r fig rest; do
  walls=$(echo "${rest%|*}" | tr ' ' '\n' | grep . | sort -n)
  rsss=$(echo "${rest#*|}" | tr ' ' '\n' | grep . | sort -n)
  n=$(echo "$walls" | wc -l)
  printf '%-18s wall min %6.2f s median %6.2f s   peak RSS min %5d MiB median %5d MiB\n' "$fig" \
    "$(echo "$walls" | head -1)" "$(echo "$walls" | sed -n "$(((n + 1) / 2))p")" \
    "$(echo "$rsss" | head -1)" "$(echo "$rsss" | sed -n "$(((n + 1) / 2))p")"
done
