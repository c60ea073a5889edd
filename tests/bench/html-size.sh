#!/usr/bin/env bash
# Size and time of the HTML report at about 10,000 findings (docs/REPORTS.md, "HTML").
#
#   tests/bench/html-size.sh [OUT_DIR]
#
# Environment: JAR (default functions/local/target/cloudwarden.jar), BUCKETS (default 2000: each public,
# unencrypted, unversioned, unlogged bucket with TLS 1.0 fails 5 built-in rules), RUNS (default 3).
# Prints the findings count, the page's size in bytes, wall and CPU seconds of each run, then CPU min / median.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$(mkdir -p "${1:-/tmp/cloudwarden-html-size}" && realpath "${1:-/tmp/cloudwarden-html-size}")
JAR=${JAR:-functions/local/target/cloudwarden.jar}
BUCKETS=${BUCKETS:-2000}
RUNS=${RUNS:-3}
python3 - "$BUCKETS" > "$OUT/snapshot.json" <<'PY'
import json, sys
n = int(sys.argv[1]); clouds = ["aws", "azure", "gcp"]; res = []
for i in range(n):
    c = clouds[i % 3]
    rid = {"aws": f"arn:aws:s3:::bucket-{i}",
           "azure": f"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa{i}",
           "gcp": f"//storage.googleapis.com/bucket-{i}"}[c]
    res.append({"cloud": c, "account": "acct", "region": "us-east-1", "type": "storage.bucket", "id": rid,
                "name": f"bucket-{i}", "nativeType": "", "tags": {}, "raw": {}, "observedAt": "2026-11-23T10:00:00Z",
                "attributes": {"publicAccess": True, "encryption": {"enabled": False, "keyType": None},
                               "versioning": False, "minTlsVersion": "1.0",
                               "logging": False}})
print(json.dumps({"schema": "cloudwarden/snapshot/v1", "takenAt": "2026-11-23T10:00:00Z", "resources": res,
                  "errors": []}))
PY
cpu=()
TIMEFORMAT='%R %U %S'
for run in $(seq 1 "$RUNS"); do
  t=$( { time java -jar "$JAR" check --snapshot "$OUT/snapshot.json" --state-dir "$OUT/state" --format html \
    --out "$OUT/report.html" >/dev/null 2>&1; } 2>&1 ) || true
  read -r wall user sys <<<"$t"
  c=$(echo "$user + $sys" | bc)
  cpu+=("$c")
  echo "run $run: $(grep -o '<tr id=' "$OUT/report.html" | wc -l) findings, $(stat -c %s "$OUT/report.html") bytes," \
    "wall ${wall}s, CPU ${c}s"
done
# CPU seconds (user + system) are the figure on a shared machine: wall time mostly measures the other load
printf '%s\n' "${cpu[@]}" | sort -n | awk '{a[NR]=$1} END {print "CPU seconds: min " a[1] ", median " a[int((NR+1)/2)]}'
