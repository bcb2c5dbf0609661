package io.seedship.workers.diskprep;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A 4 MiB plaintext block passed between the pipeline's threads; back to the pool when all users are done. */
final class Block {

  static final int SIZE = 4 * 1024 * 1024;
  static final Block POISON = new Block(0);

  final byte[] data;
  int length;
  long offset;
  /** Which file of a batch the block belongs to (the write pass streams several files through one pipeline). */
  int file;
  boolean last;
  private final AtomicInteger users = new AtomicInteger();

  Block(int size) {
    this.data = new byte[size];
  }

  void handTo(int count) {
    users.set(count);
  }

  void release(BlockingQueue<Block> pool) {
    if (users.decrementAndGet() == 0) {
      pool.add(this);
    }
  }

  static int blockCount(long size) {
    return (int) ((size + SIZE - 1) / SIZE);
  }
}
