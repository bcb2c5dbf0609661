package io.seedship.workers.repository;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Appends sealed blobs to one pack under a temporary name; {@link #finish()} commits it (docs §4, §7). */
final class PackWriter {

  private final RepositoryLayout layout;
  private final Aead aead;
  private final RandomId id = RandomId.generate();
  private final Path target;
  private final Path temporary;
  private final FileOutputStream file;
  private final BufferedOutputStream out;
  private final List<PackEntry> entries = new ArrayList<>();
  private byte[] sealed = new byte[0];
  private long length;

  PackWriter(RepositoryLayout layout, Aead aead) throws IOException {
    this.layout = layout;
    this.aead = aead;
    this.target = layout.pack(id);
    Files.createDirectories(target.getParent());
    this.temporary = AtomicFiles.temporaryFor(target);
    this.file = new FileOutputStream(temporary.toFile());
    this.out = new BufferedOutputStream(file, 1 << 20);
  }

  RandomId id() {
    return id;
  }

  long length() {
    return length;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Seals encoded[0, encodedLength) as chunk {@code chunkId} and appends it. */
  void add(byte type, ChunkId chunkId, byte[] encoded, int encodedLength, int rawLength) throws IOException {
    int size = Aead.sealedLength(encodedLength);
    if (sealed.length < size) {
      sealed = new byte[size];
    }
    int n = aead.seal(encoded, 0, encodedLength, PackFormat.blobAad(id, chunkId), sealed, 0);
    out.write(sealed, 0, n);
    entries.add(new PackEntry(type, chunkId, (int) length, n, rawLength));
    length += n;
  }

  PackSummary finish() throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(header);
    data.writeByte(PackFormat.VERSION);
    PackFormat.writeEntries(data, entries);
    byte[] sealedHeader = aead.seal(header.toByteArray(), PackFormat.headerAad(id));
    out.write(sealedHeader);
    DataOutputStream trailer = new DataOutputStream(out);
    trailer.writeInt(sealedHeader.length);
    trailer.write(PackFormat.TRAILER_MAGIC);
    out.flush();
    file.getFD().sync();
    out.close();
    length += sealedHeader.length + PackFormat.TRAILER_LENGTH;
    AtomicFiles.commit(temporary, target);
    return new PackSummary(id, length, List.copyOf(entries));
  }

  void abandon() {
    try {
      out.close();
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // A leftover temporary file is removed by the next writer (docs §7).
    }
  }

  Path target() {
    return layout.pack(id);
  }
}
