#!/usr/bin/env bash
# End-to-end benchmark: scan + check of a generated estate served on 127.0.0.1 in each API's wire format.
#
#   tests/bench/e2e.sh N [RUNS] [SCOPE]
#
# SCOPE (default s3):
#   s3    N S3 buckets (10 % public): `scan --cloud aws --type storage.bucket` (the issue's figure)
#   aws   N of each of the six AWS types: S3 (REST XML), EC2 security groups and instances (+ volumes) and IAM users
#         and access keys (query XML), KMS keys (JSON 1.1)
#   gcp   N of each of the six GCP types, as Cloud Asset Inventory serves them (REST JSON)
#   azure N of each of the six Azure types, over HTTPS: Resource Graph and ARM JSON (storage accounts + blob service,
#         containers, diagnostic settings; NSGs; VMs + NICs, public IPs, Update Manager patch tables; Key Vault vaults'
#         keys), Microsoft Graph (users, service principals, directory roles, MFA report, applications' credentials)
#   all   aws + gcp + azure in one scan (`--cloud aws --cloud gcp --cloud azure`)
#
# Builds nothing. Needs tests/bench/target/benchmarks.jar (the estate server) and the CLI jar
# (functions/local/target/cloudwarden.jar, or CLOUDWARDEN_JAR=/path/to/other/cloudwarden.jar to measure another
# build, e.g. the code before a change); build both once with
#   ./mvnw -B -pl functions/local,tests/bench -am package -DskipTests
# For each run it starts the estate server (WireEstateServer), then times
#   cloudwarden scan --config PROPS --cloud ... --out SNAPSHOT     (PROPS: each cloud's endpoint, account, region)
#   cloudwarden check --snapshot SNAPSHOT --format json --out FINDINGS
# and prints one line per run: wall time of both commands together (both JVM starts included), each command's
# wall and CPU seconds (user + system, GNU time), the estate server's CPU seconds while the scan ran (its share of
# the same cores: a real cloud serves from its own machines), API calls per resource counted on the server side (and the calls Cloudwarden counted itself, from the
# snapshot's statistics), peak RSS of each JVM (GNU time's "Maximum resident set size"), and a digest of the failing
# findings (rule id + resource id) so before/after runs can be compared for identical findings. It also checks the
# findings against what the generator planted: per cloud, public buckets, firewalls open on SSH and instances with
# a public IP are ceil(N/10) each, old access keys ceil(N/5) (`planted: ok (...)` with the expected counts; a mismatch
# fails the script). Then min and median of the total wall over the runs.
# Azure: the Azure SDK sends bearer tokens over HTTPS only, so the server also listens on an HTTPS port with a
# self-signed certificate made here by keytool (key store and trust store in the run's temp folder), and the CLI's JVM
# is given that trust store through JAVA_TOOL_OPTIONS (-Djavax.net.ssl.trustStore=...: the SDK's Netty client uses the
# JVM's default trust managers; see providers/azure/README.md "HTTPS and the trust store").
# RESCAN=1 runs an untimed scan into the run's state directory first, so the timed scan is the scheduled case: a
# scan that finds the previous snapshot, findings and finding history (the server's call counts are reset after it).
# RESCAN=K runs K untimed scans first: the finding history keeps up to 10 sightings an entry, so RESCAN=10 times a
# scan at the history's steady size (the long-running scheduled case).
# CLOUDWARDEN_EXTRA_CP=jars runs the CLI's jar with those jars after it on the class path (java -cp with the launcher's
# C1/serial-GC/heap flags, no CDS archive), e.g. an optional HTTP client's (tests/bench/http-client-cp.sh apache) with
# EXTRA_PROPS=cloudwarden.aws.httpClient=apache; EXTRA_PROPS adds lines to the scan's properties.
# LATENCY_MS=20 makes the server wait 20 ms before each answer, as a round trip to a cloud region would: the scan is
# then bound by the reads it keeps in flight (EXTRA_PROPS=cloudwarden.aws.maxConcurrency=N) rather than by the CPU.
# The estate server answers plain HTTP with its own one-thread-per-connection front (LoopbackHttpServer), which takes
# less of the shared cores than the JDK's HttpServer, in a JVM with C1 only and the serial collector (with the default
# flags it took 8.8 CPU-seconds of a 10,000-bucket run, with these 5.1). JDK_HTTP=1 serves through the JDK's server
# in a JVM with the default flags instead, as the benchmark did until 2026-12-05 (to compare figures across that change).
# SERVER_JAVA_OPTS replaces the server JVM's flags. HTTPS (Azure) is always the JDK's server.
# Extra JVM options for the CLI: CLOUDWARDEN_JAVA_OPTS (e.g. -XX:StartFlightRecording=filename=x.jfr; with the
# launcher, JAVA_OPTS).
set -euo pipefail

N=${1:?usage: tests/bench/e2e.sh N [RUNS] [s3|aws|gcp|azure|all]}
RUNS=${2:-3}
SCOPE=${3:-s3}
AWS_ACCOUNT=111122223333
GCP_PROJECT=cw-bench
AZURE_SUBSCRIPTION=5e1c0b7a-2d3f-4a6b-9c8d-0e1f2a3b4c5d   # AzureEstate.SUBSCRIPTION
case "$SCOPE" in
  s3) CLOUDS=(aws); SCAN_ARGS=(--cloud aws --type storage.bucket) ;;
  aws) CLOUDS=(aws); SCAN_ARGS=(--cloud aws) ;;
  gcp) CLOUDS=(gcp); SCAN_ARGS=(--cloud gcp) ;;
  azure) CLOUDS=(azure); SCAN_ARGS=(--cloud azure) ;;
  all) CLOUDS=(aws gcp azure); SCAN_ARGS=(--cloud aws --cloud gcp --cloud azure) ;;
  *) echo "SCOPE: expected s3, aws, gcp, azure or all but was '$SCOPE'" >&2; exit 2 ;;
esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${CLOUDWARDEN_JAR:-$ROOT/functions/local/target/cloudwarden.jar}
# The CLI as the README starts it: the launcher (CDS archive, C1, serial GC, 512 MiB heap cap) for the current build;
# CLOUDWARDEN_JAR=... runs "java -jar" on another build (the code before a change had no launcher).
# CLOUDWARDEN_LAUNCHER=/path/to/cloudwarden runs another build's launcher (with its own archives).
if [ -n "${CLOUDWARDEN_LAUNCHER:-}" ]; then
  CLI=("$CLOUDWARDEN_LAUNCHER")
  JAR=$(dirname "$CLOUDWARDEN_LAUNCHER")/cloudwarden.jar
  # A copied build (cp -r functions/local/target /tmp/base) keeps cloudwarden.jsa, but the archive names the jar it was
  # recorded from by path: once the original is rebuilt the copy starts without it and pays its whole class loading
  # (docs/PERFORMANCE.md, "third pass"). Say so rather than compare such a base with a candidate.
  lib=$(dirname "$CLOUDWARDEN_LAUNCHER")
  if [ -f "$lib/cloudwarden.jsa" ] && [ ! -f "$lib/cloudwarden.aot" ] \
      && ! JAVA_OPTS="-Xshare:on" "$CLOUDWARDEN_LAUNCHER" --version > /dev/null 2>&1; then
    echo "warning: $lib/cloudwarden.jsa does not map for $lib/cloudwarden.jar (a copied build?): it starts without" \
        "its archive; re-record it with: java -XX:ArchiveClassesAtExit=$lib/cloudwarden.jsa -cp $lib/cloudwarden.jar" \
        "io.cloudwarden.local.CdsTraining $ROOT/examples" >&2
  fi
elif [ -n "${CLOUDWARDEN_EXTRA_CP:-}" ]; then
  CLI=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -Xmn32m ${CLOUDWARDEN_JAVA_OPTS:-}
       -cp "$JAR:$CLOUDWARDEN_EXTRA_CP" io.cloudwarden.local.Main)
elif [ -z "${CLOUDWARDEN_JAR:-}" ] && [ -x "$ROOT/functions/local/target/cloudwarden" ]; then
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

# HTTPS for Azure: a self-signed certificate for 127.0.0.1 (valid for two days), its key store for the server and a
# trust store holding it for the CLI.
SERVER_TLS=()
CLI_ENV=()
if [[ " ${CLOUDS[*]} " == *" azure "* ]]; then
  KEYTOOL=${JAVA_HOME:+$JAVA_HOME/bin/}keytool
  mkdir -p "$WORK/tls"
  "$KEYTOOL" -genkeypair -alias estate -keyalg EC -groupname secp256r1 -dname CN=127.0.0.1 \
      -ext SAN=ip:127.0.0.1,dns:localhost -validity 2 -storetype PKCS12 -keystore "$WORK/tls/server.p12" \
      -storepass changeit -keypass changeit > "$WORK/tls/keytool.out" 2>&1 \
      || { cat "$WORK/tls/keytool.out" >&2; echo "keytool ($KEYTOOL) could not make the TLS certificate" >&2; exit 2; }
  "$KEYTOOL" -exportcert -alias estate -keystore "$WORK/tls/server.p12" -storepass changeit -rfc \
      -file "$WORK/tls/server.pem" > "$WORK/tls/keytool.out" 2>&1 \
      || { cat "$WORK/tls/keytool.out" >&2; echo "keytool ($KEYTOOL) could not make the TLS certificate" >&2; exit 2; }
  "$KEYTOOL" -importcert -noprompt -alias estate -file "$WORK/tls/server.pem" -keystore "$WORK/tls/trust.p12" \
      -storetype PKCS12 -storepass changeit > "$WORK/tls/keytool.out" 2>&1 \
      || { cat "$WORK/tls/keytool.out" >&2; echo "keytool ($KEYTOOL) could not make the TLS certificate" >&2; exit 2; }
  SERVER_TLS=(--tls "$WORK/tls/server.p12")
  CLI_ENV=(env "JAVA_TOOL_OPTIONS=${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }-Djavax.net.ssl.trustStore=$WORK/tls/trust.p12 -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12")
fi

rss_mib() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
# CPU seconds (user + system) of a command, from GNU time: the figure to compare on a loaded machine, where wall is not
cpu_s() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$1"; }
# CPU seconds (user + system) a running process has used so far (the estate server's share of the 2 cores)
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz}' "/proc/$1/stat"; }
now() { date +%s.%N; }

echo "jar: $JAR; CLI: ${CLI[*]}; JAVA_HOME: ${JAVA_HOME:-(java on PATH)}"
echo "estate: scope $SCOPE, N=$N per type (10 % public/open), latency ${LATENCY_MS:-0} ms per answer, runs: $RUNS; $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${SERVER_JAVA_OPTS+set}" ]; then
  if [ -n "${JDK_HTTP:-}" ]; then SERVER_JAVA_OPTS=""; else SERVER_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"; fi
fi
echo "estate server: $([ -n "${JDK_HTTP:-}" ] && echo "JDK HttpServer" || echo "LoopbackHttpServer") for plain HTTP, JVM flags: ${SERVER_JAVA_OPTS:-(defaults)}"
totals=()
for run in $(seq 1 "$RUNS"); do
  # TCP_NODELAY on the JDK server: without it every response waits on the client's delayed ACK (~40 ms), and the
  # benchmark measures that instead of Cloudwarden (a sequential client then needs 40 ms a call).
  java -Xmx512m -Dsun.net.httpserver.nodelay=true $SERVER_JAVA_OPTS -cp "$BENCH_JAR" io.cloudwarden.bench.e2e.WireEstateServer "$N" \
      "${SERVER_TLS[@]}" ${LATENCY_MS:+--latency-ms "$LATENCY_MS"} ${JDK_HTTP:+--jdk-http} > "$WORK/server.out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do grep -q '^listening ' "$WORK/server.out" && break; sleep 0.05; done
  URL=$(awk '/^listening / {print $2}' "$WORK/server.out")
  TLS_URL=$(awk '/^listening-tls / {print $2}' "$WORK/server.out")   # printed before "listening"
  [ -n "$URL" ] || { cat "$WORK/server.out" >&2; exit 1; }
  state="$WORK/state-$run"
  snap="$WORK/snapshot-$run.json"
  props="$WORK/estate.properties"
  : > "$props"
  for c in "${CLOUDS[@]}"; do
    if [ "$c" = azure ]; then echo "cloudwarden.$c.endpoint=$TLS_URL" >> "$props"; else
      echo "cloudwarden.$c.endpoint=$URL" >> "$props"; fi
  done
  printf 'cloudwarden.aws.accounts=%s\ncloudwarden.aws.regions=us-east-1\ncloudwarden.gcp.accounts=%s\n' \
      "$AWS_ACCOUNT" "$GCP_PROJECT" >> "$props"
  echo "cloudwarden.azure.accounts=$AZURE_SUBSCRIPTION" >> "$props"
  # Cloud Asset Inventory pages of 500 assets: on this shared 2-core machine under load a page's parse can exceed the
  # default 20 s request / 30 s total timeout, which would leave a shard unread; the benchmark allows more.
  printf 'cloudwarden.gcp.requestTimeoutSeconds=120\ncloudwarden.gcp.totalTimeoutSeconds=300\n' >> "$props"
  # EXTRA_PROPS: more lines for the scan's properties (e.g. EXTRA_PROPS=cloudwarden.aws.httpClient=apache)
  [ -z "${EXTRA_PROPS:-}" ] || printf '%s\n' "$EXTRA_PROPS" >> "$props"
  if [ "${RESCAN:-0}" -ge 1 ]; then
    # the scheduled case: the timed scan finds the previous scan's snapshot, findings and history in its state
    # directory (merge, drift since the previous scan, history fold), so these scans are not timed
    for ((k = 1; k <= RESCAN; k++)); do
      "${CLI_ENV[@]}" "${CLI[@]}" scan --config "$props" "${SCAN_ARGS[@]}" --state-dir "$state" \
          --out "$WORK/first-$run.json" > "$WORK/first.out" 2>&1 || { tail -n9 "$WORK/first.out" >&2; exit 1; }
    done
    curl -s -X POST "$URL/__bench/reset" > /dev/null   # count the timed scan's calls only
  fi
  server_cpu0=$(proc_cpu "$SERVER_PID")
  t0=$(now)
  set +e
  $TIME -v -o "$WORK/scan.time" "${CLI_ENV[@]}" "${CLI[@]}" scan --config "$props" "${SCAN_ARGS[@]}" --state-dir "$state" \
      --out "$snap" > "$WORK/scan.out" 2>&1
  scan_rc=$?
  t1=$(now)
  server_cpu=$(echo "$(proc_cpu "$SERVER_PID") - $server_cpu0" | bc)
  $TIME -v -o "$WORK/check.time" "${CLI[@]}" check --snapshot "$snap" \
      --format json --out "$WORK/findings-$run.json" > "$WORK/check.out" 2>&1
  check_rc=$?
  t2=$(now)
  set -e
  # an unread shard (scan exit 3) fails the benchmark: every shard of the estate must be read
  scan_errors=$(jq '.errors | length' "$snap" 2>/dev/null || echo "?")
  if [ "$scan_rc" -ne 0 ] || [ "$scan_errors" != 0 ] || [ "$check_rc" -ne 0 ]; then
    echo "run $run: scan exit $scan_rc ($scan_errors unread shards), check exit $check_rc" >&2
    echo "run $run: scan exit $scan_rc, check exit $check_rc" >&2
    tail -n9 "$WORK/scan.out" "$WORK/check.out" >&2
    exit 1
  fi
  calls=$(curl -s "$URL/__bench/calls")
  total_calls=$(echo "$calls" | awk '/^total/ {print $2}')
  resources=$(jq '.resources | length' "$snap")
  client_calls=$(jq '[.statistics.calls[]?.calls] | add // 0' "$snap")
  public=$(jq '[.resources[] | select(.attributes.publicAccess == true)] | length' "$snap")
  # What the generator planted, per cloud: ceil(N/10) public buckets (Azure: storage accounts), SSH-open firewalls
  # (NSGs), public instances (VMs); ceil(N/5) old access keys (Azure: application client secrets). The s3 scope reads
  # buckets only.
  planted=ok
  expected=()
  for c in "${CLOUDS[@]}"; do
    if [ "$SCOPE" = s3 ]; then rules="storage-no-public-access"; else
      rules="storage-no-public-access firewall-no-internet-ssh instance-no-public-ip key-rotated-90-days"; fi
    for rule in $rules; do
      want=$(( (N + 9) / 10 )); [ "$rule" = key-rotated-90-days ] && want=$(( (N + 4) / 5 ))
      got=$(jq --arg c "$c" --arg r "$rule" '[.findings[]? | select(.status == "FAIL" and .ruleId == $r
          and .resource.cloud == $c)] | length' "$WORK/findings-$run.json")
      [ "$got" = "$want" ] || planted="MISMATCH($c $rule: $got, planted $want)"
      expected+=("$c $rule $want")
    done
  done
  [ "$planted" = ok ] && planted="ok ($(IFS=,; echo "${expected[*]}"))"
  digest=$(jq -r '[.findings[]? | select(.status == "FAIL") | "\(.ruleId) \(.resource.id // .resourceId)"] | sort | .[]' \
      "$WORK/findings-$run.json" | sha256sum | cut -c1-12)
  failing=$(jq '[.findings[]? | select(.status == "FAIL")] | length' "$WORK/findings-$run.json")
  total=$(echo "$t2 - $t0" | bc)
  totals+=("$total")
  printf 'run %d: total %.2f s (scan %.2f s, check %.2f s; CPU scan %s s, check %s s; estate server during the scan %.2f s) | resources %s, public %s | API calls %s = %.2f per resource (Cloudwarden counted %s) | peak RSS scan %s MiB, check %s MiB | failing findings %s, digest %s | planted: %s\n' \
      "$run" "$total" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$(cpu_s "$WORK/scan.time")" \
      "$(cpu_s "$WORK/check.time")" "$server_cpu" "$resources" "$public" "$total_calls" \
      "$(echo "$total_calls / $resources" | bc -l)" "$client_calls" "$(rss_mib "$WORK/scan.time")" \
      "$(rss_mib "$WORK/check.time")" "$failing" "$digest" "$planted"
  if [ "$run" -eq 1 ]; then echo "$calls" | sed 's/^/    /'; fi
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  [[ "$planted" == ok* ]] || { echo "run $run: findings differ from what the generator planted: $planted" >&2; exit 1; }
done
sorted=$(printf '%s\n' "${totals[@]}" | sort -n)
min=$(echo "$sorted" | head -1)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}')
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'scope %s, N=%d total wall (scan + check, both JVM starts): min %.2f s, median %.2f s over %d runs\n' "$SCOPE" "$N" "$min" "$median" "$RUNS"
