package io.seedship.workers.datacenter.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.datacenter.ImportJobRefusedException;
import io.seedship.workers.datacenter.RepairImport;
import io.seedship.workers.datacenter.RepairResult;
import io.seedship.workers.datacenter.UnknownJobException;
import io.seedship.workers.staging.StagingLayout;
import io.seedship.workers.worker.LockKeeper;
import io.seedship.workers.worker.WorkerTaskHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic {@code import-repair}: for a {@code Closed} import job, uploads over the network exactly the files the
 * drives' error logs name (or that a failed drive was meant to carry) from the staged repository, then checks
 * every staged file against its blob. Completes with {@code repairedFiles} only when the container matches the
 * staged repository; otherwise the failure names what still differs. Running it again re-checks and uploads
 * nothing that is already right.
 */
public final class RepairImportHandler extends WorkerTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RepairImportHandler.class);

  private final RepairImport repair;

  public RepairImportHandler(RepairImport repair, ImportTopicSettings settings, Executor executor) {
    super(settings.policy(), executor);
    this.repair = repair;
  }

  @Override
  protected void work(ExternalTask task, ExternalTaskService taskService) {
    String jobId = required(task, taskService, SeedingProcess.Variables.IMPORT_JOB_ID);
    String seedingId = jobId == null ? null : required(task, taskService, SeedingProcess.Variables.SEEDING_ID);
    String staging = seedingId == null ? null : required(task, taskService, SeedingProcess.Variables.STAGING_LOCATION);
    if (staging == null) {
      return;
    }
    Path repository = StagingLayout.repositoryFor(Path.of(staging), seedingId);
    if (!Files.isDirectory(repository)) {
      incident(task, taskService, null, "The staged repository " + repository + " is not on this computer: the repair uploads "
          + "from the staging location. Run this worker where the staging location is mounted.");
      return;
    }
    try (LockKeeper ignored = LockKeeper.keep(task, taskService, policy.lockDuration())) {
      RepairResult result = repair.repair(jobId, repository);
      if (!result.containerMatches()) {
        retryLater(task, taskService, null, "After repairing import job " + jobId + ", " + result.stillDiffering().size()
            + " blob(s) still differ from the staged repository, e.g. " + result.stillDiffering().get(0) + ".");
        return;
      }
      LOG.info("Seeding {}: import job {} repaired over the network ({} file(s) uploaded); the container matches the staging "
          + "location", seedingId, jobId, result.uploaded().size());
      taskService.complete(task, Map.of(SeedingProcess.Variables.REPAIRED_FILES, result.uploaded().size()));
    } catch (ImportJobRefusedException | UnknownJobException e) {
      incident(task, taskService, e, e.getMessage());
    } catch (RuntimeException e) {
      retryLater(task, taskService, e, "The repair of import job " + jobId + " failed: " + e.getMessage());
    }
  }
}
