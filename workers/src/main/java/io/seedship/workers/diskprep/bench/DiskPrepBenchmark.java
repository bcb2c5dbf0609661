package io.seedship.workers.diskprep.bench;

import io.seedship.workers.FileTrees;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DiskPrepOutcome;
import io.seedship.workers.diskprep.DiskPrepProgress;
import io.seedship.workers.diskprep.DiskPrepRequest;
import io.seedship.workers.diskprep.DriveInspector;
import io.seedship.workers.diskprep.KdfParameters;
import io.seedship.workers.diskprep.PrepareDrives;
import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.KeyDerivation;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.staging.StagingLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Disk preparation side by side with {@code cp -r} of the same staged repository to the same file system,
 * in one run (a program, not a test; bench/diskprep.md). Usage: DiskPrepBenchmark SOURCE WORKDIR [ROUNDS].
 * Stages SOURCE once with the backup engine (64 MiB packs), then per round: {@code cp -r}, {@code sync},
 * and a preparation onto a declared SATA drive folder, timing its write pass and its verify pass apart.
 */
public final class DiskPrepBenchmark {

  private DiskPrepBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: DiskPrepBenchmark SOURCE WORKDIR [ROUNDS]");
      System.exit(2);
    }
    Path source = Path.of(args[0]);
    Path work = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path staging = work.resolve("staging");
    Path repository = StagingLayout.repositoryFor(staging, "bench");
    if (!Repository.exists(repository)) {
      long start = System.nanoTime();
      Repository repo = Repository.init(repository, RepositorySecret.ofPassphrase("benchmark".toCharArray()), KeyDerivation.DEFAULT);
      new Backup(repo, BackupOptions.defaults().withTags(List.of(StagingLayout.tagFor("bench")))).run(source, ProgressListener.NONE);
      System.out.printf(Locale.ROOT, "staged %s in %.1f s%n", source, seconds(start));
    }
    long bytes = sizeOf(repository);
    long files;
    try (Stream<Path> walk = Files.walk(repository)) {
      files = walk.filter(Files::isRegularFile).count();
    }
    System.out.printf(Locale.ROOT, "staged repository: %d files, %d bytes (%.0f MiB)%n", files, bytes, bytes / 1048576.0);
    sizeOf(repository); // read once more so both contenders start from a warm page cache
    double bestCp = Double.MAX_VALUE;
    double bestCpSync = Double.MAX_VALUE;
    double bestWrite = Double.MAX_VALUE;
    double bestVerify = Double.MAX_VALUE;
    double bestWriteForce = Double.MAX_VALUE;
    // cp -r swings with the VM's memory state from round to round: the ratio within each round (rounds 2+) is
    // summarised by its median too, beside best against best.
    List<Double> writeRatios = new ArrayList<>();
    List<Double> writeForceRatios = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Path copy = work.resolve("cp-copy");
      FileTrees.deleteTree(copy);
      run("sync");
      long start = System.nanoTime();
      run("cp", "-r", repository.toString(), copy.toString());
      double cp = seconds(start);
      run("sync");
      double cpSync = seconds(start);
      FileTrees.deleteTree(copy);
      run("sync");

      Path drive = work.resolve("drive");
      FileTrees.deleteTree(drive);
      FileTrees.deleteTree(work.resolve("keys"));
      Files.createDirectories(drive);
      Files.writeString(drive.resolve("seedship-drive.properties"), "bus=SATA\nmedia=SSD\nsize=2TB\n");
      PrepareDrives prepare = new PrepareDrives(new DiskPrepKeyStore(work.resolve("keys")), DriveInspector.system(), KdfParameters.DEFAULT);
      long[] verifyStart = {0};
      long[] forceStart = {0};
      long prepStart = System.nanoTime();
      DiskPrepOutcome outcome = prepare.prepare(new DiskPrepRequest("bench", staging, "bench-job-" + round, List.of(drive), false, null),
          p -> {
            if (p.phase() == DiskPrepProgress.Phase.FORCING && forceStart[0] == 0) {
              forceStart[0] = System.nanoTime();
            }
            if (p.phase() == DiskPrepProgress.Phase.VERIFYING && verifyStart[0] == 0) {
              verifyStart[0] = System.nanoTime();
            }
          });
      long end = System.nanoTime();
      if (!(outcome instanceof DiskPrepOutcome.AllDrivesPrepared)) {
        throw new IllegalStateException("the benchmark drive filled up: " + outcome);
      }
      // Write pass: until the last group is forced (FORCING); force: that final force and its journal records.
      double write = ((forceStart[0] == 0 ? verifyStart[0] : forceStart[0]) - prepStart) / 1e9;
      double writeForce = (verifyStart[0] - prepStart) / 1e9;
      double verify = (end - verifyStart[0]) / 1e9;
      System.out.printf(Locale.ROOT, "round %d: cp -r %.2f s (%.0f MB/s), cp -r + sync %.2f s (%.0f MB/s), diskprep write %.2f s "
              + "(%.0f MB/s, %.2fx cp -r), write + final force %.2f s (%.0f MB/s, %.2fx cp -r + sync), verify %.2f s (%.0f MB/s)%n",
          round, cp, bytes / cp / 1e6, cpSync, bytes / cpSync / 1e6, write, bytes / write / 1e6, cp / write, writeForce,
          bytes / writeForce / 1e6, cpSync / writeForce, verify, bytes / verify / 1e6);
      if (round > 1) {
        writeRatios.add(cp / write);
        writeForceRatios.add(cpSync / writeForce);
      }
      bestCp = Math.min(bestCp, cp);
      bestCpSync = Math.min(bestCpSync, cpSync);
      bestWrite = Math.min(bestWrite, write);
      bestVerify = Math.min(bestVerify, verify);
      bestWriteForce = Math.min(bestWriteForce, writeForce);
      FileTrees.deleteTree(drive);
    }
    System.out.printf(Locale.ROOT, "best: cp-r %.0f MB/s, cp-r+sync %.0f MB/s, diskprep-write %.0f MB/s (%.2fx cp -r), "
            + "write+force %.0f MB/s (%.2fx cp -r + sync), diskprep-verify %.0f MB/s%n", bytes / bestCp / 1e6, bytes / bestCpSync / 1e6,
        bytes / bestWrite / 1e6, bestCp / bestWrite, bytes / bestWriteForce / 1e6, bestCpSync / bestWriteForce, bytes / bestVerify / 1e6);
    if (!writeRatios.isEmpty()) {
      System.out.printf(Locale.ROOT, "median of the rounds 2-%d: write / cp -r %.2fx, (write + final force) / (cp -r + sync) %.2fx%n",
          rounds, median(writeRatios), median(writeForceRatios));
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed with exit code " + process.exitValue());
    }
  }

  private static long sizeOf(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          byte[] buffer = new byte[1 << 20];
          long n = 0;
          try (var in = Files.newInputStream(f)) {
            int r;
            while ((r = in.read(buffer)) > 0) {
              n += r;
            }
          }
          return n;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sum();
    }
  }

}
