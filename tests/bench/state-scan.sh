#!/usr/bin/env bash
# One scan (or K) of the 10,000-bucket estate into a given state directory, the last under GNU time: how the
# scheduled scan at the finding history's steady size is measured without re-running the 10 scans before it each time
# (docs/PERFORMANCE.md "Streamed state reads and writes").
#
#   tests/bench/state-scan.sh LAUNCHER STATE_DIR [K] [TAG]
#
# LAUNCHER: a build's launcher (functions/local/target/cloudwarden, or a copy: re-record a copy's CDS archive, see
# e2e.sh). Starts WireEstateServer N (N=10000 unless set; tests/bench/target/benchmarks.jar, or BENCH_JAR=...) with the
# e2e script's properties, runs K (default 1) scans `scan --cloud aws --type storage.bucket --state-dir STATE_DIR`
# and prints the last one's peak RSS and CPU (GNU time), its unread shards and the digest of the failing findings of
# `check` on its snapshot (as e2e.sh computes it). Typical use: make one directory with 10 scans once
# (K=10), then measure the 11th scan of each build on a fresh `cp -a` of it.
set -euo pipefail
CLI=${1:?usage: state-scan.sh LAUNCHER STATE_DIR [K] [TAG]}
STATE=${2:?usage: state-scan.sh LAUNCHER STATE_DIR [K] [TAG]}
K=${3:-1}
TAG=${4:-run}
N=${N:-10000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_JAR=${BENCH_JAR:-$ROOT/tests/bench/target/benchmarks.jar}
[ -f "$BENCH_JAR" ] || { echo "missing $BENCH_JAR: ./mvnw -B -pl tests/bench -am package -DskipTests" >&2; exit 2; }
W=$(mktemp -d /tmp/cloudwarden-state-scan.XXXXXX)
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN || true
: > "$W/server.out"
java -Xmx512m -Dsun.net.httpserver.nodelay=true -cp "$BENCH_JAR" io.cloudwarden.bench.e2e.WireEstateServer "$N" \
    > "$W/server.out" 2>&1 &
SP=$!
trap 'kill $SP 2>/dev/null; wait $SP 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 400); do grep -q '^listening ' "$W/server.out" && break; sleep 0.05; done
URL=$(awk '/^listening / {print $2}' "$W/server.out")
[ -n "$URL" ] || { cat "$W/server.out" >&2; exit 1; }
printf 'cloudwarden.aws.endpoint=%s\ncloudwarden.aws.accounts=111122223333\ncloudwarden.aws.regions=us-east-1\n' \
    "$URL" > "$W/estate.properties"
for ((k = 1; k <= K; k++)); do
  /usr/bin/time -v -o "$W/scan.time" "$CLI" scan --config "$W/estate.properties" --cloud aws --type storage.bucket \
      --state-dir "$STATE" --out "$W/snapshot.json" > "$W/scan.out" 2>&1 || { tail -n 9 "$W/scan.out" >&2; exit 1; }
done
rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$W/scan.time")
cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$W/scan.time")
wall=$(awk -F': ' '/Elapsed/ {print $2}' "$W/scan.time")
errors=$(jq '.errors | length' "$W/snapshot.json")
"$CLI" check --snapshot "$W/snapshot.json" --format json --out "$W/findings.json" > /dev/null 2>&1 || true
digest=$(jq -r '[.findings[]? | select(.status == "FAIL") | "\(.ruleId) \(.resource.id // .resourceId)"] | sort | .[]' \
    "$W/findings.json" | sha256sum | cut -c1-12)
history=$(stat -c %s "$STATE/findings/history.json" 2>/dev/null || echo 0)
echo "$TAG: scan $K into $STATE: peak RSS ${rss} MiB, CPU ${cpu} s, wall ${wall}, unread shards $errors," \
    "findings digest $digest, history $history B, load $(cut -d' ' -f1 /proc/loadavg)"
