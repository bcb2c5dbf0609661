package io.seedship.workers.repository;

import java.io.IOException;

/** One opened pack of a {@link PackStore}: its length and positional reads. Used by one thread at a time. */
public interface PackSource extends AutoCloseable {

  /** The pack's length in bytes. */
  long length() throws IOException;

  /**
   * Reads {@code into[offset, offset + length)} from the pack at {@code position}.
   *
   * @throws PackTruncatedException when the pack ends before {@code position + length}
   */
  void readFully(long position, byte[] into, int offset, int length) throws IOException;

  /** Where the pack is, for messages. */
  String describe();

  @Override
  void close();
}
