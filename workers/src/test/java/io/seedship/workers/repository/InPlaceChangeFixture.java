package io.seedship.workers.repository;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source the delta tests change in place: an 8 MiB random image, a 6 MiB text log and 20 small random files whose
 * sizes are not whole KiB (so signatures have short last blocks).
 */
abstract class InPlaceChangeFixture {

  @TempDir
  Path temp;
  Path source;
  final RepositorySecret secret = RepositorySecret.ofPassphrase("delta passphrase".toCharArray());
  final Random random = new Random(11);

  @BeforeEach
  void createSource() throws IOException {
    source = temp.resolve("source");
    SourceTrees.writeChangeableTree(source, random, i -> (40 << 10) + 333 * i);
  }

  /** Overwrites {@code length} random bytes of {@code file} at {@code offset}, with an mtime per round; returns length. */
  long overwrite(Path file, long offset, int length, int round) throws IOException {
    SourceTrees.overwrite(file, offset, SourceTrees.randomBytes(random, length), 1_700_000_000_000L + round * 1000L);
    return length;
  }
}
