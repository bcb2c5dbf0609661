package io.seedship.workers.vault;

import com.azure.storage.blob.BlobContainerClient;
import io.seedship.workers.Sizes;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DriveRecord;
import io.seedship.workers.staging.StagingLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * After the seed is in the vault, removes the copies it no longer needs (docs/vault.md §4), each when asked: the import
 * container's repository blobs, the staging repository folder, and the drive keys of the seeding's import jobs (every
 * attempt's; crypto-erase: overwritten, forced, deleted). Refused before the seed's recovery point exists. Each step
 * writes an audit record (who, when, what); a rerun finds nothing left and records that once.
 */
public final class CleanUpAfterSeed {

  /**
   * What to clean up; each step runs only when asked for.
   *
   * @param importContainer   the container the datacenter imported into (needed to delete the import copy)
   * @param stagingLocation   the staging location of the seeding (its repository is {@code seedship-<seedingId>} in it)
   * @param deleteImportCopy  delete the import container's repository blobs (its logs stay)
   * @param deleteStaging     delete the staging repository folder
   * @param eraseDriveKeys    crypto-erase the drive keys of every import job of the seeding in the worker's key store
   * @param actor             who asked (an operator's name, a worker id): goes into the audit trail
   */
  public record Request(String protectionId, String storageAccount, String importContainer, Path stagingLocation,
                        boolean deleteImportCopy, boolean deleteStaging, boolean eraseDriveKeys, String actor) {

    /** All three steps. */
    public static Request all(String protectionId, String storageAccount, String importContainer, Path stagingLocation, String actor) {
      return new Request(protectionId, storageAccount, importContainer, stagingLocation, true, true, true, actor);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vault vault;
  private final Clock clock;

  public CleanUpAfterSeed(Vault vault) {
    this(vault, Clock.systemUTC());
  }

  public CleanUpAfterSeed(Vault vault, Clock clock) {
    this.vault = vault;
    this.clock = clock;
  }

  /** Returns the audit records written by this call. */
  public List<AuditRecord> cleanUp(Request request) {
    String id = Vault.checked(request.protectionId());
    if (request.actor() == null || request.actor().isBlank()) {
      throw new IllegalArgumentException("Say who asks for the clean-up: the audit trail records it.");
    }
    boolean seeded = vault.catalogue().recoveryPoints(id).stream().anyMatch(p -> p.kind() == RecoveryPointKind.SEED);
    if (!seeded) {
      throw new NotSeededException("Protection " + id + " has no seed recovery point in the vault yet: the import, the staging "
          + "location and the drive keys are still the only copies of the seed. Nothing was deleted.");
    }
    if (request.deleteImportCopy() && (request.importContainer() == null || request.importContainer().isBlank())) {
      throw new IllegalArgumentException("Deleting the import copy needs the import container's name.");
    }
    if (request.deleteStaging() && request.stagingLocation() == null) {
      throw new IllegalArgumentException("Deleting the staged backup needs the staging location.");
    }
    List<AuditRecord> written = new ArrayList<>();
    if (request.deleteImportCopy()) {
      deleteImportCopy(id, request, written);
    }
    if (request.deleteStaging()) {
      deleteStaging(id, request, written);
    }
    if (request.eraseDriveKeys()) {
      eraseDriveKeys(id, request, written);
    }
    return written;
  }

  private void deleteImportCopy(String id, Request request, List<AuditRecord> written) {
    BlobContainerClient container = vault.importContainerIfExists(request.importContainer());
    String target = request.storageAccount() + "/" + request.importContainer();
    int blobs = 0;
    long bytes = 0;
    if (container != null) {
      for (Map.Entry<String, RemoteFile> blob : BlobFiles.list(container, "").entrySet()) {
        if (blob.getKey().startsWith(CopySeedIntoVault.IMPORT_LOGS) || !RepositoryFiles.isRepositoryFile(blob.getKey())) {
          continue;
        }
        container.getBlobClient(blob.getKey()).deleteIfExists();
        blobs++;
        bytes += blob.getValue().size();
      }
    }
    record(id, AuditAction.IMPORT_COPY_DELETED, target, blobs == 0 ? null
        : blobs + " repository blobs, " + Sizes.human(bytes) + " deleted; the import logs (" + CopySeedIntoVault.IMPORT_LOGS + ") kept",
        request.actor(), written);
  }

  private void deleteStaging(String id, Request request, List<AuditRecord> written) {
    Path repository = StagingLayout.repositoryFor(request.stagingLocation(), id);
    long[] counts = new long[2];
    try {
      if (Files.exists(repository, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> walk = Files.walk(repository)) {
          for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
              counts[0]++;
              counts[1] += Files.size(p);
            }
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Deleting the staging repository " + repository + " failed (" + e.getMessage() + "): fix the "
          + "permissions and run the clean-up again.", e);
    }
    record(id, AuditAction.STAGING_DELETED, repository.toString(), counts[0] == 0 ? null
        : counts[0] + " files, " + Sizes.human(counts[1]) + " deleted", request.actor(), written);
  }

  private void eraseDriveKeys(String id, Request request, List<AuditRecord> written) {
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(vault.settings().keyDirectory());
    for (String job : keyStore.jobs()) {
      if (!id.equals(keyStore.jobInfo(job).seedingId())) {
        continue;
      }
      Path folder = keyStore.jobFolder(job);
      List<String> drives = keyStore.drives(job).stream().map(DriveRecord::driveId).toList();
      int files = cryptoErase(folder);
      record(id, AuditAction.DRIVE_KEYS_ERASED, folder.toString(), "import job " + job + ": recovery passwords of drive(s) "
          + String.join(", ", drives) + " and " + files + " key-store files overwritten and deleted", request.actor(), written);
    }
    // A rerun after the folders are gone: the audit has them already, or records that nothing was left.
    Path root = keyStore.root();
    boolean anyAudited = vault.catalogue().auditTrail(id).stream().anyMatch(r -> r.action() == AuditAction.DRIVE_KEYS_ERASED);
    if (!anyAudited && written.stream().noneMatch(r -> r.action() == AuditAction.DRIVE_KEYS_ERASED)) {
      record(id, AuditAction.DRIVE_KEYS_ERASED, root.toString(), null, request.actor(), written);
    }
  }

  /**
   * Overwrites every file of the folder with random bytes, forces it to disk and deletes it, the recovery passwords
   * first and {@code job.properties} (what lists the job) last, so an interrupted erasure is found and finished by a
   * rerun; then the folder.
   */
  /** Overwrites every file below {@code folder} with random bytes, forces it to disk, deletes it; returns how many files. */
  public static int cryptoErase(Path folder) {
    try {
      List<Path> files = new ArrayList<>();
      List<Path> folders = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(folder)) {
        walk.forEach(p -> (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? folders : files).add(p));
      }
      files.sort(Comparator.comparingInt(CleanUpAfterSeed::erasureRank).thenComparing(Comparator.naturalOrder()));
      for (Path file : files) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          overwrite(file);
        }
        Files.delete(file);
      }
      folders.sort(Comparator.reverseOrder());
      for (Path dir : folders) {
        Files.delete(dir);
      }
      return files.size();
    } catch (IOException e) {
      throw new UncheckedIOException("Erasing the drive keys in " + folder + " failed (" + e.getMessage() + "): fix the cause and "
          + "run the clean-up again; files not yet overwritten are still there.", e);
    }
  }

  private static int erasureRank(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".recovery") ? 0 : name.equals("job.properties") ? 2 : 1;
  }

  private static void overwrite(Path file) throws IOException {
    long size = Files.size(file);
    byte[] noise = new byte[(int) Math.min(64 * 1024, Math.max(1, size))];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (long at = 0; at < size; at += noise.length) {
        RANDOM.nextBytes(noise);
        ByteBuffer buffer = ByteBuffer.wrap(noise, 0, (int) Math.min(noise.length, size - at));
        while (buffer.hasRemaining()) {
          channel.write(buffer, at + buffer.position());
        }
      }
      channel.force(true);
    }
  }

  /**
   * Audits what was deleted; when nothing was there ({@code detail} null) only once per action and target, so a
   * rerun does not repeat the trail.
   */
  private void record(String id, AuditAction action, String target, String detail, String actor, List<AuditRecord> written) {
    if (detail == null) {
      boolean audited = vault.catalogue().auditTrail(id).stream().anyMatch(r -> r.action() == action && r.target().equals(target));
      if (audited) {
        return;
      }
      detail = "nothing left to delete";
    }
    AuditRecord record = new AuditRecord(id, action, target, detail, actor, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    vault.catalogue().audit(record);
    written.add(record);
  }
}
