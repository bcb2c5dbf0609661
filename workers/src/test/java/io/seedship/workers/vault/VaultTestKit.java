package io.seedship.workers.vault;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.seedship.workers.blob.AzuriteFixture;
import io.seedship.workers.blob.BlobClients;
import io.seedship.workers.blob.ChecksummedUpload;
import io.seedship.workers.datacenter.StagedFiles;
import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.KeyDerivation;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.staging.StagingLayout;
import io.seedship.workers.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the vault tests share: a vault container of their own in Azurite, the worker's key and cache folders, a
 * database, a staged repository made by the real backup engine, and an import container filled as the datacenter
 * fills it (every staged file as a checksummed blob under its relative name, plus the import's logs).
 */
public final class VaultTestKit implements AutoCloseable {

  static final long PACK_SIZE = 512 * 1024;

  public final Path temp;
  public final Path keyDirectory;
  public final Path cacheDirectory;
  public final Path stagingLocation;
  public final BlobServiceClient service;
  public final String vaultContainer = "vault-" + UUID.randomUUID().toString().substring(0, 8);
  public final VaultSettings settings;
  public final Vault vault;

  public VaultTestKit(Path temp, TestDatabase database) {
    this.temp = temp;
    this.keyDirectory = temp.resolve("keys");
    this.cacheDirectory = temp.resolve("cache");
    this.stagingLocation = temp.resolve("staging");
    this.service = BlobClients.fromConnectionString(AzuriteFixture.connectionString());
    this.settings = VaultSettings.of(AzuriteFixture.connectionString(), vaultContainer, keyDirectory, cacheDirectory, database.dataSource())
        .withBackupOptions(BackupOptions.defaults().withPackTargetSize(PACK_SIZE).withWorkers(1).withProgressInterval(Duration.ofMillis(100)))
        .withUploads(256 * 1024, 4).withKeyDerivation(KeyDerivation.FAST).withThreads(2);
    this.vault = new Vault(settings, new JdbcVaultCatalogue(database.dataSource()));
  }

  /** The seeding's first full backup into the staging location, as the staging worker makes it; returns the repository folder. */
  public Path stage(String seedingId, Path source) throws IOException {
    Path keyFile = StagingLayout.keyFileFor(settings.repositoryKeyDirectory(), seedingId);
    RepositorySecret.generateKeyFile(keyFile);
    Path repository = StagingLayout.repositoryFor(stagingLocation, seedingId);
    Repository repo = Repository.init(repository, RepositorySecret.ofKeyFile(keyFile), KeyDerivation.FAST);
    new Backup(repo, BackupOptions.defaults().withPackTargetSize(PACK_SIZE).withWorkers(1)
        .withTags(List.of(StagingLayout.tagFor(seedingId)))).run(source, ProgressListener.NONE);
    return repository;
  }

  /** An import container holding the staged repository's files as the datacenter uploads them, and its logs. */
  public BlobContainerClient importContainer(Path stagedRepository) throws IOException {
    BlobContainerClient container = service.createBlobContainer("import-" + UUID.randomUUID().toString().substring(0, 8));
    ChecksummedUpload upload = new ChecksummedUpload(container);
    for (String name : stagedFiles(stagedRepository).keySet()) {
      upload.upload(stagedRepository.resolve(name), name);
    }
    container.getBlobClient("waimportexport/job-1/d1_error.log").upload(BinaryData.fromString(
        "# seedship import error log v1 job=job-1 drive=d1 state=Completed\n"), true);
    return container;
  }

  /** The staged files that travel (lock and temporary files left out), by relative name. */
  public static Map<String, Path> stagedFiles(Path repository) {
    Map<String, Path> files = new TreeMap<>();
    StagedFiles.of(repository).forEach(name -> files.put(name, repository.resolve(name)));
    return files;
  }


  public BlobContainerClient vaultContainer() {
    return service.getBlobContainerClient(vaultContainer);
  }

  /** Names of the protection's blobs in the vault, relative to its prefix. */
  public List<String> vaultBlobs(String protectionId) {
    return vaultContainer().listBlobs().stream().map(b -> b.getName()).filter(n -> n.startsWith(protectionId + "/"))
        .map(n -> n.substring(protectionId.length() + 1)).sorted().toList();
  }

  /** Packs still in the protection's cache. */
  public long cachedPacks(String protectionId) throws IOException {
    Path data = cacheDirectory.resolve(protectionId).resolve("data");
    if (!Files.isDirectory(data)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(data)) {
      return walk.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches("[0-9a-f]{32}")).count();
    }
  }

  @Override
  public void close() {
    vault.close();
  }
}
