package io.seedship.workers.diskprep;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.KeyDerivation;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.staging.StagingLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Staged repositories made by the real backup engine, declared drive folders, and tree comparisons. */
final class DiskPrepFixtures {

  static final int SMALL_PACK_FILE = 300 * 1024;

  private DiskPrepFixtures() {
  }

  /**
   * A staging location with a finished repository for the seeding: {@code randomFiles} incompressible
   * files of {@code fileBytes} each and a few text files, backed up with the given pack size.
   */
  static Path stage(Path temp, String seedingId, long seed, int randomFiles, int fileBytes, long packSize) throws IOException {
    Path source = temp.resolve("source-" + seedingId);
    Random random = new Random(seed);
    for (int i = 0; i < randomFiles; i++) {
      byte[] content = new byte[fileBytes];
      random.nextBytes(content);
      Path file = source.resolve("dir" + (i % 3)).resolve("random-" + i + ".bin");
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    }
    for (int i = 0; i < 3; i++) {
      Files.writeString(source.resolve("notes-" + i + ".txt"), ("line " + i + " of a small text file\n").repeat(200));
    }
    Path staging = temp.resolve("staging");
    Path keyFile = temp.resolve("staging-keys").resolve(seedingId + ".key");
    RepositorySecret.generateKeyFile(keyFile);
    Repository repository = Repository.init(StagingLayout.repositoryFor(staging, seedingId), RepositorySecret.ofKeyFile(keyFile),
        KeyDerivation.FAST);
    new Backup(repository, BackupOptions.defaults().withPackTargetSize(packSize).withWorkers(1)
        .withTags(List.of(StagingLayout.tagFor(seedingId)))).run(source, ProgressListener.NONE);
    return staging;
  }

  /** A staging location whose packs are ~300 KiB each, one per random file: predictable spanning. */
  static Path stageSmallPacks(Path temp, String seedingId, int packs) throws IOException {
    return stage(temp, seedingId, 7, packs, SMALL_PACK_FILE, 256 * 1024);
  }

  /** A drive folder with a declaration file (bus, media, device size, and a capacity when > 0). */
  static Path drive(Path temp, String name, String bus, String media, String size, long capacity) throws IOException {
    Path drive = temp.resolve("drives").resolve(name);
    Files.createDirectories(drive);
    String declaration = "bus=" + bus + "\nmedia=" + media + "\nsize=" + size + "\n" + (capacity > 0 ? "capacity=" + capacity + "\n" : "");
    Files.writeString(drive.resolve(DriveLayout.DECLARATION), declaration, StandardCharsets.ISO_8859_1);
    return drive;
  }

  static Path sataDrive(Path temp, String name, long capacity) throws IOException {
    return drive(temp, name, "SATA", "SSD", "2TB", capacity);
  }

  static PrepareDrives prepareDrives(DiskPrepKeyStore keyStore) {
    return new PrepareDrives(keyStore, DriveInspector.system(), KdfParameters.FAST);
  }

  static Path repositoryOf(Path staging, String seedingId) {
    return StagingLayout.repositoryFor(staging, seedingId);
  }

  /** Every file disk prep copies (all but the lock), by relative path, with its content. */
  static Map<String, byte[]> copiedFiles(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String relative = root.relativize(file).toString();
        if (!relative.equals("lock")) {
          files.put(relative, Files.readAllBytes(file));
        }
      }
    }
    return files;
  }

  static void assertSameFiles(Path expectedRoot, Path actualRoot) throws IOException {
    Map<String, byte[]> expected = copiedFiles(expectedRoot);
    Map<String, byte[]> actual = copiedFiles(actualRoot);
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      assertThat(actual.get(e.getKey())).as("content of %s", e.getKey()).isEqualTo(e.getValue());
    }
  }

  /** Names of everything in a folder tree, relative, for "nothing was written" checks. */
  static List<String> listing(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  static void flipByte(Path file, long offset) throws IOException {
    byte[] content = Files.readAllBytes(file);
    content[(int) offset] ^= 0x01;
    Files.write(file, content);
  }
}
