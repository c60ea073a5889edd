#!/usr/bin/env bash
# End-to-end benchmark: scan + check of N S3 buckets served on 127.0.0.1 in S3's wire format (10 % public).
#
#   tests/bench/e2e.sh N [RUNS]
#
# Builds nothing. Needs tests/bench/target/benchmarks.jar (the estate server) and the CLI jar
# (functions/local/target/cloudwarden.jar, or CLOUDWARDEN_JAR=/path/to/other/cloudwarden.jar to measure another
# build, e.g. the code before a change); build both once with
#   ./mvnw -B -pl functions/local,tests/bench -am package -DskipTests
# For each run it starts the estate server (WireEstateServer, JDK HTTP server), then times
#   java -jar cloudwarden.jar scan --cloud aws --endpoint-url URL --out SNAPSHOT ...
#   java -jar cloudwarden.jar check --snapshot SNAPSHOT --format json --out FINDINGS
# and prints one line per run: wall time of both commands together (both JVM starts included), each command's
# wall, API calls per bucket counted on the server side, peak RSS of each JVM (GNU time's "Maximum resident set
# size"), and a digest of the failing findings (rule id + resource id) so before/after runs can be compared for
# identical findings. Then min and median of the total wall over the runs.
# Extra JVM options for the CLI: CLOUDWARDEN_JAVA_OPTS (e.g. -XX:StartFlightRecording=filename=x.jfr).
set -euo pipefail

N=${1:?usage: tests/bench/e2e.sh N [RUNS]}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${CLOUDWARDEN_JAR:-$ROOT/functions/local/target/cloudwarden.jar}
# The CLI as the README starts it: the launcher (CDS archive, C1, serial GC, 512 MiB heap cap) for the current build;
# CLOUDWARDEN_JAR=... runs "java -jar" on another build (the code before a change had no launcher).
if [ -z "${CLOUDWARDEN_JAR:-}" ] && [ -x "$ROOT/functions/local/target/cloudwarden" ]; then
  CLI=("$ROOT/functions/local/target/cloudwarden")
else
  CLI=(java ${CLOUDWARDEN_JAVA_OPTS:-} -jar "$JAR")
fi
BENCH_JAR=$ROOT/tests/bench/target/benchmarks.jar
TIME=/usr/bin/time
for f in "$JAR" "$BENCH_JAR"; do
  [ -f "$f" ] || { echo "missing $f: build it first (./mvnw -B -pl functions/local,tests/bench -am package -DskipTests)" >&2; exit 2; }
done
[ -x "$TIME" ] || { echo "missing GNU time ($TIME): apt-get install time" >&2; exit 2; }

WORK=$(mktemp -d /tmp/cloudwarden-e2e.XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN || true

rss_mib() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
now() { date +%s.%N; }

echo "jar: $JAR"
echo "estate: $N buckets (10 % public), runs: $RUNS; $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
totals=()
for run in $(seq 1 "$RUNS"); do
  # TCP_NODELAY on the JDK server: without it every response waits on the client's delayed ACK (~40 ms), and the
  # benchmark measures that instead of Cloudwarden (a sequential client then needs 40 ms a call).
  java -Xmx512m -Dsun.net.httpserver.nodelay=true -cp "$BENCH_JAR" io.cloudwarden.bench.e2e.WireEstateServer "$N" > "$WORK/server.out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do grep -q listening "$WORK/server.out" && break; sleep 0.05; done
  URL=$(awk '/listening/ {print $2}' "$WORK/server.out")
  [ -n "$URL" ] || { cat "$WORK/server.out" >&2; exit 1; }
  state="$WORK/state-$run"
  snap="$WORK/snapshot-$run.json"
  t0=$(now)
  set +e
  $TIME -v -o "$WORK/scan.time" "${CLI[@]}" scan --cloud aws --endpoint-url "$URL" \
      --account 111122223333 --region us-east-1 --type storage.bucket --state-dir "$state" --out "$snap" \
      > "$WORK/scan.out" 2>&1
  scan_rc=$?
  t1=$(now)
  $TIME -v -o "$WORK/check.time" "${CLI[@]}" check --snapshot "$snap" \
      --format json --out "$WORK/findings-$run.json" > "$WORK/check.out" 2>&1
  check_rc=$?
  t2=$(now)
  set -e
  if [ "$scan_rc" -ne 0 ] || [ "$check_rc" -ne 0 ]; then
    echo "run $run: scan exit $scan_rc, check exit $check_rc" >&2
    tail -n9 "$WORK/scan.out" "$WORK/check.out" >&2
    exit 1
  fi
  calls=$(curl -s "$URL/__bench/calls")
  total_calls=$(echo "$calls" | awk '/^total/ {print $2}')
  resources=$(jq '.resources | length' "$snap")
  public=$(jq '[.resources[] | select(.attributes.publicAccess == true)] | length' "$snap")
  digest=$(jq -r '[.findings[]? | select(.status == "FAIL") | "\(.ruleId) \(.resource.id // .resourceId)"] | sort | .[]' \
      "$WORK/findings-$run.json" | sha256sum | cut -c1-12)
  failing=$(jq '[.findings[]? | select(.status == "FAIL")] | length' "$WORK/findings-$run.json")
  total=$(echo "$t2 - $t0" | bc)
  totals+=("$total")
  printf 'run %d: total %.2f s (scan %.2f s, check %.2f s) | resources %s, public %s | API calls %s = %.2f per bucket | peak RSS scan %s MiB, check %s MiB | failing findings %s, digest %s\n' \
      "$run" "$total" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$resources" "$public" "$total_calls" \
      "$(echo "$total_calls / $N" | bc -l)" "$(rss_mib "$WORK/scan.time")" "$(rss_mib "$WORK/check.time")" \
      "$failing" "$digest"
  if [ "$run" -eq 1 ]; then echo "$calls" | sed 's/^/    /'; fi
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
done
sorted=$(printf '%s\n' "${totals[@]}" | sort -n)
min=$(echo "$sorted" | head -1)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}')
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'N=%d total wall (scan + check, both JVM starts): min %.2f s, median %.2f s over %d runs\n' "$N" "$min" "$median" "$RUNS"
