package io.seedship.workers.vault;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.seedship.workers.blob.BlobClients;
import io.seedship.workers.blob.ChecksummedUpload;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.staging.StagingLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The vault as one worker sees it: the vault container (created when missing), the import account, the catalogue,
 * the protections' caches and key files. The use cases ({@link CopySeedIntoVault}, {@link BackUpToVault},
 * {@link RestoreFromVault}, {@link VerifyVault}, {@link CleanUpAfterSeed}) work through it. Close it to stop its
 * upload threads.
 */
public final class Vault implements AutoCloseable {

  private final VaultSettings settings;
  private final VaultCatalogue catalogue;
  private final BlobServiceClient importService;
  private final BlobContainerClient container;
  private final ExecutorService blockUploads;
  private final ExecutorService blobUploads;
  private final ChecksummedUpload upload;

  public Vault(VaultSettings settings, VaultCatalogue catalogue) {
    this(settings, catalogue, BlobClients.fromConnectionString(settings.vaultConnectionString()),
        settings.importConnectionString() == null || settings.importConnectionString().isBlank() ? null
            : BlobClients.fromConnectionString(settings.importConnectionString()));
  }

  /** With blob services built by the caller; {@code importService} null means the vault's account. */
  public Vault(VaultSettings settings, VaultCatalogue catalogue, BlobServiceClient vaultService, BlobServiceClient importService) {
    this.settings = settings;
    this.catalogue = catalogue;
    this.importService = importService == null ? vaultService : importService;
    this.container = vaultService.getBlobContainerClient(settings.vaultContainer());
    this.container.createIfNotExists();
    this.blockUploads = Executors.newFixedThreadPool(settings.parallelBlocks(), daemons("seedship-vault-block-"));
    // Blobs of one upload step go up side by side (each reads its file and checks its commit); their blocks share the
    // parallelBlocks slots above, so memory stays parallelBlocks x block size.
    this.blobUploads = Executors.newFixedThreadPool(settings.parallelBlocks(), daemons("seedship-vault-blob-"));
    this.upload = new ChecksummedUpload(container, settings.uploadBlockSize(), blockUploads, settings.parallelBlocks());
  }

  public VaultSettings settings() {
    return settings;
  }

  public VaultCatalogue catalogue() {
    return catalogue;
  }

  public BlobContainerClient container() {
    return container;
  }

  /**
   * The container the datacenter imported into. The import account is the one of the import connection string; the
   * seeding's storage account name is not needed to reach it (as with the local datacenter, which maps every name
   * onto its one account).
   */
  BlobContainerClient importContainer(String importContainerName) {
    BlobContainerClient client = importService.getBlobContainerClient(importContainerName);
    if (!client.exists()) {
      throw new VaultException("The import container " + importContainerName + " does not exist: check the seeding's container "
          + "and that the import job completed.");
    }
    return client;
  }

  /** The import container, or null when it is gone. */
  BlobContainerClient importContainerIfExists(String importContainerName) {
    BlobContainerClient client = importService.getBlobContainerClient(importContainerName);
    return client.exists() ? client : null;
  }

  VaultBlobs blobs(String protectionId) {
    return new VaultBlobs(container, checked(protectionId), upload);
  }

  ProtectionCache cache(String protectionId) {
    return new ProtectionCache(settings.cacheDirectory(), checked(protectionId));
  }

  ChecksummedUpload upload() {
    return upload;
  }

  /** Where the blobs of one upload step are uploaded side by side (settings' parallelBlocks threads). */
  ExecutorService blobUploads() {
    return blobUploads;
  }

  private static java.util.concurrent.ThreadFactory daemons(String prefix) {
    AtomicInteger number = new AtomicInteger();
    return r -> {
      Thread thread = new Thread(r, prefix + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The protection's repository key file (written by the staging worker, or by a network seeding). */
  public Path keyFile(String protectionId) {
    return StagingLayout.keyFileFor(settings.repositoryKeyDirectory(), protectionId);
  }

  RepositorySecret secret(String protectionId) {
    Path keyFile = keyFile(protectionId);
    if (!Files.isRegularFile(keyFile)) {
      throw new KeyFileMissingException("The repository key file of protection " + protectionId + " is not in this worker's key "
          + "store (" + keyFile + "): copy it from the worker that staged the seeding (it stays 0600), then retry.");
    }
    return RepositorySecret.ofKeyFile(keyFile);
  }

  /** Seeding ids become folder and blob names: the staging rules apply. */
  static String checked(String protectionId) {
    StagingLayout.keyFileFor(Path.of("."), protectionId);
    return protectionId;
  }

  @Override
  public void close() {
    blobUploads.shutdownNow();
    blockUploads.shutdownNow();
  }
}
