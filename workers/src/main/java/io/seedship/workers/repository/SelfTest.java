package io.seedship.workers.repository;

import io.seedship.workers.FileTrees;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A worker's start-up self-test: backs up a small synthetic tree into a throwaway repository, changes it in place and
 * backs it up again (deltas found through block signatures, as the vault's incrementals do), then restores both
 * snapshots and compares every byte. It proves, before the worker takes work, that this JVM on this CPU seals, opens
 * and hashes as the format needs (JDK-8371864 showed that a JVM may not, docs/repository-format.md §8), and it leaves
 * the engine's code compiled: without it a fresh worker's first backup spends about half its CPU in the JIT.
 */
public final class SelfTest {

  private static final int SMALL_FILES = 32;
  private static final int SMALL = 64 << 10;
  private static final int LARGE = 12 << 20;

  private SelfTest() {
  }

  /**
   * Runs the test in a new folder under {@code parent}, deleted afterwards; returns how long it took.
   *
   * @throws SelfTestFailedException when a restored byte differs from the source, or the engine fails
   */
  public static Duration run(Path parent) {
    return run(parent, restored -> { });
  }

  /** As {@link #run(Path)}; {@code beforeCompare} sees the test's folder after the restores (tests change it there). */
  static Duration run(Path parent, java.util.function.Consumer<Path> beforeCompare) {
    long start = System.nanoTime();
    Path dir;
    try {
      Files.createDirectories(parent);
      dir = Files.createTempDirectory(parent, "self-test-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make the self-test's folder in " + parent + " (" + e.getMessage() + "): check that it is "
          + "writable.", e);
    }
    try {
      Path source = dir.resolve("source");
      writeSource(source);
      Repository repository = Repository.init(dir.resolve("repository"), RepositorySecret.ofPassphrase("self-test".toCharArray()),
          KeyDerivation.FAST);
      BackupOptions options = BackupOptions.defaults().withSignatures(true).withProgressInterval(Duration.ofMinutes(1));
      Snapshot first = new Backup(repository, options).run(source, ProgressListener.NONE).snapshot();
      Path firstState = dir.resolve("first-state");
      Files.createDirectories(firstState);
      try (Stream<Path> files = Files.list(source)) {
        for (Path file : files.toList()) {
          Files.copy(file, firstState.resolve(file.getFileName()));
        }
      }
      changeInPlace(source);
      Snapshot second = new Backup(repository, options).run(source, ProgressListener.NONE).snapshot();
      Path firstRestored = restore(repository, first, dir.resolve("restore-1"));
      Path secondRestored = restore(repository, second, dir.resolve("restore-2"));
      beforeCompare.accept(dir);
      compare(firstState, firstRestored);
      compare(source, secondRestored);
      return Duration.ofNanos(System.nanoTime() - start);
    } catch (IOException e) {
      throw new UncheckedIOException("The self-test could not write its files in " + dir + " (" + e.getMessage() + ").", e);
    } catch (SelfTestFailedException e) {
      throw e;
    } catch (RepositoryException e) {
      throw new SelfTestFailedException("The start-up self-test failed: " + e.getMessage() + " " + advice(), e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void writeSource(Path source) throws IOException {
    Files.createDirectories(source);
    Random random = new Random(7);
    for (int i = 0; i < SMALL_FILES + 2; i++) {
      byte[] bytes = new byte[i < SMALL_FILES ? SMALL : LARGE];
      random.nextBytes(bytes);
      Files.write(source.resolve("f" + i), bytes);
    }
  }

  /** Overwrites 16 KiB in the middle of every 4th small file and 256 KiB in each large one; new mtimes. */
  private static void changeInPlace(Path source) throws IOException {
    Random random = new Random(8);
    for (int i = 0; i < SMALL_FILES + 2; i++) {
      boolean large = i >= SMALL_FILES;
      if (!large && i % 4 != 0) {
        continue;
      }
      byte[] bytes = new byte[large ? 256 << 10 : 16 << 10];
      random.nextBytes(bytes);
      Path file = source.resolve("f" + i);
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.seek(large ? LARGE / 3 : SMALL / 2);
        raf.write(bytes);
      }
      Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
    }
  }

  private static Path restore(Repository repository, Snapshot snapshot, Path target) {
    new Restore(repository, 2).run(snapshot, "", target);
    return target;
  }

  private static void compare(Path expected, Path restored) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(expected)) {
      files = list.sorted().toList();
    }
    for (Path file : files) {
      Path copy = restored.resolve(file.getFileName().toString());
      if (!Files.isRegularFile(copy) || Files.mismatch(file, copy) != -1) {
        throw new SelfTestFailedException("The start-up self-test restored " + file.getFileName() + " with other bytes than it "
            + "backed up. " + advice());
      }
    }
  }

  private static String advice() {
    return "This JVM (" + System.getProperty("java.vm.name") + " " + Runtime.version() + ") on this machine cannot be trusted with "
        + "backups: run the worker on JDK 25.0.2 or later (scripts/worker-java.sh picks one), or with -XX:UseAVX=2, and report it.";
  }

  private static void deleteQuietly(Path dir) {
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException e) {
      // a leftover self-test folder is harmless; the next start makes a new one
    }
  }
}
