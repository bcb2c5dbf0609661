package io.seedship.workers.blob;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Our own integrity checks of blobs (the emulator checks none): block list, size, MD5 and SHA-256 of the bytes. */
public final class BlobVerifier {

  private final BlobContainerClient container;

  public BlobVerifier(BlobContainerClient container) {
    this.container = container;
  }

  /** True when the blob exists and its downloaded bytes have the file's size, MD5 and SHA-256. */
  public boolean holds(String blobName, FileDigest expected) {
    BlobClient blob = container.getBlobClient(blobName);
    BlobProperties properties;
    try {
      properties = blob.getProperties();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return false;
      }
      throw e;
    }
    if (properties.getBlobSize() != expected.size()
        || !expected.sha256().equals(properties.getMetadata().get(ChecksummedUpload.SHA256_METADATA))) {
      return false;
    }
    Downloaded actual = download(blob);
    return actual.matches(expected);
  }

  /** The blob's properties, or null when it does not exist. */
  BlobProperties propertiesOrNull(String blobName) {
    try {
      return container.getBlobClient(blobName).getProperties();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  /**
   * After a commit whose every block this upload staged and saw stored with its CRC-64: the committed blocks are ours
   * (ids = index + the block's MD5), in order, each of its length, and the blob's length, Content-MD5 and {@code sha256}
   * metadata are the file's; else the blob is deleted.
   */
  void verifyCommittedBlocks(String blobName, FileDigest expected, List<String> ids, int blockSize) {
    BlobClient blob = container.getBlobClient(blobName);
    String problem = blockListProblem(blob, expected, ids, blockSize);
    if (problem == null) {
      BlobProperties properties = blob.getProperties();
      if (properties.getBlobSize() != expected.size()) {
        problem = "it has " + properties.getBlobSize() + " bytes instead of " + expected.size();
      } else if (!Arrays.equals(properties.getContentMd5(), expected.md5())) {
        problem = "its Content-MD5 property differs from the file's MD5";
      } else if (!expected.sha256().equals(properties.getMetadata().get(ChecksummedUpload.SHA256_METADATA))) {
        problem = "its sha256 metadata differs from the file's SHA-256";
      }
    }
    failIf(blob, problem);
  }

  /** After a commit: the committed blocks are ours, in order, and the downloaded bytes are the file's; else the blob is deleted. */
  void verifyCommitted(String blobName, FileDigest expected, List<String> ids, int blockSize) {
    BlobClient blob = container.getBlobClient(blobName);
    String problem = blockListProblem(blob, expected, ids, blockSize);
    if (problem == null) {
      BlobProperties properties = blob.getProperties();
      Downloaded actual = download(blob);
      if (!Arrays.equals(properties.getContentMd5(), expected.md5())) {
        problem = "its Content-MD5 property differs from the file's MD5";
      } else if (!actual.matches(expected)) {
        problem = "its downloaded bytes (" + actual.size + " bytes, SHA-256 " + actual.sha256 + ") differ from the file ("
            + expected.size() + " bytes, SHA-256 " + expected.sha256() + ")";
      }
    }
    failIf(blob, problem);
  }

  private static String blockListProblem(BlobClient blob, FileDigest expected, List<String> ids, int blockSize) {
    List<Block> committed = blob.getBlockBlobClient().listBlocks(BlockListType.COMMITTED).getCommittedBlocks();
    List<String> committedIds = committed.stream().map(Block::getName).toList();
    if (!committedIds.equals(ids)) {
      return "its committed block list differs from the blocks uploaded";
    }
    for (int i = 0; i < committed.size(); i++) {
      long length = Math.min(blockSize, expected.size() - (long) i * blockSize);
      if (committed.get(i).getSizeLong() != length) {
        return "block " + i + " has " + committed.get(i).getSizeLong() + " bytes instead of " + length;
      }
    }
    return null;
  }

  private void failIf(BlobClient blob, String problem) {
    if (problem != null) {
      // A blob that failed verification must never look imported.
      blob.deleteIfExists();
      throw new BlobChecksumException("Blob " + blob.getBlobName() + " in container " + container.getBlobContainerName()
          + " failed verification after upload: " + problem + ". It was deleted; upload the file again.");
    }
  }

  /** SHA-256 of a blob's bytes, or null when it does not exist. */
  public String sha256Of(String blobName) {
    BlobClient blob = container.getBlobClient(blobName);
    if (!blob.exists()) {
      return null;
    }
    return download(blob).sha256;
  }

  private Downloaded download(BlobClient blob) {
    MessageDigest sha = FileDigest.digest("SHA-256");
    MessageDigest md5 = FileDigest.digest("MD5");
    long size = 0;
    byte[] buffer = new byte[1024 * 1024];
    try (InputStream in = blob.openInputStream()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        size += n;
      }
    } catch (IOException e) {
      throw new BlobUploadException("Downloading blob " + blob.getBlobName() + " for verification failed (" + e.getMessage()
          + "). Check the storage account and the network, then try again.", e);
    }
    return new Downloaded(size, HexFormat.of().formatHex(sha.digest()), md5.digest());
  }

  private record Downloaded(long size, String sha256, byte[] md5) {
    boolean matches(FileDigest expected) {
      return size == expected.size() && sha256.equals(expected.sha256()) && Arrays.equals(md5, expected.md5());
    }
  }
}
