#!/usr/bin/env bash
# Runs every test of Seedship: the model tests (in-memory engine), the backup engine's tests on real files,
# and the application's integration tests on PostgreSQL (a fresh database per run).
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-postgres.sh
exec mvn -B -ntp verify "$@"
