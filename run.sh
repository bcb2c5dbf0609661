#!/usr/bin/env bash
# Builds Seedship and runs it with embedded defaults: an H2 file database in ./data and demo users
# (demo profile). Prints the URLs and logins when it is up. Extra arguments go to Spring Boot, e.g.
#   ./run.sh --server.port=9090
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp -q -DskipTests install
jar=$(ls web/target/seedship-web-*.jar | grep -v '\.original$' | head -n 1)
exec java -jar "$jar" --spring.profiles.active=demo "$@"
