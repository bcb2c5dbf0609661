package io.seedship.workers.repository;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;

/**
 * Reads, authenticates, decodes and re-hashes chunks. One per thread; keeps a few packs of its
 * {@link PackStore} open.
 * Every failure becomes one of the engine's distinct errors (docs §8).
 */
final class ChunkReader implements AutoCloseable {

  private static final int OPEN_PACKS = 16;

  private final PackStore packs;
  private final ChunkIndex index;
  private final Aead aead;
  private final ChunkCodec codec;
  private final ChunkHasher hasher;
  private final RepositoryKey key;
  private final int maxChunk;
  /** False for the reader of a delta's bases: a base must be stored whole (depth 1). */
  private final boolean deltasAllowed;
  private ChunkReader baseReader;
  private boolean lastWasDelta;
  private byte[] lastDelta;
  private final Map<RandomId, PackSource> open = new LinkedHashMap<>(OPEN_PACKS, 0.75f, true);
  private byte[] sealed = new byte[0];
  private byte[] encoded = new byte[0];
  private int plainOffset;

  ChunkReader(PackStore packs, ChunkIndex index, RepositoryKey key, int maxChunk) {
    this(packs, index, key, maxChunk, true);
  }

  private ChunkReader(PackStore packs, ChunkIndex index, RepositoryKey key, int maxChunk, boolean deltasAllowed) {
    this.packs = packs;
    this.index = index;
    this.key = key;
    this.maxChunk = maxChunk;
    this.deltasAllowed = deltasAllowed;
    this.aead = key.newAead();
    this.codec = new ChunkCodec(1, 1024);
    this.hasher = new ChunkHasher(key);
  }

  ChunkLocation locate(ChunkId id) {
    ChunkLocation location = index.locate(id);
    if (location == null) {
      throw new PackMissingException("Chunk " + id.shortHex() + " is in no index file: the pack holding it is missing "
          + "or was never finished. Run 'seedship verify' to see the affected files.");
    }
    return location;
  }

  byte[] read(ChunkId id) {
    ChunkLocation location = locate(id);
    byte[] out = new byte[location.rawLength()];
    read(location, out);
    return out;
  }

  /** Reads the chunk into out[0, rawLength). */
  void read(ChunkLocation location, byte[] out) {
    int stored = location.storedLength();
    if (sealed.length < stored) {
      sealed = new byte[stored];
    }
    readSpan(location.pack(), location.packLength(), location.offset(), sealed, stored);
    openAndCheck(location, sealed, stored, out);
  }

  /** Authenticates, decodes and re-hashes one sealed blob (also used by verify on whole packs). */
  void openAndCheck(ChunkLocation location, byte[] sealedBlob, int stored, byte[] out) {
    byte[] plain = openAndCheck(location, sealedBlob, 0, stored, out);
    if (plain != out) {
      System.arraycopy(plain, plainOffset, out, 0, location.rawLength());
    }
  }

  /**
   * Authenticates, decodes and re-hashes the blob at sealedBlob[off, off+stored). Returns the array
   * holding the plaintext, at {@link #plainOffset()}: {@code out} for compressed chunks, an internal buffer
   * for raw ones (saves a copy); valid until the next call.
   */
  byte[] openAndCheck(ChunkLocation location, byte[] sealedBlob, int off, int stored, byte[] out) {
    int encodedLength = Aead.openedLength(stored);
    if (encoded.length < encodedLength) {
      encoded = new byte[Math.max(encodedLength, 1)];
    }
    try {
      aead.open(sealedBlob, off, stored, PackFormat.blobAad(location.pack(), location.id()), encoded, 0);
    } catch (AEADBadTagException e) {
      throw misplacedOrTampered(location, sealedBlob, off, stored, e);
    }
    int raw = location.rawLength();
    byte[] plain;
    lastWasDelta = encodedLength >= 1 && ChunkCodec.isDelta(encoded[0]);
    if (encodedLength >= 1 && encoded[0] == ChunkCodec.RAW && encodedLength - 1 == raw) {
      plain = encoded;
      plainOffset = 1;
    } else if (encodedLength >= 1 && ChunkCodec.isDelta(encoded[0])) {
      rebuildFromDelta(location, encodedLength, out);
      plain = out;
      plainOffset = 0;
    } else if (codec.decode(encoded, 0, encodedLength, out, raw)) {
      plain = out;
      plainOffset = 0;
    } else {
      throw new ChunkCorruptedException("Chunk " + location.id().shortHex() + " in pack " + location.pack()
          + " authenticates but does not decode to " + raw + " bytes: report this as a Seedship bug.");
    }
    if (!hasher.matches(plain, plainOffset, raw, location.id())) {
      throw new ChunkCorruptedException("Chunk " + location.id().shortHex() + " in pack " + location.pack()
          + " authenticates but its content does not match its id: report this as a Seedship bug.");
    }
    return plain;
  }

  int plainOffset() {
    return plainOffset;
  }

  /** Whether the chunk read last was stored as a delta (a backup then uses its bases, not the chunk). */
  boolean lastWasDelta() {
    return lastWasDelta;
  }

  /** The delta description of the chunk read last, when {@link #lastWasDelta()}. */
  byte[] lastDelta() {
    return lastDelta;
  }

  private void rebuildFromDelta(ChunkLocation location, int encodedLength, byte[] out) {
    if (!deltasAllowed) {
      throw new ChunkCorruptedException("Chunk " + location.id().shortHex() + " in pack " + location.pack()
          + " is stored as a delta but is the base of another delta: a repository holds no such chains. Report this as a Seedship bug.");
    }
    byte[] description = codec.deltaDescription(encoded, 0, encodedLength, 2 * maxChunk + (1 << 20));
    if (description == null) {
      throw new ChunkCorruptedException("Chunk " + location.id().shortHex() + " in pack " + location.pack()
          + " authenticates but its delta does not decode: report this as a Seedship bug.");
    }
    if (baseReader == null) {
      baseReader = new ChunkReader(packs, index, key, maxChunk, false);
    }
    lastDelta = description;
    try {
      ChunkDelta.apply(description, description.length, baseReader::read, out, location.rawLength());
    } catch (IllegalArgumentException malformed) {
      throw new ChunkCorruptedException("Chunk " + location.id().shortHex() + " in pack " + location.pack()
          + " authenticates but its delta is malformed (" + malformed.getMessage() + "): report this as a Seedship bug.");
    }
  }

  /** Reads pack bytes [offset, offset+length) into into[0, length), after checking the pack's length. */
  void readSpan(RandomId pack, long packLength, long offset, byte[] into, int length) {
    PackSource source = source(pack, packLength);
    try {
      source.readFully(offset, into, 0, length);
    } catch (IOException e) {
      throw new RepositoryException("Pack " + pack + " (" + source.describe() + ") cannot be read (" + e.getMessage()
          + "): check the disk or the connection to the storage.", e);
    }
  }

  private RepositoryException misplacedOrTampered(ChunkLocation location, byte[] sealedBlob, int off, int stored,
                                                  AEADBadTagException cause) {
    for (ChunkLocation candidate : index.withStoredLength(stored)) {
      if (candidate.id().equals(location.id())) {
        continue;
      }
      try {
        aead.open(sealedBlob, off, stored, PackFormat.blobAad(candidate.pack(), candidate.id()), new byte[Aead.openedLength(stored)], 0);
        return new ChunkMisplacedException("Pack " + location.pack() + " at offset " + location.offset() + " should hold chunk "
            + location.id().shortHex() + " but holds chunk " + candidate.id().shortHex() + " of pack " + candidate.pack()
            + " (offset " + candidate.offset() + "): chunks were swapped or copied between packs. "
            + "Replace both packs from another copy of the repository.", cause);
      } catch (AEADBadTagException notThisOne) {
        // keep looking
      }
    }
    return new PackTamperedException("Chunk " + location.id().shortHex() + " in pack " + location.pack() + " at offset "
        + location.offset() + " fails authentication: the pack was changed after it was written. "
        + "Replace the pack from another copy of the repository; run 'seedship verify --read-data' for the affected files.", cause);
  }

  private PackSource source(RandomId pack, long expectedLength) {
    PackSource source = open.get(pack);
    if (source != null) {
      return source;
    }
    source = packs.open(pack);
    try {
      long size = source.length();
      if (size < expectedLength) {
        source.close();
        throw PackReader.truncated(pack, source.describe(), "it has " + size + " bytes, the index records " + expectedLength);
      }
      if (size > expectedLength) {
        source.close();
        throw new PackTamperedException("Pack " + pack + " (" + source.describe() + ") has " + (size - expectedLength)
            + " bytes more than recorded: it was changed after it was written. Replace it from another copy of the repository.");
      }
    } catch (IOException e) {
      source.close();
      throw new RepositoryException("Pack " + pack + " cannot be read (" + e.getMessage() + ").", e);
    }
    if (open.size() >= OPEN_PACKS) {
      RandomId eldest = open.keySet().iterator().next();
      open.remove(eldest).close();
    }
    open.put(pack, source);
    return source;
  }

  @Override
  public void close() {
    open.values().forEach(PackSource::close);
    open.clear();
    codec.close();
    if (baseReader != null) {
      baseReader.close();
    }
  }
}
