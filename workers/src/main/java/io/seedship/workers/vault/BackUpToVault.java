package io.seedship.workers.vault;

import io.seedship.workers.ExclusiveFileLock;
import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.BackupProgress;
import io.seedship.workers.repository.BackupResult;
import io.seedship.workers.repository.FilePackStore;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.staging.StagingLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The incremental backup to the vault, and the network seeding (docs/vault.md §4): back the source up into the
 * protection's cache against the vault's index, parent = the latest snapshot of the source, then upload the new
 * packs, the index and the snapshot (the commit) and record the recovery point. Finishes first whatever an earlier
 * run left pending. Idempotent per request id: a redelivered request answers its recovery point.
 */
public final class BackUpToVault {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BackUpToVault.class);

  /**
   * @param protectionId the seeding id
   * @param source       the protected source folder
   * @param requestId    what makes a retry the same request (an external task's id); null for a fresh one
   * @param networkSeed  whether the protection may be seeded here (no seed copy): topic {@code network-seed}
   */
  public record Request(String protectionId, Path source, String requestId, boolean networkSeed) {

    public Request {
      requestId = requestId == null || requestId.isBlank() ? "run-" + UUID.randomUUID() : requestId;
    }
  }

  private final Vault vault;

  public BackUpToVault(Vault vault) {
    this.vault = vault;
  }

  public VaultBackupResult run(Request request, VaultListener listener) {
    Instant started = Instant.now();
    Repository.warmUpInBackground(); // while the vault is listed and the key derived
    String id = Vault.checked(request.protectionId());
    ProtectionCache cache = vault.cache(id);
    VaultBlobs blobs = vault.blobs(id);
    VaultCatalogue catalogue = vault.catalogue();
    try (ExclusiveFileLock lock = cache.lock()) {
      listener.progress(new VaultProgress(VaultProgress.Phase.SYNCING, 0, 0, 0, 0, Duration.ZERO));
      // The key derivation (scrypt) of opening the cache's repository runs while the vault is listed and the cache synced,
      // when the cache already holds the repository (every run after a worker's first): config and key files are
      // write-once, so the sync cannot change what it reads. Its result is used only after the checks below.
      // (the engine reads the parent's tree chunks twice: the second time from memory; 32 MiB at most)
      BlobPackStore vaultPacks = blobs.packStore().withReadCache(32L << 20);
      CompletableFuture<Repository> opening = Repository.exists(cache.root())
          ? CompletableFuture.supplyAsync(() -> open(id, cache, vaultPacks), vault.blobUploads()) : null;
      listener.step("list");
      Map<String, RemoteFile> remote;
      try {
        remote = blobs.list();
        vaultPacks.useListing(remote); // the parent's trees are read from packs the listing names: no request for their lengths
      } catch (RuntimeException e) {
        discard(opening);
        throw e;
      }
      Repository repository;
      try {
        repository = listSyncOpen(request, id, cache, blobs, vaultPacks, catalogue, remote, opening, listener);
      } catch (RuntimeException e) {
        discard(opening);
        throw e;
      }
      Protection protection = catalogue.ensureProtection(new Protection(id, request.source().toAbsolutePath().normalize().toString(),
          vault.settings().vaultContainer(), blobs.prefix(), repository.id(), SeedMethod.NETWORK, Instant.now()));
      if (!protection.repositoryId().equals(repository.id())) {
        throw new VaultException("The catalogue records repository " + protection.repositoryId() + " for protection " + id
            + ", but the vault and the cache hold repository " + repository.id() + ": the vault prefix " + blobs.prefix()
            + " was replaced. Check which one is right before backing up again.");
      }
      PendingUploads uploads = new PendingUploads(vault, id, listener, started);
      listener.step("pending");
      PendingUploads.Outcome earlier = uploads.run(repository, protection, "pending", remote);

      Optional<RecoveryPoint> answered = catalogue.recoveryPointForRequest(id, request.requestId());
      List<RecoveryPoint> points = catalogue.recoveryPoints(id);
      if (answered.isEmpty() && request.networkSeed() && !points.isEmpty()) {
        answered = Optional.of(points.get(0)); // a network seeding is done once; its task answered again
      }
      if (answered.isPresent()) {
        return new VaultBackupResult(answered.get(), true, 0, 0, earlier.bytesSent(), earlier.packsUploaded(), List.of(),
            Duration.between(started, Instant.now()));
      }

      // Signatures kept: the next incremental finds its deltas against this one's chunks without downloading them.
      BackupOptions options = vault.settings().backupOptions().withTags(List.of(StagingLayout.tagFor(id))).withSignatures(true);
      listener.step("backup");
      // The packs' full blocks go up while the backup writes them; their uploads below then send only the rest.
      PackBlocksAhead ahead = new PackBlocksAhead(blobs, vault.blobUploads(), vault.settings().uploadBlockSize(), id);
      BackupResult backup;
      try {
        backup = new Backup(repository, options, ahead).run(request.source(), p -> listener.progress(backingUp(p)));
      } finally {
        long sentAhead = ahead.finish();
        LOG.debug("Protection {}: {} bytes of the new packs went up while the backup ran", id, sentAhead);
      }
      String snapshotId = backup.snapshot().id().hex();

      listener.step("upload");
      List<String> pending = uploads.pendingFiles(remote); // the listing, plus what this run uploaded: one writer (the lock)
      long uploadBytes = uploads.bytes(pending) + PointFigures.carryOver(cache.pointsDir());
      RecoveryPointKind kind = points.isEmpty() ? RecoveryPointKind.NETWORK_SEED : RecoveryPointKind.INCREMENTAL;
      new PointFigures(snapshotId, request.requestId(), kind, backup.bytesRead(), uploadBytes).write(cache.pointsDir());
      PointFigures.setCarryOver(cache.pointsDir(), 0);

      PendingUploads.Outcome commit = uploads.run(repository, protection, "upload", remote);
      listener.step("answer");
      RecoveryPoint point = catalogue.recoveryPoints(id).stream().filter(p -> p.snapshotId().equals(snapshotId)).findFirst()
          .orElseThrow(() -> new VaultException("Snapshot " + snapshotId + " was uploaded but is not in the catalogue: run again."));
      listener.progress(new VaultProgress(VaultProgress.Phase.DONE, uploadBytes, uploadBytes, commit.blobsUploaded(),
          commit.blobsUploaded(), Duration.between(started, Instant.now())));
      List<String> warnings = new ArrayList<>(backup.warnings());
      return new VaultBackupResult(point, false, backup.bytesRead(), uploadBytes, earlier.bytesSent() + commit.bytesSent(),
          earlier.packsUploaded() + commit.packsUploaded(), List.copyOf(warnings), Duration.between(started, Instant.now()));
    }
  }

  /** The checks of the listing, the sync, and the cache's repository (opened now, or by {@code opening} meanwhile). */
  private Repository listSyncOpen(Request request, String id, ProtectionCache cache, VaultBlobs blobs, BlobPackStore vaultPacks,
                                  VaultCatalogue catalogue,
                                  Map<String, RemoteFile> remote, CompletableFuture<Repository> opening, VaultListener listener) {
    Optional<Protection> recorded = catalogue.protection(id);
    boolean seeded = recorded.isPresent() && !catalogue.recoveryPoints(id).isEmpty();
    if (seeded && !remote.containsKey(RepositoryFiles.CONFIG)) {
      throw new VaultException("The catalogue records recovery points of protection " + id + " in " + recorded.get().vaultContainer()
          + "/" + recorded.get().blobPrefix() + ", but container " + vault.settings().vaultContainer() + " holds no repository under "
          + blobs.prefix() + ": check the vault's settings (container, account) before backing up.");
    }
    if (!seeded) {
      checkMaySeed(request, recorded, remote);
      if (!Repository.exists(cache.root())) {
        initialise(id, cache.root());
      }
    }
    listener.step("sync");
    cache.sync(blobs, remote);
    listener.step("open");
    if (opening == null) {
      return open(id, cache, vaultPacks);
    }
    try {
      return opening.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /** Opens the cache's repository (the key derivation), packs read from the cache's files, else from the vault. */
  private Repository open(String id, ProtectionCache cache, BlobPackStore vaultPacks) {
    RepositorySecret secret = vault.secret(id);
    return Repository.open(cache.root(), secret, new LayeredPackStore(new FilePackStore(cache.root()), vaultPacks));
  }

  /** Waits for an opening that is no longer wanted, so that nothing of this run goes on after it failed. */
  private static void discard(CompletableFuture<Repository> opening) {
    if (opening != null) {
      try {
        opening.join();
      } catch (RuntimeException ignored) {
        // the failure that ended the run is the one reported
      }
    }
  }

  private void checkMaySeed(Request request, Optional<Protection> recorded, Map<String, RemoteFile> remote) {
    String id = request.protectionId();
    if (recorded.isPresent() && recorded.get().seedMethod() == SeedMethod.OFFLINE) {
      throw new NotSeededException("The seed copy of protection " + id + " into the vault has not finished (no recovery point 1 "
          + "yet): complete the vault-seed-copy step first.");
    }
    if (!request.networkSeed()) {
      throw new NotSeededException("Protection " + id + " has no seed in the vault: seed it first (copy of the offline seed, or "
          + "network seeding).");
    }
    if (recorded.isEmpty() && remote.containsKey(RepositoryFiles.CONFIG)) {
      throw new VaultException("The vault holds a repository under " + id + "/ that the catalogue does not know: it is not this "
          + "worker's network seeding. Find out where it came from before seeding over the network.");
    }
  }

  /** Network seeding: a new repository in the cache, its key file made in the worker's key store when missing. */
  private void initialise(String id, Path cacheRoot) {
    Path keyFile = vault.keyFile(id);
    try {
      if (!Files.exists(keyFile)) {
        RepositorySecret.generateKeyFile(keyFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the key file " + keyFile + " (" + e.getMessage() + "): check the worker's key "
          + "directory.", e);
    }
    // An initialisation that died before its config is started over by init (nothing else exists yet).
    Repository.init(cacheRoot, RepositorySecret.ofKeyFile(keyFile), vault.settings().keyDerivation());
  }

  private static VaultProgress backingUp(BackupProgress p) {
    return new VaultProgress(VaultProgress.Phase.BACKING_UP, p.bytesDone(), p.bytesTotal(), p.filesDone(), p.filesTotal(), p.elapsed());
  }
}
