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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
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
   * uploaded pack is listed by one in the vault and may leave the cache. {@code remote} is the vault's listing of the
   * protection, taken under the lock (nobody else writes the prefix); what this pass uploads is added to it.
   * {@code step} names the pass for the listener's step timing.
   *
   * <p>The files go up in steps of one kind — config, keys, packs, index files, snapshots (docs/vault.md §3) — and each
   * step only begins once every upload of the one before has been committed and checked; within a step the files go
   * up side by side.
   */
  Outcome run(Repository repository, Protection protection, String step, Map<String, RemoteFile> remote) {
    repository.recoverInterruptedWrites();
    List<String> pending = pendingFiles(remote);
    long total = bytes(pending);
    boolean commits = pending.stream().anyMatch(RepositoryFiles::isSnapshot);
    Tally tally = new Tally(total, pending.size());
    for (int rank = 0; rank <= RepositoryFiles.rank("snapshots/"); rank++) {
      int wanted = rank;
      List<String> kind = pending.stream().filter(name -> RepositoryFiles.rank(name) == wanted).toList();
      if (!kind.isEmpty()) {
        listener.step(step + "-" + RepositoryFiles.kindOf(kind.get(0)));
        uploadSideBySide(kind, remote, tally);
      }
    }
    listener.step(step + "-cleanup");
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
    listener.step(step + "-record");
    List<RecoveryPoint> recorded = record(repository, protection, remote.keySet());
    return new Outcome(tally.count, tally.packs, total, tally.sent, recorded);
  }

  /** What a pass did so far (updated by the thread that runs the pass only). */
  private static final class Tally {
    final long total;
    final int files;
    long done;
    long sent;
    int count;
    int packs;

    Tally(long total, int files) {
      this.total = total;
      this.files = files;
    }
  }

  /**
   * Uploads the files side by side on the vault's blob threads and returns once every one has finished (committed and
   * checked, or failed); the first failure is then thrown. Nothing is left running when it returns.
   */
  private void uploadSideBySide(List<String> names, Map<String, RemoteFile> remote, Tally tally) {
    CompletionService<UploadResult> done = new ExecutorCompletionService<>(vault.blobUploads());
    Map<Future<UploadResult>, String> running = new HashMap<>();
    for (String name : names) {
      // A file the listing shows may be there from a run that died after its upload: checked (downloaded), not sent again.
      boolean listed = remote.containsKey(name);
      running.put(done.submit(() -> listed ? blobs.upload(cache.file(name), name) : blobs.uploadNew(cache.file(name), name)), name);
    }
    RuntimeException failure = null;
    for (int i = 0; i < names.size(); i++) {
      Future<UploadResult> finished;
      try {
        finished = done.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.keySet().forEach(f -> f.cancel(true));
        throw new VaultException("The upload to the vault was interrupted; the next run finishes it.", e);
      }
      String name = running.get(finished);
      try {
        UploadResult result = finished.get();
        remote.put(name, new RemoteFile(name, result.bytes(), result.sha256(), null));
        tally.done += result.bytes();
        tally.sent += result.bytesSent();
        tally.count++;
        tally.packs += RepositoryFiles.isPack(name) ? 1 : 0;
        listener.progress(new VaultProgress(VaultProgress.Phase.UPLOADING, tally.done, tally.total, tally.count, tally.files, elapsed()));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        RuntimeException thrown = cause instanceof RuntimeException re ? re : new VaultException("Uploading " + name + " failed: " + cause, cause);
        failure = failure == null ? thrown : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VaultException("The upload to the vault was interrupted; the next run finishes it.", e);
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure; // the listener's: reported once the uploads in flight have finished
      }
    }
    if (failure != null) {
      throw failure;
    }
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
