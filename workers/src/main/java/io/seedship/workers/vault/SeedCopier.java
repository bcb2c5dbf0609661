package io.seedship.workers.vault;

import com.azure.core.util.Context;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.CopyStatusType;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.seedship.workers.blob.UploadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies blobs of the import container into a protection's vault prefix (docs/vault.md §4 step 3): server-side where
 * the service can (Copy Blob From URL up to 256 MiB, else Copy Blob polled), streamed through the worker with
 * checksummed uploads where it must. Each copy is checked (length and checksums equal to the source's). The source
 * URL carries a short read-only SAS, which is a secret: it is never logged or put into a message.
 */
final class SeedCopier {

  /** How one blob got into the vault. */
  enum Way { SKIPPED, SERVER_SIDE, STREAMED }

  private static final Logger LOG = LoggerFactory.getLogger(SeedCopier.class);
  /** Copy Blob From URL takes sources up to 256 MiB. */
  static final long SYNC_COPY_LIMIT = 256L << 20;

  private final BlobContainerClient source;
  private final VaultBlobs vault;
  private final CopyMode mode;
  private final Path transferDir;
  private final long syncCopyLimit;
  private boolean streamFromNowOn;

  SeedCopier(BlobContainerClient source, VaultBlobs vault, CopyMode mode, Path transferDir) {
    this(source, vault, mode, transferDir, SYNC_COPY_LIMIT);
  }

  /** {@code syncCopyLimit}: blobs up to this size are copied synchronously, larger ones with a polled Copy Blob. */
  SeedCopier(BlobContainerClient source, VaultBlobs vault, CopyMode mode, Path transferDir, long syncCopyLimit) {
    this.source = source;
    this.vault = vault;
    this.mode = mode;
    this.transferDir = transferDir;
    this.syncCopyLimit = syncCopyLimit;
    this.streamFromNowOn = mode == CopyMode.STREAM;
  }

  /** Copies {@code name}; {@code present} is the vault's blob of that name if the listing had one. Returns the way and bytes sent. */
  Copied copy(String name, RemoteFile from, RemoteFile present) {
    if (present != null && sameContent(from, present)) {
      return new Copied(Way.SKIPPED, 0);
    }
    if (!streamFromNowOn) {
      try {
        copyServerSide(name, from);
        return new Copied(Way.SERVER_SIDE, 0);
      } catch (BlobStorageException e) {
        if (mode != CopyMode.AUTO || !serviceCannotCopy(e)) {
          throw new VaultException("The server-side copy of " + name + " from the import container " + source.getBlobContainerName()
              + " into the vault failed: " + e.getErrorCode() + " (HTTP " + e.getStatusCode() + "). Check both storage accounts and "
              + "run the seed copy again: blobs copied already are kept.", e);
        }
        LOG.info("The storage service cannot copy from the import container {} into the vault ({}, HTTP {}): the seed copy streams "
            + "the blobs through this worker instead", source.getBlobContainerName(), e.getErrorCode(), e.getStatusCode());
        streamFromNowOn = true;
      }
    }
    return new Copied(Way.STREAMED, stream(name, from));
  }

  record Copied(Way way, long bytesSent) {
  }

  static boolean sameContent(RemoteFile a, RemoteFile b) {
    if (a.size() != b.size()) {
      return false;
    }
    boolean md5Known = a.md5() != null && b.md5() != null;
    if (md5Known && !Arrays.equals(a.md5(), b.md5())) {
      return false;
    }
    if (a.sha256() != null && b.sha256() != null) {
      return a.sha256().equals(b.sha256());
    }
    return md5Known;
  }

  private void copyServerSide(String name, RemoteFile from) {
    BlobClient sourceBlob = source.getBlobClient(name);
    BlobClient target = vault.blob(name);
    String url = withReadSas(sourceBlob);
    Map<String, String> metadata = new HashMap<>();
    if (from.sha256() != null) {
      metadata.put(BlobFiles.SHA256_METADATA, from.sha256());
    }
    if (from.size() <= syncCopyLimit) {
      target.copyFromUrlWithResponse(new BlobCopyFromUrlOptions(url).setMetadata(metadata.isEmpty() ? null : metadata),
          Duration.ofMinutes(15), Context.NONE);
    } else {
      SyncPoller<BlobCopyInfo, Void> poller = target.beginCopy(new BlobBeginCopyOptions(url)
          .setMetadata(metadata.isEmpty() ? null : metadata).setPollInterval(Duration.ofSeconds(2)));
      PollResponse<BlobCopyInfo> last = poller.waitForCompletion(Duration.ofHours(12));
      CopyStatusType status = last.getValue() == null ? null : last.getValue().getCopyStatus();
      if (status != CopyStatusType.SUCCESS) {
        target.deleteIfExists();
        throw new VaultException("The server-side copy of " + name + " into the vault ended " + status + ": run the seed copy again.");
      }
    }
    BlobProperties copied = target.getProperties();
    String copiedSha = copied.getMetadata() == null ? null : copied.getMetadata().get(BlobFiles.SHA256_METADATA);
    boolean lengthOk = copied.getBlobSize() == from.size();
    boolean shaOk = from.sha256() == null || from.sha256().equals(copiedSha);
    boolean md5Ok = from.md5() == null || copied.getContentMd5() == null || Arrays.equals(from.md5(), copied.getContentMd5());
    if (!lengthOk || !shaOk || !md5Ok) {
      target.deleteIfExists();
      throw new VaultException("The server-side copy of " + name + " into the vault does not match its source (" + copied.getBlobSize()
          + " of " + from.size() + " bytes, checksums " + (shaOk && md5Ok ? "equal" : "differ") + "). It was deleted; run the seed "
          + "copy again.");
    }
  }

  /** A read-only SAS valid for one hour when the import account's credential is a shared key; the bare URL otherwise. */
  private static String withReadSas(BlobClient blob) {
    try {
      String sas = blob.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
          new BlobSasPermission().setReadPermission(true)).setStartTime(OffsetDateTime.now().minusMinutes(5)));
      return blob.getBlobUrl() + "?" + sas;
    } catch (RuntimeException noSharedKey) {
      return blob.getBlobUrl();
    }
  }

  /** The service refuses to read the source (another host, no access, not implemented): streaming can still do it. */
  private static boolean serviceCannotCopy(BlobStorageException e) {
    BlobErrorCode code = e.getErrorCode();
    return Objects.equals(code, BlobErrorCode.CANNOT_VERIFY_COPY_SOURCE) || e.getStatusCode() == 403 || e.getStatusCode() == 501
        || Objects.equals(code, BlobErrorCode.FEATURE_VERSION_MISMATCH);
  }

  private long stream(String name, RemoteFile from) {
    Path tmp = transferDir.resolve(UUID.randomUUID().toString());
    try {
      BlobFiles.download(source.getBlobClient(name), from, tmp);
      UploadResult result = vault.upload(tmp, name);
      return result.bytesSent();
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete the transfer file " + tmp + ": " + e.getMessage(), e);
      }
    }
  }
}
