package io.seedship.workers.blob;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, init and final xor all ones), the checksum Azure Storage
 * computes over a staged block and answers in {@code x-ms-content-crc64} (8 bytes, little-endian, base64).
 * Table-driven, 8 bytes per step.
 */
final class Crc64 {

  private static final long POLY = 0x9a6c9329ac4bc9b5L;
  private static final long[][] TABLES = new long[8][256];
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static {
    for (int i = 0; i < 256; i++) {
      long c = i;
      for (int bit = 0; bit < 8; bit++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
      }
      TABLES[0][i] = c;
    }
    for (int k = 1; k < 8; k++) {
      for (int i = 0; i < 256; i++) {
        long previous = TABLES[k - 1][i];
        TABLES[k][i] = (previous >>> 8) ^ TABLES[0][(int) (previous & 0xff)];
      }
    }
  }

  private Crc64() {
  }

  /** The CRC of {@code length} bytes of {@code bytes} from {@code offset}. */
  static long of(byte[] bytes, int offset, int length) {
    long[] t0 = TABLES[0];
    long[] t1 = TABLES[1];
    long[] t2 = TABLES[2];
    long[] t3 = TABLES[3];
    long[] t4 = TABLES[4];
    long[] t5 = TABLES[5];
    long[] t6 = TABLES[6];
    long[] t7 = TABLES[7];
    long crc = ~0L;
    int i = offset;
    int end = offset + length;
    for (; end - i >= 8; i += 8) {
      long v = crc ^ (long) LONG_LE.get(bytes, i);
      crc = t7[(int) (v & 0xff)] ^ t6[(int) ((v >>> 8) & 0xff)] ^ t5[(int) ((v >>> 16) & 0xff)] ^ t4[(int) ((v >>> 24) & 0xff)]
          ^ t3[(int) ((v >>> 32) & 0xff)] ^ t2[(int) ((v >>> 40) & 0xff)] ^ t1[(int) ((v >>> 48) & 0xff)] ^ t0[(int) (v >>> 56)];
    }
    for (; i < end; i++) {
      crc = (crc >>> 8) ^ t0[(int) ((crc ^ bytes[i]) & 0xff)];
    }
    return ~crc;
  }

  /** As the service writes it in {@code x-ms-content-crc64}: 8 bytes little-endian, base64. */
  static String header(long crc) {
    byte[] bytes = new byte[8];
    LONG_LE.set(bytes, 0, crc);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
