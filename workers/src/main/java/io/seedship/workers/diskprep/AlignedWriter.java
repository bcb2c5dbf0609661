package io.seedship.workers.diskprep;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sequential writes of a new file, with O_DIRECT where the file system allows it: the device reads our
 * aligned buffer itself, which spares the copy into the page cache and its later write-back (the most
 * CPU a buffered write pass spent after the crypto) and leaves little for the final force. Bytes are
 * gathered into one large aligned buffer and written in multiples of the block size; the last, partial
 * block is written padded and the file truncated to its length before it is forced.
 */
final class AlignedWriter implements AutoCloseable {

  private final Path file;
  private final ByteBuffer buffer;
  private final int alignment;
  private FileChannel channel;
  private boolean direct;
  private long length;
  private long flushed;

  private AlignedWriter(Path file, FileChannel channel, ByteBuffer buffer, int alignment, boolean direct) {
    this.file = file;
    this.channel = channel;
    this.buffer = buffer;
    this.alignment = alignment;
    this.direct = direct;
  }

  /** Creates (or truncates) file; buffer is an aligned direct buffer of at least two blocks, reused across files. */
  static AlignedWriter create(Path file, ByteBuffer buffer, int alignment, boolean tryDirect) throws IOException {
    buffer.clear();
    if (tryDirect) {
      try {
        return new AlignedWriter(file, open(file, true), buffer, alignment, true);
      } catch (IOException | UnsupportedOperationException e) {
        // O_DIRECT refused by this file system (tmpfs, some network file systems): buffered writes below.
      }
    }
    return new AlignedWriter(file, open(file, false), buffer, alignment, false);
  }

  /** The alignment O_DIRECT needs on the file system of dir (at least 4 KiB, the block size when larger). */
  static int alignmentFor(Path dir) {
    try {
      return (int) Math.max(4096, Files.getFileStore(dir).getBlockSize());
    } catch (IOException | UnsupportedOperationException e) {
      return 4096;
    }
  }

  private static FileChannel open(Path file, boolean direct) throws IOException {
    OpenOption[] options = direct
        ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
            ExtendedOpenOption.DIRECT}
        : new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE};
    return FileChannel.open(file, options);
  }

  boolean direct() {
    return direct;
  }

  void put(byte[] src, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, buffer.remaining());
      buffer.put(src, off, n);
      off += n;
      len -= n;
      length += n;
      if (!buffer.hasRemaining()) {
        flushWholeBlocks();
      }
    }
  }

  /** Writes the whole blocks gathered so far; the partial block stays at the front of the buffer. */
  void flushWholeBlocks() throws IOException {
    int whole = direct ? buffer.position() - buffer.position() % alignment : buffer.position();
    if (whole == 0) {
      return;
    }
    buffer.flip();
    ByteBuffer out = buffer.duplicate().limit(whole);
    writeFully(out);
    buffer.position(whole);
    buffer.compact();
  }

  /** Writes what is left, cuts the padding off, forces data and metadata; returns the file's length. */
  long finish() throws IOException {
    drain();
    return complete();
  }

  /**
   * Writes what is left (the last block padded): afterwards the shared buffer is free for the next file
   * while another thread completes this one.
   */
  void drain() throws IOException {
    if (direct && buffer.position() % alignment != 0) {
      int pad = alignment - buffer.position() % alignment;
      for (int i = 0; i < pad; i++) {
        buffer.put((byte) 0);
      }
    }
    flushWholeBlocks();
  }

  /** After {@link #drain()}: cuts the padding off and forces data and metadata; returns the file's length. */
  long complete() throws IOException {
    if (channel.size() != length) {
      channel.truncate(length);
    }
    channel.force(true);
    return length;
  }

  private void writeFully(ByteBuffer out) throws IOException {
    while (out.hasRemaining()) {
      try {
        flushed += channel.write(out);
      } catch (IOException e) {
        if (!direct || flushed > 0) {
          throw e;
        }
        // Some file systems accept O_DIRECT at open and refuse the first write: go on buffered.
        channel.close();
        channel = open(file, false);
        direct = false;
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
