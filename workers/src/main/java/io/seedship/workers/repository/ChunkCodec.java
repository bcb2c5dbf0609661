package io.seedship.workers.repository;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;

/**
 * Per-chunk zstd with a sample test (docs §3). The encoded form is 1 byte encoding + payload. One
 * instance per thread; not thread-safe.
 */
final class ChunkCodec implements AutoCloseable {

  static final byte RAW = 0;
  static final byte ZSTD = 1;
  /** A {@link ChunkDelta} description, as is. */
  static final byte DELTA_RAW = 2;
  /** A {@link ChunkDelta} description: 4-byte length, then the description compressed with zstd. */
  static final byte DELTA_ZSTD = 3;
  private static final int SAMPLE = 64 * 1024;
  private static final double SAMPLE_KEEP_RATIO = 0.97;

  private final ZstdCompressCtx compressor;
  private final ZstdCompressCtx sampler;
  private final ZstdDecompressCtx decompressor;
  private final byte[] sampleOut;
  private byte[] encoded;

  ChunkCodec(int level, int maxChunk) {
    this.compressor = new ZstdCompressCtx();
    this.compressor.setLevel(level);
    this.sampler = new ZstdCompressCtx();
    this.sampler.setLevel(1);
    this.decompressor = new ZstdDecompressCtx();
    this.sampleOut = new byte[(int) Zstd.compressBound(SAMPLE)];
    this.encoded = new byte[1 + (int) Zstd.compressBound(maxChunk)];
  }

  /** Encodes chunk[off, off+len) into {@link #encoded()}; returns the encoded length. */
  int encode(byte[] chunk, int off, int len) {
    ensure(1 + (int) Zstd.compressBound(len));
    if (len > 0 && looksCompressible(chunk, off, len)) {
      int n = compressor.compressByteArray(encoded, 1, encoded.length - 1, chunk, off, len);
      if (n < len) {
        encoded[0] = ZSTD;
        return 1 + n;
      }
    }
    encoded[0] = RAW;
    System.arraycopy(chunk, off, encoded, 1, len);
    return 1 + len;
  }

  /** Encodes a delta description into {@link #encoded()}; returns the encoded length. */
  int encodeDelta(byte[] delta, int len) {
    ensure(5 + (int) Zstd.compressBound(len));
    int n = compressor.compressByteArray(encoded, 5, encoded.length - 5, delta, 0, len);
    if (n + 4 < len) {
      encoded[0] = DELTA_ZSTD;
      encoded[1] = (byte) (len >>> 24);
      encoded[2] = (byte) (len >>> 16);
      encoded[3] = (byte) (len >>> 8);
      encoded[4] = (byte) len;
      return 5 + n;
    }
    encoded[0] = DELTA_RAW;
    System.arraycopy(delta, 0, encoded, 1, len);
    return 1 + len;
  }

  static boolean isDelta(byte encoding) {
    return encoding == DELTA_RAW || encoding == DELTA_ZSTD;
  }

  /** The delta description of an encoded delta chunk, or null when it is malformed. */
  byte[] deltaDescription(byte[] in, int off, int len, int maxLength) {
    if (len < 1) {
      return null;
    }
    if (in[off] == DELTA_RAW) {
      return java.util.Arrays.copyOfRange(in, off + 1, off + len);
    }
    if (in[off] != DELTA_ZSTD || len < 5) {
      return null;
    }
    int length = (in[off + 1] & 0xff) << 24 | (in[off + 2] & 0xff) << 16 | (in[off + 3] & 0xff) << 8 | (in[off + 4] & 0xff);
    if (length < 0 || length > maxLength) {
      return null;
    }
    byte[] description = new byte[length];
    try {
      return decompressor.decompressByteArray(description, 0, length, in, off + 5, len - 5) == length ? description : null;
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  byte[] encoded() {
    return encoded;
  }

  /** Decodes an encoded chunk into out (exactly rawLength bytes); returns false when it is malformed. */
  boolean decode(byte[] in, int off, int len, byte[] out, int rawLength) {
    if (len < 1) {
      return false;
    }
    if (in[off] == RAW) {
      if (len - 1 != rawLength) {
        return false;
      }
      System.arraycopy(in, off + 1, out, 0, rawLength);
      return true;
    }
    if (in[off] != ZSTD) {
      return false;
    }
    try {
      return decompressor.decompressByteArray(out, 0, rawLength, in, off + 1, len - 1) == rawLength;
    } catch (RuntimeException malformed) {
      return false;
    }
  }

  private boolean looksCompressible(byte[] chunk, int off, int len) {
    if (len <= SAMPLE * 2) {
      return true;
    }
    int start = off + len / 2 - SAMPLE / 2;
    int n = sampler.compressByteArray(sampleOut, 0, sampleOut.length, chunk, start, SAMPLE);
    return n < SAMPLE * SAMPLE_KEEP_RATIO;
  }

  private void ensure(int size) {
    if (encoded.length < size) {
      encoded = new byte[size];
    }
  }

  @Override
  public void close() {
    compressor.close();
    sampler.close();
    decompressor.close();
  }
}
