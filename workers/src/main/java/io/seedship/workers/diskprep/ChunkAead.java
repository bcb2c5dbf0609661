package io.seedship.workers.diskprep;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over 16 KiB chunks with associated data that binds job, drive, file and chunk index
 * (docs/drive-format.md §4). One instance per thread: the Cipher is not shared.
 */
final class ChunkAead {

  static final int CHUNK = 16 * 1024;
  static final int TAG = 16;
  static final int NONCE = 12;
  static final byte[] FILE_MAGIC = "SSDFILE1".getBytes(StandardCharsets.US_ASCII);
  static final int FILE_HEADER = FILE_MAGIC.length + NONCE;
  static final String DATA_DOMAIN = "seedship-drive-chunk-v1";
  static final String MANIFEST_DOMAIN = "seedship-drive-manifest-v1";
  private static final AtomicBoolean WARMED_UP = new AtomicBoolean();

  private final SecretKey key;
  private final Cipher cipher;

  ChunkAead(byte[] volumeKey) {
    this.key = new SecretKeySpec(volumeKey, "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no AES/GCM", e);
    }
    warmUp();
  }

  static long chunkCount(long size) {
    return Math.max(1, (size + CHUNK - 1) / CHUNK);
  }

  static long storedLength(long size) {
    return FILE_HEADER + size + chunkCount(size) * TAG;
  }

  /** domain ‖ job ‖ drive ‖ file index, followed by 9 bytes the chunk index and last flag are written into. */
  static byte[] aadFor(String domain, DriveContext context, int fileIndex) {
    ByteArrayOutputStream aad = new ByteArrayOutputStream(96);
    aad.writeBytes(domain.getBytes(StandardCharsets.US_ASCII));
    context.writeTo(aad);
    aad.write(fileIndex >>> 24);
    aad.write(fileIndex >>> 16);
    aad.write(fileIndex >>> 8);
    aad.write(fileIndex);
    aad.writeBytes(new byte[9]);
    return aad.toByteArray();
  }

  /** Encrypts one chunk (≤ 16 KiB) into out; returns the bytes written (plaintext length + tag). */
  int seal(byte[] baseNonce, byte[] aad, long chunkIndex, boolean last, byte[] in, int off, int len, byte[] out, int outOff) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonceFor(baseNonce, chunkIndex)));
      cipher.updateAAD(position(aad, chunkIndex, last));
      return cipher.doFinal(in, off, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Decrypts and authenticates one sealed chunk (ciphertext ‖ tag); returns the plaintext length. */
  int open(byte[] baseNonce, byte[] aad, long chunkIndex, boolean last, byte[] in, int off, int len, byte[] out, int outOff)
      throws AEADBadTagException {
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonceFor(baseNonce, chunkIndex)));
      cipher.updateAAD(position(aad, chunkIndex, last));
      return cipher.doFinal(in, off, len, out, outOff);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  private static byte[] position(byte[] aad, long chunkIndex, boolean last) {
    int at = aad.length - 9;
    for (int i = 0; i < 8; i++) {
      aad[at + i] = (byte) (chunkIndex >>> (56 - 8 * i));
    }
    aad[at + 8] = (byte) (last ? 1 : 0);
    return aad;
  }

  private static byte[] nonceFor(byte[] base, long chunkIndex) {
    byte[] nonce = base.clone();
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] ^= (byte) (chunkIndex >>> (56 - 8 * i));
    }
    return nonce;
  }

  /**
   * Why: on a fresh JDK 17 JVM the AES/GHASH intrinsics only apply once the JIT has compiled the GCM
   * code; many tiny messages get it there in ~0.3 s, while large first calls crawl at ~45 MB/s.
   */
  static void warmUp() {
    if (!WARMED_UP.compareAndSet(false, true)) {
      return;
    }
    try {
      SecretKey warmKey = new SecretKeySpec(new byte[32], "AES");
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      byte[] plain = new byte[1024];
      byte[] sealed = new byte[1024 + TAG];
      byte[] n = new byte[NONCE];
      for (int i = 0; i < 20_000; i++) {
        n[0] = (byte) i;
        n[1] = (byte) (i >>> 8);
        c.init(Cipher.ENCRYPT_MODE, warmKey, new GCMParameterSpec(TAG * 8, n));
        c.doFinal(plain, 0, plain.length, sealed, 0);
        c.init(Cipher.DECRYPT_MODE, warmKey, new GCMParameterSpec(TAG * 8, n));
        c.doFinal(sealed, 0, sealed.length, plain, 0);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM warm-up failed", e);
    }
  }
}
