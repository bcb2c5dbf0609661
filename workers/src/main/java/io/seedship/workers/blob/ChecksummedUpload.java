package io.seedship.workers.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Uploads a file as a block blob, block by block, each block with its Content-MD5 and the whole blob with its
 * Content-MD5 and SHA-256 (metadata {@code sha256}); then verifies the committed block list and the downloaded
 * bytes itself, because Azurite does not check Content-MD5. Resumable (blocks staged by an interrupted attempt
 * with the same content are not sent again) and idempotent (a blob already holding the file is left alone).
 * With a block executor, up to {@code parallelBlocks} blocks of one blob are staged at once (memory: that many
 * blocks); the commit waits for all of them.
 */
public final class ChecksummedUpload {

  public static final int DEFAULT_BLOCK_SIZE = 4 * 1024 * 1024;
  static final String SHA256_METADATA = "sha256";

  private final BlobContainerClient container;
  private final int blockSize;
  private final BlobVerifier verifier;
  private final Executor blockExecutor;
  private final int parallelBlocks;

  public ChecksummedUpload(BlobContainerClient container) {
    this(container, DEFAULT_BLOCK_SIZE);
  }

  public ChecksummedUpload(BlobContainerClient container, int blockSize) {
    this(container, blockSize, Runnable::run, 1);
  }

  /** Stages up to {@code parallelBlocks} blocks of a blob at once on {@code blockExecutor}. */
  public ChecksummedUpload(BlobContainerClient container, int blockSize, Executor blockExecutor, int parallelBlocks) {
    if (blockSize <= 0 || blockSize > 100 * 1024 * 1024) {
      throw new IllegalArgumentException("Block size " + blockSize + " is outside 1 byte .. 100 MiB (the service's limit).");
    }
    if (parallelBlocks < 1 || parallelBlocks > 64) {
      throw new IllegalArgumentException("Parallel blocks " + parallelBlocks + " is outside 1 .. 64.");
    }
    this.container = container;
    this.blockSize = blockSize;
    this.verifier = new BlobVerifier(container);
    this.blockExecutor = blockExecutor;
    this.parallelBlocks = parallelBlocks;
  }

  public BlobContainerClient container() {
    return container;
  }

  public UploadResult upload(Path file, String blobName) {
    FileDigest digest;
    try {
      digest = FileDigest.of(file, blockSize);
    } catch (IOException e) {
      throw new BlobUploadException("Cannot read " + file + " to upload it as blob " + blobName + " (" + e.getMessage()
          + "). Check that the file exists and is readable.", e);
    }
    BlockBlobClient blob = container.getBlobClient(blobName).getBlockBlobClient();
    if (verifier.holds(blobName, digest)) {
      return new UploadResult(blobName, digest.size(), digest.sha256(), true, 0, 0, 0);
    }
    try {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < digest.blockMd5s().size(); i++) {
        ids.add(BlockIds.of(i, digest.blockMd5s().get(i)));
      }
      Map<String, Long> staged = uncommittedBlocks(blob);
      long[] sent = new long[1];
      int reused = stageMissing(file, blob, digest, ids, staged, sent);
      Map<String, String> metadata = new HashMap<>();
      metadata.put(SHA256_METADATA, digest.sha256());
      blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
          .setHeaders(new BlobHttpHeaders().setContentMd5(digest.md5()).setContentType("application/octet-stream"))
          .setMetadata(metadata), null, null);
      verifier.verifyCommitted(blobName, digest, ids, blockSize);
      return new UploadResult(blobName, digest.size(), digest.sha256(), false, ids.size() - reused, reused, sent[0]);
    } catch (BlobStorageException e) {
      throw new BlobUploadException("Uploading " + file + " as blob " + blobName + " to container "
          + container.getBlobContainerName() + " failed: " + e.getErrorCode() + " (HTTP " + e.getStatusCode()
          + "). Check the storage account and the network, then run the upload again: staged blocks are reused.", e);
    } catch (IOException e) {
      throw new BlobUploadException("Cannot read " + file + " while uploading it as blob " + blobName + " ("
          + e.getMessage() + "). Check the file, then run the upload again: staged blocks are reused.", e);
    }
  }

  private int stageMissing(Path file, BlockBlobClient blob, FileDigest digest, List<String> ids, Map<String, Long> staged,
                           long[] sent) throws IOException {
    int reused = 0;
    // One buffer per block in flight; a permit is taken before a buffer is filled and given back when its block is staged.
    Semaphore inFlight = new Semaphore(parallelBlocks);
    java.util.concurrent.ConcurrentLinkedQueue<byte[]> buffers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> stagings = new ArrayList<>();
    MessageDigest md5 = FileDigest.digest("MD5");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int i = 0; i < ids.size(); i++) {
        long offset = (long) i * blockSize;
        int length = (int) Math.min(blockSize, digest.size() - offset);
        Long stagedLength = staged.get(ids.get(i));
        if (stagedLength != null && stagedLength == length) {
          reused++;
          continue;
        }
        acquire(inFlight, stagings);
        byte[] block = buffers.poll();
        if (block == null) {
          block = new byte[blockSize];
        }
        in.position(offset);
        int read = FileDigest.readBlock(in, block);
        md5.update(block, 0, Math.min(read, length));
        byte[] blockMd5 = md5.digest();
        if (read != length || !HexFormat.of().formatHex(blockMd5).equals(digest.blockMd5s().get(i))) {
          inFlight.release();
          throw new BlobChecksumException(file + " changed while it was being uploaded (block " + i + " differs from the "
              + "first read). Upload it again once nothing writes to it.");
        }
        String id = ids.get(i);
        byte[] filled = block;
        stagings.add(CompletableFuture.runAsync(() -> {
          try {
            blob.stageBlockWithResponse(id, new ByteArrayInputStream(filled, 0, length), length, blockMd5, null, null, null);
          } finally {
            buffers.add(filled);
            inFlight.release();
          }
        }, blockExecutor));
        sent[0] += length;
      }
    } finally {
      awaitAll(stagings);
    }
    return reused;
  }

  /** Waits for a free slot; fails early when a block already in flight failed. */
  private void acquire(Semaphore inFlight, List<CompletableFuture<Void>> stagings) {
    while (true) {
      for (CompletableFuture<Void> staging : stagings) {
        if (staging.isCompletedExceptionally()) {
          awaitAll(List.of(staging));
        }
      }
      try {
        if (inFlight.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BlobUploadException("The upload was interrupted; run it again: staged blocks are reused.", e);
      }
    }
  }

  /** Waits for every block staged so far; rethrows the first failure (the storage's own exception). */
  private static void awaitAll(List<CompletableFuture<Void>> stagings) {
    RuntimeException first = null;
    for (CompletableFuture<Void> staging : stagings) {
      try {
        staging.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        first = first != null ? first : new BlobUploadException("The upload was interrupted; run it again: staged blocks are reused.", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        first = first != null ? first : cause instanceof RuntimeException re ? re : new CompletionException(cause);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Blocks staged but not committed by an earlier attempt, by id, with their sizes. */
  private static Map<String, Long> uncommittedBlocks(BlockBlobClient blob) {
    Map<String, Long> blocks = new HashMap<>();
    try {
      for (Block b : blob.listBlocks(BlockListType.UNCOMMITTED).getUncommittedBlocks()) {
        blocks.put(b.getName(), b.getSizeLong());
      }
    } catch (BlobStorageException e) {
      if (e.getStatusCode() != 404) {
        throw e;
      }
    }
    return blocks;
  }
}
