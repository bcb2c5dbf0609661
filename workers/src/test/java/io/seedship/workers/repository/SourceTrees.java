package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Builds real source folders for tests and compares restored trees with them. */
public final class SourceTrees {

  private SourceTrees() {
  }

  /** A tree with every edge case the engine promises to keep (except the >4 GiB file, see LargeFileTest). */
  public static void writeEdgeCases(Path root, long seed) throws IOException {
    Random random = new Random(seed);
    Files.createDirectories(root.resolve("docs/deep/deeper"));
    Files.createDirectories(root.resolve("empty-folder"));
    Files.createDirectories(root.resolve("Grüße/日本語 ✓"));
    Files.writeString(root.resolve("docs/readme.txt"), "hello seedship\n".repeat(5000), StandardCharsets.UTF_8);
    Files.write(root.resolve("docs/deep/deeper/random.bin"), randomBytes(random, 3 * 1024 * 1024 + 17));
    Files.write(root.resolve("docs/deep/text-4m.log"), textBytes(random, 4 * 1024 * 1024 + 3));
    Files.write(root.resolve("empty.txt"), new byte[0]);
    Files.write(root.resolve("Grüße/日本語 ✓/naïve café.txt"), "ünïcödé ✓".getBytes(StandardCharsets.UTF_8));
    Files.write(root.resolve("docs/copy-of-random.bin"), Files.readAllBytes(root.resolve("docs/deep/deeper/random.bin")));
    Files.createSymbolicLink(root.resolve("link-to-readme"), Path.of("docs/readme.txt"));
    Files.createSymbolicLink(root.resolve("dangling-link"), Path.of("does/not/exist"));
    Files.createSymbolicLink(root.resolve("Grüße/link-to-folder"), Path.of("日本語 ✓"));
    for (int i = 0; i < 40; i++) {
      Files.write(root.resolve("docs/small-" + i + ".dat"), randomBytes(random, random.nextInt(9000)));
    }
    Files.setAttribute(root.resolve("docs/readme.txt"), "unix:mode", 0640);
    Files.setAttribute(root.resolve("docs/deep/deeper/random.bin"), "unix:mode", 0755);
    Files.setAttribute(root.resolve("empty.txt"), "unix:mode", 0444);
    Files.setAttribute(root.resolve("docs/deep"), "unix:mode", 0750);
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (!Files.isSymbolicLink(p)) {
          Files.setLastModifiedTime(p, FileTime.from(1_600_000_000_123_456_789L + random.nextInt(1_000_000) * 1000L, TimeUnit.NANOSECONDS));
        }
      }
    }
  }

  public static byte[] randomBytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }

  public static byte[] textBytes(Random random, int size) {
    StringBuilder text = new StringBuilder(size + 100);
    String[] words = {"backup", "stage", "disk", "ship", "import", "vault", "restore", "INFO", "WARN"};
    while (text.length() < size) {
      text.append("2026-01-").append(10 + random.nextInt(18)).append(' ').append(words[random.nextInt(words.length)])
          .append(" job=").append(random.nextInt(999_999)).append(" bytes=").append(random.nextInt()).append('\n');
    }
    return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  /** Everything a restore must keep, keyed by relative path: type, mode, mtime, size, content hash or link target. */
  public static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          entries.put(rel, "link -> " + Files.readSymbolicLink(p));
          continue;
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,lastModifiedTime,size", LinkOption.NOFOLLOW_LINKS);
        String mode = Integer.toOctalString((Integer) a.get("mode") & 07777);
        long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(rel, "dir mode=" + mode + (rel.isEmpty() ? "" : " mtime=" + mtime));
        } else {
          entries.put(rel, "file mode=" + mode + " mtime=" + mtime + " size=" + a.get("size") + " sha256=" + sha256(p));
        }
      }
    }
    return entries;
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void assertSameTree(Path expected, Path actual) throws IOException {
    assertThat(describe(actual)).containsExactlyEntriesOf(describe(expected));
  }

  /** Writes {@code bytes} over {@code file} at {@code offset} and sets its mtime: an in-place change a backup sees. */
  public static void overwrite(Path file, long offset, byte[] bytes, long mtimeMillis) throws IOException {
    try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(bytes);
    }
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(mtimeMillis));
  }

  /**
   * The tree the delta tests change in place: an 8 MiB random image, a 6 MiB text log, and {@code small/f0.bin} ..
   * {@code f19.bin} of {@code smallSize.applyAsInt(i)} random bytes.
   */
  public static void writeChangeableTree(Path source, Random random, java.util.function.IntUnaryOperator smallSize) throws IOException {
    Files.createDirectories(source.resolve("small"));
    Files.write(source.resolve("disk.img"), randomBytes(random, 8 << 20));
    Files.write(source.resolve("server.log"), textBytes(random, 6 << 20));
    for (int i = 0; i < 20; i++) {
      Files.write(source.resolve("small/f" + i + ".bin"), randomBytes(random, smallSize.applyAsInt(i)));
    }
  }

  /** A copy of a tree at {@code target}, with nanosecond times (cp -a), as the restore comparison needs. */
  public static Path copyOf(Path tree, Path target) throws IOException {
    copyInto(tree, target);
    return target;
  }

  /** Restores the whole of {@code snapshot} into {@code target} on two threads; returns the target. */
  public static Path restoreInto(Repository repository, Snapshot snapshot, Path target) {
    new Restore(repository, 2).run(snapshot, "", target);
    return target;
  }

  /** Copies a tree with nanosecond times (cp -a), as the restore comparison needs. */
  public static void copyInto(Path tree, Path target) throws IOException {
    Files.createDirectories(target);
    try {
      Process cp = new ProcessBuilder("cp", "-a", tree + "/.", target.toString()).inheritIO().start();
      assertThat(cp.waitFor()).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while copying", e);
    }
  }
}
