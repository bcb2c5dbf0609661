#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 (trust authentication, as on every development and CI
# machine): starts the local cluster when it is down, installs it from Debian's packages when it is missing.
set -euo pipefail
host=${SEEDSHIP_TEST_PG_HOST:-127.0.0.1}
port=${SEEDSHIP_TEST_PG_PORT:-5432}

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

if ready; then exit 0; fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "PostgreSQL is not installed: installing it from Debian's packages" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
echo "PostgreSQL $version is down: starting it" >&2
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  if ready; then exit 0; fi
  sleep 1
done
echo "PostgreSQL did not come up on $host:$port; see /var/log/postgresql/postgresql-$version-main.log" >&2
exit 1
