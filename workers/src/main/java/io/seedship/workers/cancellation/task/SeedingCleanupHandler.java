package io.seedship.workers.cancellation.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.cancellation.CleanUpCancelledSeeding;
import io.seedship.workers.worker.LockKeeper;
import io.seedship.workers.worker.TaskPolicy;
import io.seedship.workers.worker.WorkerTaskHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Topic {@code seeding-cleanup}: runs {@link CleanUpCancelledSeeding} and completes with {@code cleanupReport}. */
public final class SeedingCleanupHandler extends WorkerTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SeedingCleanupHandler.class);

  private final CleanUpCancelledSeeding cleanUp;

  public SeedingCleanupHandler(CleanUpCancelledSeeding cleanUp, TaskPolicy policy, Executor executor) {
    super(policy, executor);
    this.cleanUp = cleanUp;
  }

  @Override
  protected void work(ExternalTask task, ExternalTaskService service) {
    String seedingId = required(task, service, SeedingProcess.Variables.SEEDING_ID);
    if (seedingId == null) {
      return;
    }
    String staging = task.getVariable(SeedingProcess.Variables.STAGING_LOCATION);
    try (LockKeeper ignored = LockKeeper.keep(task, service, policy.lockDuration())) {
      List<String> report = cleanUp.cleanUp(seedingId, task.getVariable(SeedingProcess.Variables.IMPORT_JOB_ID),
          staging == null || staging.isBlank() ? null : Path.of(staging));
      LOG.info("Seeding {} cancelled and cleaned up: {}", seedingId, String.join("; ", report));
      service.complete(task, Map.of(SeedingProcess.Variables.CLEANUP_REPORT, String.join("\n", report)));
    } catch (RuntimeException e) {
      retryLater(task, service, e, "Cleaning up the cancelled seeding " + seedingId + " failed: " + e.getMessage());
    }
  }
}
