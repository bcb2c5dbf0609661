package io.seedship.workers.vault;

import io.seedship.workers.blob.UploadResult;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Uploads what the cache holds and the vault does not, in the order that makes the snapshot blob the commit
 * (docs/vault.md §3): config and keys, packs, index files, snapshots; then records the committed snapshots in the
 * catalogue and removes the uploaded packs from the cache.
 */
final class PendingUploads {

  /** What one pass did. */
  record Outcome(int blobsUploaded, int packsUploaded, long bytes, long bytesSent, List<RecoveryPoint> recorded) {
  }

  private final Vault vault;
  private final String protectionId;
  private final ProtectionCache cache;
  private final VaultBlobs blobs;
  private final VaultListener listener;
  private final Instant started;

  PendingUploads(Vault vault, String protectionId, VaultListener listener, Instant started) {
    this.vault = vault;
    this.protectionId = protectionId;
    this.cache = vault.cache(protectionId);
    this.blobs = vault.blobs(protectionId);
    this.listener = listener;
    this.started = started;
  }

  /** The cache's files that still have to go: every pack in it, and the other files the vault lacks; upload order. */
  List<String> pendingFiles(Map<String, RemoteFile> remote) {
    return cache.localFiles().stream().filter(name -> RepositoryFiles.isPack(name) || !remote.containsKey(name)).toList();
  }

  long bytes(List<String> names) {
    long total = 0;
    for (String name : names) {
      total += cache.size(name);
    }
    return total;
  }

  /**
   * One pass. {@code repository} is the cache's, opened for writing by this worker (the protection's lock is held):
   * first every finished pack of the cache is put into an index file, so that after the index files are uploaded every
   * uploaded pack is listed by one in the vault and may leave the cache.
   */
  Outcome run(Repository repository, Protection protection) {
    repository.recoverInterruptedWrites();
    Map<String, RemoteFile> remote = blobs.list();
    List<String> pending = pendingFiles(remote);
    long total = bytes(pending);
    boolean commits = pending.stream().anyMatch(RepositoryFiles::isSnapshot);
    long done = 0;
    long sent = 0;
    int count = 0;
    int packs = 0;
    for (String name : pending) {
      UploadResult result = blobs.upload(cache.file(name), name);
      done += result.bytes();
      sent += result.bytesSent();
      count++;
      packs += RepositoryFiles.isPack(name) ? 1 : 0;
      listener.progress(new VaultProgress(VaultProgress.Phase.UPLOADING, done, total, count, pending.size(), elapsed()));
    }
    if (!pending.isEmpty() && !commits) {
      // Packs and index files of a backup that has no snapshot yet: they count for the next recovery point.
      PointFigures.setCarryOver(cache.pointsDir(), PointFigures.carryOver(cache.pointsDir()) + total);
    }
    for (String name : pending) {
      if (RepositoryFiles.isPack(name)) {
        try {
          Files.deleteIfExists(cache.file(name));
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot remove the uploaded pack " + cache.file(name) + " from the cache: " + e.getMessage(), e);
        }
      }
    }
    Set<String> inVault = new HashSet<>(remote.keySet());
    inVault.addAll(pending);
    List<RecoveryPoint> recorded = record(repository, protection, inVault);
    return new Outcome(count, packs, total, sent, recorded);
  }

  /** Records every snapshot in the vault that the catalogue lacks, oldest first, with its figures when the cache has them. */
  List<RecoveryPoint> record(Repository repository, Protection protection, Set<String> inVault) {
    VaultCatalogue catalogue = vault.catalogue();
    Set<String> known = catalogue.recoveryPoints(protectionId).stream().map(RecoveryPoint::snapshotId).collect(Collectors.toSet());
    List<RecoveryPoint> recorded = new ArrayList<>();
    for (Snapshot snapshot : repository.snapshots()) {
      String id = snapshot.id().hex();
      if (!inVault.contains("snapshots/" + id) || known.contains(id)) {
        continue;
      }
      listener.progress(new VaultProgress(VaultProgress.Phase.RECORDING, 0, 0, recorded.size(), 0, elapsed()));
      PointFigures figures = PointFigures.read(cache.pointsDir(), id).orElse(null);
      RecoveryPointKind kind;
      if (figures != null) {
        kind = figures.kind();
      } else if (known.isEmpty() && recorded.isEmpty()) {
        kind = protection.seedMethod() == SeedMethod.OFFLINE ? RecoveryPointKind.SEED : RecoveryPointKind.NETWORK_SEED;
      } else {
        kind = RecoveryPointKind.INCREMENTAL;
      }
      RecoveryPoint point = catalogue.recordRecoveryPoint(protectionId, new NewRecoveryPoint(id, snapshot.parent(), kind,
          figures == null ? null : figures.requestId(), snapshot.time(), snapshot.files(), snapshot.bytes(),
          figures == null ? null : figures.changedBytes(), figures == null ? null : figures.uploadBytes()));
      PointFigures.delete(cache.pointsDir(), id);
      recorded.add(point);
    }
    return recorded;
  }

  private Duration elapsed() {
    return Duration.between(started, Instant.now());
  }
}
