package io.seedship.workers.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Write-once files: temporary name, forced to disk, renamed into place (docs §1, §7). */
final class AtomicFiles {

  static final String TMP_MARK = ".tmp-";

  private AtomicFiles() {
  }

  static Path temporaryFor(Path target) {
    return target.resolveSibling(target.getFileName() + TMP_MARK + UUID.randomUUID().toString().substring(0, 8));
  }

  static void write(Path target, byte[] content) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = temporaryFor(target);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    commit(tmp, target);
  }

  /** Renames a finished temporary file into place and makes the rename durable. */
  static void commit(Path tmp, Path target) throws IOException {
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(target.getParent());
  }

  static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems refuse to sync directories; the rename itself is still atomic there.
    }
  }

  static boolean isTemporary(Path file) {
    return file.getFileName().toString().contains(TMP_MARK);
  }
}
