package io.seedship.workers.repository;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * Computes block signatures (docs/repository-format.md §9): HMAC-SHA-256 under the repository's signature key of
 * each block, cut to 64 bits. Keyed, so a stored signature does not confirm guessed content, and no one without
 * the key can craft a block that matches another. One per thread.
 */
final class BlockSigner {

  private final Mac mac;
  private final byte[] out = new byte[32];

  BlockSigner(RepositoryKey key) {
    this.mac = key.newSignatureMac();
  }

  /** The hash of data[off, off+len) (one block, or a chunk's shorter last block). */
  long hash(byte[] data, int off, int len) {
    mac.update(data, off, len);
    try {
      mac.doFinal(out, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("a 32-byte buffer holds an HMAC-SHA-256", e);
    }
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = value << 8 | (out[i] & 0xff);
    }
    return value;
  }

  /** The hashes of data[off, off+len)'s blocks of {@link ChunkSignature#BLOCK} bytes, the last one shorter. */
  long[] blocks(byte[] data, int off, int len) {
    long[] blocks = new long[ChunkSignature.blockCount(len)];
    for (int b = 0; b < blocks.length; b++) {
      int at = b * ChunkSignature.BLOCK;
      blocks[b] = hash(data, off + at, Math.min(ChunkSignature.BLOCK, len - at));
    }
    return blocks;
  }

  ChunkSignature whole(ChunkId id, byte[] data, int off, int len) {
    return ChunkSignature.whole(id, len, blocks(data, off, len));
  }
}
