package io.seedship.workers.staging;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.repository.RepositoryException;
import io.seedship.workers.repository.RepositoryLockedException;
import io.seedship.workers.repository.SourceNotFoundException;
import io.seedship.workers.repository.SourceUnreadableException;
import io.seedship.workers.repository.StagingTooSmallException;
import io.seedship.workers.repository.WrongKeyException;
import io.seedship.workers.worker.TaskPolicy;
import io.seedship.workers.worker.WorkerTaskHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic {@code staging-backup}: runs {@link StageBackup} for the seeding, heartbeats the lock while it
 * runs, completes with {@code stagedSnapshotId}/{@code stagedBytes} (never key material), throws BPMN
 * error {@code STAGING_FAILED} with {@code stagingProblem} for what a retry cannot fix, and reports
 * anything else with {@code handleFailure} and a retry countdown. The work runs on {@code executor}, so
 * a long backup does not block the client's fetch loop for other topics.
 */
public final class StagingBackupHandler extends WorkerTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StagingBackupHandler.class);

  private final StageBackup stageBackup;

  public StagingBackupHandler(StageBackup stageBackup, StagingSettings settings, Executor executor) {
    super(new TaskPolicy(settings.lockDuration(), settings.retries(), settings.retryTimeout()), executor);
    this.stageBackup = stageBackup;
  }

  @Override
  protected void work(ExternalTask task, ExternalTaskService service) {
    String seedingId = task.getVariable(SeedingProcess.Variables.SEEDING_ID);
    String source = task.getVariable(SeedingProcess.Variables.PROTECTED_SOURCE);
    String staging = task.getVariable(SeedingProcess.Variables.STAGING_LOCATION);
    if (seedingId == null || source == null || staging == null) {
      bpmnError(task, service, "The staging task lacks seedingId, protectedSource or stagingLocation: fix the seeding request.");
      return;
    }
    LockHeartbeat heartbeat = new LockHeartbeat(task, service, policy.lockDuration());
    try {
      StagedBackup staged = stageBackup.stage(seedingId, Path.of(source), Path.of(staging), heartbeat);
      LOG.info("Seeding {} staged as snapshot {} ({} bytes in staging{})", seedingId, staged.snapshotId(), staged.stagedBytes(),
          staged.alreadyStaged() ? ", finished by an earlier delivery" : "");
      service.complete(task, Map.of(
          SeedingProcess.Variables.STAGED_SNAPSHOT_ID, staged.snapshotId(),
          SeedingProcess.Variables.STAGED_BYTES, staged.stagedBytes()));
    } catch (SourceNotFoundException | SourceUnreadableException | StagingTooSmallException | WrongKeyException
             | IllegalArgumentException e) {
      bpmnError(task, service, e.getMessage());
    } catch (RepositoryLockedException e) {
      retryLater(task, service, e, "Another delivery of this staging task is still running; this one retries later.");
    } catch (RepositoryException | java.io.UncheckedIOException e) {
      retryLater(task, service, e, e.getMessage());
    }
  }

  private void bpmnError(ExternalTask task, ExternalTaskService service, String problem) {
    LOG.warn("Staging of task {} cannot succeed: {}", task.getId(), problem);
    service.handleBpmnError(task, SeedingProcess.Errors.STAGING_FAILED, problem,
        Map.of(SeedingProcess.Variables.STAGING_PROBLEM, problem));
  }
}
