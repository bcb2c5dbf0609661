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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Copies staged files to a drive as AEAD chunks, overlapping the work on five threads: one reads 4 MiB
 * blocks, one hashes them (SHA-256), the caller encrypts them, one writes the sealed blocks with O_DIRECT
 * where allowed, one truncates and forces each finished file (docs/drive-format.md §9).
 * The files of a batch stream through one pipeline: the next file is read and encrypted while the
 * previous one is forced and journaled, instead of draining and refilling the pipeline at every file.
 * Buffers are reused from file to file.
 */
final class FileEncryptor implements AutoCloseable {

  private static final int IN_FLIGHT = 4;
  private static final int SEALED_IN_FLIGHT = 3;
  static final int SEALED_BLOCK = Block.SIZE + (Block.SIZE / ChunkAead.CHUNK) * ChunkAead.TAG;
  /** The writer gathers about two sealed blocks per write: fewer, larger device writes. */
  private static final int WRITE_BUFFER = 2 * SEALED_BLOCK;
  private static final int HELPERS = 4;

  private final ChunkAead aead;
  private final SecureRandom random = new SecureRandom();
  private final ExecutorService helpers = Executors.newFixedThreadPool(HELPERS, r -> {
    Thread t = new Thread(r, "diskprep-encrypt-helper");
    t.setDaemon(true);
    return t;
  });
  private final Block[] blocks = new Block[IN_FLIGHT];
  private final Block[] sealedBlocks = new Block[SEALED_IN_FLIGHT];
  private ByteBuffer writeBuffer;
  private int writeAlignment;
  private volatile boolean allWritesDirect = true;

  FileEncryptor(byte[] volumeKey) {
    this.aead = new ChunkAead(volumeKey);
    for (int i = 0; i < IN_FLIGHT; i++) {
      blocks[i] = new Block(Block.SIZE);
    }
    for (int i = 0; i < SEALED_IN_FLIGHT; i++) {
      sealedBlocks[i] = new Block(SEALED_BLOCK);
    }
  }

  /** The SHA-256 of the plaintext read, and the bytes written to the drive. */
  record Encrypted(String sha256, long storedSize) {
  }

  /** One file to copy: the staged source, its planned size, the drive file, its associated data. */
  record Job(Path source, long expectedSize, Path target, byte[] aad) {
  }

  /**
   * Told, in batch order and on the caller's thread (between blocks), that a file is forced: listeners and
   * the journal see one thread, and a caller held up in a listener holds up the journal with it.
   */
  interface Forced {
    void forced(int job, Encrypted result) throws IOException;
  }

  /** One file: returns once it is forced. */
  Encrypted encrypt(Path source, long expectedSize, Path target, byte[] aad, LongConsumer progress) throws IOException {
    Encrypted[] result = new Encrypted[1];
    encryptAll(List.of(new Job(source, expectedSize, target, aad)), (job, encrypted) -> result[0] = encrypted, progress);
    return result[0];
  }

  /**
   * Copies the files in order; calls forced for each once its data are forced. Returns when every file is
   * forced and reported; on an error, files may be complete on the drive that were never reported.
   */
  void encryptAll(List<Job> jobs, Forced forced, LongConsumer progress) throws IOException {
    if (jobs.isEmpty()) {
      return;
    }
    for (Job job : jobs) {
      Files.createDirectories(job.target().getParent());
    }
    ByteBuffer buffer = writeBufferFor(jobs.get(0).target().getParent());
    BlockingQueue<Block> pool = new ArrayBlockingQueue<>(IN_FLIGHT);
    pool.addAll(Arrays.asList(blocks));
    // One slot more than buffers everywhere the caller waits: room for a helper's POISON when it fails.
    BlockingQueue<Block> sealedPool = new ArrayBlockingQueue<>(SEALED_IN_FLIGHT + 1);
    sealedPool.addAll(Arrays.asList(sealedBlocks));
    BlockingQueue<Block> toHash = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    BlockingQueue<Block> toSeal = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    BlockingQueue<Block> toWrite = new ArrayBlockingQueue<>(SEALED_IN_FLIGHT + 1);
    BlockingQueue<byte[]> digests = new LinkedBlockingQueue<>();
    BlockingQueue<Optional<AlignedWriter>> toForce = new LinkedBlockingQueue<>();
    BlockingQueue<Completed> completed = new LinkedBlockingQueue<>();
    byte[][] baseNonces = new byte[jobs.size()][ChunkAead.NONCE];
    for (byte[] nonce : baseNonces) {
      random.nextBytes(nonce);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch helpersDone = new CountDownLatch(HELPERS);
    List<HelperTask<Void>> started = new ArrayList<>();
    started.add(helper(helpersDone, failure, toSeal, sealedPool, completed, () -> read(jobs, pool, toHash, toSeal)));
    started.add(helper(helpersDone, failure, toSeal, sealedPool, completed, () -> hash(jobs.size(), toHash, pool, digests)));
    started.add(helper(helpersDone, failure, toSeal, sealedPool, completed, () -> write(jobs, buffer, baseNonces, toWrite, sealedPool, toForce)));
    started.add(helper(helpersDone, failure, toSeal, sealedPool, completed, () -> force(jobs.size(), toForce, digests, completed)));
    boolean finished = false;
    try {
      int[] reported = {0};
      if (!seal(baseNonces, jobs, toSeal, pool, sealedPool, toWrite, progress, completed, forced, reported)) {
        throw rethrow(failure.get());
      }
      while (reported[0] < jobs.size()) {
        Completed next = completed.take();
        if (next == Completed.POISON) {
          throw rethrow(failure.get());
        }
        forced.forced(next.job(), next.result());
        reported[0]++;
      }
      for (HelperTask<Void> helper : started) {
        helper.get();
      }
      finished = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while encrypting " + jobs.get(0).source().getParent());
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } finally {
      if (!finished) {
        started.forEach(HelperTask::stop);
        drainUnforced(toForce);
      }
      awaitQuietly(helpersDone);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Runs a pipeline step; when it fails, records why and wakes the caller (POISON where it waits). */
  private HelperTask<Void> helper(CountDownLatch done, AtomicReference<Throwable> failure, BlockingQueue<Block> toSeal,
                                  BlockingQueue<Block> sealedPool, BlockingQueue<Completed> completed, Step step) {
    return HelperTask.submit(helpers, done, () -> {
      try {
        step.run();
        return null;
      } catch (Exception | Error e) {
        failure.compareAndSet(null, e);
        toSeal.offer(Block.POISON);
        sealedPool.offer(Block.POISON);
        completed.offer(Completed.POISON);
        throw e;
      }
    });
  }

  /** True when every data file so far was written with O_DIRECT. */
  boolean allWritesDirect() {
    return allWritesDirect;
  }

  private ByteBuffer writeBufferFor(Path dir) {
    int alignment = AlignedWriter.alignmentFor(dir);
    if (writeBuffer == null || alignment != writeAlignment) {
      writeAlignment = alignment;
      writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER + 2 * alignment).alignedSlice(alignment);
    }
    return writeBuffer;
  }

  private static void read(List<Job> jobs, BlockingQueue<Block> pool, BlockingQueue<Block> toHash, BlockingQueue<Block> toSeal)
      throws IOException, InterruptedException {
    for (int file = 0; file < jobs.size(); file++) {
      Path source = jobs.get(file).source();
      long expectedSize = jobs.get(file).expectedSize();
      try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
        long offset = 0;
        while (true) {
          Block block = pool.take();
          ByteBuffer buffer = ByteBuffer.wrap(block.data, 0, (int) Math.min(Block.SIZE, expectedSize - offset));
          while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
              throw changed(source, expectedSize, "shorter");
            }
          }
          block.length = buffer.position();
          block.offset = offset;
          block.file = file;
          offset += block.length;
          block.last = offset == expectedSize;
          if (block.last && in.read(ByteBuffer.allocate(1)) > 0) {
            throw changed(source, expectedSize, "longer");
          }
          block.handTo(2);
          toHash.put(block);
          toSeal.put(block);
          if (block.last) {
            break;
          }
        }
      }
    }
  }

  private static void hash(int files, BlockingQueue<Block> toHash, BlockingQueue<Block> pool, BlockingQueue<byte[]> digests)
      throws InterruptedException {
    MessageDigest sha = sha256();
    for (int hashed = 0; hashed < files; ) {
      Block block = toHash.take();
      if (block == Block.POISON) {
        return;
      }
      sha.update(block.data, 0, block.length);
      boolean last = block.last;
      block.release(pool);
      if (last) {
        digests.put(sha.digest());
        hashed++;
      }
    }
  }

  /** A file forced by the forcing helper, waiting to be reported on the caller's thread. */
  private record Completed(int job, Encrypted result) {
    static final Completed POISON = new Completed(-1, null);
  }

  /**
   * Encrypts the blocks in order and hands them to the writer; between blocks, reports the files forced
   * meanwhile. False when a helper failed.
   */
  private boolean seal(byte[][] baseNonces, List<Job> jobs, BlockingQueue<Block> toSeal, BlockingQueue<Block> pool,
                       BlockingQueue<Block> sealedPool, BlockingQueue<Block> toWrite, LongConsumer progress,
                       BlockingQueue<Completed> completed, Forced forced, int[] reported)
      throws InterruptedException, IOException {
    int filesSealed = 0;
    while (filesSealed < jobs.size()) {
      Block block = toSeal.take();
      if (block == Block.POISON) {
        return false;
      }
      Block sealed = sealedPool.take();
      if (sealed == Block.POISON) {
        return false;
      }
      byte[] baseNonce = baseNonces[block.file];
      byte[] aad = jobs.get(block.file).aad();
      int sealedLength = 0;
      long chunk = block.offset / ChunkAead.CHUNK;
      int position = 0;
      do {
        int length = Math.min(ChunkAead.CHUNK, block.length - position);
        boolean lastChunk = block.last && position + length == block.length;
        sealedLength += aead.seal(baseNonce, aad, chunk++, lastChunk, block.data, position, length, sealed.data, sealedLength);
        position += length;
      } while (position < block.length);
      sealed.length = sealedLength;
      sealed.last = block.last;
      sealed.file = block.file;
      int plain = block.length;
      block.release(pool);
      sealed.handTo(1);
      toWrite.put(sealed);
      progress.accept(plain);
      if (sealed.last) {
        filesSealed++;
      }
      for (Completed done = completed.poll(); done != null; done = completed.poll()) {
        if (done == Completed.POISON) {
          return false;
        }
        forced.forced(done.job(), done.result());
        reported[0]++;
      }
    }
    return true;
  }

  /** Writes the sealed blocks file after file; each finished file goes to the forcing helper. */
  private void write(List<Job> jobs, ByteBuffer buffer, byte[][] baseNonces, BlockingQueue<Block> toWrite,
                     BlockingQueue<Block> sealedPool, BlockingQueue<Optional<AlignedWriter>> toForce)
      throws IOException, InterruptedException {
    AlignedWriter out = null;
    try {
      int filesWritten = 0;
      while (filesWritten < jobs.size()) {
        Block sealed = toWrite.take();
        if (sealed == Block.POISON) {
          return;
        }
        if (out == null) {
          out = AlignedWriter.create(jobs.get(sealed.file).target(), buffer, writeAlignment, true);
          out.put(ChunkAead.FILE_MAGIC, 0, ChunkAead.FILE_MAGIC.length);
          out.put(baseNonces[sealed.file], 0, ChunkAead.NONCE);
        }
        out.put(sealed.data, 0, sealed.length);
        boolean last = sealed.last;
        sealed.release(sealedPool);
        if (last) {
          out.drain();
          toForce.put(Optional.of(out));
          out = null;
          filesWritten++;
        }
      }
    } finally {
      if (out != null) {
        out.close();
      }
    }
  }

  /** Completes the files in order: truncate, force, then hand over with the file's SHA-256. */
  private void force(int files, BlockingQueue<Optional<AlignedWriter>> toForce, BlockingQueue<byte[]> digests,
                     BlockingQueue<Completed> completed)
      throws IOException, InterruptedException {
    for (int job = 0; job < files; job++) {
      Optional<AlignedWriter> next = toForce.take();
      if (next.isEmpty()) {
        return;
      }
      long stored;
      try (AlignedWriter out = next.get()) {
        stored = out.complete();
        if (!out.direct()) {
          allWritesDirect = false;
        }
      }
      completed.put(new Completed(job, new Encrypted(HexFormat.of().formatHex(digests.take()), stored)));
    }
  }

  /** After a failure: closes the files the forcing helper will not complete. */
  private static void drainUnforced(BlockingQueue<Optional<AlignedWriter>> toForce) {
    for (Optional<AlignedWriter> left = toForce.poll(); left != null; left = toForce.poll()) {
      left.ifPresent(out -> {
        try {
          out.close();
        } catch (IOException e) {
          // Already failing with the pipeline's error; the file is deleted when the drive is resumed.
        }
      });
    }
  }

  private static StagingChangedException changed(Path source, long expectedSize, String how) {
    return new StagingChangedException("The staged file " + source + " is " + how + " than the " + expectedSize
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
        throw new IllegalStateException("the encryption helper threads did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    helpers.shutdownNow();
  }
}
