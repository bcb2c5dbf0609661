package io.seedship.workers.datacenter.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.datacenter.DriveState;
import io.seedship.workers.datacenter.DriveStatus;
import io.seedship.workers.datacenter.ImportExportService;
import io.seedship.workers.datacenter.JobStatus;
import io.seedship.workers.datacenter.UnknownJobException;
import io.seedship.workers.worker.LockKeeper;
import io.seedship.workers.worker.WorkerTaskHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic {@code import-job-status} (both "Check whether the drives arrived" and "Check the import job"): reads the
 * job and completes with {@code importJobState}, {@code drivesReceived}, {@code drivesNeverReceived} and a
 * one-line-per-drive {@code importProgress} (state, percent complete, bytes succeeded). Reading the local
 * datacenter's status also performs what became due there, the import of arrived drives included, so the lock is
 * kept alive meanwhile.
 */
public final class CheckImportJobHandler extends WorkerTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CheckImportJobHandler.class);

  private final ImportExportService service;

  public CheckImportJobHandler(ImportExportService service, ImportTopicSettings settings, Executor executor) {
    super(settings.policy(), executor);
    this.service = service;
  }

  @Override
  protected void work(ExternalTask task, ExternalTaskService taskService) {
    String jobId = required(task, taskService, SeedingProcess.Variables.IMPORT_JOB_ID);
    if (jobId == null) {
      return;
    }
    JobStatus status;
    try (LockKeeper ignored = LockKeeper.keep(task, taskService, policy.lockDuration())) {
      status = service.status(jobId);
    } catch (UnknownJobException e) {
      incident(task, taskService, e, e.getMessage());
      return;
    } catch (RuntimeException e) {
      retryLater(task, taskService, e, "The state of import job " + jobId + " could not be read: " + e.getMessage());
      return;
    }
    boolean neverReceived = status.drives().stream().anyMatch(d -> d.state() == DriveState.NeverReceived);
    boolean received = !neverReceived && switch (status.state()) {
      case Received, Transferring, Packaging, Completed, Closed -> true;
      default -> false;
    };
    Map<String, Object> variables = new HashMap<>();
    variables.put(SeedingProcess.Variables.IMPORT_JOB_STATE, status.state().name());
    variables.put(SeedingProcess.Variables.DRIVES_RECEIVED, received);
    variables.put(SeedingProcess.Variables.DRIVES_NEVER_RECEIVED, neverReceived);
    variables.put(SeedingProcess.Variables.IMPORT_PROGRESS, describe(status));
    LOG.info("Seeding {}: import job {} is {} ({})", task.getBusinessKey(), jobId, status.state(), status.message());
    taskService.complete(task, variables);
  }

  static String describe(JobStatus status) {
    String drives = status.drives().stream().map(CheckImportJobHandler::describe).collect(Collectors.joining("\n"));
    return "Import job " + status.jobId() + ": " + status.state() + (status.message() == null ? "" : " - " + status.message())
        + (drives.isEmpty() ? "" : "\n" + drives);
  }

  private static String describe(DriveStatus drive) {
    return "drive " + drive.driveId() + ": " + drive.state() + ", " + drive.percentComplete() + " % complete, "
        + drive.bytesSucceeded() + " bytes succeeded" + (drive.errorLogBlob() == null ? "" : ", error log " + drive.errorLogBlob())
        + (drive.message() == null ? "" : " - " + drive.message());
  }
}
