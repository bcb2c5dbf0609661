package io.seedship.workers.repository;

import java.util.Arrays;

/** HMAC-SHA-256 of a chunk's plaintext under the repository's id key: 32 bytes. */
public final class ChunkId {

  public static final int LENGTH = 32;

  private final byte[] bytes;
  private final int hash;

  ChunkId(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a chunk id has 32 bytes, not " + bytes.length);
    }
    this.bytes = bytes;
    this.hash = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
  }

  byte[] bytes() {
    return bytes;
  }

  public String hex() {
    return Hex.of(bytes);
  }

  public String shortHex() {
    return hex().substring(0, 12);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChunkId that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return hex();
  }
}
