package io.seedship.workers.repository;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reuses the large arrays that carry chunks from the readers to the packing workers. Why: a 1 MiB chunk
 * is a "humongous" object for G1 at a 512 MiB heap; allocating one per chunk kept G1's concurrent
 * marking and page zeroing busy for ~10 % of a backup's CPU. Arrays below {@link #POOLED_FROM} are
 * ordinary allocations. Retained arrays are capped at {@code retainLimit} bytes.
 */
final class ChunkBuffers {

  static final int POOLED_FROM = 128 * 1024;

  private final ConcurrentLinkedDeque<byte[]>[] classes;
  private final AtomicLong retained = new AtomicLong();
  private final long retainLimit;

  @SuppressWarnings("unchecked")
  ChunkBuffers(int maxChunk, long retainLimit) {
    int count = sizeClass(Math.max(maxChunk, POOLED_FROM)) + 1;
    this.classes = new ConcurrentLinkedDeque[count];
    for (int i = 0; i < count; i++) {
      classes[i] = new ConcurrentLinkedDeque<>();
    }
    this.retainLimit = retainLimit;
  }

  /** The length of the array {@link #take} returns for {@code length}: what it occupies on the heap. */
  static int capacityFor(int length) {
    return length < POOLED_FROM ? length : POOLED_FROM << sizeClass(length);
  }

  /** An array of {@link #capacityFor(int)} bytes; its contents are undefined. */
  byte[] take(int length) {
    if (length < POOLED_FROM) {
      return new byte[length];
    }
    int sizeClass = sizeClass(length);
    if (sizeClass < classes.length) {
      byte[] pooled = classes[sizeClass].pollFirst();
      if (pooled != null) {
        retained.addAndGet(-pooled.length);
        return pooled;
      }
    }
    return new byte[POOLED_FROM << sizeClass];
  }

  /** Returns an array from {@link #take}; kept for reuse while the cap allows. */
  void give(byte[] array) {
    if (array.length < POOLED_FROM || Integer.bitCount(array.length) != 1) {
      return;
    }
    int sizeClass = sizeClass(array.length);
    if (sizeClass >= classes.length || retained.addAndGet(array.length) > retainLimit) {
      retained.addAndGet(-array.length);
      return;
    }
    classes[sizeClass].offerFirst(array);
  }

  /** Index of the smallest power-of-two size ≥ length, counted from {@link #POOLED_FROM}. */
  private static int sizeClass(int length) {
    int ceiling = 32 - Integer.numberOfLeadingZeros(Math.max(length, POOLED_FROM) - 1);
    return ceiling - Integer.numberOfTrailingZeros(POOLED_FROM);
  }
}
