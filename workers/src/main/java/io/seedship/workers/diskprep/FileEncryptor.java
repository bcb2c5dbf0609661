package io.seedship.workers.diskprep;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * The write pass (docs/drive-format.md §9): copies staged files to a drive as AEAD chunks through the page
 * cache, with no hashing and no force. Every file is cut into units of {@link #UNIT} plaintext bytes (a
 * whole number of chunks); each unit's place in the stored file follows from its offset, so the workers
 * (one per core) each take the next unit, read it with a positional read, seal its chunks straight into
 * their own output buffer and write it with a positional write, in any order, without queues between
 * threads. A file is written when its last unit is; the caller is told so on its own thread, and decides
 * when to force (group commit, {@link DriveSession}).
 */
final class FileEncryptor implements AutoCloseable {

  /** Plaintext per unit of work: 64 chunks. Small enough that a worker's two buffers stay in the CPU caches. */
  static final int UNIT = 64 * ChunkAead.CHUNK;
  private static final int SEALED_UNIT = UNIT + (UNIT / ChunkAead.CHUNK) * ChunkAead.TAG;

  private final byte[] volumeKey;
  private final int workers;
  private final SecureRandom random = new SecureRandom();
  private final ExecutorService pool;

  FileEncryptor(byte[] volumeKey) {
    this(volumeKey, Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())));
  }

  FileEncryptor(byte[] volumeKey, int workers) {
    this.volumeKey = volumeKey;
    this.workers = workers;
    this.pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "diskprep-encrypt");
      t.setDaemon(true);
      return t;
    });
    ChunkAead.warmUp();
  }

  /** One file to copy: the staged source, its planned size, the drive file, its associated data. */
  record Job(Path source, long expectedSize, Path target, byte[] aad) {
  }

  /**
   * Told on the caller's thread, in the order the files are finished (not necessarily the batch order),
   * that a file is completely written (handed to the kernel, not forced).
   */
  interface Written {
    void written(int job, long storedSize) throws IOException;
  }

  /**
   * Copies the files; calls written for each once all its bytes are written. Returns when every file is
   * written and reported; on an error, written files may be on the drive that were never reported, and
   * files may be partly written.
   */
  void encryptAll(List<Job> jobs, Written written, LongConsumer progress) throws IOException {
    if (jobs.isEmpty()) {
      return;
    }
    for (Job job : jobs) {
      Files.createDirectories(job.target().getParent());
    }
    Batch batch = new Batch(jobs);
    BlockingQueue<Integer> finished = new LinkedBlockingQueue<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong bytes = new AtomicLong();
    CountDownLatch done = new CountDownLatch(workers);
    List<HelperTask<Void>> started = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      started.add(HelperTask.submit(pool, done, () -> {
        try {
          work(batch, finished, bytes);
          return null;
        } catch (Exception | Error e) {
          failure.compareAndSet(null, e);
          batch.stop();
          finished.offer(POISON);
          throw e;
        }
      }));
    }
    boolean completed = false;
    try {
      long reported = 0;
      for (int count = 0; count < jobs.size(); ) {
        Integer job = finished.poll(200, TimeUnit.MILLISECONDS);
        long now = bytes.get();
        if (now > reported) {
          progress.accept(now - reported);
          reported = now;
        }
        if (job == null) {
          continue;
        }
        if (job == POISON) {
          throw rethrow(failure.get());
        }
        written.written(job, ChunkAead.storedLength(jobs.get(job).expectedSize()));
        count++;
      }
      for (HelperTask<Void> helper : started) {
        helper.get();
      }
      completed = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while encrypting " + jobs.get(0).source().getParent());
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } finally {
      if (!completed) {
        batch.stop();
        started.forEach(HelperTask::stop);
      }
      awaitQuietly(done);
      batch.closeAll();
    }
  }

  private static final Integer POISON = -1;

  /** One worker: takes units until none is left, seals and writes each. */
  private void work(Batch batch, BlockingQueue<Integer> finished, AtomicLong bytes) throws IOException, InterruptedException {
    ChunkAead aead = new ChunkAead(volumeKey);
    byte[] plain = new byte[UNIT];
    byte[] sealed = new byte[SEALED_UNIT];
    OpenFile previous = null;
    byte[] aad = null;
    for (Unit unit = batch.next(); unit != null; unit = batch.next()) {
      OpenFile file = unit.file();
      if (file != previous) {
        // The AAD's last bytes are rewritten per chunk (index, last flag): each worker has its own copy.
        aad = file.job.aad().clone();
        previous = file;
      }
      int length = (int) Math.min(UNIT, file.job.expectedSize() - unit.offset());
      ByteBuffer in = ByteBuffer.wrap(plain, 0, length);
      while (in.hasRemaining()) {
        if (file.source.read(in, unit.offset() + in.position()) < 0) {
          throw changed(file.job, "shorter");
        }
      }
      boolean last = unit.offset() + length == file.job.expectedSize();
      if (last && file.source.size() != file.job.expectedSize()) {
        throw changed(file.job, file.source.size() < file.job.expectedSize() ? "shorter" : "longer");
      }
      long chunk = unit.offset() / ChunkAead.CHUNK;
      int position = 0;
      int out = 0;
      do {
        int n = Math.min(ChunkAead.CHUNK, length - position);
        out += aead.seal(file.baseNonce, aad, chunk++, last && position + n == length, plain, position, n, sealed, out);
        position += n;
      } while (position < length);
      long at = ChunkAead.FILE_HEADER + (unit.offset() / ChunkAead.CHUNK) * (ChunkAead.CHUNK + ChunkAead.TAG);
      ByteBuffer buffer = ByteBuffer.wrap(sealed, 0, out);
      while (buffer.hasRemaining()) {
        file.target.write(buffer, at + buffer.position());
      }
      bytes.addAndGet(length);
      if (file.unitsLeft.decrementAndGet() == 0) {
        batch.close(file);
        finished.put(file.index);
      }
    }
  }

  /** A file of the batch while it is written: both channels, its base nonce and the units not yet written. */
  private static final class OpenFile {
    final int index;
    final Job job;
    final FileChannel source;
    final FileChannel target;
    final byte[] baseNonce;
    final AtomicInteger unitsLeft;

    OpenFile(int index, Job job, FileChannel source, FileChannel target, byte[] baseNonce, int units) {
      this.index = index;
      this.job = job;
      this.source = source;
      this.target = target;
      this.baseNonce = baseNonce;
      this.unitsLeft = new AtomicInteger(units);
    }
  }

  private record Unit(OpenFile file, long offset) {
  }

  /** Hands out the units in order; opens each file (and writes its header) when its first unit is taken. */
  private final class Batch {
    private final List<Job> jobs;
    private final List<OpenFile> open = new ArrayList<>();
    private int job;
    private long offset;
    private OpenFile current;
    private boolean stopped;

    Batch(List<Job> jobs) {
      this.jobs = jobs;
    }

    synchronized Unit next() throws IOException {
      if (stopped || job >= jobs.size()) {
        return null;
      }
      if (current == null) {
        current = openFile(job);
        open.add(current);
      }
      Unit unit = new Unit(current, offset);
      offset += UNIT;
      if (offset >= jobs.get(job).expectedSize()) {
        job++;
        offset = 0;
        current = null;
      }
      return unit;
    }

    private OpenFile openFile(int index) throws IOException {
      Job j = jobs.get(index);
      FileChannel source = FileChannel.open(j.source(), StandardOpenOption.READ);
      FileChannel target = null;
      try {
        if (source.size() != j.expectedSize()) {
          throw changed(j, source.size() < j.expectedSize() ? "shorter" : "longer");
        }
        // A new file and a new random base nonce for every write, also of a file written before a crash.
        Files.deleteIfExists(j.target());
        target = FileChannel.open(j.target(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        byte[] baseNonce = new byte[ChunkAead.NONCE];
        random.nextBytes(baseNonce);
        ByteBuffer header = ByteBuffer.allocate(ChunkAead.FILE_HEADER).put(ChunkAead.FILE_MAGIC).put(baseNonce).flip();
        while (header.hasRemaining()) {
          target.write(header, header.position());
        }
        int units = (int) Math.max(1, (j.expectedSize() + UNIT - 1) / UNIT);
        return new OpenFile(index, j, source, target, baseNonce, units);
      } catch (IOException | RuntimeException e) {
        source.close();
        if (target != null) {
          target.close();
        }
        throw e;
      }
    }

    synchronized void stop() {
      stopped = true;
    }

    synchronized void close(OpenFile file) throws IOException {
      open.remove(file);
      try (FileChannel source = file.source; FileChannel target = file.target) {
        // closed
      }
    }

    synchronized void closeAll() {
      for (OpenFile file : open) {
        try (FileChannel source = file.source; FileChannel target = file.target) {
          // closed
        } catch (IOException e) {
          // Already failing with the pipeline's error; a partly written file is checked and rewritten on resume.
        }
      }
      open.clear();
    }
  }

  private static StagingChangedException changed(Job job, String how) {
    return new StagingChangedException("The staged file " + job.source() + " is " + how + " than the " + job.expectedSize()
        + " bytes planned: the staging repository changed during preparation. Abort this preparation and start it again.");
  }

  static RuntimeException rethrow(Throwable cause) throws IOException {
    if (cause instanceof IOException io) {
      throw io;
    }
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException(cause);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM offers no SHA-256", e);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the encryption threads did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
