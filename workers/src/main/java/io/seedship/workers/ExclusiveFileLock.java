package io.seedship.workers;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive OS lock on a file, for "one writer at a time" (a repository, an import job's preparation, a vault
 * cache). The kernel drops it when the process dies, so a crash never leaves a stale lock behind.
 */
public final class ExclusiveFileLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private ExclusiveFileLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another process (or another thread of this one) holds it. The file is created if missing. */
  public static Optional<ExclusiveFileLock> tryAcquire(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    return Optional.of(new ExclusiveFileLock(channel, lock));
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the kernel drops the lock with the channel anyway
    }
  }
}
