package io.seedship.workers.repository;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AES-256-GCM in 16 KiB segments (STREAM construction), see docs/repository-format.md §3. One instance
 * per thread: the Cipher and the SecureRandom are not shared.
 *
 * <p>On JVMs whose AES-GCM may seal wrongly (see {@link #SEALS_CHECKED}) every sealed message is opened
 * again before it is handed on, and sealed afresh when it does not open: a backup must never store what it
 * cannot read back.
 */
final class Aead {

  private static final Logger log = LoggerFactory.getLogger(Aead.class);
  /**
   * Why: on JDK 17.0.15 with AVX-512 (Intel Xeon) restores in our tests intermittently failed authentication,
   * never with {@code -XX:UseAVX=2} nor on JDK 25.0.3; JDK-8371864 (AVX-512/AVX2 AES-GCM intrinsics seal
   * wrongly for certain payload sizes) is fixed from 25.0.2. Opening every sealed message again costs one more
   * GCM pass over the stored bytes (within the noise of a full backup's time, bench/README.md), so it is only
   * paid where that fix is missing and the AVX-512 stubs are in use.
   * {@code -Dseedship.aead.checkSeals=true|false} overrides the choice.
   */
  static final boolean SEALS_CHECKED = sealsNeedChecking();
  private static final int SEAL_ATTEMPTS = 3;

  static final int NONCE = 12;
  static final int TAG = 16;
  static final int SEGMENT = 16 * 1024;
  private static volatile boolean sealingWarm;
  private static volatile boolean openingWarm;

  private final SecretKey key;
  private final Cipher cipher;
  private final SecureRandom random = new SecureRandom();
  private final byte[] nonce = new byte[NONCE];
  /** Where {@link #opens} puts the plaintext it discards: one segment. */
  private byte[] scratch;

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
    if (!SEALS_CHECKED) {
      return sealOnce(plain, off, len, aadPrefix, out, outOff);
    }
    for (int attempt = 1; ; attempt++) {
      int written = sealOnce(plain, off, len, aadPrefix, out, outOff);
      if (opens(out, outOff, written, aadPrefix)) {
        return written;
      }
      log.warn("AES-GCM of this JVM ({} {}) sealed a {}-byte message that does not open again (attempt {} of {}); "
          + "sealing it afresh. Run the workers on JDK 25.0.2 or later, or with -XX:UseAVX=2",
          System.getProperty("java.vm.name"), Runtime.version(), len, attempt, SEAL_ATTEMPTS);
      if (attempt == SEAL_ATTEMPTS) {
        throw new IllegalStateException("AES-GCM of this JVM (" + Runtime.version() + ") sealed a message "
            + SEAL_ATTEMPTS + " times that it cannot open again; nothing unreadable was stored. "
            + "Run the workers on JDK 25.0.2 or later, or start them with -XX:UseAVX=2");
      }
    }
  }

  private int sealOnce(byte[] plain, int off, int len, byte[] aadPrefix, byte[] out, int outOff) {
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

  /** Whether sealed[off, off+len) opens (authenticates) under this key; the plaintext is discarded. */
  boolean opens(byte[] sealed, int off, int len, byte[] aadPrefix) {
    if (scratch == null) {
      scratch = new byte[SEGMENT];
    }
    try {
      openSegments(sealed, off, len, aadPrefix, scratch, 0, true);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    }
  }

  /** Opens sealed[off, off+len) into out at outOff; returns the plaintext length. */
  int open(byte[] sealed, int off, int len, byte[] aadPrefix, byte[] out, int outOff) throws AEADBadTagException {
    if (!openingWarm && len >= SEGMENT) {
      warmUp(false);
    }
    return openSegments(sealed, off, len, aadPrefix, out, outOff, false);
  }

  /** The segments opened one after the other into out, or each over the last one at outOff when discarding. */
  private int openSegments(byte[] sealed, int off, int len, byte[] aadPrefix, byte[] out, int outOff, boolean discard)
      throws AEADBadTagException {
    if (len < NONCE + TAG) {
      throw new AEADBadTagException("sealed data too short: " + len + " bytes");
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
        written += cipher.doFinal(sealed, off + read, length, out, discard ? outOff : outOff + written);
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

  private static boolean sealsNeedChecking() {
    String forced = System.getProperty("seedship.aead.checkSeals");
    if (forced != null) {
      return Boolean.parseBoolean(forced);
    }
    Runtime.Version version = Runtime.version();
    if (version.feature() > 25 || version.feature() == 25 && version.update() >= 2) {
      return false;
    }
    try {
      HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return Integer.parseInt(hotSpot.getVMOption("UseAVX").getValue()) >= 3;
    } catch (IllegalArgumentException e) {
      return false; // no UseAVX: not x86, so not the AVX-512 stubs
    } catch (RuntimeException | LinkageError e) {
      return true; // not HotSpot or no management: check, it is cheap
    }
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
  static synchronized void warmUp(boolean sealing) {
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
