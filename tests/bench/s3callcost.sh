#!/usr/bin/env bash
# CPU and allocation per S3 call of the scan's path, for one or more builds, interleaved (S3CallCost; see
# docs/PERFORMANCE.md "CPU per S3 call").
#
#   tests/bench/s3callcost.sh N REPEATS [VARIANT ...]
#
# A VARIANT is a class path to a build's classes (its cloudwarden.jar, optionally with directories before it), or
# "JVM OPTIONS|CLASS PATH" to give that variant's JVM extra options (e.g. "-XX:-StackTraceInThrowable|a.jar").
# Starts one WireEstateServer of N buckets, then REPEATS times runs, for each JAR in turn (default: this worktree's
# functions/local/target/cloudwarden.jar), a fresh JVM with the launcher's scan flags (C1 only, serial GC, 512 MiB
# heap, 32 MiB young generation) that reads the estate WARMUP times untimed and ROUNDS times timed
# (WARMUP=3 ROUNDS=3 unless set in the environment). Per JVM it prints the min and median of its rounds; at the end,
# per JAR, the min and median over every timed round of every repeat, and of the cold side (the first warm-up round,
# the session's build with its HTTP client, CPU from JVM start to the first round's end). Extra JVM options:
# CALLCOST_JAVA_OPTS. A session setting for one variant: "-Dcallcost.setting.httpClient=apache|a.jar:apache.jar".
# A JAR must be a build's cloudwarden.jar (its own classes are on the class path before tests/bench/target/classes,
# which must be built: ./mvnw -B -pl functions/local,tests/bench -am package -DskipTests).
set -euo pipefail
N=${1:?usage: tests/bench/s3callcost.sh N REPEATS [JAR ...]}
REPEATS=${2:-3}
shift 2 || true
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=("$ROOT/functions/local/target/cloudwarden.jar")
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d)
java -Xmx512m -Dsun.net.httpserver.nodelay=true -cp "$ROOT/tests/bench/target/benchmarks.jar" \
    io.cloudwarden.bench.e2e.WireEstateServer "$N" > "$WORK/server.out" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 200); do grep -q '^listening ' "$WORK/server.out" && break; sleep 0.05; done
URL=$(awk '/^listening / {print $2}' "$WORK/server.out")
[ -n "$URL" ] || { cat "$WORK/server.out" >&2; exit 1; }
echo "N=$N buckets, warm-up $WARMUP, rounds $ROUNDS, repeats $REPEATS; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq 1 "$REPEATS"); do
  for i in "${!JARS[@]}"; do
    # shellcheck disable=SC2086
    v=${JARS[$i]}; opts=; cp=$v
    case "$v" in *"|"*) opts=${v%%|*}; cp=${v#*|} ;; esac
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -Xmn32m ${CALLCOST_JAVA_OPTS:-} $opts \
        -cp "$cp:$ROOT/tests/bench/target/classes" io.cloudwarden.bench.S3CallCost "$URL" "$WARMUP" "$ROUNDS" \
        > "$WORK/run-$i-$rep.out" 2>&1 || { cat "$WORK/run-$i-$rep.out" >&2; exit 1; }
    grep -E '^[^ ]+ round ' "$WORK/run-$i-$rep.out" | sed "s|^|jar $i rep $rep: |"
    grep -E '^[^ ]+ round ' "$WORK/run-$i-$rep.out" >> "$WORK/rounds-$i"
    grep -E '^[^ ]+ (warm-up 1|start|cold):' "$WORK/run-$i-$rep.out" | sed "s|^|jar $i rep $rep: |"
    grep -E '^[^ ]+ warm-up 1:' "$WORK/run-$i-$rep.out" >> "$WORK/cold-$i"
    grep -E '^[^ ]+ start:' "$WORK/run-$i-$rep.out" >> "$WORK/start-$i"
    grep -E '^[^ ]+ cold:' "$WORK/run-$i-$rep.out" >> "$WORK/coldcpu-$i"
  done
done
# min and median of a column of numbers
stats() { sort -g | awk '{ v[NR] = $1 } END { printf "min %.3f median %.3f", v[1], (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for i in "${!JARS[@]}"; do
  f="$WORK/rounds-$i"
  cpu=$(sed -n 's/.* = \([0-9.]*\) ms\/call.*/\1/p' "$f" | stats)
  alloc=$(sed -n 's/.*alloc \([0-9.]*\) KiB\/call.*/\1/p' "$f" | stats)
  items=$(sed -n 's/.*items \([0-9a-f]*\)$/\1/p' "$f" | sort -u | tr '\n' ' ')
  echo "${JARS[$i]}: CPU ms/call $cpu; alloc KiB/call $alloc; $(wc -l < "$f") rounds; items digest(s): $items"
  # the cold side, per JVM: the first (warm-up) round, the session's build (its HTTP client), CPU from JVM start
  cold=$(sed -n 's/.* = \([0-9.]*\) ms\/call.*/\1/p' "$WORK/cold-$i" | stats)
  build=$(sed -n 's/.*session built in \([0-9.]*\) ms CPU.*/\1/p' "$WORK/start-$i" | stats)
  total=$(sed -n 's/.*JVM start \([0-9.]*\) ms after.*/\1/p' "$WORK/coldcpu-$i" | stats)
  echo "  cold: first round CPU ms/call $cold; session build CPU ms $build; CPU ms from JVM start to the first round's end $total"
done
