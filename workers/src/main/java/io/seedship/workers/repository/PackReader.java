package io.seedship.workers.repository;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;

/** Reads pack headers; turns low-level failures into the engine's errors. */
final class PackReader {

  private PackReader() {
  }

  static List<PackEntry> readHeader(PackStore store, RandomId packId, Aead aead) {
    try (PackSource source = store.open(packId)) {
      return readHeader(source, packId, aead);
    }
  }

  static List<PackEntry> readHeader(PackSource source, RandomId packId, Aead aead) {
    String where = source.describe();
    try {
      long size = source.length();
      if (size < PackFormat.TRAILER_LENGTH) {
        throw truncated(packId, where, "it has only " + size + " bytes");
      }
      byte[] trailer = new byte[PackFormat.TRAILER_LENGTH];
      source.readFully(size - PackFormat.TRAILER_LENGTH, trailer, 0, trailer.length);
      int headerLength = ByteBuffer.wrap(trailer).getInt();
      if (!Arrays.equals(Arrays.copyOfRange(trailer, 4, trailer.length), PackFormat.TRAILER_MAGIC)) {
        throw truncated(packId, where, "its trailer is missing (the end of the file was cut off or overwritten)");
      }
      if (headerLength < Aead.NONCE + Aead.TAG || headerLength > size - PackFormat.TRAILER_LENGTH) {
        throw truncated(packId, where, "its header length " + headerLength + " does not fit in " + size + " bytes");
      }
      byte[] sealed = new byte[headerLength];
      source.readFully(size - PackFormat.TRAILER_LENGTH - headerLength, sealed, 0, headerLength);
      byte[] header;
      try {
        header = aead.open(sealed, PackFormat.headerAad(packId));
      } catch (AEADBadTagException e) {
        throw new PackTamperedException("The header of pack " + packId + " (" + where + ") fails authentication: "
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

  static PackTruncatedException truncated(RandomId packId, String where, String detail) {
    return new PackTruncatedException("Pack " + packId + " (" + where + ") is truncated: " + detail
        + ". Copy the complete pack back from another copy of the repository.");
  }
}
