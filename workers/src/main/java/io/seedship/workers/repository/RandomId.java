package io.seedship.workers.repository;

import java.security.SecureRandom;
import java.util.Arrays;

/** A random 128-bit id (packs, index files, snapshots, keys), 32 hex characters in file names. */
public final class RandomId {

  public static final int LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private RandomId(byte[] bytes) {
    this.bytes = bytes;
  }

  static RandomId generate() {
    byte[] bytes = new byte[LENGTH];
    RANDOM.nextBytes(bytes);
    return new RandomId(bytes);
  }

  static RandomId of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an id has 16 bytes, not " + bytes.length);
    }
    return new RandomId(bytes.clone());
  }

  public static RandomId parse(String hex) {
    if (!isValid(hex)) {
      throw new IllegalArgumentException("not an id (32 lower-case hex digits): " + hex);
    }
    return new RandomId(Hex.parse(hex));
  }

  public static boolean isValid(String hex) {
    return Hex.isHex(hex, LENGTH * 2);
  }

  byte[] bytes() {
    return bytes;
  }

  public String hex() {
    return Hex.of(bytes);
  }

  public String shortHex() {
    return hex().substring(0, 8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RandomId that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
