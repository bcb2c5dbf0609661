package io.seedship.workers.bench;

import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.BackupResult;
import io.seedship.workers.repository.KeyDerivation;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.repository.Restore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Seedship side of bench/backup-benchmark.sh: full backup, ~1 % change, incremental backup, restore of a
 * data set, each timed; prints one "seedship-..." line per figure for the script to put beside restic and
 * tar|zstd. Usage: BackupBenchmark SOURCE WORKDIR [LEVEL [PHASE [RESTORE-TARGET]]], PHASE init, full, incremental
 * or restore. Like {@code restic init} and {@code restic backup}, {@code init} creates the repository and the
 * backups open it (key derivation included); the script times each whole process, JVM start included, and the
 * process does nothing else that the figure would include. Not a test: it measures, it asserts nothing.
 */
public final class BackupBenchmark {

  private BackupBenchmark() {
  }

  public static void main(String[] args) throws IOException {
    HeapWatch.start();
    if (args.length < 2) {
      System.err.println("usage: BackupBenchmark SOURCE WORKDIR [zstd-level [init|full|incremental|restore [RESTORE-TARGET]]]"
          + " | --change SOURCE");
      System.exit(2);
    }
    if (args[0].equals("--change")) {
      System.out.printf(Locale.ROOT, "changed-bytes %d%n", changeOnePercent(Path.of(args[1])));
      return;
    }
    Path source = Path.of(args[0]);
    Path work = Path.of(args[1]);
    int level = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    String phase = args.length > 3 ? args[3] : "full";
    Path repo = work.resolve("seedship-repo");
    RepositorySecret secret = RepositorySecret.ofPassphrase("benchmark passphrase".toCharArray());
    BackupOptions options = BackupOptions.defaults().withCompressionLevel(level);
    switch (phase) {
      case "init" -> Repository.init(repo, secret, KeyDerivation.DEFAULT);
      case "full", "incremental" -> {
        long before = sizeOf(repo);
        long start = System.nanoTime();
        Repository repository = Repository.open(repo, secret);
        BackupResult result = new Backup(repository, options).run(source, ProgressListener.NONE);
        report("seedship-" + phase, start, result.snapshot().bytes(), sizeOf(repo) - before, result);
      }
      case "restore" -> {
        Path target = args.length > 4 ? Path.of(args[4]) : work.resolve("seedship-restore");
        long start = System.nanoTime();
        Repository repository = Repository.open(repo, secret);
        new Restore(repository, Integer.getInteger("seedship.restoreThreads", Runtime.getRuntime().availableProcessors())).run(repository.snapshot("latest"), "", target);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "seedship-restore seconds=%.2f %s%n", seconds, HeapWatch.fields());
      }
      default -> throw new IllegalArgumentException("phase must be init, full, incremental or restore");
    }
  }

  private static void report(String name, long start, long sourceBytes, long repoBytes, BackupResult result) {
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%s seconds=%.2f mbps=%.1f source-bytes=%d repo-bytes=%d ratio=%.3f read-bytes=%d "
            + "added-bytes=%d packs=%d %s%n", name, seconds, sourceBytes / 1e6 / seconds, sourceBytes, repoBytes,
        (double) repoBytes / sourceBytes, result.bytesRead(), result.bytesAdded(), result.packsWritten(), HeapWatch.fields());
  }

  /**
   * Changes ~1 % of the data deterministically: rewrites 64 KiB in the middle of every 50th small file and
   * 1 MiB regions spread over the large files. Returns the bytes changed.
   */
  public static long changeOnePercent(Path source) throws IOException {
    long total = sizeOf(source);
    long budget = total / 100;
    long changed = 0;
    Random random = new Random(99);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(source)) {
      all.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    List<Path> large = files.stream().filter(f -> sizeQuietly(f) > 8 << 20).toList();
    for (int i = 0; i < files.size() && changed < budget / 2; i += 50) {
      Path file = files.get(i);
      long size = sizeQuietly(file);
      if (size > 0 && size <= 8 << 20) {
        changed += overwrite(file, size / 2, (int) Math.min(size / 2, 64 << 10), random);
      }
    }
    for (int i = 0; changed < budget && !large.isEmpty(); i++) {
      Path file = large.get(i % large.size());
      long size = sizeQuietly(file);
      changed += overwrite(file, Math.floorMod(random.nextLong(), size - (1 << 20)), 1 << 20, random);
    }
    return changed;
  }

  private static long overwrite(Path file, long offset, int length, Random random) throws IOException {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(bytes);
    }
    return length;
  }

  private static long sizeQuietly(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  static long sizeOf(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).mapToLong(BackupBenchmark::sizeQuietly).sum();
    }
  }

}
