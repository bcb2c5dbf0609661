package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A pack tap sees every full block of every pack, in order, with exactly the bytes the pack file ends up holding. */
class PackTapTest extends InPlaceChangeFixture {

  private static final int BLOCK = 64 << 10;

  @Test
  void theBlocksATapSeesAreThePackFilesBytes() throws Exception {
    Map<RandomId, Map<Integer, byte[]>> seen = new ConcurrentHashMap<>();
    PackTap tap = new PackTap() {
      @Override
      public int blockSize() {
        return BLOCK;
      }

      @Override
      public byte[] fullBlock(RandomId pack, int index, byte[] block) {
        seen.computeIfAbsent(pack, p -> new ConcurrentHashMap<>()).put(index, block);
        return new byte[BLOCK];
      }
    };
    Repository repository = Repository.init(temp.resolve("repo"), secret, KeyDerivation.FAST);

    new Backup(repository, BackupOptions.defaults().withPackTargetSize(1 << 20), tap).run(source, ProgressListener.NONE);

    List<Path> packs = repository.listPackFiles();
    assertThat(packs).hasSizeGreaterThan(1);
    for (Path file : packs) {
      byte[] bytes = Files.readAllBytes(file);
      Map<Integer, byte[]> blocks = seen.getOrDefault(RandomId.parse(file.getFileName().toString()), Map.of());
      assertThat(blocks).as("blocks of %s", file.getFileName()).hasSize(bytes.length / BLOCK);
      blocks.forEach((index, block) -> assertThat(block).as("block %d of %s", index, file.getFileName())
          .isEqualTo(Arrays.copyOfRange(bytes, index * BLOCK, (index + 1) * BLOCK)));
    }
  }
}
