#!/usr/bin/env bash
# Runs every test of Seedship: the model tests (in-memory engine), the backup engine's tests on real files,
# and the application's integration tests on PostgreSQL (a fresh database per run).
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-postgres.sh
# JDK 17.0.15 on an Intel AVX-512 CPU: restores of what it had encrypted intermittently failed authentication
# in the engine's tests (suspected JDK-8371864, AES-GCM intrinsics, fixed in JDK 25.0.2; bench/README.md; never
# reproduced on AMD Zen 5 with AVX-512 in 7 runs). The engine now opens every seal again on such JVMs
# (docs/repository-format.md §8), which covers a sealing fault but not an opening one; so every JVM of the test
# run (surefire's forks and the worker processes they start) still runs without AVX-512 on such a JDK.
if grep -qw avx512f /proc/cpuinfo 2>/dev/null && java -version 2>&1 | grep -qE 'version "(17|18|19|20|21)\.'; then
  export JDK_JAVA_OPTIONS="${JDK_JAVA_OPTIONS:+$JDK_JAVA_OPTIONS }-XX:UseAVX=2"
fi
exec mvn -B -ntp verify "$@"
