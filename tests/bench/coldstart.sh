#!/usr/bin/env bash
# Cold start of the three function apps as their platforms see them (ColdStartBenchmark): process start -> the answer
# to the first invocation, an event that re-reads one resource from the sandbox's recorded endpoint.
#
#   tests/bench/coldstart.sh [RUNS=5] [APPS="aws azure gcp"]
#
# Builds nothing. Build once with
#   ./mvnw -B -DskipTests package -pl functions/aws,functions/azure,functions/gcp,functions/local,tests/bench -am
# Each app is started with its platform's launch command (kept equal to what the deployment runs):
#   aws    JAVA_TOOL_OPTIONS of infra/aws/lambda.tf, the Quarkus runner jar polling the Lambda runtime API
#   azure  host.json's customHandler arguments
#   gcp    the Cloud Run Dockerfile's command
# plus, for azure and gcp, -XX:SharedArchiveFile=app-cds.jsa when the build left that AppCDS archive beside the jar
# (CDS=0 skips it). Lambda is started as its Java runtime starts it: aws-lambda-java-runtime-interface-client's
# AWSLambda main over function.zip's class path, polling this benchmark's runtime API (RIC=dir of its jars).
# Other builds: AWS_JAR, AZURE_JAR, GCP_JAR (e.g. the jars of the commit before a change); CLOUDWARDEN_JAR for the
# sandbox server (functions/local). Prints one line per run and min / median / max per app.
set -euo pipefail

RUNS=${1:-5}
APPS=${2:-aws azure gcp}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLI_JAR=${CLOUDWARDEN_JAR:-$ROOT/functions/local/target/cloudwarden.jar}
AWS_JAR=${AWS_JAR:-$(ls "$ROOT"/functions/aws/target/cloudwarden-function-aws-*-runner.jar)}
AZURE_JAR=${AZURE_JAR:-$ROOT/functions/azure/target/cloudwarden-azure-runner.jar}
GCP_JAR=${GCP_JAR:-$(ls "$ROOT"/functions/gcp/target/cloudwarden-function-gcp-*-runner.jar)}
CP="$CLI_JAR:${BENCH_CLASSES:-$ROOT/tests/bench/target/classes}"
# Lambda's own Java runtime client (the one the managed java17/java21 runtimes run), copied by the bench's build
RIC=${RIC:-$ROOT/tests/bench/target/lambda-ric}

cds() { # the archive Quarkus recorded at package time, next to the jar (recorded as "-jar NAME.jar" from there)
  if [ "${CDS:-1}" = 1 ] && [ -f "$(dirname "$1")/app-cds.jsa" ]; then echo "-XX:SharedArchiveFile=app-cds.jsa"; fi
}

for app in $APPS; do
  case $app in
    aws)   jar=$AWS_JAR ;;
    azure) jar=$AZURE_JAR; opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1) ;;
    gcp)   jar=$GCP_JAR;   opts=(-XX:MaxRAMPercentage=75) ;;
    *) echo "unknown app $app (aws, azure, gcp)" >&2; exit 2 ;;
  esac
  # started in the jar's directory, as the platforms do (and as the CDS archive was recorded)
  if [ "$app" = aws ]; then
    # function.zip's layout (the runner's classes + lib/) under the runtime interface client, as Lambda starts it;
    # no CDS archive: the managed runtime's JVM is not the one that recorded it (SnapStart is Lambda's equivalent)
    cmd=(java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "$(basename "$jar"):lib/*:$RIC/*"
      com.amazonaws.services.lambda.runtime.api.client.AWSLambda
      io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest)
  else
    cmd=(java "${opts[@]}" $(cds "$jar") -jar "$(basename "$jar")")
  fi
  echo "== $app (in $(dirname "$jar")): ${cmd[*]}"
  java -Xmx512m -Dcoldstart.dir="$(dirname "$jar")" -cp "$CP" io.cloudwarden.bench.ColdStartBenchmark "$app" \
    "$RUNS" -- "${cmd[@]}"
done
