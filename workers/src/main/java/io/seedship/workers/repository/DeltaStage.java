package io.seedship.workers.repository;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds deltas for new file chunks on a few threads of its own, then hands them (or the whole chunk) to the
 * packing pipeline. Why apart from the readers: finding a delta reads the parent's chunks back, which from
 * the vault means one ranged download each (~10 ms); readers waiting for them would stop reading. Pending
 * chunks are copies, bounded by {@link #MAX_PENDING_BYTES}.
 */
final class DeltaStage implements AutoCloseable {

  private static final int THREADS = 4;
  private static final int MAX_PENDING_BYTES = 32 << 20;

  private final PackingPipeline pipeline;
  private final ExecutorService threads;
  private final Semaphore pendingBytes = new Semaphore(MAX_PENDING_BYTES);
  private final ConcurrentLinkedQueue<Future<?>> pending = new ConcurrentLinkedQueue<>();
  private final List<DeltaEncoder> encoders = Collections.synchronizedList(new ArrayList<>());
  private final ThreadLocal<DeltaEncoder> encoder;

  private final boolean keepSignatures;

  DeltaStage(Repository repository, PackingPipeline pipeline, boolean keepSignatures) {
    this.pipeline = pipeline;
    this.keepSignatures = keepSignatures;
    AtomicInteger count = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(THREADS, r -> {
      Thread thread = new Thread(r, "seedship-delta-" + count.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    });
    this.encoder = ThreadLocal.withInitial(() -> {
      DeltaEncoder created = new DeltaEncoder(repository, repository.signatures());
      encoders.add(created);
      return created;
    });
  }

  /**
   * Stores chunk {@code id} = data[off, off+len), found at {@code at} of a stream whose earlier version is
   * {@code base} (null: none): as a delta when one pays, else whole; straight to the pipeline when no delta is
   * worth trying there.
   */
  void store(byte type, ChunkId id, DeltaEncoder.Base base, long at, byte[] data, int off, int len) throws InterruptedException {
    if (base == null || !base.worthTrying(at)) {
      pipeline.submit(type, id, data, off, len);
      return;
    }
    int permits = Math.min(MAX_PENDING_BYTES, Math.max(1, ChunkBuffers.capacityFor(len)));
    pendingBytes.acquire(permits);
    byte[] copy = pipeline.takeBuffer(len);
    System.arraycopy(data, off, copy, 0, len);
    try {
      pending.add(threads.submit(() -> {
        try {
          DeltaEncoder found = encoder.get();
          byte[] delta = found.delta(base, at, copy, 0, len);
          // The signature from the block hashes the delta search computed already, the rest hashed now.
          ChunkSignature signature = keepSignatures && type == PackEntry.DATA ? found.signatureOf(id, copy, 0, len, delta) : null;
          if (delta != null) {
            pipeline.submitDelta(type, id, delta, len, signature);
          } else {
            pipeline.submit(type, id, copy, 0, len, signature);
          }
        } finally {
          pipeline.giveBuffer(copy);
          pendingBytes.release(permits);
        }
        return null;
      }));
    } catch (RuntimeException rejected) {
      pipeline.giveBuffer(copy);
      pendingBytes.release(permits);
      throw rejected;
    }
  }

  /** Waits until every chunk handed in is in the pipeline; throws the first failure. */
  void finish() throws IOException, InterruptedException {
    Future<?> next;
    while ((next = pending.poll()) != null) {
      Futures.await(next, "storing a changed chunk");
    }
  }

  /** Stops the threads (interrupting them after a failure) and closes their readers. */
  @Override
  public void close() throws InterruptedException {
    threads.shutdownNow();
    if (!threads.awaitTermination(1, TimeUnit.MINUTES)) {
      throw new RepositoryException("The backup's delta threads did not stop within a minute.");
    }
    encoders.forEach(DeltaEncoder::close);
  }
}
