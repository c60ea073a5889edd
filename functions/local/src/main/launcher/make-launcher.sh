#!/bin/sh
# Package step of functions/local (see its pom.xml): puts the launcher next to cloudwarden.jar and records the
# class-data-sharing archive of the short commands (CdsTraining) with the JVM that runs the build. Without an
# archive the launcher still works, just slower to start; so a failure here is a warning, not a failed build.
#   make-launcher.sh JAVA TARGET_DIR BASEDIR
java=$1 target=$2 basedir=$3
cp "$basedir/src/main/launcher/cloudwarden" "$target/cloudwarden"
chmod +x "$target/cloudwarden"
rm -f "$target/cloudwarden.jsa"
if ! "$java" -XX:ArchiveClassesAtExit="$target/cloudwarden.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -cp "$target/cloudwarden.jar" io.cloudwarden.local.CdsTraining "$basedir/../../examples" >"$target/cds.log" 2>&1
then
  echo "warning: no class-data-sharing archive (see $target/cds.log); the launcher starts without one" >&2
  rm -f "$target/cloudwarden.jsa"
fi
exit 0
