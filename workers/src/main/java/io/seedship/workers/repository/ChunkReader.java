package io.seedship.workers.repository;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;

/**
 * Reads, authenticates, decodes and re-hashes chunks. One per thread; keeps a few pack files open.
 * Every failure becomes one of the engine's distinct errors (docs §8).
 */
final class ChunkReader implements AutoCloseable {

  private static final int OPEN_PACKS = 16;

  private final RepositoryLayout layout;
  private final ChunkIndex index;
  private final Aead aead;
  private final ChunkCodec codec;
  private final Mac idMac;
  private final Map<RandomId, FileChannel> open = new LinkedHashMap<>(OPEN_PACKS, 0.75f, true);
  private byte[] sealed = new byte[0];
  private byte[] encoded = new byte[0];
  private int plainOffset;

  ChunkReader(RepositoryLayout layout, ChunkIndex index, RepositoryKey key, int maxChunk) {
    this.layout = layout;
    this.index = index;
    this.aead = key.newAead();
    this.codec = new ChunkCodec(1, 1024);
    this.idMac = key.newIdMac();
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
    Path file = layout.pack(location.pack());
    FileChannel channel = channel(location.pack(), location.packLength(), file);
    int stored = location.storedLength();
    if (sealed.length < stored) {
      sealed = new byte[stored];
    }
    try {
      PackReader.readFully(channel, location.offset(), sealed, stored, location.pack(), file);
    } catch (IOException e) {
      throw new RepositoryException("Pack " + location.pack() + " cannot be read (" + e.getMessage() + "): check the disk.", e);
    }
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
    if (encodedLength >= 1 && encoded[0] == ChunkCodec.RAW && encodedLength - 1 == raw) {
      plain = encoded;
      plainOffset = 1;
    } else if (codec.decode(encoded, 0, encodedLength, out, raw)) {
      plain = out;
      plainOffset = 0;
    } else {
      throw new ChunkCorruptedException("Chunk " + location.id().shortHex() + " in pack " + location.pack()
          + " authenticates but does not decode to " + raw + " bytes: report this as a Seedship bug.");
    }
    idMac.update(plain, plainOffset, raw);
    if (!MessageDigest.isEqual(idMac.doFinal(), location.id().bytes())) {
      throw new ChunkCorruptedException("Chunk " + location.id().shortHex() + " in pack " + location.pack()
          + " authenticates but its content does not match its id: report this as a Seedship bug.");
    }
    return plain;
  }

  int plainOffset() {
    return plainOffset;
  }

  /** Reads pack bytes [offset, offset+length) into into[0, length), after checking the pack's length. */
  void readSpan(RandomId pack, long packLength, long offset, byte[] into, int length) {
    Path file = layout.pack(pack);
    FileChannel channel = channel(pack, packLength, file);
    try {
      PackReader.readFully(channel, offset, into, length, pack, file);
    } catch (IOException e) {
      throw new RepositoryException("Pack " + pack + " cannot be read (" + e.getMessage() + "): check the disk.", e);
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

  private FileChannel channel(RandomId pack, long expectedLength, Path file) {
    FileChannel channel = open.get(pack);
    if (channel != null) {
      return channel;
    }
    channel = PackReader.open(file, pack);
    try {
      long size = channel.size();
      if (size < expectedLength) {
        channel.close();
        throw PackReader.truncated(pack, file, "it has " + size + " bytes, the index records " + expectedLength);
      }
      if (size > expectedLength) {
        channel.close();
        throw new PackTamperedException("Pack " + pack + " (" + file + ") has " + (size - expectedLength)
            + " bytes more than recorded: it was changed after it was written. Replace it from another copy of the repository.");
      }
    } catch (IOException e) {
      throw new RepositoryException("Pack " + pack + " cannot be read (" + e.getMessage() + ").", e);
    }
    if (open.size() >= OPEN_PACKS) {
      RandomId eldest = open.keySet().iterator().next();
      closeQuietly(open.remove(eldest));
    }
    open.put(pack, channel);
    return channel;
  }

  @Override
  public void close() {
    open.values().forEach(ChunkReader::closeQuietly);
    open.clear();
    codec.close();
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only channel: nothing to lose
    }
  }
}
