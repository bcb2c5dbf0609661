package io.seedship.workers.vault;

import io.seedship.workers.repository.PackTap;
import io.seedship.workers.repository.RandomId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads the full blocks of the packs a vault backup writes while they are being written (docs/vault.md §3), so that
 * little is left to send when the backup ends. Only staged, never committed: the pack's upload after the backup
 * commits it, from the cache's file, finding these blocks staged and checked. At most {@link #IN_FLIGHT} blocks at
 * once; a block arriving when they are all taken is left to the pack's upload, so the backup never waits for the
 * network. A failure here only means the block is sent again with its pack.
 */
final class PackBlocksAhead implements PackTap {

  private static final Logger LOG = LoggerFactory.getLogger(PackBlocksAhead.class);
  static final int IN_FLIGHT = 2;

  private final VaultBlobs blobs;
  private final Executor executor;
  private final int blockSize;
  private final String protectionId;
  private final Semaphore slots = new Semaphore(IN_FLIGHT);
  private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
  private final List<CompletableFuture<Void>> staging = new ArrayList<>();
  private final AtomicLong bytesStaged = new AtomicLong();

  PackBlocksAhead(VaultBlobs blobs, Executor executor, int blockSize, String protectionId) {
    this.blobs = blobs;
    this.executor = executor;
    this.blockSize = blockSize;
    this.protectionId = protectionId;
  }

  @Override
  public int blockSize() {
    return blockSize;
  }

  @Override
  public byte[] fullBlock(RandomId pack, int index, byte[] block) {
    if (!slots.tryAcquire()) {
      return block; // all slots taken: this block goes up with its pack
    }
    CompletableFuture<Void> staged = CompletableFuture.runAsync(() -> {
      try {
        if (blobs.stageAhead(RepositoryFiles.pack(pack), index, block)) {
          bytesStaged.addAndGet(block.length);
        }
      } catch (RuntimeException e) {
        LOG.info("Protection {}: block {} of pack {} was not uploaded ahead ({}); it goes up with its pack", protectionId, index, pack,
            e.toString());
      } finally {
        free.add(block);
        slots.release();
      }
    }, executor);
    synchronized (staging) {
      staging.add(staged);
    }
    byte[] next = free.poll();
    return next != null ? next : new byte[blockSize];
  }

  /** Waits for the blocks in flight; returns the bytes staged and checked ahead. */
  long finish() {
    List<CompletableFuture<Void>> all;
    synchronized (staging) {
      all = new ArrayList<>(staging);
      staging.clear();
    }
    all.forEach(CompletableFuture::join); // failures were caught and logged above
    free.clear();
    return bytesStaged.get();
  }
}
