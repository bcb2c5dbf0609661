package io.seedship.workers.staging;

import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupResult;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.repository.Snapshot;
import io.seedship.workers.repository.WrongKeyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The staging use case, idempotent: a seeding's first full backup into its repository at the staging
 * location. A second call for the same seeding returns the finished snapshot without new work; a call
 * after an interrupted one resumes it (finished packs are reused). No Camunda types here.
 */
public final class StageBackup {

  private final StagingSettings settings;

  public StageBackup(StagingSettings settings) {
    this.settings = settings;
  }

  public StagedBackup stage(String seedingId, Path source, Path stagingLocation, ProgressListener listener) {
    Path repositoryDir = StagingLayout.repositoryFor(stagingLocation, seedingId);
    Path keyFile = StagingLayout.keyFileFor(settings.keyDirectory(), seedingId);
    String tag = StagingLayout.tagFor(seedingId);
    Repository repository = openOrCreate(repositoryDir, keyFile);
    for (Snapshot snapshot : repository.snapshots()) {
      if (snapshot.hasTag(tag)) {
        return new StagedBackup(snapshot.id().hex(), packBytes(repositoryDir), snapshot.bytes(), snapshot.warnings(), true);
      }
    }
    BackupResult result = new Backup(repository, settings.backupOptions().withTags(List.of(tag))).run(source, listener);
    return new StagedBackup(result.snapshot().id().hex(), packBytes(repositoryDir), result.snapshot().bytes(), result.warnings(), false);
  }

  private Repository openOrCreate(Path repositoryDir, Path keyFile) {
    if (Repository.exists(repositoryDir)) {
      if (!Files.exists(keyFile)) {
        throw new WrongKeyException("The staging repository " + repositoryDir + " exists but its key file " + keyFile
            + " is gone: restore the key file from the worker's backup, or delete the staging repository to start over.");
      }
      return Repository.open(repositoryDir, RepositorySecret.ofKeyFile(keyFile));
    }
    try {
      if (!Files.exists(keyFile)) {
        RepositorySecret.generateKeyFile(keyFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the key file " + keyFile + ": check the worker's key directory.", e);
    }
    return Repository.init(repositoryDir, RepositorySecret.ofKeyFile(keyFile), settings.keyDerivation());
  }

  private static long packBytes(Path repositoryDir) {
    try (Stream<Path> files = Files.walk(repositoryDir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      return 0;
    }
  }
}
