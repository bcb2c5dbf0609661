package io.seedship.workers.datacenter;

import io.seedship.workers.FileTrees;
import io.seedship.workers.blob.BlobUploadException;
import io.seedship.workers.blob.ChecksummedUpload;
import io.seedship.workers.blob.UploadResult;
import io.seedship.workers.diskprep.ChunkTamperedException;
import io.seedship.workers.diskprep.DriveFileMissingException;
import io.seedship.workers.diskprep.DriveIntegrityException;
import io.seedship.workers.diskprep.DriveNotSealedException;
import io.seedship.workers.diskprep.JournalTamperedException;
import io.seedship.workers.diskprep.ManifestEntry;
import io.seedship.workers.diskprep.ManifestTamperedException;
import io.seedship.workers.diskprep.ReadDrive;
import io.seedship.workers.diskprep.RecoveryPassword;
import io.seedship.workers.diskprep.WrongUnlockSecretException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Imports one arrived drive (docs/datacenter.md §3): unlock, check the manifest, decrypt and check every file,
 * upload each good file as a verified blob named by its path in the staged repository, and name every failure.
 */
final class DriveImport {

  private final UnlockSecrets secrets;
  private final DriveDock dock;
  private final Path scratch;

  DriveImport(UnlockSecrets secrets, DriveDock dock, Path scratch) {
    this.secrets = secrets;
    this.dock = dock;
    this.scratch = scratch;
  }

  /** @param progress receives (percent complete, bytes succeeded) after each imported file */
  DriveImportResult run(String jobId, DatacenterDrive drive, ChecksummedUpload upload, BiConsumer<Integer, Long> progress) {
    String id = drive.driveId();
    Path folder = dock.folderOf(jobId, id).orElse(null);
    if (folder == null) {
      return driveFailed(jobId, id, DriveState.DiskCorrupted, "Volume not found: the drive of job " + jobId + " with id " + id
          + " holds no readable Seedship volume. Check the drive id given at job creation.");
    }
    ReadDrive reader;
    try {
      RecoveryPassword password = secrets.resolve(jobId, id, drive.unlockSecretRef());
      reader = ReadDrive.open(folder, password, drive.manifestSha256());
    } catch (UnlockSecretUnavailableException | WrongUnlockSecretException e) {
      return driveFailed(jobId, id, DriveState.KeyInvalid, "Key invalid: the unlock secret given for drive " + id
          + " does not unlock it. Nothing of this drive was imported; repair the job over the network or ship the drive again "
          + "with its correct secret.");
    } catch (ManifestTamperedException | JournalTamperedException | DriveNotSealedException e) {
      return driveFailed(jobId, id, DriveState.ManifestError, "Manifest error: " + e.getMessage());
    } catch (DriveIntegrityException e) {
      return driveFailed(jobId, id, DriveState.DiskCorrupted, "Disk corrupted: " + e.getMessage());
    }
    if (!reader.importJob().equals(jobId) || !reader.driveId().equals(id)) {
      return driveFailed(jobId, id, DriveState.ManifestError, "Manifest error: the drive plugged in as " + id + " of job "
          + jobId + " is drive " + reader.driveId() + " of job " + reader.importJob() + ". Ship the right drive.");
    }
    return importFiles(jobId, id, reader, upload, progress);
  }

  private DriveImportResult importFiles(String jobId, String driveId, ReadDrive reader, ChecksummedUpload upload,
                                        BiConsumer<Integer, Long> progress) {
    Path target = scratch.resolve(jobId).resolve(driveId);
    List<ImportErrorLog.FileError> errors = new ArrayList<>();
    List<String> verbose = new ArrayList<>();
    long total = Math.max(1, reader.manifest().bytes());
    long done = 0;
    try {
      FileTrees.deleteTree(target);
      Files.createDirectories(target);
      DriveIntegrityException readFailure = null;
      try {
        reader.extractTo(target, bytes -> { });
      } catch (DriveIntegrityException e) {
        // The reader stops at the first damaged file; whatever it renamed into place before was fully checked.
        readFailure = e;
      }
      boolean failureNamed = false;
      for (ManifestEntry entry : reader.manifest().entries()) {
        Path file = target.resolve(entry.path());
        if (!Files.isRegularFile(file)) {
          if (!failureNamed && readFailure != null) {
            errors.add(new ImportErrorLog.FileError(entry.path(), problemOf(readFailure), readFailure.getMessage()));
            failureNamed = true;
          } else {
            errors.add(new ImportErrorLog.FileError(entry.path(), ImportErrorLog.FileProblem.NotRead,
                "Not read: the drive reader stops at the first damaged file on a drive. Repair the job over the network."));
          }
          continue;
        }
        try {
          UploadResult result = upload.upload(file, entry.path());
          done += entry.size();
          verbose.add("IMPORTED\t" + entry.path() + "\t" + entry.size() + "\tsha256=" + result.sha256()
              + (result.alreadyPresent() ? "\talready present" : ""));
          progress.accept((int) (done * 100 / total), done);
        } catch (BlobUploadException e) {
          errors.add(new ImportErrorLog.FileError(entry.path(), ImportErrorLog.FileProblem.UploadFailed, e.getMessage()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("The datacenter's scratch folder " + target + " cannot be used (" + e.getMessage()
          + "): free space there or configure another scratch folder, then advance the datacenter again.", e);
    } finally {
      deleteQuietly(target);
    }
    DriveState state = errors.isEmpty() ? DriveState.Completed : DriveState.CompletedMoreInfo;
    String message = errors.isEmpty() ? "All " + reader.manifest().entries().size() + " files imported."
        : errors.size() + " of " + reader.manifest().entries().size() + " files not imported: see the error log.";
    return new DriveImportResult(state, done, message, new ImportErrorLog(jobId, driveId, state, List.of(), errors), verbose);
  }

  private static ImportErrorLog.FileProblem problemOf(DriveIntegrityException e) {
    if (e instanceof DriveFileMissingException) {
      return ImportErrorLog.FileProblem.Missing;
    }
    return e instanceof ChunkTamperedException ? ImportErrorLog.FileProblem.Corrupted : ImportErrorLog.FileProblem.NotRead;
  }

  static DriveImportResult driveFailed(String jobId, String driveId, DriveState state, String message) {
    ImportErrorLog log = new ImportErrorLog(jobId, driveId, state, List.of(new ImportErrorLog.DriveError(driveId, state, message)),
        List.of());
    return new DriveImportResult(state, 0, message, log, List.of());
  }


  private static void deleteQuietly(Path root) {
    try {
      FileTrees.deleteTree(root);
    } catch (IOException leftOver) {
      // Scratch space only: the next import of this drive deletes it first.
    }
  }
}
