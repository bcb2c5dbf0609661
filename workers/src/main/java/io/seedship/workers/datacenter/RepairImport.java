package io.seedship.workers.datacenter;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.seedship.workers.blob.ChecksummedUpload;
import io.seedship.workers.blob.FileDigest;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DriveRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Repairs a {@code Closed} import job over the network (docs/datacenter.md §5): reads each drive's error log,
 * uploads only the failed files from the staged repository with checksums, then checks that every staged file
 * has a blob with its size and SHA-256.
 */
public final class RepairImport {

  private final ImportExportService service;
  private final BlobContainers containers;
  private final DiskPrepKeyStore keyStore;

  public RepairImport(ImportExportService service, BlobContainers containers, DiskPrepKeyStore keyStore) {
    this.service = service;
    this.containers = containers;
    this.keyStore = keyStore;
  }

  public RepairResult repair(String jobId, Path stagedRepository) {
    JobStatus job = service.status(jobId);
    if (job.state() != JobState.Closed) {
      throw new ImportJobRefusedException("Import job " + jobId + " is " + job.state() + "; only a Closed job (finished with "
          + "errors) is repaired. Wait for it to finish.");
    }
    BlobContainerClient container = containers.container(job.storageAccount(), job.container());
    TreeSet<String> failed = new TreeSet<>();
    for (DriveStatus drive : job.drives()) {
      if (drive.errorLogBlob() == null) {
        continue;
      }
      String text = container.getBlobClient(drive.errorLogBlob()).downloadContent().toString();
      ImportErrorLog log = ImportErrorLog.parse(text);
      log.fileErrors().forEach(e -> failed.add(e.blobName()));
      for (ImportErrorLog.DriveError e : log.driveErrors()) {
        failed.addAll(filesOfDrive(jobId, e.driveId()));
      }
    }
    ChecksummedUpload upload = new ChecksummedUpload(container);
    List<String> uploaded = new ArrayList<>();
    for (String name : failed) {
      Path file = stagedRepository.resolve(name);
      if (!Files.isRegularFile(file)) {
        throw new ImportJobRefusedException("The error log of job " + jobId + " names " + name + ", which is not in the staged "
            + "repository " + stagedRepository + ": give the staging location this job was prepared from.");
      }
      if (!upload.upload(file, name).alreadyPresent()) {
        uploaded.add(name);
      }
    }
    return new RepairResult(jobId, uploaded, differences(stagedRepository, container));
  }

  /** Staged files whose blob is missing or has another size or SHA-256 (as recorded at its verified upload). */
  static List<String> differences(Path stagedRepository, BlobContainerClient container) {
    Map<String, BlobItem> blobs = new HashMap<>();
    for (BlobItem item : container.listBlobs(new ListBlobsOptions().setDetails(
        new com.azure.storage.blob.models.BlobListDetails().setRetrieveMetadata(true)), null)) {
      blobs.put(item.getName(), item);
    }
    List<String> differing = new ArrayList<>();
    for (String name : StagedFiles.of(stagedRepository)) {
      BlobItem blob = blobs.get(name);
      try {
        FileDigest digest = FileDigest.of(stagedRepository.resolve(name), ChecksummedUpload.DEFAULT_BLOCK_SIZE);
        if (blob == null || blob.getProperties().getContentLength() != digest.size() || blob.getMetadata() == null
            || !digest.sha256().equals(blob.getMetadata().get("sha256"))) {
          differing.add(name);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read staged file " + name + " (" + e.getMessage() + ").", e);
      }
    }
    return differing;
  }

  /** The staged paths a drive was meant to carry: its record's file indexes, resolved through the job's plan. */
  private List<String> filesOfDrive(String jobId, String driveId) {
    DriveRecord record = keyStore.drives(jobId).stream().filter(r -> r.driveId().equals(driveId)).findFirst()
        .orElseThrow(() -> new ImportJobRefusedException("Drive " + driveId + " of job " + jobId + " failed as a whole, and the "
            + "key store " + keyStore.root() + " has no record of it: repair on the copy computer that prepared it."));
    Map<Integer, String> plan = new HashMap<>();
    Path planFile = keyStore.jobFolder(jobId).resolve("plan");
    try {
      // docs/drive-format.md section 7: index TAB size TAB path, one line per staged file
      for (String line : Files.readString(planFile, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          String[] f = line.split("\t", 3);
          plan.put(Integer.parseInt(f[0]), f[2]);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ImportJobRefusedException("The plan of job " + jobId + " (" + planFile + ") cannot be read (" + e.getMessage()
          + "): restore the key store.", e);
    }
    List<String> files = new ArrayList<>();
    for (int index : record.fileIndexes()) {
      files.add(plan.get(index));
    }
    return files;
  }
}
