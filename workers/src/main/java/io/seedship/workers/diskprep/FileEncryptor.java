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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Copies one staged file to a drive as AEAD chunks, overlapping the work on four threads: one reads
 * 4 MiB blocks, one hashes them (SHA-256), the caller encrypts them, one writes the sealed blocks with
 * O_DIRECT where allowed (docs/drive-format.md §9). Buffers are reused from file to file.
 */
final class FileEncryptor implements AutoCloseable {

  private static final int IN_FLIGHT = 4;
  private static final int SEALED_IN_FLIGHT = 3;
  static final int SEALED_BLOCK = Block.SIZE + (Block.SIZE / ChunkAead.CHUNK) * ChunkAead.TAG;
  /** The writer gathers about two sealed blocks per write: fewer, larger device writes. */
  private static final int WRITE_BUFFER = 2 * SEALED_BLOCK;

  private final ChunkAead aead;
  private final SecureRandom random = new SecureRandom();
  private final ExecutorService helpers = Executors.newFixedThreadPool(3, r -> {
    Thread t = new Thread(r, "diskprep-encrypt-helper");
    t.setDaemon(true);
    return t;
  });
  private final Block[] blocks = new Block[IN_FLIGHT];
  private final Block[] sealedBlocks = new Block[SEALED_IN_FLIGHT];
  private ByteBuffer writeBuffer;
  private int writeAlignment;
  private boolean allWritesDirect = true;

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

  Encrypted encrypt(Path source, long expectedSize, Path target, byte[] aad, LongConsumer progress) throws IOException {
    Files.createDirectories(target.getParent());
    ByteBuffer buffer = writeBufferFor(target.getParent());
    BlockingQueue<Block> pool = new ArrayBlockingQueue<>(IN_FLIGHT);
    pool.addAll(Arrays.asList(blocks));
    // One slot more than buffers: room for the writer's POISON when it fails.
    BlockingQueue<Block> sealedPool = new ArrayBlockingQueue<>(SEALED_IN_FLIGHT + 1);
    sealedPool.addAll(Arrays.asList(sealedBlocks));
    BlockingQueue<Block> toHash = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    BlockingQueue<Block> toSeal = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    BlockingQueue<Block> toWrite = new ArrayBlockingQueue<>(SEALED_IN_FLIGHT + 1);
    byte[] baseNonce = new byte[ChunkAead.NONCE];
    random.nextBytes(baseNonce);
    CountDownLatch helpersDone = new CountDownLatch(3);
    Future<Void> reading = helpers.submit(() -> {
      try {
        read(source, expectedSize, pool, toHash, toSeal);
        return null;
      } catch (Exception | Error e) {
        toHash.add(Block.POISON);
        toSeal.add(Block.POISON);
        throw e;
      } finally {
        helpersDone.countDown();
      }
    });
    Future<byte[]> hashing = helpers.submit(() -> {
      try {
        return hash(toHash, pool);
      } finally {
        helpersDone.countDown();
      }
    });
    Future<Long> writing = helpers.submit(() -> {
      try {
        return write(target, buffer, baseNonce, toWrite, sealedPool);
      } catch (Exception | Error e) {
        sealedPool.add(Block.POISON);
        throw e;
      } finally {
        helpersDone.countDown();
      }
    });
    boolean finished = false;
    try {
      Stop stop = seal(baseNonce, aad, toSeal, pool, sealedPool, toWrite, progress);
      if (stop != Stop.DONE) {
        throw rethrow(failure(stop == Stop.READER_FAILED ? reading : writing));
      }
      long stored = writing.get();
      byte[] digest = hashing.get();
      finished = true;
      return new Encrypted(HexFormat.of().formatHex(digest), stored);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while encrypting " + source);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } finally {
      if (!finished) {
        reading.cancel(true);
        hashing.cancel(true);
        writing.cancel(true);
      }
      awaitQuietly(helpersDone);
    }
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

  private static void read(Path source, long expectedSize, BlockingQueue<Block> pool, BlockingQueue<Block> toHash,
                           BlockingQueue<Block> toSeal) throws IOException, InterruptedException {
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
        offset += block.length;
        block.last = offset == expectedSize;
        if (block.last && in.read(ByteBuffer.allocate(1)) > 0) {
          throw changed(source, expectedSize, "longer");
        }
        block.handTo(2);
        toHash.put(block);
        toSeal.put(block);
        if (block.last) {
          return;
        }
      }
    }
  }

  private static byte[] hash(BlockingQueue<Block> toHash, BlockingQueue<Block> pool) throws InterruptedException {
    MessageDigest sha = sha256();
    while (true) {
      Block block = toHash.take();
      if (block == Block.POISON) {
        return null;
      }
      sha.update(block.data, 0, block.length);
      boolean last = block.last;
      block.release(pool);
      if (last) {
        return sha.digest();
      }
    }
  }

  private enum Stop { DONE, READER_FAILED, WRITER_FAILED }

  /** Encrypts the blocks in order and hands them to the writer. */
  private Stop seal(byte[] baseNonce, byte[] aad, BlockingQueue<Block> toSeal, BlockingQueue<Block> pool,
                       BlockingQueue<Block> sealedPool, BlockingQueue<Block> toWrite, LongConsumer progress)
      throws InterruptedException {
    while (true) {
      Block block = toSeal.take();
      if (block == Block.POISON) {
        toWrite.put(Block.POISON);
        return Stop.READER_FAILED;
      }
      Block sealed = sealedPool.take();
      if (sealed == Block.POISON) {
        return Stop.WRITER_FAILED;
      }
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
      int plain = block.length;
      block.release(pool);
      sealed.handTo(1);
      toWrite.put(sealed);
      progress.accept(plain);
      if (sealed.last) {
        return Stop.DONE;
      }
    }
  }

  /** Returns the stored length once the file is forced, or -1 when the pipeline stopped before the last block. */
  private long write(Path target, ByteBuffer buffer, byte[] baseNonce, BlockingQueue<Block> toWrite,
                     BlockingQueue<Block> sealedPool) throws IOException, InterruptedException {
    try (AlignedWriter out = AlignedWriter.create(target, buffer, writeAlignment, true)) {
      out.put(ChunkAead.FILE_MAGIC, 0, ChunkAead.FILE_MAGIC.length);
      out.put(baseNonce, 0, baseNonce.length);
      while (true) {
        Block sealed = toWrite.take();
        if (sealed == Block.POISON) {
          return -1;
        }
        out.put(sealed.data, 0, sealed.length);
        boolean last = sealed.last;
        sealed.release(sealedPool);
        if (last) {
          long stored = out.finish();
          allWritesDirect &= out.direct();
          return stored;
        }
      }
    }
  }

  private static StagingChangedException changed(Path source, long expectedSize, String how) {
    return new StagingChangedException("The staged file " + source + " is " + how + " than the " + expectedSize
        + " bytes planned: the staging repository changed during preparation. Abort this preparation and start it again.");
  }

  private static Throwable failure(Future<?> helper) throws InterruptedException {
    try {
      helper.get();
      return new IllegalStateException("a helper thread stopped without an error");
    } catch (ExecutionException e) {
      return e.getCause();
    }
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
