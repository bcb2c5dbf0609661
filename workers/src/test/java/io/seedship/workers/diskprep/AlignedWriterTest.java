package io.seedship.workers.diskprep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** O_DIRECT writes gather, pad and truncate: whatever the length, the file holds exactly the bytes put. */
class AlignedWriterTest {

  @TempDir
  Path temp;

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void writesExactlyTheBytesPutAcrossBlockAndBufferBoundaries(boolean tryDirect) throws Exception {
    int alignment = AlignedWriter.alignmentFor(temp);
    ByteBuffer buffer = ByteBuffer.allocateDirect(4 * alignment + alignment).alignedSlice(alignment);
    Random random = new Random(7);
    for (int length : new int[] {0, 1, 20, alignment - 1, alignment, alignment + 1, 4 * alignment, 9 * alignment + 17}) {
      byte[] content = new byte[length];
      random.nextBytes(content);
      Path file = temp.resolve("f" + length);
      Files.write(file, new byte[length + 3 * alignment]);
      try (AlignedWriter out = AlignedWriter.create(file, buffer, alignment, tryDirect)) {
        int at = 0;
        while (at < length) {
          int n = Math.min(length - at, 1 + random.nextInt(2 * alignment));
          out.put(content, at, n);
          at += n;
        }
        assertThat(out.finish()).isEqualTo(length);
      }
      assertThat(Files.readAllBytes(file)).as("length %d, direct tried %s", length, tryDirect).isEqualTo(content);
    }
  }
}
