package io.seedship.workers.repository;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM in 16 KiB segments (STREAM construction), see docs/repository-format.md §3. One instance
 * per thread: the Cipher and the SecureRandom are not shared.
 */
final class Aead {

  static final int NONCE = 12;
  static final int TAG = 16;
  static final int SEGMENT = 16 * 1024;
  private static volatile boolean sealingWarm;
  private static volatile boolean openingWarm;

  private final SecretKey key;
  private final Cipher cipher;
  private final SecureRandom random = new SecureRandom();
  private final byte[] nonce = new byte[NONCE];

  Aead(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no AES/GCM", e);
    }
  }

  static int segments(int plainLength) {
    return Math.max(1, (plainLength + SEGMENT - 1) / SEGMENT);
  }

  static int sealedLength(int plainLength) {
    return NONCE + plainLength + segments(plainLength) * TAG;
  }

  static int openedLength(int sealedLength) {
    int body = sealedLength - NONCE;
    int segments = Math.max(1, (body + SEGMENT + TAG - 1) / (SEGMENT + TAG));
    return body - segments * TAG;
  }

  /** Seals plain[off, off+len) into out at outOff; returns the sealed length. */
  int seal(byte[] plain, int off, int len, byte[] aadPrefix, byte[] out, int outOff) {
    if (!sealingWarm && len >= SEGMENT) {
      warmUp(true);
    }
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, outOff, NONCE);
    byte[] aad = segmentAad(aadPrefix);
    int segments = segments(len);
    int written = NONCE;
    try {
      for (int i = 0; i < segments; i++) {
        int start = i * SEGMENT;
        int length = Math.min(SEGMENT, len - start);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, segmentNonce(nonce, i)));
        cipher.updateAAD(withPosition(aad, aadPrefix.length, i, i == segments - 1));
        written += cipher.doFinal(plain, off + start, length, out, outOff + written);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return written;
  }

  /** Opens sealed[off, off+len) into out at outOff; returns the plaintext length. */
  int open(byte[] sealed, int off, int len, byte[] aadPrefix, byte[] out, int outOff) throws AEADBadTagException {
    if (len < NONCE + TAG) {
      throw new AEADBadTagException("sealed data too short: " + len + " bytes");
    }
    if (!openingWarm && len >= SEGMENT) {
      warmUp(false);
    }
    byte[] base = java.util.Arrays.copyOfRange(sealed, off, off + NONCE);
    byte[] aad = segmentAad(aadPrefix);
    int plainLength = openedLength(len);
    int segments = segments(plainLength);
    int read = NONCE;
    int written = 0;
    try {
      for (int i = 0; i < segments; i++) {
        int length = Math.min(SEGMENT, plainLength - i * SEGMENT) + TAG;
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, segmentNonce(base, i)));
        cipher.updateAAD(withPosition(aad, aadPrefix.length, i, i == segments - 1));
        written += cipher.doFinal(sealed, off + read, length, out, outOff + written);
        read += length;
      }
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
    return written;
  }

  byte[] seal(byte[] plain, byte[] aadPrefix) {
    byte[] out = new byte[sealedLength(plain.length)];
    seal(plain, 0, plain.length, aadPrefix, out, 0);
    return out;
  }

  byte[] open(byte[] sealed, byte[] aadPrefix) throws AEADBadTagException {
    byte[] out = new byte[Math.max(0, openedLength(sealed.length))];
    int n = open(sealed, 0, sealed.length, aadPrefix, out, 0);
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private static byte[] segmentAad(byte[] prefix) {
    byte[] aad = new byte[prefix.length + 5];
    System.arraycopy(prefix, 0, aad, 0, prefix.length);
    return aad;
  }

  private static byte[] withPosition(byte[] aad, int at, int segment, boolean last) {
    aad[at] = (byte) (segment >>> 24);
    aad[at + 1] = (byte) (segment >>> 16);
    aad[at + 2] = (byte) (segment >>> 8);
    aad[at + 3] = (byte) segment;
    aad[at + 4] = (byte) (last ? 1 : 0);
    return aad;
  }

  private static byte[] segmentNonce(byte[] base, int segment) {
    byte[] n = base.clone();
    n[8] ^= (byte) (segment >>> 24);
    n[9] ^= (byte) (segment >>> 16);
    n[10] ^= (byte) (segment >>> 8);
    n[11] ^= (byte) segment;
    return n;
  }

  /**
   * Why: on a fresh JDK 17 JVM the AES/GHASH intrinsics only apply once the JIT has compiled the GCM
   * code; many tiny messages get it there in ~0.3 s, large first calls crawl at ~45 MB/s for seconds.
   * Only a message of at least one segment triggers it: key files, snapshots and small index files do not
   * need it (opening the repository for a backup would pay ~0.2 s for nothing).
   * Sealing and opening are warmed separately, on first use: a restore or verify never seals, and the
   * encryption half (its run and its JIT compilations) cost it ~0.5 s of CPU on a 2-core machine. Callers
   * arriving meanwhile wait, as they did when the warm-up ran before any sealing or opening.
   */
  private static synchronized void warmUp(boolean sealing) {
    if (sealing ? sealingWarm : openingWarm) {
      return;
    }
    try {
      SecretKey warmKey = new SecretKeySpec(new byte[32], "AES");
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      byte[] plain = new byte[1024];
      byte[] sealed = new byte[1024 + TAG];
      byte[] n = new byte[NONCE];
      c.init(Cipher.ENCRYPT_MODE, warmKey, new GCMParameterSpec(TAG * 8, n));
      c.doFinal(plain, 0, plain.length, sealed, 0);
      for (int i = 0; i < 20_000; i++) {
        if (sealing) {
          n[0] = (byte) i;
          n[1] = (byte) (i >>> 8);
          n[2] = 1;
          c.init(Cipher.ENCRYPT_MODE, warmKey, new GCMParameterSpec(TAG * 8, n));
          c.doFinal(plain, 0, plain.length, sealed, 0);
        } else {
          // One sealed message opened again and again: decryption may reuse a nonce.
          c.init(Cipher.DECRYPT_MODE, warmKey, new GCMParameterSpec(TAG * 8, n));
          c.doFinal(sealed, 0, sealed.length, plain, 0);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM warm-up failed", e);
    }
    if (sealing) {
      sealingWarm = true;
    } else {
      openingWarm = true;
    }
  }
}
