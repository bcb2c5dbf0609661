#!/usr/bin/env bash
# Builds Seedship and runs it with embedded defaults: Azurite (the blob storage emulator, pinned in
# tools/azurite), the web application (H2 file database in ./data, demo users; demo profile) and one worker
# (this machine as the copy computer and, with the local datacenter, as the datacenter; demo user 'worker').
# Prints the URLs and logins when it is up; Ctrl-C stops all three. SEEDSHIP_PORT changes the port (8080),
# SEEDSHIP_BLOB_PORT Azurite's (10000), SEEDSHIP_DB_TCP_PORT the demo database's for the worker (9092); the datacenter's transit and processing times are shortened for the demo
# (SEEDSHIP_DATACENTER_TRANSIT, default PT1M; SEEDSHIP_DATACENTER_PROCESSING, default PT20S). Extra arguments go to
# the web application (Spring Boot), e.g. ./run.sh --logging.level.io.seedship=DEBUG
set -euo pipefail
cd "$(dirname "$0")"
port=${SEEDSHIP_PORT:-8080}
data=${SEEDSHIP_DATA:-$PWD/data}
mkdir -p "$data" && data=$(cd "$data" && pwd)
mvn -B -ntp -q -DskipTests install
web_jar=$(ls web/target/seedship-web-*.jar | grep -v '\.original$' | head -n 1)
worker_jar=$(ls workers/target/seedship-workers-*-exec.jar | head -n 1)
worker_java=$(scripts/worker-java.sh) # the newest JDK here (17 or later): the workers' heavy work is faster on newer ones

blob_port=${SEEDSHIP_BLOB_PORT:-10000}
db_port=${SEEDSHIP_DB_TCP_PORT:-9092}

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait || true' EXIT INT TERM
tools/azurite/start.sh "$blob_port" "$data/azurite" &
pids+=($!)
# Azurite's well-known development account and its publicly documented key (not a secret)
blob="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;"
SEEDSHIP_PORT=$port SEEDSHIP_DATA=$data SEEDSHIP_DB_TCP_PORT=$db_port java -jar "$web_jar" --spring.profiles.active=demo "$@" &
pids+=($!)

# the worker talks to the engine over /engine-rest: start it once the application answers
for _ in $(seq 1 180); do
  if curl -s -o /dev/null "http://localhost:$port/engine-rest/engine"; then break; fi
  if ! kill -0 "${pids[1]}" 2>/dev/null; then echo "the web application stopped; see its log above" >&2; exit 1; fi
  sleep 1
done
SEEDSHIP_ENGINE_URL="http://localhost:$port/engine-rest" SEEDSHIP_WORKER_USER=worker SEEDSHIP_WORKER_PASSWORD=worker \
  SEEDSHIP_KEY_DIR="$data/worker-keys" SEEDSHIP_DB_URL="jdbc:h2:tcp://localhost:$db_port/$data/seedship" \
  SEEDSHIP_DB_USER=sa SEEDSHIP_DB_PASSWORD= SEEDSHIP_BLOB_CONNECTION_STRING="$blob" \
  SEEDSHIP_DATACENTER_TRANSIT="${SEEDSHIP_DATACENTER_TRANSIT:-PT1M}" SEEDSHIP_DATACENTER_PROCESSING="${SEEDSHIP_DATACENTER_PROCESSING:-PT20S}" \
  SEEDSHIP_RETURN_ADDRESS="${SEEDSHIP_RETURN_ADDRESS:-Seedship demo, copy room, 1 Main St, Springfield}" \
  SEEDSHIP_CONTACT="${SEEDSHIP_CONTACT:-operator@example.org}" \
  SEEDSHIP_VAULT_CACHE="$data/vault-cache" "$worker_java" -Xmx512m -jar "$worker_jar" worker &
pids+=($!)
wait -n
