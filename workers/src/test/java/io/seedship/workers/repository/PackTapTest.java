package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pack tap sees every full block of every pack, in order, with exactly the bytes the pack file ends up holding. */
class PackTapTest {

  private static final int BLOCK = 64 << 10;

  @TempDir
  Path temp;

  @Test
  void theBlocksATapSeesAreThePackFilesBytes() throws Exception {
    Path source = temp.resolve("source");
    Files.createDirectories(source);
    Random random = new Random(3);
    for (int i = 0; i < 12; i++) {
      Files.write(source.resolve("f" + i), SourceTrees.randomBytes(random, (300 << 10) + 77 * i));
    }
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
    Repository repository = Repository.init(temp.resolve("repo"), RepositorySecret.ofPassphrase("tap".toCharArray()), KeyDerivation.FAST);

    new Backup(repository, BackupOptions.defaults().withPackTargetSize(1 << 20), tap).run(source, ProgressListener.NONE);

    List<Path> packs = repository.listPackFiles();
    assertThat(packs).hasSizeGreaterThan(1);
    for (Path file : packs) {
      byte[] bytes = Files.readAllBytes(file);
      Map<Integer, byte[]> blocks = seen.get(RandomId.parse(file.getFileName().toString()));
      assertThat(blocks).as("blocks of %s", file.getFileName()).hasSize(bytes.length / BLOCK);
      blocks.forEach((index, block) -> assertThat(block).as("block %d of %s", index, file.getFileName())
          .isEqualTo(Arrays.copyOfRange(bytes, index * BLOCK, (index + 1) * BLOCK)));
    }
  }
}
