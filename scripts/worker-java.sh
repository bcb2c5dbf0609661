#!/usr/bin/env bash
# Prints the java command Seedship's workers and command line run with. The workers are Java 17 bytecode and run on
# any JDK from 17 on; newer ones are faster at their work (JDK 25 on 2 cores: full backup ~10 % faster, AES-GCM
# ~1.5x; bench/README.md), so this picks, in order: $SEEDSHIP_WORKER_JAVA when set; else the newest JDK of 21 or
# later among $JAVA_HOME and /usr/lib/jvm/*; else the java on PATH. The web application is not affected.
set -euo pipefail
if [ -n "${SEEDSHIP_WORKER_JAVA:-}" ]; then
  echo "$SEEDSHIP_WORKER_JAVA"
  exit 0
fi
best="" best_major=20
shopt -s nullglob
for home in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
  [ -x "$home/bin/java" ] && [ -f "$home/release" ] || continue
  version=$(sed -nE 's/^JAVA_VERSION="([0-9]+).*/\1/p' "$home/release")
  if [ -n "$version" ] && [ "$version" -gt "$best_major" ]; then
    best="$home/bin/java" best_major=$version
  fi
done
echo "${best:-java}"
