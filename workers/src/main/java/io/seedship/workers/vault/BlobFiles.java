package io.seedship.workers.vault;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Listing and checked downloads of blobs: what the vault and the seed copy share. */
final class BlobFiles {

  static final String SHA256_METADATA = "sha256";
  static final DownloadRetryOptions RETRIES = new DownloadRetryOptions().setMaxRetryRequests(5);

  private BlobFiles() {
  }

  /** Every blob under {@code prefix}, by name relative to it, with length and checksums. */
  static Map<String, RemoteFile> list(BlobContainerClient container, String prefix) {
    Map<String, RemoteFile> files = new TreeMap<>();
    ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix)
        .setDetails(new BlobListDetails().setRetrieveMetadata(true));
    for (BlobItem item : container.listBlobs(options, null)) {
      Map<String, String> metadata = item.getMetadata();
      files.put(item.getName().substring(prefix.length()), new RemoteFile(item.getName().substring(prefix.length()),
          item.getProperties().getContentLength(), metadata == null ? null : metadata.get(SHA256_METADATA),
          item.getProperties().getContentMd5()));
    }
    return files;
  }

  /**
   * Downloads a blob into {@code target} (temporary name, forced, renamed into place), checking its length and its
   * SHA-256 (or, without {@code sha256} metadata, its Content-MD5) against what the listing said. Returns the
   * SHA-256 of the bytes.
   */
  static String download(BlobClient blob, RemoteFile expected, Path target) {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      Files.createDirectories(target.getParent());
      MessageDigest sha = digest("SHA-256");
      MessageDigest md5 = digest("MD5");
      long size;
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        CountingStream counting = new CountingStream(new DigestOutputStream(new DigestOutputStream(Channels.newOutputStream(out), sha), md5));
        blob.downloadStreamWithResponse(counting, null, RETRIES, null, false, null, Context.NONE);
        counting.flush();
        size = counting.count;
        out.force(true);
      }
      String sha256 = HexFormat.of().formatHex(sha.digest());
      byte[] md5Bytes = md5.digest();
      String problem = null;
      if (size != expected.size()) {
        problem = size + " bytes arrived, the listing says " + expected.size();
      } else if (expected.sha256() != null && !expected.sha256().equals(sha256)) {
        problem = "its SHA-256 " + sha256 + " differs from its metadata's " + expected.sha256();
      } else if (expected.sha256() == null && expected.md5() != null && !Arrays.equals(expected.md5(), md5Bytes)) {
        problem = "its MD5 differs from its Content-MD5";
      }
      if (problem != null) {
        throw new VaultException("Blob " + blob.getBlobName() + " in container " + blob.getContainerName() + " is damaged: " + problem
            + ". Replace it from another copy (repair the import, or run the upload again).");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return sha256;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + target + " (" + e.getMessage() + "): check the disk of the cache.", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a leftover temporary file is deleted with the next view or clean-up of the cache
      }
    }
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }

  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
