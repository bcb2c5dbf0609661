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
