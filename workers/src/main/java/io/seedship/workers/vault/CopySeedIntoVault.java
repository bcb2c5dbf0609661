package io.seedship.workers.vault;

import io.seedship.workers.FileTrees;
import com.azure.storage.blob.BlobContainerClient;
import io.seedship.workers.ExclusiveFileLock;
import io.seedship.workers.repository.FilePackStore;
import io.seedship.workers.repository.RandomId;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.Snapshot;
import io.seedship.workers.repository.Verify;
import io.seedship.workers.repository.VerifyReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The copy of an offline seed into the vault (docs/vault.md §4): every repository blob of the import container into the
 * protection's vault prefix (server-side where the service allows), the packs verified against the staged index with
 * every chunk decrypted, then the snapshots (the commit) and recovery point 1 in the catalogue. Idempotent (a seed
 * recorded answers again) and resumable (blobs already copied are skipped).
 */
public final class CopySeedIntoVault {

  /** The datacenter's logs in the import container: never part of the repository. */
  static final String IMPORT_LOGS = "waimportexport/";

  /**
   * @param protectionId    the seeding id
   * @param storageAccount  the storage account the datacenter imported into (recorded for messages)
   * @param importContainer the container it imported into
   */
  public record Request(String protectionId, String storageAccount, String importContainer) {
  }

  /**
   * What the copy did: the seed's recovery point, whether an earlier run had done it all, blobs and bytes by the way
   * they went (server-side, streamed through the worker, already in the vault), and the read-data check.
   */
  public record Result(RecoveryPoint recoveryPoint, boolean alreadyDone, int blobsServerSide, int blobsStreamed, int blobsSkipped,
                       long bytes, long bytesStreamed, long chunksVerified, Duration duration) {

    /** Which copy ran, for the operator: SERVER_SIDE, STREAMED, both, or NONE when nothing had to be copied. */
    public String copyMethod() {
      if (blobsServerSide > 0 && blobsStreamed > 0) {
        return "SERVER_SIDE+STREAMED";
      }
      return blobsServerSide > 0 ? "SERVER_SIDE" : blobsStreamed > 0 ? "STREAMED" : "NONE";
    }
  }

  private final Vault vault;

  public CopySeedIntoVault(Vault vault) {
    this.vault = vault;
  }

  public Result copy(Request request, VaultListener listener) {
    Instant started = Instant.now();
    String id = Vault.checked(request.protectionId());
    VaultCatalogue catalogue = vault.catalogue();
    Optional<RecoveryPoint> seed = seedPoint(id);
    if (seed.isPresent()) {
      return new Result(seed.get(), true, 0, 0, 0, 0, 0, 0, Duration.between(started, Instant.now()));
    }
    ProtectionCache cache = vault.cache(id);
    VaultBlobs blobs = vault.blobs(id);
    try (ExclusiveFileLock lock = cache.lock()) {
      seed = seedPoint(id);
      if (seed.isPresent()) {
        return new Result(seed.get(), true, 0, 0, 0, 0, 0, 0, Duration.between(started, Instant.now()));
      }
      listener.progress(new VaultProgress(VaultProgress.Phase.SYNCING, 0, 0, 0, 0, Duration.ZERO));
      BlobContainerClient source = vault.importContainer(request.importContainer());
      Map<String, RemoteFile> imported = repositoryFilesOf(source, request);
      String repositoryId = ProtectionCache.repositoryId(source.getBlobClient(RepositoryFiles.CONFIG).downloadContent().toString(),
          "The config in import container " + request.importContainer());
      Map<String, RemoteFile> inVault = blobs.list();
      refuseAnotherRepository(id, repositoryId, blobs, inVault);
      vault.secret(id); // the key file must be here before anything is copied

      List<String> names = new ArrayList<>(imported.keySet());
      names.sort(RepositoryFiles.UPLOAD_ORDER);
      List<String> data = names.stream().filter(n -> !RepositoryFiles.isSnapshot(n)).toList();
      List<String> snapshots = names.stream().filter(RepositoryFiles::isSnapshot).toList();
      long total = imported.values().stream().mapToLong(RemoteFile::size).sum();
      Tally tally = new Tally(total, names.size(), listener, started);
      SeedCopier copier = new SeedCopier(source, blobs, vault.settings().copyMode(), cache.transferDir());
      for (String name : data) {
        tally.add(name, imported.get(name), copier.copy(name, imported.get(name), inVault.get(name)));
      }

      cache.sync(blobs, blobs.list());
      Path seedSnapshots = cache.root().resolve("seed-snapshots");
      Map<String, Path> extra = new LinkedHashMap<>();
      for (String name : snapshots) {
        Path file = seedSnapshots.resolve(RepositoryFiles.idOf(name));
        BlobFiles.download(source.getBlobClient(name), imported.get(name), file);
        extra.put(name, file);
      }
      listener.progress(new VaultProgress(VaultProgress.Phase.VERIFYING, tally.done, total, tally.items, names.size(), tally.elapsed()));
      VerifyReport report;
      List<Snapshot> seeded;
      try (VaultReader reader = VaultReader.open(vault, id, extra)) {
        // Every chunk is read here anyway: its block signatures go into the cache, so incrementals find their deltas
        // against the seed without downloading it (docs/repository-format.md §9).
        report = new Verify(reader.repository(), vault.settings().threads(), cache.root().resolve(Repository.SIGNATURES)).run(true);
        if (!report.ok()) {
          SeedDamagedException damage = damaged(id, request, report);
          // Known bad: removed, so that the run after a repair copies them again instead of skipping them.
          for (String pack : damage.damagedPacks()) {
            blobs.blob(RepositoryFiles.pack(RandomId.parse(pack))).deleteIfExists();
          }
          throw damage;
        }
        seeded = reader.snapshots();
      }

      for (String name : snapshots) {
        tally.add(name, imported.get(name), copier.copy(name, imported.get(name), inVault.get(name)));
      }
      cache.sync(blobs, blobs.list());
      try {
        FileTrees.deleteTree(seedSnapshots);
        FileTrees.deleteTree(cache.transferDir());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot clear " + seedSnapshots + ": " + e.getMessage(), e);
      }

      listener.progress(new VaultProgress(VaultProgress.Phase.RECORDING, tally.done, total, tally.items, names.size(), tally.elapsed()));
      Snapshot first = seeded.get(0);
      Protection protection = catalogue.ensureProtection(new Protection(id, first.source(), vault.settings().vaultContainer(),
          blobs.prefix(), repositoryId, SeedMethod.OFFLINE, Instant.now()));
      new PointFigures(first.id().hex(), null, RecoveryPointKind.SEED, first.bytes(), tally.streamed).write(cache.pointsDir());
      Set<String> inVaultNow = new LinkedHashSet<>(blobs.list().keySet());
      Repository cached = Repository.open(cache.root(), vault.secret(id), new FilePackStore(cache.root()));
      new PendingUploads(vault, id, listener, started).record(cached, protection, inVaultNow);
      RecoveryPoint point = seedPoint(id).orElseThrow(() -> new VaultException("The seed of protection " + id
          + " was copied but recovery point 1 is not of kind SEED: the catalogue had points before; check the protection."));
      listener.progress(new VaultProgress(VaultProgress.Phase.DONE, tally.done, total, tally.items, names.size(), tally.elapsed()));
      return new Result(point, false, tally.serverSide, tally.streamedBlobs, tally.skipped, total, tally.streamed, report.chunksChecked(),
          Duration.between(started, Instant.now()));
    }
  }

  private Optional<RecoveryPoint> seedPoint(String id) {
    return vault.catalogue().recoveryPoints(id).stream().filter(p -> p.kind() == RecoveryPointKind.SEED).findFirst();
  }

  /** The import's repository files; its logs left out; anything else refused (this is not a seed then). */
  private static Map<String, RemoteFile> repositoryFilesOf(BlobContainerClient source, Request request) {
    Map<String, RemoteFile> files = new TreeMap<>();
    List<String> strange = new ArrayList<>();
    BlobFiles.list(source, "").forEach((name, file) -> {
      if (name.startsWith(IMPORT_LOGS)) {
        return;
      }
      if (RepositoryFiles.isRepositoryFile(name)) {
        files.put(name, file);
      } else {
        strange.add(name);
      }
    });
    String where = "The import container " + request.importContainer() + " (storage account " + request.storageAccount() + ")";
    if (!strange.isEmpty()) {
      throw new VaultException(where + " holds blobs that are not part of a Seedship repository (" + String.join(", ",
          strange.subList(0, Math.min(5, strange.size()))) + (strange.size() > 5 ? ", …" : "") + "): check that it is this seeding's "
          + "container.");
    }
    if (!files.containsKey(RepositoryFiles.CONFIG)) {
      throw new VaultException(where + " holds no repository config: the import has not completed, or this is not the seeding's "
          + "container.");
    }
    if (files.keySet().stream().noneMatch(RepositoryFiles::isSnapshot)) {
      throw new VaultException(where + " holds no snapshot: the staged backup did not finish before disk preparation, or the "
          + "import lost it. Repair the import, then run the seed copy again.");
    }
    return files;
  }

  private void refuseAnotherRepository(String id, String repositoryId, VaultBlobs blobs, Map<String, RemoteFile> inVault) {
    if (inVault.containsKey(RepositoryFiles.CONFIG)) {
      String present = ProtectionCache.repositoryId(blobs.blob(RepositoryFiles.CONFIG).downloadContent().toString(), "The vault's config");
      if (!present.equals(repositoryId)) {
        throw new VaultException("The vault already holds repository " + present + " for protection " + id + ", the import holds "
            + repositoryId + ": the protection was seeded another way. Nothing was copied.");
      }
    }
    vault.catalogue().protection(id).ifPresent(p -> {
      if (!p.repositoryId().equals(repositoryId)) {
        throw new VaultException("The catalogue records repository " + p.repositoryId() + " for protection " + id + ", the import holds "
            + repositoryId + ": nothing was copied.");
      }
    });
  }

  private static SeedDamagedException damaged(String id, Request request, VerifyReport report) {
    Set<String> packs = new LinkedHashSet<>();
    StringBuilder details = new StringBuilder();
    for (VerifyReport.Problem problem : report.problems()) {
      if (problem.pack() != null) {
        packs.add(problem.pack());
      }
    }
    report.problems().stream().limit(20).forEach(p -> details.append("\n  ").append(p.kind()).append(": ").append(p.message())
        .append(p.affectedFiles().isEmpty() ? "" : " (affects " + String.join(", ", p.affectedFiles().subList(0,
            Math.min(3, p.affectedFiles().size()))) + (p.affectedFiles().size() > 3 ? ", …" : "") + ")"));
    String message = "The seed of protection " + id + " from import container " + request.importContainer() + " does not verify: "
        + (packs.isEmpty() ? "" : packs.size() + " damaged pack(s): " + String.join(", ", packs) + "; ")
        + report.problems().size() + " problem(s). Nothing was committed to the vault (the damaged packs' copies were removed from it). Repair the import (the failed files are uploaded "
        + "again from the staging location), then run the seed copy again." + details;
    return new SeedDamagedException(message, List.copyOf(packs));
  }

  /** Counts of the copy, and its progress reports. */
  private static final class Tally {
    final long total;
    final int count;
    final VaultListener listener;
    final Instant started;
    long done;
    long streamed;
    int items;
    int serverSide;
    int streamedBlobs;
    int skipped;

    Tally(long total, int count, VaultListener listener, Instant started) {
      this.total = total;
      this.count = count;
      this.listener = listener;
      this.started = started;
    }

    void add(String name, RemoteFile file, SeedCopier.Copied copied) {
      done += file.size();
      items++;
      switch (copied.way()) {
        case SERVER_SIDE -> serverSide++;
        case STREAMED -> {
          streamedBlobs++;
          streamed += copied.bytesSent();
        }
        case SKIPPED -> skipped++;
        default -> throw new IllegalStateException(name);
      }
      listener.progress(new VaultProgress(VaultProgress.Phase.COPYING, done, total, items, count, elapsed()));
    }

    Duration elapsed() {
      return Duration.between(started, Instant.now());
    }
  }
}
