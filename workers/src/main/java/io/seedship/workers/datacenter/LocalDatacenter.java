package io.seedship.workers.datacenter;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import io.seedship.workers.blob.ChecksummedUpload;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for the Import/Export datacenter (docs/datacenter.md). Nothing runs in the background:
 * every call first performs what became due on the clock ({@link #advance()}), so a test moves the clock
 * and calls {@code status}. The import of arrived drives is real work done inside that call.
 */
public final class LocalDatacenter implements ImportExportService {

  private static final Logger LOG = LoggerFactory.getLogger(LocalDatacenter.class);

  private final DatacenterStore store;
  private final DatacenterSettings settings;
  private final Clock clock;
  private final BlobContainers containers;
  private final DriveImport driveImport;

  public LocalDatacenter(DatacenterStore store, DatacenterSettings settings, Clock clock, BlobContainers containers,
                         UnlockSecrets secrets, DriveDock dock, java.nio.file.Path scratch) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.containers = containers;
    this.driveImport = new DriveImport(secrets, dock, scratch);
  }

  @Override
  public synchronized CreatedJob createJob(JobRequest request) {
    advance();
    if (request.drives().isEmpty() || request.drives().size() > DatacenterSettings.MAX_DRIVES) {
      throw new ImportJobRefusedException("Import job " + request.name() + " lists " + request.drives().size() + " drives; a job "
          + "takes 1 to " + DatacenterSettings.MAX_DRIVES + ". Split the drives over several jobs.");
    }
    Set<String> ids = new HashSet<>();
    List<DatacenterDrive> drives = new ArrayList<>();
    for (DriveSpec spec : request.drives()) {
      if (!ids.add(spec.driveId())) {
        throw new ImportJobRefusedException("Drive " + spec.driveId() + " is listed twice in import job " + request.name()
            + ": list each drive once.");
      }
      drives.add(DatacenterDrive.specified(spec, drives.size() + 1));
    }
    Instant now = clock.instant();
    store.insert(new DatacenterJob(request.name(), request.storageAccount(), request.container(), request.returnAddress(),
        request.contact(), request.verboseLog(), JobState.Creating, now, now, null, null,
        "Waiting for shipping details (required within " + settings.creatingExpiry().toDays() + " days).", drives));
    return new CreatedJob(request.name(), settings.shipToAddress(), settings.carriers());
  }

  @Override
  public synchronized Optional<CreatedJob> existingJob(String jobName) {
    advance();
    return store.find(jobName).map(job -> new CreatedJob(job.jobId(), settings.shipToAddress(), settings.carriers()));
  }

  @Override
  public synchronized void updateShipping(String jobId, ShippingDetails shipping) {
    advance();
    DatacenterJob job = job(jobId);
    if (job.state() != JobState.Creating && job.state() != JobState.Shipping) {
      throw new ImportJobRefusedException("Import job " + jobId + " is " + job.state() + ": shipping details can only be given "
          + "before the package arrives.");
    }
    if (!settings.carriers().contains(shipping.carrier())) {
      throw new ImportJobRefusedException("Carrier " + shipping.carrier() + " is not accepted; use one of "
          + String.join(", ", settings.carriers()) + ".");
    }
    store.jobWithTrackingNumber(shipping.trackingNumber()).filter(holder -> !holder.equals(jobId)).ifPresent(holder -> {
      throw duplicateTracking(shipping.trackingNumber(), holder);
    });
    Instant now = clock.instant();
    DatacenterJob shipped = job.shipped(shipping, now);
    store.update(shipped.in(JobState.Shipping, shipped.stateSince(), "In transit with " + shipping.carrier() + " ("
        + shipping.trackingNumber() + "); the drives must arrive by " + shipped.shippingSubmittedAt().plus(settings.shippingWindow())
        + "."));
  }

  @Override
  public synchronized JobStatus status(String jobId) {
    advance();
    return job(jobId).status();
  }

  @Override
  public synchronized void cancel(String jobId) {
    advance();
    DatacenterJob job = job(jobId);
    if (job.state() != JobState.Creating) {
      throw new CancelRefusedException("Import job " + jobId + " is " + job.state() + " and can no longer be cancelled: "
          + "Import/Export cancels jobs only before the shipping details are in. Let it finish and repair what failed.");
    }
    store.update(job.in(JobState.Cancelled, clock.instant(), "Cancelled by the customer."));
  }

  /** Performs every transition that is due at the clock's current time, including the import of arrived drives. */
  public synchronized void advance() {
    for (DatacenterJob job : store.unfinished()) {
      DatacenterJob current = job;
      DatacenterJob next;
      while ((next = step(current)) != current) {
        current = next;
      }
    }
  }

  private DatacenterJob step(DatacenterJob job) {
    Instant now = clock.instant();
    return switch (job.state()) {
      case Creating -> now.isBefore(job.createdAt().plus(settings.creatingExpiry())) ? job
          : save(job.in(JobState.Cancelled, job.createdAt().plus(settings.creatingExpiry()), "Expired: no shipping details within "
              + settings.creatingExpiry().toDays() + " days of creation. Create a new import job."));
      case Shipping -> arrive(job, now);
      case Received -> now.isBefore(job.stateSince().plus(settings.receiptToTransfer())) ? job
          : transfer(job, job.stateSince().plus(settings.receiptToTransfer()));
      case Transferring -> transfer(job, job.stateSince());
      case Packaging -> now.isBefore(job.stateSince().plus(settings.packagingTime())) ? job : finish(job);
      default -> job;
    };
  }

  private DatacenterJob arrive(DatacenterJob job, Instant now) {
    Instant arrival = job.shippingSubmittedAt().plus(settings.transitTime());
    Instant deadline = job.shippingSubmittedAt().plus(settings.shippingWindow());
    if (!arrival.isAfter(deadline)) {
      if (now.isBefore(arrival)) {
        return job;
      }
      DatacenterJob received = job;
      for (DatacenterDrive d : job.drives()) {
        received = received.with(d.in(DriveState.Received, "Received on " + arrival + "."));
      }
      return save(received.in(JobState.Received, arrival, "Package received on " + arrival + "."));
    }
    if (now.isBefore(deadline)) {
      return job;
    }
    // Too late: the service does not process drives that arrive after the two-week window.
    BlobContainerClient container = containers.container(job.storageAccount(), job.container());
    DatacenterJob closed = job;
    for (DatacenterDrive d : job.drives()) {
      String message = "Never received: the drive did not arrive within " + settings.shippingWindow().toDays()
          + " days of the shipping details (" + job.shippingSubmittedAt() + "); it was not imported. Repair over the network "
          + "or create a new import job.";
      DriveImportResult result = DriveImport.driveFailed(job.jobId(), d.driveId(), DriveState.NeverReceived, message);
      closed = closed.with(withLogs(job, d.in(DriveState.NeverReceived, message), result, container));
    }
    return save(closed.in(JobState.Closed, deadline, "Closed: the package did not arrive within the two-week window."));
  }

  /** Imports every drive not imported yet; also resumes an import interrupted by a crash (uploads are idempotent). */
  /**
   * @param since when the transfer was due; the import takes no clock time, so a clock moved far ahead catches up
   *     exactly as if the datacenter had been watching
   */
  private DatacenterJob transfer(DatacenterJob job, Instant since) {
    DatacenterJob current = save(job.in(JobState.Transferring, since, "Transferring the drives' data into container "
        + job.container() + "."));
    BlobContainerClient container = containers.container(job.storageAccount(), job.container());
    ChecksummedUpload upload = new ChecksummedUpload(container);
    for (DatacenterDrive drive : job.drives()) {
      if (drive.state() != DriveState.Received && drive.state() != DriveState.Transferring) {
        continue;
      }
      DatacenterDrive transferring = drive.in(DriveState.Transferring, "Transferring.").progress(0, 0);
      current = save(current.with(transferring));
      LOG.info("Importing drive {} of job {} into container {}", drive.driveId(), job.jobId(), job.container());
      String jobId = job.jobId();
      DatacenterDrive[] live = {transferring};
      DriveImportResult result = driveImport.run(jobId, transferring, upload, (percent, bytes) -> {
        live[0] = live[0].progress(percent, bytes);
        store.update(store.find(jobId).orElseThrow().with(live[0]));
      });
      DatacenterDrive finished = withLogs(job, live[0].in(result.state(), result.message())
          .progress(result.state() == DriveState.Completed ? 100 : live[0].percentComplete(), result.bytesSucceeded()),
          result, container);
      current = save(store.find(jobId).orElseThrow().with(finished));
      LOG.info("Drive {} of job {}: {} ({} bytes imported)", drive.driveId(), jobId, result.state(), result.bytesSucceeded());
    }
    return save(current.in(JobState.Packaging, since, "Packaging the drives for their return."));
  }

  private DatacenterJob finish(DatacenterJob job) {
    boolean allImported = job.drives().stream().allMatch(d -> d.state() == DriveState.Completed);
    Instant at = job.stateSince().plus(settings.packagingTime());
    return save(allImported ? job.in(JobState.Completed, at, "Completed: all drives imported.")
        : job.in(JobState.Closed, at, "Closed: some data was not imported; see the drives' error logs and repair the job."));
  }

  private DatacenterDrive withLogs(DatacenterJob job, DatacenterDrive drive, DriveImportResult result,
                                   BlobContainerClient container) {
    String errorLog = ImportErrorLog.blobName(job.jobId(), drive.driveId());
    container.getBlobClient(errorLog).upload(BinaryData.fromBytes(result.errorLog().text().getBytes(StandardCharsets.UTF_8)), true);
    String verboseLog = null;
    if (job.verboseLog()) {
      verboseLog = ImportErrorLog.verboseBlobName(job.jobId(), drive.driveId());
      String text = "# seedship import verbose log v1 job=" + job.jobId() + " drive=" + drive.driveId() + "\n"
          + String.join("\n", result.verboseLines()) + (result.verboseLines().isEmpty() ? "" : "\n");
      container.getBlobClient(verboseLog).upload(BinaryData.fromBytes(text.getBytes(StandardCharsets.UTF_8)), true);
    }
    return drive.logs(errorLog, verboseLog);
  }

  private DatacenterJob save(DatacenterJob job) {
    store.update(job);
    return job;
  }

  private DatacenterJob job(String jobId) {
    return store.find(jobId).orElseThrow(() -> new UnknownJobException("There is no import job " + jobId
        + " at this datacenter: check the job name."));
  }

  static DuplicateTrackingNumberException duplicateTracking(String trackingNumber, String holder) {
    return new DuplicateTrackingNumberException("Tracking number " + trackingNumber + " was already given for import job "
        + holder + ": each import job needs its own package and tracking number. Ship this job's drives in a separate "
        + "package and enter that package's tracking number.");
  }
}
