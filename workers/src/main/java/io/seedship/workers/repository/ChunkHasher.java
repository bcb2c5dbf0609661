package io.seedship.workers.repository;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;

/**
 * Chunk ids and whole-file hashes with one SHA-256 pass over the data (docs/repository-format.md §3):
 * content hash = SHA-256(chunk), chunk id = HMAC-SHA-256(idKey, content hash), file hash =
 * SHA-256(content hashes of its chunks in order). One instance per thread; not thread-safe.
 */
final class ChunkHasher {

  static final int LENGTH = 32;

  private static volatile boolean warm;

  private final MessageDigest content = sha256();
  private final Mac idMac;
  private final byte[] contentHash = new byte[LENGTH];

  ChunkHasher(RepositoryKey key) {
    this.idMac = key.newIdMac();
    if (!warm) {
      warmUp();
    }
  }

  /**
   * Why: JDK 17 uses the SHA-NI stub for SHA-256 only in code the C2 compiler has compiled, and it counts
   * calls of the multi-block path, one per chunk; until then a fresh JVM hashed at a fraction of the speed
   * for the first hundreds of MB (seen as SHA2.implCompress0 in profiles of short backups). Many small
   * updates get it compiled within ~0.1 s, once per JVM; callers arriving meanwhile wait.
   */
  static synchronized void warmUp() {
    if (warm) {
      return;
    }
    MessageDigest digest = sha256();
    byte[] data = new byte[512];
    for (int i = 0; i < 20_000; i++) {
      digest.update(data, 0, data.length);
    }
    digest.digest();
    warm = true;
  }

  /** Hashes chunk data[off, off+len); {@link #contentHash()} holds its content hash until the next call. */
  ChunkId id(byte[] data, int off, int len) {
    content.update(data, off, len);
    digestInto(content, contentHash);
    idMac.update(contentHash);
    return new ChunkId(idMac.doFinal());
  }

  /** True when data[off, off+len) is the content of chunk {@code expected}. */
  boolean matches(byte[] data, int off, int len, ChunkId expected) {
    return MessageDigest.isEqual(id(data, off, len).bytes(), expected.bytes());
  }

  /** The content hash of the chunk last given to {@link #id}; overwritten by the next call. */
  byte[] contentHash() {
    return contentHash;
  }

  /** A digest for a file hash: feed it {@link #contentHash()} of each chunk in order. */
  static MessageDigest newFileDigest() {
    return sha256();
  }

  private static void digestInto(MessageDigest digest, byte[] out) {
    try {
      digest.digest(out, 0, LENGTH);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("SHA-256 digest failed", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM offers no SHA-256", e);
    }
  }
}
