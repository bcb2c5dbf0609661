package io.seedship.workers.diskprep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Receives the plaintext read back from a drive and compares it byte for byte with the staged file it was
 * copied from (docs/drive-format.md §6): the verify pass proves the drive holds exactly the staging, without
 * a hash taken in the write pass. Throws {@link Differs} at the first difference.
 */
final class StagedComparison implements FileDecryptor.PlainSink, AutoCloseable {

  /** The plaintext read back differs from the staged file (or the staged file has another length). */
  static final class Differs extends RuntimeException {
    Differs(String message) {
      super(message);
    }
  }

  private final Path staged;
  private final long size;
  private final String what;
  private final FileChannel channel;
  private byte[] buffer = new byte[0];
  private long offset;

  StagedComparison(Path staged, long size, String what) throws IOException {
    this.staged = staged;
    this.size = size;
    this.what = what;
    try {
      this.channel = FileChannel.open(staged, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new Differs("The staged file " + staged + " of " + what + " is gone.");
    }
    if (channel.size() != size) {
      channel.close();
      throw new Differs("The staged file " + staged + " of " + what + " is " + channel.size() + " bytes long, " + size + " were planned.");
    }
  }

  @Override
  public void accept(byte[] data, int length) throws IOException {
    if (buffer.length < length) {
      buffer = new byte[length];
    }
    ByteBuffer in = ByteBuffer.wrap(buffer, 0, length);
    while (in.hasRemaining()) {
      if (channel.read(in, offset + in.position()) < 0) {
        throw new Differs("The staged file " + staged + " of " + what + " became shorter.");
      }
    }
    int at = Arrays.mismatch(data, 0, length, buffer, 0, length);
    if (at >= 0) {
      throw new Differs(what + " reads back authentic but differs from the staged file " + staged + " at byte " + (offset + at)
          + ": the staged file changed during preparation (or this computer's memory is faulty).");
    }
    offset += length;
  }

  /** After the last block: the whole staged file was compared. */
  void checkComplete() {
    if (offset != size) {
      throw new Differs(what + " held " + offset + " bytes of the " + size + " staged.");
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
