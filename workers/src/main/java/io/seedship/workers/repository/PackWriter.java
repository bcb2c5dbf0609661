package io.seedship.workers.repository;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
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
  private final DirectFileWriter out;
  private final List<PackEntry> entries = new ArrayList<>();
  private final List<SignatureStore.Entry> signatures = new ArrayList<>();
  private byte[] sealed = new byte[0];
  private long length;
  private final PackTap tap;
  /** The block the tap sees next, filled as the pack is written. */
  private byte[] tapBlock;
  private int tapFilled;
  private int tapIndex;

  /** {@code buffer}: from {@link DirectFileWriter#newBuffer(int)}, free again once {@link #seal()} returns. */
  PackWriter(RepositoryLayout layout, Aead aead, ByteBuffer buffer) throws IOException {
    this(layout, aead, buffer, PackTap.NONE);
  }

  /** {@code tap}: shown each full block of the pack as it is written. */
  PackWriter(RepositoryLayout layout, Aead aead, ByteBuffer buffer, PackTap tap) throws IOException {
    this.tap = tap;
    this.tapBlock = tap.blockSize() > 0 ? new byte[tap.blockSize()] : null;
    this.layout = layout;
    this.aead = aead;
    this.target = layout.pack(id);
    Files.createDirectories(target.getParent());
    this.temporary = AtomicFiles.temporaryFor(target);
    this.out = new DirectFileWriter(temporary, buffer);
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
    add(type, chunkId, encoded, encodedLength, rawLength, null);
  }

  /** As {@link #add(byte, ChunkId, byte[], int, int)}, keeping the chunk's {@code signature} (when not null) for the pack. */
  void add(byte type, ChunkId chunkId, byte[] encoded, int encodedLength, int rawLength, ChunkSignature signature) throws IOException {
    int size = Aead.sealedLength(encodedLength);
    if (sealed.length < size) {
      sealed = new byte[size];
    }
    int n = aead.seal(encoded, 0, encodedLength, PackFormat.blobAad(id, chunkId), sealed, 0);
    write(sealed, n);
    entries.add(new PackEntry(type, chunkId, (int) length, n, rawLength));
    if (signature != null) {
      signatures.add(new SignatureStore.Entry((int) length, signature));
    }
    length += n;
  }

  /** Writes header and trailer; the pack is complete but not yet durable nor visible. */
  PackSummary seal() throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(header);
    data.writeByte(PackFormat.VERSION);
    PackFormat.writeEntries(data, entries);
    byte[] sealedHeader = aead.seal(header.toByteArray(), PackFormat.headerAad(id));
    write(sealedHeader, sealedHeader.length);
    ByteBuffer trailer = ByteBuffer.allocate(PackFormat.TRAILER_LENGTH).putInt(sealedHeader.length).put(PackFormat.TRAILER_MAGIC);
    write(trailer.array(), trailer.capacity());
    length += sealedHeader.length + PackFormat.TRAILER_LENGTH;
    out.drain();
    return new PackSummary(id, length, List.copyOf(entries));
  }

  /** Forces the sealed pack to disk and renames it into place (docs §7). */
  void commit() throws IOException {
    out.complete();
    out.close();
    AtomicFiles.commit(temporary, target);
  }

  /** The signatures kept for the pack's chunks, with their offsets. */
  List<SignatureStore.Entry> signatures() {
    return signatures;
  }

  PackSummary finish() throws IOException {
    PackSummary summary = seal();
    commit();
    return summary;
  }

  private void write(byte[] bytes, int length) throws IOException {
    out.write(bytes, 0, length);
    for (int at = 0; tapBlock != null && at < length; ) {
      int take = Math.min(length - at, tapBlock.length - tapFilled);
      System.arraycopy(bytes, at, tapBlock, tapFilled, take);
      tapFilled += take;
      at += take;
      if (tapFilled == tapBlock.length) {
        tapBlock = tap.fullBlock(id, tapIndex++, tapBlock);
        tapFilled = 0;
      }
    }
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
