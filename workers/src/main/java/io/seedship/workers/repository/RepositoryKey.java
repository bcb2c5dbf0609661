package io.seedship.workers.repository;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The 64-byte repository key: 32 bytes AES-256 encryption key and 32 bytes HMAC id key. */
final class RepositoryKey {

  static final int LENGTH = 64;

  private final byte[] encryptionKey;
  private final byte[] idKey;

  private RepositoryKey(byte[] material) {
    this.encryptionKey = Arrays.copyOfRange(material, 0, 32);
    this.idKey = Arrays.copyOfRange(material, 32, 64);
  }

  static RepositoryKey generate() {
    byte[] material = new byte[LENGTH];
    new SecureRandom().nextBytes(material);
    return new RepositoryKey(material);
  }

  static RepositoryKey of(byte[] material) {
    if (material.length != LENGTH) {
      throw new IllegalArgumentException("a repository key has 64 bytes");
    }
    return new RepositoryKey(material);
  }

  byte[] material() {
    byte[] material = new byte[LENGTH];
    System.arraycopy(encryptionKey, 0, material, 0, 32);
    System.arraycopy(idKey, 0, material, 32, 32);
    return material;
  }

  Aead newAead() {
    return new Aead(encryptionKey);
  }

  Mac newIdMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(idKey, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no HmacSHA256", e);
    }
  }

  /**
   * The key of block signatures (docs/repository-format.md §9): HMAC-SHA-256(idKey, "block-signatures"), so a
   * signature says nothing about a block's content to someone without the repository key.
   */
  Mac newSignatureMac() {
    try {
      byte[] signatureKey = newIdMac().doFinal("block-signatures".getBytes(StandardCharsets.US_ASCII));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signatureKey, "HmacSHA256"));
      Arrays.fill(signatureKey, (byte) 0);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no HmacSHA256", e);
    }
  }

  /** The chunker's gear table, secret per repository (docs/repository-format.md §3). */
  long[] gearTable() {
    Mac mac = newIdMac();
    long[] gear = new long[256];
    for (int i = 0; i < 256; i++) {
      mac.update("gear".getBytes(StandardCharsets.US_ASCII));
      byte[] out = mac.doFinal(new byte[] {(byte) i});
      long value = 0;
      for (int b = 0; b < 8; b++) {
        value = value << 8 | (out[b] & 0xff);
      }
      gear[i] = value;
    }
    return gear;
  }
}
