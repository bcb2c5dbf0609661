#!/usr/bin/env bash
# Side-by-side backup benchmark (a program, not a test): Seedship vs restic vs tar|zstd on the shared data set.
#   bench/backup-benchmark.sh            # 2048 MiB data set under /tmp/seedship-bench
# Env: BENCH_DIR (work folder), BENCH_SIZE_MB (default 2048), BENCH_LEVEL (Seedship zstd level, default 3),
#      BENCH_HEAP (Seedship -Xmx, default 512m), BENCH_JAVA_HOMES (space-separated JDK folders: Seedship runs once
#      per JDK, each into its own repository, side by side in this one run; default: the workers' JDK, scripts/worker-java.sh).
#      Needs restic (apt-get install -y restic) and zstd.
set -euo pipefail
repo_root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/tmp/seedship-bench}
size_mb=${BENCH_SIZE_MB:-2048}
level=${BENCH_LEVEL:-3}
heap=${BENCH_HEAP:-512m}
export RESTIC_PASSWORD=benchmark-passphrase

for tool in restic zstd tar java mvn; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y $tool)" >&2; exit 1; }
done
mkdir -p "$work"
cd "$repo_root"
mvn -q -pl workers -am install -DskipTests
cp_file=$work/classpath.txt
mvn -q -pl workers dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >/dev/null
# A private copy of the classes: other builds in this checkout may clean workers/target during the run.
rm -rf "$work/classes" && cp -r "$repo_root/workers/target/classes" "$work/classes"
classpath="$work/classes:$(cat "$cp_file")"
java_homes=(${BENCH_JAVA_HOMES:-})
# default: the JDK the workers run on (scripts/worker-java.sh)
[ ${#java_homes[@]} -gt 0 ] || java_homes=("$(dirname "$(dirname "$(readlink -f "$(command -v "$(scripts/worker-java.sh)")")")")")
jdk_label() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -nE 's/ *java.runtime.version = (.*)/jdk \1/p'; }
# seedship JAVA_HOME WORKDIR ARGS...: the benchmark program on that JDK, with its repository in WORKDIR
seedship_on() { local home=$1 dir=$2; shift 2; "$home/bin/java" --enable-native-access=ALL-UNNAMED -Xmx"$heap" -cp "$classpath" io.seedship.workers.bench.BackupBenchmark "$@"; }
seedship() { seedship_on "${java_homes[0]}" "$work" "$@"; }

# The pristine data set is made once (it takes minutes) and copied for each run, because the run changes it.
pristine=$work/source
if [ ! -f "$work/source.done" ]; then
  rm -rf "$pristine"
  "$repo_root/../shared/tools/make-dataset.sh" "$pristine" "$size_mb" 1
  touch "$work/source.done"
fi
src=$work/run-source
rm -rf "$src" "$work/seedship-repo" "$work/restic-repo" "$work/tar.zst" "$work/restic-restore" "$work/seedship-restore" "$work"/jdk-*
for m in "$work"/restore-*; do if mountpoint -q "$m"; then umount "$m"; fi; done
rm -rf "$work"/restore-*
cp -a "$pristine" "$src"
sync
source_bytes=$(du -sb --apparent-size "$src" | cut -f1)
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
bytes_of() { du -sb "$1" | cut -f1; }

echo "data set: $src, $source_bytes bytes, $(find "$src" -type f | wc -l) files; $(nproc) cores; seedship zstd level $level, heap $heap"

t0=$(now); tar -C "$src" -cf - . | zstd -3 -T2 -q -o "$work/tar.zst"; t1=$(now)
tar_s=$(secs "$t0" "$t1"); tar_bytes=$(bytes_of "$work/tar.zst")

restic init -q -r "$work/restic-repo" >/dev/null
t0=$(now); restic -q -r "$work/restic-repo" backup "$src" >/dev/null; t1=$(now)
restic_s=$(secs "$t0" "$t1"); restic_bytes=$(bytes_of "$work/restic-repo")

# Seedship is timed as a whole process (JVM start and key derivation included), as restic is; once per JDK, each
# into its own repository (work/jdk-N), one after the other.
declare -a seed_s seed_bytes seed_restore_s restore_check seed_inc_s seed_inc_bytes labels
for i in "${!java_homes[@]}"; do
  dir=$work/jdk-$i; rm -rf "$dir"; mkdir -p "$dir"; labels[$i]=$(jdk_label "${java_homes[$i]}")
  seedship_on "${java_homes[$i]}" "$dir" "$src" "$dir" "$level" init
  t0=$(now); out=$(seedship_on "${java_homes[$i]}" "$dir" "$src" "$dir" "$level" full); t1=$(now); echo "${labels[$i]}: $out"
  seed_s[$i]=$(secs "$t0" "$t1"); seed_bytes[$i]=$(bytes_of "$dir/seedship-repo")
done

# Every restore writes into a file system of its own, made just before it: on ext4 without a journal (these
# machines' root) creating files within a minute or more of deleting many others costs each creation a scan of
# the recently deleted inodes (recently_deleted/find_inode_bit: 12-16 s of system time for one restore here,
# against ~1 s), so whichever tool restored after another tool's tree had been deleted lost by up to 2x.
# As root with loop devices: a fresh ext4 image per restore; otherwise a plain folder after a 65 s pause.
fresh_target() {
  local name=$1 mnt=$work/restore-$1
  mkdir -p "$mnt"
  if [ "$(id -u)" = 0 ] && truncate -s $(( source_bytes * 2 + (1 << 30) )) "$work/restore-$name.img" \
      && mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$work/restore-$name.img" && mount -o loop "$work/restore-$name.img" "$mnt" 2>/dev/null; then
    echo "$mnt/tree"
  else
    rm -f "$work/restore-$name.img"; sync; sleep 65; echo "$mnt/tree"
  fi
}
drop_target() {
  local mnt=$work/restore-$1
  if mountpoint -q "$mnt"; then umount "$mnt"; else rm -rf "$mnt/tree"; fi
  rm -rf "$mnt" "$work/restore-$1.img"
}

# Both repositories are read once before the restores, so both come from the page cache: restic wrote its
# packs through it, Seedship with O_DIRECT (docs/repository-format.md §7), which would leave only Seedship's cold.
find "$work/restic-repo" "$work"/jdk-*/seedship-repo -type f -exec cat {} + >/dev/null
restic_target=$(fresh_target restic)
t0=$(now); restic -q -r "$work/restic-repo" restore latest --target "$restic_target" >/dev/null; t1=$(now)
restic_restore_s=$(secs "$t0" "$t1")
drop_target restic
for i in "${!java_homes[@]}"; do
  dir=$work/jdk-$i
  target=$(fresh_target "jdk-$i")
  t0=$(now); out=$(seedship_on "${java_homes[$i]}" "$dir" "$src" "$dir" "$level" restore "$target"); t1=$(now); echo "${labels[$i]}: $out"
  seed_restore_s[$i]=$(secs "$t0" "$t1")
  if diff -r "$src" "$target$src" >/dev/null 2>&1 || diff -r "$src" "$target" >/dev/null; then
    restore_check[$i]="identical"
  else
    restore_check[$i]="DIFFERENT"
  fi
  drop_target "jdk-$i"
done

changed=$(seedship --change "$src" | sed -E 's/changed-bytes //')
sync
restic_before=$(bytes_of "$work/restic-repo")
t0=$(now); restic -q -r "$work/restic-repo" backup "$src" >/dev/null; t1=$(now)
restic_inc_s=$(secs "$t0" "$t1"); restic_inc_bytes=$(( $(bytes_of "$work/restic-repo") - restic_before ))
for i in "${!java_homes[@]}"; do
  dir=$work/jdk-$i
  t0=$(now); out=$(seedship_on "${java_homes[$i]}" "$dir" "$src" "$dir" "$level" incremental); t1=$(now); echo "${labels[$i]}: $out"
  seed_inc_s[$i]=$(secs "$t0" "$t1")
  seed_inc_bytes[$i]=$(sed -E 's/.*repo-bytes=([0-9]+).*/\1/' <<<"$out")
done

mbps() { echo "scale=1; $source_bytes / 1000000 / $1" | bc; }
ratio() { echo "scale=3; $1 / $2" | bc; }
echo
echo "== results ($source_bytes source bytes, $changed bytes changed for the incremental) =="
printf "%-40s %9s %9s %14s %8s\n" "run" "seconds" "MB/s" "stored bytes" "of src"
printf "%-40s %9.2f %9s %14d %8s\n" "tar | zstd -3 -T2" "$tar_s" "$(mbps "$tar_s")" "$tar_bytes" "$(ratio "$tar_bytes" "$source_bytes")"
printf "%-40s %9.2f %9s %14d %8s\n" "restic backup (full)" "$restic_s" "$(mbps "$restic_s")" "$restic_bytes" "$(ratio "$restic_bytes" "$source_bytes")"
for i in "${!java_homes[@]}"; do
  printf "%-40s %9.2f %9s %14d %8s\n" "seedship backup (full), ${labels[$i]}" "${seed_s[$i]}" "$(mbps "${seed_s[$i]}")" "${seed_bytes[$i]}" "$(ratio "${seed_bytes[$i]}" "$source_bytes")"
done
printf "%-40s %9.2f %9s %14s %8s\n" "restic restore" "$restic_restore_s" "$(mbps "$restic_restore_s")" "-" "-"
for i in "${!java_homes[@]}"; do
  printf "%-40s %9.2f %9s %14s %8s\n" "seedship restore, ${labels[$i]}" "${seed_restore_s[$i]}" "$(mbps "${seed_restore_s[$i]}")" "-" "${restore_check[$i]}"
done
printf "%-40s %9.2f %9s %14d %8s\n" "restic incremental" "$restic_inc_s" "-" "$restic_inc_bytes" "x$(ratio "$restic_inc_bytes" "$changed")"
for i in "${!java_homes[@]}"; do
  printf "%-40s %9.2f %9s %14d %8s\n" "seedship incremental, ${labels[$i]}" "${seed_inc_s[$i]}" "-" "${seed_inc_bytes[$i]}" "x$(ratio "${seed_inc_bytes[$i]}" "$changed")"
done
echo
for i in "${!java_homes[@]}"; do
  echo "ratios, ${labels[$i]}: full speed seedship/restic = $(ratio "$restic_s" "${seed_s[$i]}")x faster, seedship/tar|zstd = $(ratio "$tar_s" "${seed_s[$i]}")x faster;" \
    "repository size seedship/restic = $(ratio "${seed_bytes[$i]}" "$restic_bytes"); restore time seedship/restic = $(ratio "${seed_restore_s[$i]}" "$restic_restore_s");" \
    "incremental time seedship/restic = $(ratio "${seed_inc_s[$i]}" "$restic_inc_s")"
done
