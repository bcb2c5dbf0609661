package io.seedship.workers.staging;

import io.seedship.workers.repository.BackupProgress;
import io.seedship.workers.repository.ProgressListener;
import java.time.Duration;
import java.util.Locale;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns backup progress into {@code extendLock} calls (at a third of the lock duration) and log lines. */
final class LockHeartbeat implements ProgressListener {

  private static final Logger LOG = LoggerFactory.getLogger(LockHeartbeat.class);

  private final ExternalTask task;
  private final ExternalTaskService service;
  private final Duration lockDuration;
  /** How often the progress is logged and published to the process. */
  private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  private long lastExtension = System.nanoTime();
  private long lastReport = System.nanoTime();

  LockHeartbeat(ExternalTask task, ExternalTaskService service, Duration lockDuration) {
    this.task = task;
    this.service = service;
    this.lockDuration = lockDuration;
  }

  @Override
  public void progress(BackupProgress p) {
    long now = System.nanoTime();
    boolean done = p.phase() == BackupProgress.Phase.DONE;
    boolean report = done || Duration.ofNanos(now - lastReport).compareTo(REPORT_EVERY) >= 0;
    boolean extend = !done && Duration.ofNanos(now - lastExtension).compareTo(lockDuration.dividedBy(3)) >= 0;
    if (!report && !extend) {
      return;
    }
    String progress = String.format(Locale.ROOT, "%s %d/%d files, %d/%d bytes, %.0f MB/s",
        p.phase(), p.filesDone(), p.filesTotal(), p.bytesDone(), p.bytesTotal(), p.bytesPerSecond() / 1e6);
    if (extend) {
      lastExtension = now;
      service.extendLock(task, lockDuration.toMillis());
    }
    if (report) {
      lastReport = now;
      LOG.info("staging task {} of seeding {}: {}", task.getId(), task.getBusinessKey(), progress);
      if (!done) {
        // visible in Cockpit and in the seeding's status while the backup runs
        service.setVariables(task, java.util.Map.of(io.seedship.processes.SeedingProcess.Variables.STAGING_PROGRESS, progress));
      }
    }
  }

}
