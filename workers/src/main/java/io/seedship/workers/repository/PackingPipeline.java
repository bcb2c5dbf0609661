package io.seedship.workers.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Compress + encrypt + write on {@code workers} threads, each filling its own pack (the pack id must be
 * known when a chunk is sealed, docs §3). Memory is bounded by a semaphore on in-flight chunk bytes.
 * Finished packs go into the in-memory index at once and into an index file every 64 packs (docs §7).
 */
final class PackingPipeline {

  /** A chunk to store: its plaintext, or with {@code delta} its {@link ChunkDelta} description. */
  private record Task(byte type, ChunkId id, byte[] data, int length, boolean delta, int rawLength, ChunkSignature signature) {
  }

  /** Per worker: packs are written in 4 MiB direct writes. */
  private static final int WRITE_BUFFER = 4 << 20;

  private static final Task END = new Task((byte) -1, null, null, 0, false, 0, null);

  private final Repository repository;
  private final PackTap tap;
  private final BackupOptions options;
  private final ChunkIndex index;
  private final ConcurrentHashMap<ChunkId, Boolean> inFlight;
  private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Semaphore inFlightBytes;
  private final int permits;
  private final ChunkBuffers buffers;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong bytesStored = new AtomicLong();
  private final AtomicLong chunksStored = new AtomicLong();
  private final AtomicInteger packsWritten = new AtomicInteger();
  private final List<PackSummary> unindexed = new ArrayList<>();
  private boolean finished;
  /** Why: fsync of a 64 MiB pack takes ~0.3 s on this disk; a worker waiting for it would not compress. */
  private final ExecutorService syncer = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "seedship-pack-sync");
    thread.setDaemon(true);
    return thread;
  });

  PackingPipeline(Repository repository, BackupOptions options, ChunkIndex index, ConcurrentHashMap<ChunkId, Boolean> inFlight) {
    this(repository, options, index, inFlight, PackTap.NONE);
  }

  /** {@code tap}: shown each pack's full blocks as they are written. */
  PackingPipeline(Repository repository, BackupOptions options, ChunkIndex index, ConcurrentHashMap<ChunkId, Boolean> inFlight,
                  PackTap tap) {
    this.tap = tap;
    this.repository = repository;
    this.options = options;
    this.index = index;
    this.inFlight = inFlight;
    this.permits = (int) Math.min(Integer.MAX_VALUE, Math.max(options.maxInFlightBytes(), 2L * repository.config().maxChunk()));
    this.inFlightBytes = new Semaphore(permits);
    // Arrays kept for reuse: half the in-flight budget (the heap bound is in docs §5).
    this.buffers = new ChunkBuffers(repository.config().maxChunk(), permits / 2);
    for (int i = 0; i < options.workers(); i++) {
      Thread thread = new Thread(this::work, "seedship-pack-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  void submit(byte type, ChunkId id, byte[] data, int offset, int length) throws InterruptedException {
    submit(type, id, data, offset, length, null);
  }

  /** As {@link #submit(byte, ChunkId, byte[], int, int)}, with the chunk's signature when the caller has it (else null). */
  void submit(byte type, ChunkId id, byte[] data, int offset, int length, ChunkSignature signature) throws InterruptedException {
    // Counted by the array it takes on the heap, which is rounded up to a power of two.
    inFlightBytes.acquire(Math.max(1, ChunkBuffers.capacityFor(length)));
    byte[] copy = buffers.take(length);
    System.arraycopy(data, offset, copy, 0, length);
    queue.put(new Task(type, id, copy, length, false, length, signature));
  }

  /** An array from the pipeline's pool, at least {@code length} bytes long; give it back with {@link #giveBuffer}. */
  byte[] takeBuffer(int length) {
    return buffers.take(length);
  }

  void giveBuffer(byte[] array) {
    buffers.give(array);
  }

  /**
   * Stores chunk {@code id} of {@code rawLength} bytes as the given delta description; {@code signature}: the chunk's,
   * kept when the backup keeps signatures (null otherwise).
   */
  void submitDelta(byte type, ChunkId id, byte[] description, int rawLength, ChunkSignature signature) throws InterruptedException {
    inFlightBytes.acquire(Math.max(1, description.length));
    queue.put(new Task(type, id, description, description.length, true, rawLength, signature));
  }

  /** Throws the first worker failure, so the reading thread stops early. */
  void checkHealthy() {
    Throwable problem = failure.get();
    if (problem != null) {
      throw asRepositoryException(problem);
    }
  }

  /** Lets the workers drain the queue, finish their packs and index them; throws a worker failure. */
  void finish() throws InterruptedException, IOException {
    stopWorkers();
    checkHealthy();
    flushIndex(true);
  }

  /** After a failure: stop the workers; finished packs stay and get indexed, so a rerun resumes. */
  void abortIfRunning() {
    if (finished) {
      return;
    }
    failure.compareAndSet(null, new InterruptedException("backup stopped"));
    try {
      stopWorkers();
      flushIndex(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      // the next run indexes finished packs from their headers (docs §7)
    }
  }

  long bytesStored() {
    return bytesStored.get();
  }

  long chunksStored() {
    return chunksStored.get();
  }

  int packsWritten() {
    return packsWritten.get();
  }

  private void stopWorkers() throws InterruptedException {
    if (finished) {
      return;
    }
    finished = true;
    for (int i = 0; i < threads.size(); i++) {
      queue.put(END);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    syncer.shutdown();
    if (!syncer.awaitTermination(1, TimeUnit.HOURS)) {
      throw new InterruptedException("packs were not written to disk within an hour");
    }
  }

  private void work() {
    Aead aead = repository.key().newAead();
    BlockSigner signer = options.keepSignatures() ? new BlockSigner(repository.key()) : null;
    ByteBuffer writeBuffer = DirectFileWriter.newBuffer(WRITE_BUFFER);
    PackWriter pack = null;
    try (ChunkCodec codec = new ChunkCodec(options.compressionLevel(), repository.config().maxChunk())) {
      while (true) {
        Task task = queue.take();
        if (task == END) {
          break;
        }
        try {
          if (failure.get() != null) {
            continue;
          }
          if (pack == null) {
            pack = new PackWriter(repository.layout(), aead, writeBuffer, tap);
          }
          int encoded = task.delta() ? codec.encodeDelta(task.data(), task.length()) : codec.encode(task.data(), 0, task.length());
          ChunkSignature signature = task.signature();
          if (signer != null && signature == null && !task.delta() && task.type() == PackEntry.DATA) {
            signature = signer.whole(task.id(), task.data(), 0, task.length());
          }
          pack.add(task.type(), task.id(), codec.encoded(), encoded, task.rawLength(), signature);
          chunksStored.incrementAndGet();
          if (pack.length() >= options.packTargetSize()) {
            commitLater(pack);
            pack = null;
          }
        } finally {
          buffers.give(task.data());
          inFlightBytes.release(Math.max(1, task.data().length));
        }
      }
      if (pack != null && failure.get() == null && !pack.isEmpty()) {
        commitLater(pack);
        pack = null;
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      drain();
    } finally {
      if (pack != null) {
        pack.abandon();
      }
    }
  }

  private void commitLater(PackWriter pack) throws IOException {
    PackSummary summary = pack.seal();
    syncer.execute(() -> {
      try {
        if (failure.get() == null) {
          pack.commit();
          if (options.keepSignatures()) {
            repository.signatures().write(summary.id(), pack.signatures());
          }
          bytesStored.addAndGet(commit(summary));
        } else {
          pack.abandon();
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
        pack.abandon();
      }
    });
  }

  /** After a failure keep taking tasks, so the reader never blocks on memory, until told to end. */
  private void drain() {
    try {
      while (true) {
        Task task = queue.take();
        if (task == END) {
          return;
        }
        inFlightBytes.release(Math.max(1, task.data().length));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long commit(PackSummary summary) throws IOException {
    index.addPack(summary);
    for (PackEntry entry : summary.entries()) {
      inFlight.remove(entry.id());
    }
    packsWritten.incrementAndGet();
    synchronized (unindexed) {
      unindexed.add(summary);
    }
    flushIndex(false);
    return summary.length();
  }

  private void flushIndex(boolean all) throws IOException {
    List<PackSummary> batch;
    synchronized (unindexed) {
      if (unindexed.isEmpty() || (!all && unindexed.size() < IndexFiles.MAX_PACKS_PER_FILE)) {
        return;
      }
      batch = new ArrayList<>(unindexed);
      unindexed.clear();
    }
    IndexFiles.write(repository.layout(), repository.key().newAead(), batch);
  }

  private static RepositoryException asRepositoryException(Throwable problem) {
    if (problem instanceof RepositoryException re) {
      return re;
    }
    if (problem instanceof IOException io) {
      return Backup.translate(io);
    }
    return new RepositoryException("The backup failed while packing chunks: " + problem, problem);
  }
}
