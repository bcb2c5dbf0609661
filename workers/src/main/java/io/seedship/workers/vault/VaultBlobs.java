package io.seedship.workers.vault;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import io.seedship.workers.blob.ChecksummedUpload;
import io.seedship.workers.blob.UploadResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** One protection's blobs in the vault container: {@code <protectionId>/<repository file>} (docs/vault.md §1). */
final class VaultBlobs {

  private final BlobContainerClient container;
  private final String prefix;
  private final ChecksummedUpload upload;

  VaultBlobs(BlobContainerClient container, String protectionId, ChecksummedUpload upload) {
    this.container = container;
    this.prefix = protectionId + "/";
    this.upload = upload;
  }

  String prefix() {
    return prefix;
  }

  BlobContainerClient container() {
    return container;
  }

  BlobClient blob(String name) {
    return container.getBlobClient(prefix + name);
  }

  /** The protection's repository files in the vault, by relative name (anything else under the prefix is ignored). */
  Map<String, RemoteFile> list() {
    Map<String, RemoteFile> files = new TreeMap<>();
    BlobFiles.list(container, prefix).forEach((name, file) -> {
      if (RepositoryFiles.isRepositoryFile(name)) {
        files.put(name, file);
      }
    });
    return files;
  }

  void download(RemoteFile file, Path target) {
    BlobFiles.download(blob(file.name()), file, target);
  }

  /** Uploads a file unless the vault holds its bytes already (checked by a download when a blob of that name exists). */
  UploadResult upload(Path file, String name) {
    return upload.upload(file, prefix + name);
  }

  /** Uploads a file that the vault's listing did not have. */
  UploadResult uploadNew(Path file, String name) {
    return upload.uploadNew(file, prefix + name);
  }

  /** Stages a full block of a pack still being written (docs/vault.md §3); its upload then finds it staged and checked. */
  boolean stageAhead(String name, int index, byte[] block) {
    return upload.stageAhead(prefix + name, index, block);
  }

  BlobPackStore packStore() {
    return new BlobPackStore(container, prefix);
  }
}
