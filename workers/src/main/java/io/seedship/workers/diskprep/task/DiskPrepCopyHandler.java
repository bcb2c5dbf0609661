package io.seedship.workers.diskprep.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.seeding.ImportJobNames;
import io.seedship.workers.diskprep.DiskPrepException;
import io.seedship.workers.diskprep.DiskPrepOutcome;
import io.seedship.workers.diskprep.DiskPrepRequest;
import io.seedship.workers.diskprep.DiskPrepSettings;
import io.seedship.workers.diskprep.DriveIntegrityException;
import io.seedship.workers.diskprep.DriveRejectedException;
import io.seedship.workers.diskprep.PrepareDrives;
import io.seedship.workers.diskprep.PreparationLockedException;
import io.seedship.workers.worker.TaskPolicy;
import io.seedship.workers.worker.WorkerTaskHandler;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic {@code disk-prep-copy}: runs {@link PrepareDrives} on the drives of {@code drivePaths} (one folder
 * per line) and {@code additionalDrivePath}, heartbeats the lock, completes with {@code drivesPrepared}
 * (the number of sealed drives), throws {@code DRIVE_FULL} (with {@code fullDriveId}, {@code bytesRemaining})
 * when the drives are full and {@code DRIVE_REJECTED} (with {@code driveProblem}) for a drive the operator
 * must replace; other failures go to {@code handleFailure} with a retry countdown, or none when a retry
 * cannot help. Idempotent: a redelivery resumes, or answers from the key store when all is sealed. Secrets
 * stay in the worker's key store; variables carry ids and hashes only. The work runs on {@code executor}.
 */
public final class DiskPrepCopyHandler extends WorkerTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DiskPrepCopyHandler.class);

  private final PrepareDrives prepareDrives;

  public DiskPrepCopyHandler(PrepareDrives prepareDrives, DiskPrepSettings settings, Executor executor) {
    super(new TaskPolicy(settings.lockDuration(), settings.retries(), settings.retryTimeout()), executor);
    this.prepareDrives = prepareDrives;
  }

  @Override
  protected void work(ExternalTask task, ExternalTaskService service) {
    String seedingId = task.getVariable(SeedingProcess.Variables.SEEDING_ID);
    String staging = task.getVariable(SeedingProcess.Variables.STAGING_LOCATION);
    String jobName = task.getVariable(SeedingProcess.Variables.IMPORT_JOB_NAME);
    if (seedingId == null || staging == null || jobName == null) {
      incident(task, service, null, "The disk-prep task lacks seedingId, stagingLocation or importJobName: fix the seeding's "
          + "variables, then retry the incident.");
      return;
    }
    try {
      DiskPrepRequest request = new DiskPrepRequest(seedingId, Path.of(staging), ImportJobNames.forAttempt(jobName, attempt(task)),
          drives(task), Boolean.TRUE.equals(task.getVariable(SeedingProcess.Variables.FORMAT_CONFIRMED)), publishSettings(task));
      DiskPrepOutcome outcome = prepareDrives.prepare(request, new DiskPrepHeartbeat(task, service, policy.lockDuration()));
      if (outcome instanceof DiskPrepOutcome.DriveFull full) {
        String message = "Drive " + full.fullDriveId() + " is full; " + full.bytesRemaining() + " bytes in " + full.filesRemaining()
            + " files need another drive with at least " + full.smallestDriveBytes() + " bytes free.";
        LOG.info("Seeding {}: {}", seedingId, message);
        service.handleBpmnError(task, SeedingProcess.Errors.DRIVE_FULL, message, Map.of(
            SeedingProcess.Variables.FULL_DRIVE_ID, full.fullDriveId(),
            SeedingProcess.Variables.BYTES_REMAINING, full.bytesRemaining()));
        return;
      }
      LOG.info("Seeding {}: {} drive(s) prepared for import job {}", seedingId, outcome.drives().size(), request.importJob());
      service.complete(task, Map.of(SeedingProcess.Variables.DRIVES_PREPARED, outcome.drives().size()));
    } catch (DriveRejectedException | DriveIntegrityException e) {
      // A drive the operator has to replace or fix: back to "attach drives" with the reason.
      LOG.warn("Disk prep of task {}: drive rejected: {}", task.getId(), e.getMessage());
      service.handleBpmnError(task, SeedingProcess.Errors.DRIVE_REJECTED, e.getMessage(),
          Map.of(SeedingProcess.Variables.DRIVE_PROBLEM, e.getMessage()));
    } catch (PreparationLockedException | UncheckedIOException e) {
      retryLater(task, service, e, e.getMessage());
    } catch (DiskPrepException | IllegalArgumentException e) {
      // Not staged, staging changed, damaged key store, bad names: a retry cannot fix these.
      incident(task, service, e, e.getMessage());
    }
  }

  private static int attempt(ExternalTask task) {
    Object attempt = task.getVariable(SeedingProcess.Variables.IMPORT_JOB_ATTEMPT);
    return attempt instanceof Number n ? n.intValue() : 1;
  }

  private static List<Path> drives(ExternalTask task) {
    List<Path> drives = new ArrayList<>();
    String paths = task.getVariable(SeedingProcess.Variables.DRIVE_PATHS);
    String additional = task.getVariable(SeedingProcess.Variables.ADDITIONAL_DRIVE_PATH);
    for (String text : new String[] {paths, additional}) {
      if (text != null) {
        text.lines().map(String::strip).filter(l -> !l.isEmpty()).map(Path::of).forEach(drives::add);
      }
    }
    return drives;
  }

  private static Path publishSettings(ExternalTask task) {
    String path = task.getVariable(SeedingProcess.Variables.PUBLISH_SETTINGS_PATH);
    return path == null || path.isBlank() ? null : Path.of(path);
  }
}
