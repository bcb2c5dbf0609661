package io.seedship.workers.repository;

/** FastCDC with normalised chunking (docs/repository-format.md §3). Stateless: one instance per repository. */
final class FastCdcChunker {

  /** The gear hash's high bits depend on the last 64 bytes: start hashing that far before the minimum. */
  private static final int WINDOW = 64;

  private final long[] gear;
  private final int min;
  private final int avg;
  private final int max;
  private final long strictMask;
  private final long looseMask;

  FastCdcChunker(long[] gear, int min, int avg, int max) {
    this.gear = gear;
    this.min = min;
    this.avg = avg;
    this.max = max;
    int bits = Integer.numberOfTrailingZeros(avg);
    this.strictMask = highBits(bits + 2);
    this.looseMask = highBits(bits - 2);
  }

  int maxChunk() {
    return max;
  }

  /**
   * Length of the next chunk that starts at {@code start}. The caller passes at least {@code max} bytes
   * unless the data ends at {@code end}.
   */
  int nextChunkLength(byte[] buf, int start, int end) {
    int available = end - start;
    if (available <= min) {
      return available;
    }
    int limit = Math.min(available, max);
    int normal = Math.min(limit, avg);
    long fp = 0;
    long[] g = gear;
    for (int i = min - WINDOW; i < min; i++) {
      fp = (fp << 1) + g[buf[start + i] & 0xff];
    }
    int i = min;
    for (; i < normal; i++) {
      fp = (fp << 1) + g[buf[start + i] & 0xff];
      if ((fp & strictMask) == 0) {
        return i + 1;
      }
    }
    for (; i < limit; i++) {
      fp = (fp << 1) + g[buf[start + i] & 0xff];
      if ((fp & looseMask) == 0) {
        return i + 1;
      }
    }
    return limit;
  }

  private static long highBits(int count) {
    return count >= 64 ? -1L : ((1L << count) - 1) << (64 - count);
  }
}
