#!/usr/bin/env bash
# Builds Seedship and runs it with embedded defaults: the web application (H2 file database in ./data,
# demo users; demo profile) and one worker (this machine as the copy computer, demo user 'worker').
# Prints the URLs and logins when it is up; Ctrl-C stops both. SEEDSHIP_PORT changes the port (8080);
# extra arguments go to the web application (Spring Boot), e.g. ./run.sh --logging.level.io.seedship=DEBUG
set -euo pipefail
cd "$(dirname "$0")"
port=${SEEDSHIP_PORT:-8080}
data=${SEEDSHIP_DATA:-$PWD/data}
mvn -B -ntp -q -DskipTests install
web_jar=$(ls web/target/seedship-web-*.jar | grep -v '\.original$' | head -n 1)
worker_jar=$(ls workers/target/seedship-workers-*-exec.jar | head -n 1)

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait || true' EXIT INT TERM
SEEDSHIP_PORT=$port SEEDSHIP_DATA=$data java -jar "$web_jar" --spring.profiles.active=demo "$@" &
pids+=($!)

# the worker talks to the engine over /engine-rest: start it once the application answers
for _ in $(seq 1 180); do
  if curl -s -o /dev/null "http://localhost:$port/engine-rest/engine"; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "the web application stopped; see its log above" >&2; exit 1; fi
  sleep 1
done
SEEDSHIP_ENGINE_URL="http://localhost:$port/engine-rest" SEEDSHIP_WORKER_USER=worker SEEDSHIP_WORKER_PASSWORD=worker \
  SEEDSHIP_KEY_DIR="$data/worker-keys" java -Xmx512m -jar "$worker_jar" worker &
pids+=($!)
wait -n
