package io.seedship.workers.diskprep.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.diskprep.DiskPrepListener;
import io.seedship.workers.diskprep.DiskPrepProgress;
import io.seedship.workers.worker.TaskHeartbeat;
import java.time.Duration;
import java.util.Locale;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;

/** Preparation progress as the disk-prep task's heartbeat: lock extensions and visible progress. */
final class DiskPrepHeartbeat implements DiskPrepListener {

  private final TaskHeartbeat heartbeat;

  DiskPrepHeartbeat(ExternalTask task, ExternalTaskService service, Duration lockDuration) {
    this.heartbeat = new TaskHeartbeat(task, service, lockDuration, SeedingProcess.Variables.DISK_PREP_PROGRESS);
  }

  @Override
  public void progress(DiskPrepProgress p) {
    heartbeat.beat(p.phase() == DiskPrepProgress.Phase.DONE, String.format(Locale.ROOT,
        "%s drive %s, %d/%d files, %d/%d bytes, %.0f MB/s", p.phase(), p.driveId(), p.filesDone(), p.filesTotal(),
        p.bytesDone(), p.bytesTotal(), p.bytesPerSecond() / 1e6));
  }
}
