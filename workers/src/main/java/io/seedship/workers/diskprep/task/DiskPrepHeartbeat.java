package io.seedship.workers.diskprep.task;

import io.seedship.workers.diskprep.DiskPrepListener;
import io.seedship.workers.diskprep.DiskPrepProgress;
import java.time.Duration;
import java.util.Locale;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns preparation progress into {@code extendLock} calls (at a third of the lock duration) and log lines. */
final class DiskPrepHeartbeat implements DiskPrepListener {

  private static final Logger LOG = LoggerFactory.getLogger(DiskPrepHeartbeat.class);

  private final ExternalTask task;
  private final ExternalTaskService service;
  private final Duration lockDuration;
  private long lastExtension = System.nanoTime();

  DiskPrepHeartbeat(ExternalTask task, ExternalTaskService service, Duration lockDuration) {
    this.task = task;
    this.service = service;
    this.lockDuration = lockDuration;
  }

  @Override
  public void progress(DiskPrepProgress p) {
    long now = System.nanoTime();
    if (Duration.ofNanos(now - lastExtension).compareTo(lockDuration.dividedBy(3)) < 0 && p.phase() != DiskPrepProgress.Phase.DONE) {
      return;
    }
    lastExtension = now;
    LOG.info(String.format(Locale.ROOT, "disk-prep task %s: %s drive %s, %d/%d files, %d/%d bytes, %.0f MB/s", task.getId(),
        p.phase(), p.driveId(), p.filesDone(), p.filesTotal(), p.bytesDone(), p.bytesTotal(), p.bytesPerSecond() / 1e6));
    if (p.phase() != DiskPrepProgress.Phase.DONE) {
      service.extendLock(task, lockDuration.toMillis());
    }
  }
}
