package io.seedship.workers.staging;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.repository.BackupProgress;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.worker.TaskHeartbeat;
import java.time.Duration;
import java.util.Locale;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;

/** Backup progress as the staging task's heartbeat: lock extensions and visible progress. */
final class LockHeartbeat implements ProgressListener {

  private final TaskHeartbeat heartbeat;

  LockHeartbeat(ExternalTask task, ExternalTaskService service, Duration lockDuration) {
    this.heartbeat = new TaskHeartbeat(task, service, lockDuration, SeedingProcess.Variables.STAGING_PROGRESS);
  }

  @Override
  public void progress(BackupProgress p) {
    heartbeat.beat(p.phase() == BackupProgress.Phase.DONE, String.format(Locale.ROOT, "%s %d/%d files, %d/%d bytes, %.0f MB/s",
        p.phase(), p.filesDone(), p.filesTotal(), p.bytesDone(), p.bytesTotal(), p.bytesPerSecond() / 1e6));
  }
}
