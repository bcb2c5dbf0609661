package io.seedship.workers.repository;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;

/** Reads pack headers and raw sealed blobs; turns low-level failures into the engine's errors. */
final class PackReader {

  private PackReader() {
  }

  static FileChannel open(Path file, RandomId packId) {
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new PackMissingException("Pack " + packId + " is missing (" + file + "). Copy it back from another "
          + "copy of the repository, or run verify to see which files are affected.", e);
    } catch (IOException e) {
      throw new RepositoryException("Pack " + packId + " cannot be opened (" + e.getMessage() + "): check permissions and the disk.", e);
    }
  }

  static List<PackEntry> readHeader(Path file, RandomId packId, Aead aead) {
    try (FileChannel channel = open(file, packId)) {
      long size = channel.size();
      if (size < PackFormat.TRAILER_LENGTH) {
        throw truncated(packId, file, "it has only " + size + " bytes");
      }
      byte[] trailer = readFully(channel, size - PackFormat.TRAILER_LENGTH, PackFormat.TRAILER_LENGTH, packId, file);
      int headerLength = ByteBuffer.wrap(trailer).getInt();
      if (!Arrays.equals(Arrays.copyOfRange(trailer, 4, trailer.length), PackFormat.TRAILER_MAGIC)) {
        throw truncated(packId, file, "its trailer is missing (the end of the file was cut off or overwritten)");
      }
      if (headerLength < Aead.NONCE + Aead.TAG || headerLength > size - PackFormat.TRAILER_LENGTH) {
        throw truncated(packId, file, "its header length " + headerLength + " does not fit in " + size + " bytes");
      }
      byte[] sealed = readFully(channel, size - PackFormat.TRAILER_LENGTH - headerLength, headerLength, packId, file);
      byte[] header;
      try {
        header = aead.open(sealed, PackFormat.headerAad(packId));
      } catch (AEADBadTagException e) {
        throw new PackTamperedException("The header of pack " + packId + " (" + file + ") fails authentication: "
            + "the file was changed after it was written. Replace it from another copy of the repository.", e);
      }
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(header));
      if (in.readByte() != PackFormat.VERSION) {
        throw new PackTamperedException("Pack " + packId + " has an unknown header version: use a matching Seedship release.");
      }
      return PackFormat.readEntries(in);
    } catch (IOException e) {
      throw new RepositoryException("Pack " + packId + " cannot be read (" + e.getMessage() + "): check the disk.", e);
    }
  }

  static byte[] readFully(FileChannel channel, long position, int length, RandomId packId, Path file) throws IOException {
    byte[] bytes = new byte[length];
    readFully(channel, position, bytes, length, packId, file);
    return bytes;
  }

  static void readFully(FileChannel channel, long position, byte[] into, int length, RandomId packId, Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw truncated(packId, file, "it ends at " + (position + buffer.position()) + " bytes, inside a blob that should end at "
            + (position + length));
      }
    }
  }

  static PackTruncatedException truncated(RandomId packId, Path file, String detail) {
    return new PackTruncatedException("Pack " + packId + " (" + file + ") is truncated: " + detail
        + ". Copy the complete pack back from another copy of the repository.");
  }
}
