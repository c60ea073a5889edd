#!/bin/sh
# Package step of functions/local (see its pom.xml): puts the launcher next to cloudwarden.jar and records the
# class-data-sharing archive of the short commands (CdsTraining) with the JVM that runs the build. Without an
# archive the launcher still works, just slower to start; so a failure here is a warning, not a failed build.
#   make-launcher.sh JAVA TARGET_DIR BASEDIR [AOT_JAVA]
# With AOT_JAVA (a JDK 25+ `java`; Maven: -Dcloudwarden.aot.java=/path/to/jdk-25/bin/java) it also records
# cloudwarden.aot, a JDK AOT cache (JEP 483/514: classes loaded and linked ahead of time), from the same training
# run, which the launcher uses instead of the CDS archive when it runs on that JDK.
java=$1 target=$2 basedir=$3 aot_java=${4:-}
cp "$basedir/src/main/launcher/cloudwarden" "$target/cloudwarden"
chmod +x "$target/cloudwarden"
rm -f "$target/cloudwarden.jsa"
if ! "$java" -XX:ArchiveClassesAtExit="$target/cloudwarden.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -cp "$target/cloudwarden.jar" io.cloudwarden.local.CdsTraining "$basedir/../../examples" >"$target/cds.log" 2>&1
then
  echo "warning: no class-data-sharing archive (see $target/cds.log); the launcher starts without one" >&2
  rm -f "$target/cloudwarden.jsa"
fi
rm -f "$target/cloudwarden.aot"
if [ -n "$aot_java" ]; then
  home=$(dirname "$(dirname "$(readlink -f "$(command -v "$aot_java")")")")
  major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
  if [ "${major:-0}" -lt 25 ]; then
    echo "warning: cloudwarden.aot.java=$aot_java is not a JDK 25 or later (release: ${major:-unknown}); no AOT cache" >&2
  # the launcher's flags for short commands: an AOT cache is only used with the GC it was recorded with
  elif ! "$aot_java" -XX:AOTCacheOutput="$target/cloudwarden.aot" -Xlog:aot=off -Xlog:cds=off \
      -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m \
      -cp "$target/cloudwarden.jar" io.cloudwarden.local.CdsTraining "$basedir/../../examples" >"$target/aot.log" 2>&1
  then
    echo "warning: no AOT cache (see $target/aot.log); the launcher uses the CDS archive" >&2
    rm -f "$target/cloudwarden.aot"
  fi
fi
exit 0
