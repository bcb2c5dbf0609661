package io.seedship.workers.blob;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.policy.AddHeadersFromContextPolicy;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Uploads a file as a block blob, block by block, and checks what the service stored itself, because an emulator may
 * check nothing (docs/vault.md §1, §7):
 * <ul>
 *   <li>the file is read once; each block is staged with its CRC-64 in {@code x-ms-content-crc64} (a service that checks
 *   it refuses a garbled block), and the CRC-64 the service computed over the block it stored, which it answers in the
 *   same header, must equal ours — else the block is staged again (up to {@link #BLOCK_ATTEMPTS} times) and then the
 *   upload fails;</li>
 *   <li>block ids are index + the block's MD5, so the committed block list names the content of every block; the blob
 *   is committed with its Content-MD5 and its SHA-256 as metadata {@code sha256};</li>
 *   <li>after the commit, the committed block list must be exactly the staged ids with their lengths, and the blob's
 *   length, Content-MD5 and {@code sha256} metadata the file's. A blob with a block this upload did not check itself
 *   (reused from an interrupted attempt, or a service that answered no CRC-64) is downloaded and compared whole
 *   instead, as is a blob that already existed. A blob that fails is deleted.</li>
 * </ul>
 * Resumable (blocks staged by an interrupted attempt with the same content are not sent again) and idempotent (a blob
 * already holding the file's bytes is left alone). With a block executor, up to {@code parallelBlocks} blocks are in
 * flight at once over all the uploads running on this instance (memory: that many blocks); it may be called from
 * several threads at once.
 */
public final class ChecksummedUpload {

  public static final int DEFAULT_BLOCK_SIZE = 4 * 1024 * 1024;
  static final String SHA256_METADATA = "sha256";
  static final HttpHeaderName CRC64_HEADER = HttpHeaderName.fromString("x-ms-content-crc64");
  /** How often one block is staged when the service's CRC-64 of it differs from ours. */
  static final int BLOCK_ATTEMPTS = 3;

  private final BlobContainerClient container;
  private final int blockSize;
  private final BlobVerifier verifier;
  private final Executor blockExecutor;
  private final Semaphore blocksInFlight;
  private final ConcurrentLinkedQueue<byte[]> buffers = new ConcurrentLinkedQueue<>();
  /** Blocks staged ahead of their file's upload and checked by their CRC-64: "blob name / block id / length". */
  private final java.util.Set<String> checkedAhead = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public ChecksummedUpload(BlobContainerClient container) {
    this(container, DEFAULT_BLOCK_SIZE);
  }

  public ChecksummedUpload(BlobContainerClient container, int blockSize) {
    this(container, blockSize, Runnable::run, 1);
  }

  /** Stages up to {@code parallelBlocks} blocks at once (over all uploads of this instance) on {@code blockExecutor}. */
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
    this.blocksInFlight = new Semaphore(parallelBlocks);
  }

  public BlobContainerClient container() {
    return container;
  }

  /** Uploads {@code file} unless the blob already holds its bytes (checked by downloading it). */
  public UploadResult upload(Path file, String blobName) {
    BlobProperties existing = verifier.propertiesOrNull(blobName);
    if (existing != null && existing.getBlobSize() == sizeOf(file, blobName)) {
      FileDigest digest;
      try {
        digest = FileDigest.of(file, blockSize);
      } catch (IOException e) {
        throw new BlobUploadException("Cannot read " + file + " to upload it as blob " + blobName + " (" + e.getMessage()
            + "). Check that the file exists and is readable.", e);
      }
      if (digest.sha256().equals(existing.getMetadata().get(SHA256_METADATA)) && verifier.holds(blobName, digest)) {
        return new UploadResult(blobName, digest.size(), digest.sha256(), true, 0, 0, 0);
      }
    }
    return send(file, blobName);
  }

  /**
   * Uploads {@code file} as a blob the caller knows is not there (it listed the container): no request to look for it.
   * Were it there after all, it is replaced by the file's bytes and checked as always.
   */
  public UploadResult uploadNew(Path file, String blobName) {
    return send(file, blobName);
  }

  /**
   * Stages block {@code index} (a full block) of a file that is still being written, before the file's upload: checked
   * as every block is (our CRC-64 against the service's), and then neither sent again nor downloaded by the upload of
   * that file in this process, which finds it staged. A block staged ahead that the upload never finds (the file
   * ended differently, or the process died) is left uncommitted: the service drops it, or a later upload reuses it and
   * checks the blob by downloading it. Returns whether it was staged and checked.
   */
  public boolean stageAhead(String blobName, int index, byte[] block) {
    if (block.length != blockSize) {
      throw new IllegalArgumentException("a block staged ahead is a full block of " + blockSize + " bytes");
    }
    MessageDigest md5 = FileDigest.digest("MD5");
    String id = BlockIds.of(index, HexFormat.of().formatHex(md5.digest(block)));
    BlockBlobClient blob = container.getBlobClient(blobName).getBlockBlobClient();
    if (!stageChecked(blob, id, index, block, block.length)) {
      return false;
    }
    checkedAhead.add(blobName + "/" + id + "/" + block.length);
    return true;
  }

  private UploadResult send(Path file, String blobName) {
    BlockBlobClient blob = container.getBlobClient(blobName).getBlockBlobClient();
    try {
      // A file of one block is staged again rather than asked for: the request would cost as much as the block.
      Map<String, Long> staged = sizeOf(file, blobName) > blockSize ? uncommittedBlocks(blob) : Map.of();
      Staging staging = stage(file, blob, blobName, staged);
      Map<String, String> metadata = new HashMap<>();
      metadata.put(SHA256_METADATA, staging.sha256);
      blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(staging.ids)
          .setHeaders(new BlobHttpHeaders().setContentMd5(staging.md5).setContentType("application/octet-stream"))
          .setMetadata(metadata), null, null);
      FileDigest digest = new FileDigest(staging.size, staging.sha256, staging.md5, staging.blockMd5s);
      if (staging.uncheckedBlocks.get() == 0) {
        verifier.verifyCommittedBlocks(blobName, digest, staging.ids, blockSize);
      } else {
        verifier.verifyCommitted(blobName, digest, staging.ids, blockSize);
      }
      return new UploadResult(blobName, staging.size, staging.sha256, false, staging.ids.size() - staging.reused, staging.reused,
          staging.sent);
    } catch (BlobStorageException e) {
      throw new BlobUploadException("Uploading " + file + " as blob " + blobName + " to container "
          + container.getBlobContainerName() + " failed: " + e.getErrorCode() + " (HTTP " + e.getStatusCode()
          + "). Check the storage account and the network, then run the upload again: staged blocks are reused.", e);
    } catch (IOException e) {
      throw new BlobUploadException("Cannot read " + file + " while uploading it as blob " + blobName + " ("
          + e.getMessage() + "). Check the file, then run the upload again: staged blocks are reused.", e);
    }
  }

  /** What staging a file's blocks gave: the blob's checksums from the bytes sent, and what was sent, reused, unchecked. */
  private static final class Staging {
    final List<String> ids = new ArrayList<>();
    final List<String> blockMd5s = new ArrayList<>();
    long size;
    String sha256;
    byte[] md5;
    int reused;
    long sent;
    final java.util.concurrent.atomic.AtomicInteger uncheckedBlocks = new java.util.concurrent.atomic.AtomicInteger();
  }

  /** Reads the file once: digests, block ids, and the blocks the service does not hold yet staged (checked). */
  private Staging stage(Path file, BlockBlobClient blob, String blobName, Map<String, Long> staged) throws IOException {
    Staging result = new Staging();
    List<CompletableFuture<Void>> stagings = new ArrayList<>();
    MessageDigest sha = FileDigest.digest("SHA-256");
    MessageDigest md5 = FileDigest.digest("MD5");
    MessageDigest blockMd5 = FileDigest.digest("MD5");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int i = 0; ; i++) {
        acquire(stagings);
        byte[] block = buffers.poll();
        if (block == null || block.length != blockSize) {
          block = new byte[blockSize];
        }
        int length;
        try {
          length = FileDigest.readBlock(in, block);
        } catch (IOException | RuntimeException e) {
          release(block);
          throw e;
        }
        if (length == 0) {
          release(block);
          break;
        }
        sha.update(block, 0, length);
        md5.update(block, 0, length);
        blockMd5.update(block, 0, length);
        String md5Hex = HexFormat.of().formatHex(blockMd5.digest());
        String id = BlockIds.of(i, md5Hex);
        result.ids.add(id);
        result.blockMd5s.add(md5Hex);
        result.size += length;
        Long stagedLength = staged.get(id);
        if (stagedLength != null && stagedLength == length && checkedAhead.remove(blobName + "/" + id + "/" + length)) {
          // staged ahead by this process, and checked then: sent, not reused
          result.sent += length;
          release(block);
        } else if (stagedLength != null && stagedLength == length) {
          // staged by an interrupted attempt: not checked by this one, so the blob is checked by its download
          result.reused++;
          result.uncheckedBlocks.incrementAndGet();
          release(block);
        } else {
          byte[] filled = block;
          int count = length;
          int index = i;
          stagings.add(CompletableFuture.runAsync(() -> {
            try {
              if (!stageChecked(blob, id, index, filled, count)) {
                result.uncheckedBlocks.incrementAndGet();
              }
            } finally {
              release(filled);
            }
          }, blockExecutor));
          result.sent += length;
        }
        if (length < blockSize) {
          break;
        }
      }
    } finally {
      awaitAll(stagings);
    }
    result.sha256 = HexFormat.of().formatHex(sha.digest());
    result.md5 = md5.digest();
    return result;
  }

  /**
   * Stages one block with our CRC-64 and compares the CRC-64 the service answers with ours; stages it again when they
   * differ. False when the service answered none (the block is then checked with the blob's download).
   */
  private boolean stageChecked(BlockBlobClient blob, String id, int index, byte[] bytes, int length) {
    long crc = Crc64.of(bytes, 0, length);
    String expected = Crc64.header(crc);
    Context context = new Context(AddHeadersFromContextPolicy.AZURE_REQUEST_HTTP_HEADERS_KEY,
        new HttpHeaders().set(CRC64_HEADER, expected));
    String answered = null;
    for (int attempt = 1; attempt <= BLOCK_ATTEMPTS; attempt++) {
      Response<Void> response;
      try {
        response = blob.stageBlockWithResponse(id, new ByteArrayInputStream(bytes, 0, length), length, null, null, null, context);
      } catch (BlobStorageException e) {
        if (e.getStatusCode() == 400 && "Crc64Mismatch".equals(String.valueOf(e.getErrorCode()))) {
          answered = "refused by the service as garbled (Crc64Mismatch)";
          continue; // the service checked our CRC-64 and the bytes it received did not match: send them again
        }
        throw e;
      }
      answered = response.getHeaders().getValue(CRC64_HEADER);
      if (answered == null) {
        return false;
      }
      if (answered.equals(expected)) {
        return true;
      }
      answered = "the service's CRC-64 " + answered + " instead of " + expected;
    }
    throw new BlobChecksumException("Block " + index + " of blob " + blob.getBlobName() + " in container " + blob.getContainerName()
        + " arrived garbled " + BLOCK_ATTEMPTS + " times (" + answered + "): nothing was committed. Check the network and the "
        + "storage account, then run the upload again.");
  }

  private void release(byte[] block) {
    buffers.add(block);
    blocksInFlight.release();
  }

  /** Waits for a free block slot; fails early when a block of this upload already in flight failed. */
  private void acquire(List<CompletableFuture<Void>> stagings) {
    while (true) {
      for (CompletableFuture<Void> staging : stagings) {
        if (staging.isCompletedExceptionally()) {
          awaitAll(List.of(staging));
        }
      }
      try {
        if (blocksInFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
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

  private static long sizeOf(Path file, String blobName) {
    try {
      return java.nio.file.Files.size(file);
    } catch (IOException e) {
      throw new BlobUploadException("Cannot read " + file + " to upload it as blob " + blobName + " (" + e.getMessage()
          + "). Check that the file exists and is readable.", e);
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
