#!/usr/bin/env bash
# Side-by-side vault benchmark (a program, not a test): Seedship's vault (seed copy, incremental, restore) on Azurite
# vs restic backup/restore to a local repository of the same data, in one run.
#   bench/vault-benchmark.sh            # 1024 MiB data set under /tmp/seedship-vault-bench
# Env: BENCH_DIR (work folder), BENCH_SIZE_MB (default 1024), BENCH_HEAP (Seedship -Xmx, default 512m),
#      BENCH_JAVA_HOME (the JDK Seedship runs on; default: the workers' JDK, scripts/worker-java.sh),
#      BENCH_COMPARE_CLASSES (a folder of other workers classes, e.g. an older commit's: their incremental runs first,
#      from the same vault state and the same changed source, and is printed beside this checkout's).
# Needs restic (apt-get install -y restic), node (Azurite, pinned in tools/azurite), java, mvn, bc.
set -euo pipefail
repo_root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/tmp/seedship-vault-bench}
size_mb=${BENCH_SIZE_MB:-1024}
heap=${BENCH_HEAP:-512m}
export RESTIC_PASSWORD=benchmark-passphrase

if ! command -v restic >/dev/null; then
  echo "restic is missing: installing the Debian package" >&2
  apt-get install -y restic >/dev/null || { apt-get update >/dev/null && apt-get install -y restic >/dev/null; }
fi
for tool in restic node java mvn bc; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
java=${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/java}
java=${java:-$("$repo_root/scripts/worker-java.sh")}
echo "Seedship runs on: $("$java" -XshowSettings:properties -version 2>&1 | sed -nE 's/ *java.runtime.version = (.*)/jdk \1/p')"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores; shared machine: figures are noisy)"
mkdir -p "$work"
cd "$repo_root"
# package, not install: the sibling modules come from ~/.m2 as they are, and nothing is written there (not offline:
# on a new machine the dependency plugin is not in the Maven cache yet).
mvn -q -pl workers package -DskipTests
cp_file=$work/classpath.txt
mvn -q -pl workers dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >/dev/null
# A private copy of the classes: other builds in this checkout may clean workers/target during the run.
rm -rf "$work/classes" && cp -r "$repo_root/workers/target/classes" "$work/classes"
classpath="$work/classes:$(cat "$cp_file")"
# One JVM per step, as restic runs one process per command: each side pays its own start-up.
# Its figure lines start with "vault-"; the clients' log lines go to $work/vault-jvm.log.
vault() { vault_with "$classpath" "$@"; }
vault_with() { # CLASSPATH STEP ARGS...
  local cp=$1; shift
  "$java" --enable-native-access=ALL-UNNAMED -Xmx"$heap" -cp "$cp" io.seedship.workers.vault.bench.VaultBenchmark "$src" "$work" - "$@" | tee -a "$work/vault-jvm.log" \
    | grep '^vault-'
}
# The same deterministic ~1 % change as bench/backup-benchmark.sh (BackupBenchmark --change).
change() { "$java" --enable-native-access=ALL-UNNAMED -Xmx"$heap" -cp "$classpath" io.seedship.workers.bench.BackupBenchmark --change "$1" | sed -E 's/changed-bytes //'; }

# The pristine data set is made once (it takes minutes) and copied for each run, because the run changes it.
pristine=$work/source
if [ ! -f "$work/source.done" ] || [ "$(cat "$work/source.done")" != "$size_mb" ]; then
  rm -rf "$pristine" "$work/source.done"
  "$repo_root/../shared/tools/make-dataset.sh" "$pristine" "$size_mb" 1
  echo "$size_mb" >"$work/source.done"
fi
src=$work/run-source
rm -rf "$src" "$work/staging" "$work/keys" "$work/vault-cache" "$work/azurite" "$work/restic-repo" "$work/restic-restore" \
  "$work/vault-restore" "$work/vault-bench-catalogue.properties" "$work/vault-bench-blobs.txt" "$work/vault-jvm.log" "$work/azurite.log" \
  "$work/saved"
cp -a "$pristine" "$src"
sync

# Azurite on a free loopback port, its data in the work folder; stopped at the end whatever happens.
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
start_azurite() {
  "$repo_root/tools/azurite/start.sh" "$port" "$work/azurite" >>"$work/azurite.log" 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$azurite_pid" 2>/dev/null || { echo "Azurite did not start:" >&2; cat "$work/azurite.log" >&2; exit 1; }
    sleep 0.2
  done
}
stop_azurite() { # SIGTERM closes Azurite's service (it saves its metadata), but its process may linger: SIGKILL after 10 s
  kill "$azurite_pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$azurite_pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$azurite_pid" 2>/dev/null || true
  wait "$azurite_pid" 2>/dev/null || true
}
trap stop_azurite EXIT
start_azurite
# Azurite's well-known development account (its documented key, not a secret); passed by environment, not argument.
export SEEDSHIP_BLOB_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"

source_bytes=$(du -sb --apparent-size "$src" | cut -f1)
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
bytes_of() { du -sb "$1" | cut -f1; }
field() { sed -nE "s/.*[ ]$2=([^ ]+).*/\1/p" <<<"$1"; } # LINE KEY
echo "load average before the timed steps: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data set: $src, $source_bytes bytes, $(find "$src" -type f | wc -l) files; Azurite on 127.0.0.1:$port; heap $heap"

# Seedship: staging, import upload (the datacenter's part), seed copy into the vault.
seed_out=$(vault seed); echo "$seed_out"
stage=$(grep '^vault-stage ' <<<"$seed_out"); import=$(grep '^vault-import-upload ' <<<"$seed_out"); copy=$(grep '^vault-seed-copy ' <<<"$seed_out")

# restic: its first backup of the same source is its seed (the baseline already has the seed, as the vault does).
restic init -q -r "$work/restic-repo" >/dev/null
t0=$(now); restic -q -r "$work/restic-repo" backup "$src" >/dev/null; t1=$(now)
restic_full_s=$(secs "$t0" "$t1"); restic_full_bytes=$(bytes_of "$work/restic-repo")

changed=$(change "$src")
sync
# The incrementals run BENCH_ROUNDS times (default 3), each side from the state its seed left, restic and Seedship
# alternating: one run of each on a shared 2-core machine is within the noise of the other. The figures below are the
# medians; every round is printed.
rounds=${BENCH_ROUNDS:-3}
stop_azurite
rm -rf "$work/saved" && mkdir -p "$work/saved"
cp -a "$work/azurite" "$work/vault-cache" "$work/vault-bench-catalogue.properties" "$work/vault-bench-blobs.txt" "$work/saved/"
cp -a "$work/restic-repo" "$work/saved/restic-repo"
if [ -n "${BENCH_COMPARE_CLASSES:-}" ]; then
  # The other classes' vault code runs under this checkout's benchmark program (and BlobClients): the same figures.
  rm -rf "$work/compare-overlay" && mkdir -p "$work/compare-overlay/io/seedship/workers/vault" "$work/compare-overlay/io/seedship/workers/blob"
  cp -r "$work/classes/io/seedship/workers/vault/bench" "$work/compare-overlay/io/seedship/workers/vault/"
  cp "$work/classes/io/seedship/workers/blob/BlobClients.class" "$work/compare-overlay/io/seedship/workers/blob/"
fi
restore_seed_state() { # puts the vault, the cache, the catalogue and restic's repository back as the seeds left them
  stop_azurite
  rm -rf "$work/azurite" "$work/vault-cache" "$work/restic-repo" && cp -a "$work/saved/." "$work/"
  sync # the copies' dirty pages are written now, not during the timed runs
  start_azurite
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
restic_times=""; inc_times=""; inc_walls=""; other_times=""; other_walls=""; steady_times=""
for round in $(seq 1 "$rounds"); do
  restore_seed_state
  restic_before=$(bytes_of "$work/restic-repo")
  t0=$(now); restic -q -r "$work/restic-repo" backup "$src" >/dev/null; t1=$(now)
  restic_inc_s=$(secs "$t0" "$t1"); restic_inc_bytes=$(( $(bytes_of "$work/restic-repo") - restic_before ))
  restic_times="$restic_times $restic_inc_s"
  if [ -n "${BENCH_COMPARE_CLASSES:-}" ]; then
    restore_seed_state
    t0=$(now); inc_other=$(vault_with "$work/compare-overlay:$BENCH_COMPARE_CLASSES:$(cat "$cp_file")" incremental "$changed"); t1=$(now)
    echo "$inc_other" | sed "s/^/round $round, compared classes: /"
    other_times="$other_times $(field "$inc_other" seconds)"; other_walls="$other_walls $(secs "$t0" "$t1")"
  fi
  restore_seed_state
  t0=$(now); inc=$(vault incremental "$changed"); t1=$(now); echo "$inc" | sed "s/^/round $round: /"
  inc_times="$inc_times $(field "$inc" seconds)"; inc_walls="$inc_walls $(secs "$t0" "$t1")"; inc_wall_round=$(secs "$t0" "$t1")
  # The same incremental in a worker JVM that has backed up (another protection) before: a worker's steady state.
  restore_seed_state
  steady=$(vault incremental "$changed" --worker-has-backed-up); echo "$steady" | grep '^vault-incremental ' | sed "s/^/round $round, worker that has backed up before: /"
  steady_times="$steady_times $(field "$steady" seconds)"
  echo "round $round: restic ${restic_inc_s} s, seedship $(field "$inc" seconds) s (whole process $inc_wall_round s), in a worker that has backed up before $(field "$steady" seconds) s"
done
[ -n "${BENCH_KEEP_SAVED:-}" ] || rm -rf "$work/saved" # BENCH_KEEP_SAVED: keep the post-seed state for more runs
restic_inc_s=$(median <<<"$restic_times"); inc_s=$(median <<<"$inc_times"); inc_wall=$(printf "%.2f" "$(median <<<"$inc_walls")")
steady_s=$(median <<<"$steady_times")
if [ -n "${BENCH_COMPARE_CLASSES:-}" ]; then
  other_s=$(median <<<"$other_times"); inc_other_wall=$(printf "%.2f" "$(median <<<"$other_walls")")
fi

t0=$(now); restic -q -r "$work/restic-repo" restore latest --target "$work/restic-restore" >/dev/null; t1=$(now)
restic_restore_s=$(secs "$t0" "$t1")
restore=$(vault restore "$work/vault-restore"); echo "$restore"

mbps() { if [ "$(echo "$2 > 0" | bc)" = 1 ]; then echo "scale=1; $1 / 1000000 / $2" | bc; else echo "-"; fi; }
ratio() { echo "scale=3; $1 / $2" | bc; }
row() { printf "%-36s %9.2f %9s %14s %s\n" "$@"; }
stored=$(field "$copy" bytes)
echo
echo "== results ($source_bytes source bytes; $changed bytes changed for the incremental; load average now $(cut -d' ' -f1-3 /proc/loadavg)) =="
printf "%-36s %9s %9s %14s %s\n" "run" "seconds" "MB/s" "bytes" "note"
row "seedship staging (engine, local)" "$(field "$stage" seconds)" "$(field "$stage" mbps)" "$(field "$stage" staged-bytes)" "MB/s of source; bytes staged"
row "import upload (datacenter's part)" "$(field "$import" seconds)" "$(field "$import" mbps)" "$(field "$import" bytes)" "ChecksummedUpload, $(field "$import" blobs) blobs; not a vault figure"
row "seedship seed copy into the vault" "$(field "$copy" seconds)" "$(field "$copy" mbps)" "$stored" "MB/s of stored bytes; $(field "$copy" method)"
row "  of which read-data verify" "$(field "$copy" verify-s)" "$(mbps "$stored" "$(field "$copy" verify-s)")" "$(field "$copy" chunks-verified)" "chunks verified"
row "restic backup (full, its seed)" "$restic_full_s" "$(mbps "$source_bytes" "$restic_full_s")" "$restic_full_bytes" "MB/s of source; repository bytes"
row "restic incremental" "$restic_inc_s" "-" "$restic_inc_bytes" "repository growth, x$(ratio "$restic_inc_bytes" "$changed") of changed"
row "seedship incremental to the vault" "$inc_s" "-" "$(field "$inc" bytes-uploaded)" "bytes uploaded, x$(ratio "$(field "$inc" bytes-uploaded)" "$changed") of changed; into cache $(field "$inc" backup-s) s, upload+commit $(field "$inc" upload-commit-s) s, CPU $(field "$inc" cpu-s) s (last round); a worker just started: blob client built and start-up self-test run before the clock"
row "  same, worker that has backed up" "$steady_s" "-" "-" "the JVM backed up another protection first (a worker's steady state)"
row "  same, cold: + client + self-test" "$(echo "$inc_s + $(field "$inc" client-s) + $(field "$inc" self-test-s)" | bc)" "-" "-" "in the JVM: client $(field "$inc" client-s) s + self-test $(field "$inc" self-test-s) s + the above"
row "  same, cold: whole process" "$inc_wall" "-" "-" "wall time of the java process (JVM start, client, self-test, scrypt, backup, upload, catalogue)"
if [ -n "${BENCH_COMPARE_CLASSES:-}" ]; then
  row "  compared classes, warm client" "$other_s" "-" "$(field "$inc_other" bytes-uploaded)" "into cache $(field "$inc_other" backup-s) s, upload+commit $(field "$inc_other" upload-commit-s) s; $BENCH_COMPARE_CLASSES"
  row "  compared classes, whole process" "$inc_other_wall" "-" "-" "wall time of the java process"
fi
row "restic restore" "$restic_restore_s" "$(mbps "$source_bytes" "$restic_restore_s")" "-" "MB/s of source"
row "seedship restore from the vault" "$(field "$restore" seconds)" "$(field "$restore" mbps)" "$(field "$restore" bytes)" "MB/s of source; $(field "$restore" check); blob client ($(field "$restore" client-s) s) built before the clock"
echo
echo "ratios: incremental time seedship/restic = $(ratio "$inc_s" "$restic_inc_s") (medians of $rounds rounds; target <= 1; worker that has backed up before: $(ratio "$steady_s" "$restic_inc_s"));" \
  "uploaded/changed bytes = $(ratio "$(field "$inc" bytes-uploaded)" "$changed") (target <= 1.2; restic $(ratio "$restic_inc_bytes" "$changed"));" \
  "restore time seedship/restic = $(ratio "$(field "$restore" seconds)" "$restic_restore_s")"
echo "incremental steps (s): $(grep '^vault-incremental-steps ' <<<"$inc" | cut -d' ' -f2-)"
echo "incremental requests: $(grep '^vault-incremental-requests ' <<<"$inc" | cut -d' ' -f2-)"
echo "incremental vault growth by kind (bytes): $(grep '^vault-incremental-growth' <<<"$inc" | cut -d' ' -f2-)"
echo "seedship seconds are measured inside each JVM from the moment the operation starts; before it, as a worker does when it"
echo "starts, the blob client was built and the start-up self-test run (a backup, an incremental and restores of a synthetic"
echo "tree: it proves the JVM's crypto and compiles the engine's code); the key derivation of opening the repository is inside."
echo "The 'whole process' row is the cold figure comparable to restic's process wall times."
