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
 * Copies one staged file to a drive as AEAD chunks, overlapping the work on three threads: one reads
 * 4 MiB blocks, one hashes them (SHA-256), the caller encrypts and writes them (docs/drive-format.md §9).
 */
final class FileEncryptor implements AutoCloseable {

  private static final int IN_FLIGHT = 4;

  private final ChunkAead aead;
  private final SecureRandom random = new SecureRandom();
  private final ExecutorService helpers = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "diskprep-encrypt-helper");
    t.setDaemon(true);
    return t;
  });
  private final Block[] blocks = new Block[IN_FLIGHT];
  private final byte[] sealed = new byte[Block.SIZE + (Block.SIZE / ChunkAead.CHUNK) * ChunkAead.TAG];

  FileEncryptor(byte[] volumeKey) {
    this.aead = new ChunkAead(volumeKey);
    for (int i = 0; i < IN_FLIGHT; i++) {
      blocks[i] = new Block(Block.SIZE);
    }
  }

  /** The SHA-256 of the plaintext read, and the bytes written to the drive. */
  record Encrypted(String sha256, long storedSize) {
  }

  Encrypted encrypt(Path source, long expectedSize, Path target, byte[] aad, LongConsumer progress) throws IOException {
    BlockingQueue<Block> pool = new ArrayBlockingQueue<>(IN_FLIGHT);
    for (Block b : blocks) {
      pool.add(b);
    }
    BlockingQueue<Block> toHash = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    BlockingQueue<Block> toSeal = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    CountDownLatch helpersDone = new CountDownLatch(2);
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
    boolean finished = false;
    try {
      long stored = write(target, aad, toSeal, pool, progress);
      if (stored < 0) {
        throw rethrow(readerFailure(reading));
      }
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
      }
      awaitQuietly(helpersDone);
    }
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

  /** Returns the stored length, or -1 when the reader failed. */
  private long write(Path target, byte[] aad, BlockingQueue<Block> toSeal, BlockingQueue<Block> pool, LongConsumer progress)
      throws IOException, InterruptedException {
    Files.createDirectories(target.getParent());
    byte[] baseNonce = new byte[ChunkAead.NONCE];
    random.nextBytes(baseNonce);
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(ChunkAead.FILE_HEADER).put(ChunkAead.FILE_MAGIC).put(baseNonce).flip();
      long stored = writeFully(out, header);
      while (true) {
        Block block = toSeal.take();
        if (block == Block.POISON) {
          return -1;
        }
        int sealedLength = 0;
        long chunk = block.offset / ChunkAead.CHUNK;
        int position = 0;
        do {
          int length = Math.min(ChunkAead.CHUNK, block.length - position);
          boolean lastChunk = block.last && position + length == block.length;
          sealedLength += aead.seal(baseNonce, aad, chunk++, lastChunk, block.data, position, length, sealed, sealedLength);
          position += length;
        } while (position < block.length);
        boolean last = block.last;
        int plain = block.length;
        block.release(pool);
        stored += writeFully(out, ByteBuffer.wrap(sealed, 0, sealedLength));
        progress.accept(plain);
        if (last) {
          out.force(true);
          return stored;
        }
      }
    }
  }

  private static long writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    int n = buffer.remaining();
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
    return n;
  }

  private static StagingChangedException changed(Path source, long expectedSize, String how) {
    return new StagingChangedException("The staged file " + source + " is " + how + " than the " + expectedSize
        + " bytes planned: the staging repository changed during preparation. Abort this preparation and start it again.");
  }

  private static Throwable readerFailure(Future<Void> reading) throws InterruptedException {
    try {
      reading.get();
      return new IllegalStateException("the reader stopped without an error");
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
