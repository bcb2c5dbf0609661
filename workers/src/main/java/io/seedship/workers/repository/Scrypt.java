package io.seedship.workers.repository;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * scrypt (RFC 7914) with PBKDF2-HMAC-SHA-256. Why not BouncyCastle's: it is the same algorithm, but in a
 * fresh JVM — where every backup, restore and worker task opens its repository — it took ~1 s for
 * N=2^15, r=8 until the JIT caught up, against ~0.2 s warm. Here the work runs in two small static
 * methods on int arrays that the JIT compiles after a few thousand calls.
 */
public final class Scrypt {

  private Scrypt() {
  }

  /** scrypt(passphrase, salt, N, r, p, length); N a power of two ≥ 2. Parameters are checked by the caller. */
  public static byte[] derive(byte[] passphrase, byte[] salt, int n, int r, int p, int length) {
    int blockInts = 32 * r;
    byte[] b = pbkdf2(passphrase, salt, p * 128 * r);
    int[] x = new int[blockInts];
    int[] y = new int[blockInts];
    int[] v = new int[blockInts * n];
    int[] scratch = new int[16];
    for (int i = 0; i < p; i++) {
      int offset = i * 128 * r;
      for (int k = 0; k < blockInts; k++) {
        x[k] = littleEndian(b, offset + 4 * k);
      }
      for (int j = 0; j < n; j++) {
        System.arraycopy(x, 0, v, j * blockInts, blockInts);
        blockMix(x, y, r, scratch);
      }
      for (int j = 0; j < n; j++) {
        int from = (x[(2 * r - 1) * 16] & (n - 1)) * blockInts;
        for (int k = 0; k < blockInts; k++) {
          x[k] ^= v[from + k];
        }
        blockMix(x, y, r, scratch);
      }
      for (int k = 0; k < blockInts; k++) {
        int value = x[k];
        b[offset + 4 * k] = (byte) value;
        b[offset + 4 * k + 1] = (byte) (value >>> 8);
        b[offset + 4 * k + 2] = (byte) (value >>> 16);
        b[offset + 4 * k + 3] = (byte) (value >>> 24);
      }
    }
    java.util.Arrays.fill(v, 0);
    return pbkdf2(passphrase, b, length);
  }

  /** BlockMix with Salsa20/8 over 2r 64-byte blocks; the result replaces {@code b}, y is scratch. */
  private static void blockMix(int[] b, int[] y, int r, int[] t) {
    System.arraycopy(b, (2 * r - 1) * 16, t, 0, 16);
    for (int i = 0; i < 2 * r; i++) {
      for (int k = 0; k < 16; k++) {
        t[k] ^= b[i * 16 + k];
      }
      salsa8(t);
      // Even blocks go to the first half of the output, odd blocks to the second.
      System.arraycopy(t, 0, y, ((i & 1) * r + (i >> 1)) * 16, 16);
    }
    System.arraycopy(y, 0, b, 0, 32 * r);
  }

  private static void salsa8(int[] b) {
    int x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3], x4 = b[4], x5 = b[5], x6 = b[6], x7 = b[7];
    int x8 = b[8], x9 = b[9], x10 = b[10], x11 = b[11], x12 = b[12], x13 = b[13], x14 = b[14], x15 = b[15];
    for (int i = 0; i < 8; i += 2) {
      x4 ^= Integer.rotateLeft(x0 + x12, 7);
      x8 ^= Integer.rotateLeft(x4 + x0, 9);
      x12 ^= Integer.rotateLeft(x8 + x4, 13);
      x0 ^= Integer.rotateLeft(x12 + x8, 18);
      x9 ^= Integer.rotateLeft(x5 + x1, 7);
      x13 ^= Integer.rotateLeft(x9 + x5, 9);
      x1 ^= Integer.rotateLeft(x13 + x9, 13);
      x5 ^= Integer.rotateLeft(x1 + x13, 18);
      x14 ^= Integer.rotateLeft(x10 + x6, 7);
      x2 ^= Integer.rotateLeft(x14 + x10, 9);
      x6 ^= Integer.rotateLeft(x2 + x14, 13);
      x10 ^= Integer.rotateLeft(x6 + x2, 18);
      x3 ^= Integer.rotateLeft(x15 + x11, 7);
      x7 ^= Integer.rotateLeft(x3 + x15, 9);
      x11 ^= Integer.rotateLeft(x7 + x3, 13);
      x15 ^= Integer.rotateLeft(x11 + x7, 18);
      x1 ^= Integer.rotateLeft(x0 + x3, 7);
      x2 ^= Integer.rotateLeft(x1 + x0, 9);
      x3 ^= Integer.rotateLeft(x2 + x1, 13);
      x0 ^= Integer.rotateLeft(x3 + x2, 18);
      x6 ^= Integer.rotateLeft(x5 + x4, 7);
      x7 ^= Integer.rotateLeft(x6 + x5, 9);
      x4 ^= Integer.rotateLeft(x7 + x6, 13);
      x5 ^= Integer.rotateLeft(x4 + x7, 18);
      x11 ^= Integer.rotateLeft(x10 + x9, 7);
      x8 ^= Integer.rotateLeft(x11 + x10, 9);
      x9 ^= Integer.rotateLeft(x8 + x11, 13);
      x10 ^= Integer.rotateLeft(x9 + x8, 18);
      x12 ^= Integer.rotateLeft(x15 + x14, 7);
      x13 ^= Integer.rotateLeft(x12 + x15, 9);
      x14 ^= Integer.rotateLeft(x13 + x12, 13);
      x15 ^= Integer.rotateLeft(x14 + x13, 18);
    }
    b[0] += x0;
    b[1] += x1;
    b[2] += x2;
    b[3] += x3;
    b[4] += x4;
    b[5] += x5;
    b[6] += x6;
    b[7] += x7;
    b[8] += x8;
    b[9] += x9;
    b[10] += x10;
    b[11] += x11;
    b[12] += x12;
    b[13] += x13;
    b[14] += x14;
    b[15] += x15;
  }

  /** PBKDF2-HMAC-SHA-256 with one iteration, as scrypt uses it. */
  private static byte[] pbkdf2(byte[] passphrase, byte[] salt, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // SecretKeySpec refuses an empty key; HMAC pads keys with zeros, so one zero byte is the same key.
      mac.init(new SecretKeySpec(passphrase.length == 0 ? new byte[1] : passphrase, "HmacSHA256"));
      byte[] out = new byte[length];
      for (int block = 1, done = 0; done < length; block++) {
        mac.update(salt);
        mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
        byte[] t = mac.doFinal();
        System.arraycopy(t, 0, out, done, Math.min(t.length, length - done));
        done += t.length;
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no HmacSHA256", e);
    }
  }

  private static int littleEndian(byte[] bytes, int at) {
    return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 3] & 0xff) << 24;
  }
}
