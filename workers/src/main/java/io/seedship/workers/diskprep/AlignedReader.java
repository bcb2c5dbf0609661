package io.seedship.workers.diskprep;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sequential reads of a file from the device: with O_DIRECT (aligned buffer, aligned reads) where the
 * file system allows it, so a verify reads what reached the drive rather than the page cache; with
 * ordinary reads where it does not (tmpfs, some network file systems).
 */
final class AlignedReader implements AutoCloseable {

  private static final int WINDOW = 4 * 1024 * 1024;

  private final FileChannel channel;
  private final ByteBuffer window;
  private final boolean direct;

  private AlignedReader(FileChannel channel, ByteBuffer window, boolean direct) {
    this.channel = channel;
    this.window = window;
    this.direct = direct;
    window.limit(0);
  }

  static AlignedReader open(Path file, boolean tryDirect) throws IOException {
    if (tryDirect) {
      try {
        int alignment = (int) Math.max(512, Files.getFileStore(file).getBlockSize());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        ByteBuffer window = ByteBuffer.allocateDirect(WINDOW + alignment).alignedSlice(alignment);
        return new AlignedReader(channel, window, true);
      } catch (IOException | UnsupportedOperationException e) {
        // O_DIRECT refused by this file system: fall back to ordinary reads below.
      }
    }
    return new AlignedReader(FileChannel.open(file, StandardOpenOption.READ), ByteBuffer.allocateDirect(WINDOW), false);
  }

  boolean direct() {
    return direct;
  }

  long size() throws IOException {
    return channel.size();
  }

  /** Fills dst[off, off+len) or returns the number of bytes before the end of the file. */
  int read(byte[] dst, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      if (!window.hasRemaining()) {
        window.clear();
        int n = channel.read(window);
        window.flip();
        if (n <= 0) {
          break;
        }
      }
      int take = Math.min(len - done, window.remaining());
      window.get(dst, off + done, take);
      done += take;
    }
    return done;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
