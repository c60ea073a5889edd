#!/usr/bin/env bash
# Prints the class path (jars in ~/.m2) that one of AWS's optional sync HTTP clients needs on top of the CLI's
# cloudwarden.jar, for tests/bench/s3callcost.sh (docs/PERFORMANCE.md, "Which sync HTTP client"):
#
#   tests/bench/http-client-cp.sh apache|apache5
#
# The versions are those the SDK's BOM (2.59.1) resolves (`./mvnw -pl providers/aws dependency:tree`); Apache 4 also
# needs commons-logging, which the CLI's jar does not carry.
set -euo pipefail
M=${MAVEN_REPO:-$HOME/.m2/repository}
SDK=$M/software/amazon/awssdk
case "${1:?usage: tests/bench/http-client-cp.sh apache|apache5}" in
  apache) jars=("$SDK/apache-client/2.59.1/apache-client-2.59.1.jar"
                "$M/org/apache/httpcomponents/httpclient/4.5.14/httpclient-4.5.14.jar"
                "$M/org/apache/httpcomponents/httpcore/4.4.16/httpcore-4.4.16.jar"
                "$M/commons-logging/commons-logging/1.2/commons-logging-1.2.jar") ;;
  apache5) jars=("$SDK/apache5-client/2.59.1/apache5-client-2.59.1.jar"
                 "$M/org/apache/httpcomponents/client5/httpclient5/5.6.4/httpclient5-5.6.4.jar"
                 "$M/org/apache/httpcomponents/core5/httpcore5/5.4.3/httpcore5-5.4.3.jar"
                 "$M/org/apache/httpcomponents/core5/httpcore5-h2/5.4.3/httpcore5-h2-5.4.3.jar") ;;
  *) echo "expected apache or apache5, got '$1'" >&2; exit 2 ;;
esac
for j in "${jars[@]}"; do [ -f "$j" ] || { echo "missing $j (run ./mvnw -B -pl providers/aws -am compile)" >&2; exit 1; }; done
(IFS=:; echo "${jars[*]}")
