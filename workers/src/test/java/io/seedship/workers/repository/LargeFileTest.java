package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file larger than 4 GiB (sparse, so the test stays cheap) survives backup and restore byte for byte. */
class LargeFileTest {

  private static final long SIZE = (4L << 30) + (300L << 20) + 12_345;

  @TempDir
  Path temp;

  @Test
  void aFileLargerThanFourGibRoundTrips() throws IOException {
    Path source = temp.resolve("source");
    Files.createDirectories(source);
    Path big = source.resolve("disk-image.raw");
    try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(SIZE);
      for (long at : new long[] {0, (2L << 30) + 7, (4L << 30) - 100, SIZE - 5000}) {
        file.seek(at);
        file.write(("data at " + at + " ").repeat(500).getBytes(StandardCharsets.US_ASCII), 0, 4000);
      }
    }
    Repository repository = Repository.init(temp.resolve("repo"), RepositorySecret.ofPassphrase("big".toCharArray()), KeyDerivation.FAST);
    BackupResult result = new Backup(repository, BackupOptions.defaults()).run(source, ProgressListener.NONE);
    assertThat(result.snapshot().bytes()).isEqualTo(SIZE);
    assertThat(result.bytesAdded()).as("zero runs deduplicate and compress").isLessThan(10L << 20);

    Path target = temp.resolve("restored");
    new Restore(repository, 2).run(repository.snapshot("latest"), "", target);
    Path restored = target.resolve("disk-image.raw");
    assertThat(Files.size(restored)).isEqualTo(SIZE);
    assertThat(SourceTrees.sha256(restored)).isEqualTo(SourceTrees.sha256(big));
    SourceTrees.assertSameTree(source, target);
  }
}
