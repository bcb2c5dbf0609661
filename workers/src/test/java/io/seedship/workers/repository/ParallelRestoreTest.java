package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore decodes spans of packs on several threads and writes each chunk where it belongs: one file's
 * chunks land from different threads, one chunk goes to several files and places, files span batches.
 */
class ParallelRestoreTest {

  private static final int MIB = 1 << 20;

  @TempDir
  Path temp;

  @Test
  void chunksWrittenFromManyThreadsRestoreByteIdenticallyWithHoles() throws IOException {
    Path source = temp.resolve("source");
    Random random = new Random(5);
    Files.createDirectories(source.resolve("many/a"));
    // Mixed content of many chunks with a zero run in the middle and a zero tail (holes on restore).
    Path mixed = source.resolve("mixed.img");
    try (RandomAccessFile file = new RandomAccessFile(mixed.toFile(), "rw")) {
      file.write(SourceTrees.textBytes(random, 12 * MIB));
      file.write(new byte[20 * MIB]);
      file.write(SourceTrees.randomBytes(random, 9 * MIB + 123));
      file.setLength(file.length() + 17 * MIB + 5);
    }
    // The same block again and again: one chunk written to many places of one file.
    byte[] block = SourceTrees.randomBytes(random, 2 * MIB);
    try (RandomAccessFile file = new RandomAccessFile(source.resolve("repeated.bin").toFile(), "rw")) {
      for (int i = 0; i < 12; i++) {
        file.write(block);
      }
    }
    Files.copy(mixed, source.resolve("many/copy-of-mixed.img"));
    // More files than one batch holds.
    for (int i = 0; i < 2500; i++) {
      byte[] content = i % 2 == 0 ? SourceTrees.textBytes(random, random.nextInt(20_000)) : SourceTrees.randomBytes(random, random.nextInt(20_000));
      Files.write(source.resolve("many/a/f" + i), content);
    }
    Files.writeString(source.resolve("many/last.txt"), "the end\n", StandardCharsets.UTF_8);

    Repository repository = Repository.init(temp.resolve("repo"), RepositorySecret.ofPassphrase("parallel".toCharArray()), KeyDerivation.FAST);
    new Backup(repository, BackupOptions.defaults().withPackTargetSize(2 * MIB)).run(source, ProgressListener.NONE);
    Repository reopened = Repository.open(temp.resolve("repo"), RepositorySecret.ofPassphrase("parallel".toCharArray()));
    assertThat(reopened.index().packCount()).as("many packs, so many spans").isGreaterThan(10);

    Path target = temp.resolve("restored");
    new Restore(reopened, 4).run(reopened.snapshot("latest"), "", target);
    SourceTrees.assertSameTree(source, target);
    assertThat(allocatedBytes(target.resolve("mixed.img"))).as("zero chunks are holes").isLessThan(Files.size(mixed) - 12L * MIB);

    // Again over the restored tree (files exist, one read-only): same result.
    Files.setAttribute(target.resolve("many/last.txt"), "unix:mode", 0444);
    new Restore(reopened, 3).run(reopened.snapshot("latest"), "", target);
    SourceTrees.assertSameTree(source, target);
  }

  @Test
  void duplicateStraddlingABatchBoundaryIsRestoredInBothPlaces() throws IOException {
    Path source = temp.resolve("source");
    Random random = new Random(11);
    Files.createDirectories(source.resolve("d"));
    // 1023 small files, then a large file closing the first batch (1024 files) and its copy opening the next:
    // the copy's chunks join the first batch's chunks while those are not decoded yet.
    for (int i = 0; i < 1023; i++) {
      Files.write(source.resolve(String.format("d/f%04d", i)), SourceTrees.randomBytes(random, 100 + random.nextInt(400)));
    }
    byte[] large = SourceTrees.textBytes(random, 10 * MIB + 77);
    Files.write(source.resolve("d/g-a.bin"), large);
    Files.write(source.resolve("d/g-b.bin"), large);
    Files.writeString(source.resolve("d/h.txt"), "after\n", StandardCharsets.UTF_8);

    Repository repository = Repository.init(temp.resolve("repo"), RepositorySecret.ofPassphrase("straddle".toCharArray()), KeyDerivation.FAST);
    new Backup(repository, BackupOptions.defaults().withPackTargetSize(2 * MIB)).run(source, ProgressListener.NONE);
    Repository reopened = Repository.open(temp.resolve("repo"), RepositorySecret.ofPassphrase("straddle".toCharArray()));
    for (int workers : new int[] {1, 2, 4}) {
      Path target = temp.resolve("restored-" + workers);
      new Restore(reopened, workers).run(reopened.snapshot("latest"), "", target);
      SourceTrees.assertSameTree(source, target);
    }
  }

  /** Bytes the file system allocated for the file (st_blocks × 512). */
  private static long allocatedBytes(Path file) throws IOException {
    Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
    String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    return Long.parseLong(out) * 512;
  }
}
