package io.seedship.workers.repository;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Byte layouts shared by pack headers and index files (docs §4, §5). */
final class PackFormat {

  static final byte VERSION = 1;
  static final byte[] TRAILER_MAGIC = "SSPACK01".getBytes(StandardCharsets.US_ASCII);
  static final int TRAILER_LENGTH = 4 + TRAILER_MAGIC.length;
  private static final byte[] BLOB_AAD = "seedship-blob-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEADER_AAD = "seedship-pack-header-v1".getBytes(StandardCharsets.US_ASCII);

  private PackFormat() {
  }

  static byte[] blobAad(RandomId packId, ChunkId chunkId) {
    byte[] aad = new byte[BLOB_AAD.length + RandomId.LENGTH + ChunkId.LENGTH];
    System.arraycopy(BLOB_AAD, 0, aad, 0, BLOB_AAD.length);
    System.arraycopy(packId.bytes(), 0, aad, BLOB_AAD.length, RandomId.LENGTH);
    System.arraycopy(chunkId.bytes(), 0, aad, BLOB_AAD.length + RandomId.LENGTH, ChunkId.LENGTH);
    return aad;
  }

  static byte[] headerAad(RandomId packId) {
    byte[] aad = new byte[HEADER_AAD.length + RandomId.LENGTH];
    System.arraycopy(HEADER_AAD, 0, aad, 0, HEADER_AAD.length);
    System.arraycopy(packId.bytes(), 0, aad, HEADER_AAD.length, RandomId.LENGTH);
    return aad;
  }

  static void writeEntries(DataOutputStream out, List<PackEntry> entries) throws IOException {
    out.writeInt(entries.size());
    for (PackEntry entry : entries) {
      out.writeByte(entry.type());
      out.write(entry.id().bytes());
      out.writeInt(entry.offset());
      out.writeInt(entry.storedLength());
      out.writeInt(entry.rawLength());
    }
  }

  static List<PackEntry> readEntries(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > 10_000_000) {
      throw new IOException("implausible entry count " + count);
    }
    List<PackEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte type = in.readByte();
      byte[] id = new byte[ChunkId.LENGTH];
      in.readFully(id);
      int offset = in.readInt();
      int stored = in.readInt();
      int raw = in.readInt();
      if ((type != PackEntry.DATA && type != PackEntry.TREE) || offset < 0 || stored < Aead.NONCE + Aead.TAG || raw < 0) {
        throw new IOException("malformed entry " + i);
      }
      entries.add(new PackEntry(type, new ChunkId(id), offset, stored, raw));
    }
    return entries;
  }
}
