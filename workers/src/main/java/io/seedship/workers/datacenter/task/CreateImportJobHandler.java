package io.seedship.workers.datacenter.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.seeding.ImportJobNames;
import io.seedship.workers.datacenter.CreatedJob;
import io.seedship.workers.datacenter.DriveSpec;
import io.seedship.workers.datacenter.ImportExportService;
import io.seedship.workers.datacenter.ImportJobRefusedException;
import io.seedship.workers.datacenter.JobRequest;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DriveRecord;
import io.seedship.workers.worker.LockKeeper;
import io.seedship.workers.worker.WorkerTaskHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic {@code import-job-create}: creates the import job for the drives that disk preparation sealed for this
 * attempt's job name (the copy computer's key store knows them: drive id, manifest hash, the reference to the
 * unlock secret) and completes with {@code importJobId} and the datacenter's {@code shipToAddress}. A
 * redelivery finds the job it created before and answers the same.
 */
public final class CreateImportJobHandler extends WorkerTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CreateImportJobHandler.class);

  private final ImportExportService service;
  private final DiskPrepKeyStore keyStore;
  private final ImportTopicSettings settings;

  public CreateImportJobHandler(ImportExportService service, DiskPrepKeyStore keyStore, ImportTopicSettings settings,
                                Executor executor) {
    super(settings.policy(), executor);
    this.service = service;
    this.keyStore = keyStore;
    this.settings = settings;
  }

  @Override
  protected void work(ExternalTask task, ExternalTaskService taskService) {
    String baseName = required(task, taskService, SeedingProcess.Variables.IMPORT_JOB_NAME);
    String account = baseName == null ? null : required(task, taskService, SeedingProcess.Variables.STORAGE_ACCOUNT);
    String container = account == null ? null : required(task, taskService, SeedingProcess.Variables.CONTAINER);
    if (container == null) {
      return;
    }
    String jobName = ImportJobNames.forAttempt(baseName, attempt(task));
    if (!keyStore.jobExists(jobName)) {
      incident(task, taskService, null, "This copy computer's key store has no prepared drives for import job " + jobName
          + ": run disk preparation for it on this computer (or start this worker with the key store that prepared them).");
      return;
    }
    List<DriveRecord> drives = keyStore.drives(jobName);
    List<String> open = drives.stream().filter(d -> d.state() != DriveRecord.State.SEALED).map(DriveRecord::driveId).toList();
    if (drives.isEmpty() || !open.isEmpty()) {
      incident(task, taskService, null, "Import job " + jobName + " cannot be created: " + (drives.isEmpty() ? "no drive is prepared"
          : "drive(s) " + String.join(", ", open) + " are not sealed") + ". Finish disk preparation first.");
      return;
    }
    try (LockKeeper ignored = LockKeeper.keep(task, taskService, policy.lockDuration())) {
      Optional<CreatedJob> earlier = service.existingJob(jobName);
      CreatedJob created = earlier.isPresent() ? earlier.get() : service.createJob(new JobRequest(jobName, account, container,
          drives.stream().map(d -> new DriveSpec(d.driveId(), d.unlockSecretRef(), d.manifestSha256())).toList(),
          text(task, SeedingProcess.Variables.RETURN_ADDRESS, settings.returnAddress()),
          text(task, SeedingProcess.Variables.CONTACT, settings.contact()), settings.verboseLog()));
      LOG.info("Seeding {}: import job {} {} with {} drive(s); ship to: {}", task.getBusinessKey(), created.jobId(),
          earlier.isPresent() ? "already existed" : "created", drives.size(), created.shipToAddress());
      taskService.complete(task, Map.of(
          SeedingProcess.Variables.IMPORT_JOB_ID, created.jobId(),
          SeedingProcess.Variables.SHIP_TO_ADDRESS, created.shipToAddress() + " (carriers: " + String.join(", ", created.carriers())
              + ")"));
    } catch (ImportJobRefusedException e) {
      incident(task, taskService, e, e.getMessage());
    } catch (RuntimeException e) {
      retryLater(task, taskService, e, "The import job " + jobName + " could not be created: " + e.getMessage());
    }
  }

  static int attempt(ExternalTask task) {
    Object attempt = task.getVariable(SeedingProcess.Variables.IMPORT_JOB_ATTEMPT);
    return attempt instanceof Number n ? n.intValue() : 1;
  }

  private static String text(ExternalTask task, String variable, String fallback) {
    Object value = task.getVariable(variable);
    return value == null || value.toString().isBlank() ? fallback : value.toString();
  }
}
