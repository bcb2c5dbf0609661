package io.seedship.workers.vault;

import io.seedship.workers.blob.ChecksummedUpload;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.KeyDerivation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Where the vault is and how a worker uses it (docs/vault.md §9). The connection strings hold account keys: they
 * are never logged, never put into messages, and left out of {@link #toString()}.
 *
 * @param vaultConnectionString    the vault's storage account
 * @param importConnectionString   the storage account the datacenter imported into (the vault's when null)
 * @param vaultContainer           the vault's container, default {@code seedship-vault}
 * @param keyDirectory             the worker's key directory: repository keys in {@code repositories/<seedingId>.key},
 *                                 drive keys in {@code diskprep/<job>/}
 * @param cacheDirectory           the protections' local caches
 * @param dataSource               the catalogue's database
 * @param backupOptions            how backups into the cache run (pack size, workers, compression)
 * @param uploadBlockSize          block size of uploads (4 MiB)
 * @param parallelBlocks           blocks of one blob uploaded at once
 * @param copyMode                 how the seed copy moves blobs
 * @param keyDerivation            scrypt parameters of a key made for a network seeding
 * @param threads                  threads of restore and verify
 * @param lockDuration             external tasks' lock, renewed while the work runs
 * @param retries                  retries of a failure a retry may fix
 * @param retryTimeout             wait between those retries
 */
public record VaultSettings(String vaultConnectionString, String importConnectionString, String vaultContainer, Path keyDirectory,
                            Path cacheDirectory, DataSource dataSource, BackupOptions backupOptions, int uploadBlockSize,
                            int parallelBlocks, CopyMode copyMode, KeyDerivation keyDerivation, int threads,
                            Duration lockDuration, int retries, Duration retryTimeout) {

  public static final String DEFAULT_CONTAINER = "seedship-vault";

  /** The settings with every tuning value at its default. */
  public static VaultSettings of(String vaultConnectionString, String vaultContainer, Path keyDirectory, Path cacheDirectory,
                                 DataSource dataSource) {
    return new VaultSettings(vaultConnectionString, null, vaultContainer == null || vaultContainer.isBlank() ? DEFAULT_CONTAINER
        : vaultContainer, keyDirectory, cacheDirectory, dataSource, BackupOptions.defaults(), ChecksummedUpload.DEFAULT_BLOCK_SIZE, 4,
        CopyMode.AUTO, KeyDerivation.DEFAULT, Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ofMinutes(5), 3,
        Duration.ofMinutes(2));
  }

  /**
   * From the environment (the worker's and the command line's): {@code SEEDSHIP_VAULT_CONNECTION_STRING} (else
   * {@code SEEDSHIP_BLOB_CONNECTION_STRING}), {@code SEEDSHIP_IMPORT_CONNECTION_STRING}, {@code SEEDSHIP_VAULT_CONTAINER},
   * {@code SEEDSHIP_KEY_DIR}, {@code SEEDSHIP_VAULT_CACHE}; the data source is the caller's.
   */
  public static VaultSettings fromEnvironment(Function<String, String> env, DataSource dataSource) {
    String vault = or(env.apply("SEEDSHIP_VAULT_CONNECTION_STRING"), env.apply("SEEDSHIP_BLOB_CONNECTION_STRING"));
    if (vault == null) {
      throw new IllegalArgumentException("Set SEEDSHIP_VAULT_CONNECTION_STRING (or SEEDSHIP_BLOB_CONNECTION_STRING) to the vault's "
          + "storage account.");
    }
    Path home = Path.of(System.getProperty("user.home"), ".seedship");
    Path keys = Path.of(or(env.apply("SEEDSHIP_KEY_DIR"), home.resolve("keys").toString()));
    Path cache = Path.of(or(env.apply("SEEDSHIP_VAULT_CACHE"), home.resolve("vault-cache").toString()));
    return of(vault, env.apply("SEEDSHIP_VAULT_CONTAINER"), keys, cache, dataSource)
        .withImportConnectionString(env.apply("SEEDSHIP_IMPORT_CONNECTION_STRING"));
  }

  /** The repository key files, as the staging worker writes them. */
  public Path repositoryKeyDirectory() {
    return keyDirectory.resolve("repositories");
  }

  public String effectiveImportConnectionString() {
    return importConnectionString == null || importConnectionString.isBlank() ? vaultConnectionString : importConnectionString;
  }

  public VaultSettings withImportConnectionString(String value) {
    return new VaultSettings(vaultConnectionString, value, vaultContainer, keyDirectory, cacheDirectory, dataSource, backupOptions,
        uploadBlockSize, parallelBlocks, copyMode, keyDerivation, threads, lockDuration, retries, retryTimeout);
  }

  public VaultSettings withBackupOptions(BackupOptions value) {
    return new VaultSettings(vaultConnectionString, importConnectionString, vaultContainer, keyDirectory, cacheDirectory, dataSource,
        value, uploadBlockSize, parallelBlocks, copyMode, keyDerivation, threads, lockDuration, retries, retryTimeout);
  }

  public VaultSettings withUploads(int blockSize, int parallel) {
    return new VaultSettings(vaultConnectionString, importConnectionString, vaultContainer, keyDirectory, cacheDirectory, dataSource,
        backupOptions, blockSize, parallel, copyMode, keyDerivation, threads, lockDuration, retries, retryTimeout);
  }

  public VaultSettings withCopyMode(CopyMode value) {
    return new VaultSettings(vaultConnectionString, importConnectionString, vaultContainer, keyDirectory, cacheDirectory, dataSource,
        backupOptions, uploadBlockSize, parallelBlocks, value, keyDerivation, threads, lockDuration, retries, retryTimeout);
  }

  public VaultSettings withKeyDerivation(KeyDerivation value) {
    return new VaultSettings(vaultConnectionString, importConnectionString, vaultContainer, keyDirectory, cacheDirectory, dataSource,
        backupOptions, uploadBlockSize, parallelBlocks, copyMode, value, threads, lockDuration, retries, retryTimeout);
  }

  public VaultSettings withThreads(int value) {
    return new VaultSettings(vaultConnectionString, importConnectionString, vaultContainer, keyDirectory, cacheDirectory, dataSource,
        backupOptions, uploadBlockSize, parallelBlocks, copyMode, keyDerivation, value, lockDuration, retries, retryTimeout);
  }

  public VaultSettings withTaskTiming(Duration lock, int retryCount, Duration retryWait) {
    return new VaultSettings(vaultConnectionString, importConnectionString, vaultContainer, keyDirectory, cacheDirectory, dataSource,
        backupOptions, uploadBlockSize, parallelBlocks, copyMode, keyDerivation, threads, lock, retryCount, retryWait);
  }

  @Override
  public String toString() {
    return "VaultSettings[container " + vaultContainer + ", keys " + keyDirectory + ", cache " + cacheDirectory + ", import account "
        + (importConnectionString == null ? "the vault's" : "its own") + ", blocks " + uploadBlockSize + " x" + parallelBlocks + ", copy "
        + copyMode + "]";
  }

  private static String or(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
