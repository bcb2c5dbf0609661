package io.seedship.workers.diskprep;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import javax.crypto.AEADBadTagException;

/**
 * Reads an encrypted file back from a drive, authenticates and decrypts every chunk, and computes the
 * SHA-256 (caller's thread) and the per-block MD5 (a helper thread) of the plaintext. A second helper
 * reads ahead, so the device is busy while the caller decrypts. An optional sink receives the plaintext
 * (extraction by the import).
 */
final class FileDecryptor implements AutoCloseable {

  private static final int IN_FLIGHT = 3;
  private static final int SEALED_IN_FLIGHT = 3;
  private static final int SEALED_BLOCK = Block.SIZE + (Block.SIZE / ChunkAead.CHUNK) * ChunkAead.TAG;

  /** Receives the plaintext of a file block by block, in order. */
  interface PlainSink {
    void accept(byte[] data, int length) throws IOException;
  }

  record Decrypted(String sha256, List<String> blockMd5s) {
  }

  private final ChunkAead aead;
  private final boolean tryDirect;
  private final ExecutorService helpers = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "diskprep-verify-helper");
    t.setDaemon(true);
    return t;
  });
  private final Block[] blocks = new Block[IN_FLIGHT];
  private final Block[] sealedBlocks = new Block[SEALED_IN_FLIGHT];
  private boolean allReadsDirect = true;

  FileDecryptor(byte[] volumeKey, boolean tryDirect) {
    this.aead = new ChunkAead(volumeKey);
    this.tryDirect = tryDirect;
    for (int i = 0; i < IN_FLIGHT; i++) {
      blocks[i] = new Block(Block.SIZE);
    }
    for (int i = 0; i < SEALED_IN_FLIGHT; i++) {
      sealedBlocks[i] = new Block(SEALED_BLOCK);
    }
  }

  Decrypted decrypt(Path file, long size, byte[] aad, String what, PlainSink sink, LongConsumer progress) throws IOException {
    BlockingQueue<Block> pool = new ArrayBlockingQueue<>(IN_FLIGHT);
    pool.addAll(Arrays.asList(blocks));
    BlockingQueue<Block> toMd5 = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    BlockingQueue<Block> sealedPool = new ArrayBlockingQueue<>(SEALED_IN_FLIGHT);
    sealedPool.addAll(Arrays.asList(sealedBlocks));
    BlockingQueue<Block> toOpen = new ArrayBlockingQueue<>(SEALED_IN_FLIGHT + 1);
    CountDownLatch helpersDone = new CountDownLatch(2);
    HelperTask<List<String>> md5s = HelperTask.submit(helpers, helpersDone, () -> md5Blocks(toMd5, pool));
    HelperTask<Void> reading = null;
    boolean finished = false;
    try (AlignedReader in = open(file, what)) {
      long expected = ChunkAead.storedLength(size);
      if (in.size() != expected) {
        throw new ChunkTamperedException(what + " is " + in.size() + " bytes long, " + expected
            + " were written: it was cut short or extended. Prepare the drive again.");
      }
      byte[] header = new byte[ChunkAead.FILE_HEADER];
      in.read(header, 0, header.length);
      if (!Arrays.equals(Arrays.copyOf(header, ChunkAead.FILE_MAGIC.length), ChunkAead.FILE_MAGIC)) {
        throw new ChunkTamperedException(what + " does not start with the Seedship file header: it was changed. Prepare the drive again.");
      }
      byte[] baseNonce = Arrays.copyOfRange(header, ChunkAead.FILE_MAGIC.length, ChunkAead.FILE_HEADER);
      MessageDigest sha = FileEncryptor.sha256();
      long totalChunks = ChunkAead.chunkCount(size);
      reading = HelperTask.submit(helpers, helpersDone, () -> {
        try {
          readAhead(in, size, what, sealedPool, toOpen);
          return null;
        } catch (Exception | Error e) {
          toOpen.add(Block.POISON);
          throw e;
        }
      });
      long chunk = 0;
      long offset = 0;
      do {
        Block sealedBlock = toOpen.take();
        if (sealedBlock == Block.POISON) {
          throw FileEncryptor.rethrow(failure(reading.future()));
        }
        byte[] sealed = sealedBlock.data;
        Block block = pool.take();
        int plainLength = (int) Math.min(Block.SIZE, size - offset);
        int chunks = (int) Math.min(Block.SIZE / ChunkAead.CHUNK, totalChunks - chunk);
        int sealedPos = 0;
        int out = 0;
        for (int i = 0; i < chunks; i++, chunk++) {
          int length = Math.min(ChunkAead.CHUNK, plainLength - out) + ChunkAead.TAG;
          try {
            out += aead.open(baseNonce, aad, chunk, chunk == totalChunks - 1, sealed, sealedPos, length, block.data, out);
          } catch (AEADBadTagException e) {
            throw new ChunkTamperedException("Chunk " + chunk + " of " + what + " fails authentication: it was changed, "
                + "swapped or damaged. Prepare the drive again.", e);
          }
          sealedPos += length;
        }
        sealedBlock.release(sealedPool);
        block.length = plainLength;
        block.offset = offset;
        offset += plainLength;
        block.last = offset == size;
        sha.update(block.data, 0, plainLength);
        if (sink != null) {
          sink.accept(block.data, plainLength);
        }
        progress.accept(plainLength);
        if (plainLength > 0) {
          block.handTo(1);
          toMd5.put(block);
        } else {
          pool.add(block);
          toMd5.put(Block.POISON);
        }
      } while (offset < size);
      List<String> blockMd5s = md5s.get();
      finished = true;
      return new Decrypted(HexFormat.of().formatHex(sha.digest()), blockMd5s);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while verifying " + what);
    } catch (ExecutionException e) {
      throw FileEncryptor.rethrow(e.getCause());
    } finally {
      if (!finished) {
        md5s.stop();
        if (reading != null) {
          reading.stop();
        }
      }
      if (reading == null) {
        helpersDone.countDown();
      }
      try {
        if (!helpersDone.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the verify helper threads did not stop");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private AlignedReader open(Path file, String what) throws IOException {
    try {
      AlignedReader reader = AlignedReader.open(file, tryDirect);
      allReadsDirect &= reader.direct();
      return reader;
    } catch (NoSuchFileException e) {
      throw new DriveFileMissingException(what + " is missing from the drive: prepare the drive again.", e);
    }
  }

  /** Reads the sealed blocks of the file (after its header) in order, one 4 MiB plaintext block's worth each. */
  private static void readAhead(AlignedReader in, long size, String what, BlockingQueue<Block> sealedPool,
                                BlockingQueue<Block> toOpen) throws IOException, InterruptedException {
    long totalChunks = ChunkAead.chunkCount(size);
    long chunk = 0;
    long offset = 0;
    do {
      int plainLength = (int) Math.min(Block.SIZE, size - offset);
      int chunks = (int) Math.min(Block.SIZE / ChunkAead.CHUNK, totalChunks - chunk);
      int sealedLength = plainLength + chunks * ChunkAead.TAG;
      Block sealed = sealedPool.take();
      if (in.read(sealed.data, 0, sealedLength) != sealedLength) {
        throw new ChunkTamperedException(what + " ends early: it was cut short. Prepare the drive again.");
      }
      sealed.length = sealedLength;
      sealed.handTo(1);
      toOpen.put(sealed);
      chunk += chunks;
      offset += plainLength;
    } while (offset < size);
  }

  private static Throwable failure(Future<?> helper) throws InterruptedException {
    try {
      helper.get();
      return new IllegalStateException("the read-ahead stopped without an error");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private static List<String> md5Blocks(BlockingQueue<Block> toMd5, BlockingQueue<Block> pool) throws InterruptedException {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM offers no MD5", e);
    }
    List<String> result = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    while (true) {
      Block block = toMd5.take();
      if (block == Block.POISON) {
        return result;
      }
      md5.update(block.data, 0, block.length);
      result.add(hex.formatHex(md5.digest()));
      boolean last = block.last;
      block.release(pool);
      if (last) {
        return result;
      }
    }
  }

  /** True when every file so far was read with O_DIRECT, i.e. from the device rather than the page cache. */
  boolean allReadsDirect() {
    return allReadsDirect;
  }

  @Override
  public void close() {
    helpers.shutdownNow();
  }
}
