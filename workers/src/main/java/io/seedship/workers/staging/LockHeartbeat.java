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
  private long lastExtension = System.nanoTime();

  LockHeartbeat(ExternalTask task, ExternalTaskService service, Duration lockDuration) {
    this.task = task;
    this.service = service;
    this.lockDuration = lockDuration;
  }

  @Override
  public void progress(BackupProgress p) {
    long now = System.nanoTime();
    if (Duration.ofNanos(now - lastExtension).compareTo(lockDuration.dividedBy(3)) < 0 && p.phase() != BackupProgress.Phase.DONE) {
      return;
    }
    lastExtension = now;
    LOG.info(String.format(Locale.ROOT, "staging task %s: %s %d/%d files, %d/%d bytes, %.0f MB/s", task.getId(),
        p.phase(), p.filesDone(), p.filesTotal(), p.bytesDone(), p.bytesTotal(), p.bytesPerSecond() / 1e6));
    if (p.phase() != BackupProgress.Phase.DONE) {
      service.extendLock(task, lockDuration.toMillis());
    }
  }
}
