package io.seedship.workers.worker;

import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long external task alive and visible: extends its lock at a third of the lock duration, and every
 * 10 s logs the progress and publishes it as a process variable (shown in Cockpit and the status API).
 * Progress text must never hold secrets.
 */
public final class TaskHeartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(TaskHeartbeat.class);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  private final ExternalTask task;
  private final ExternalTaskService service;
  private final Duration lockDuration;
  private final String progressVariable;
  private long lastExtension = System.nanoTime();
  private long lastReport = System.nanoTime();

  public TaskHeartbeat(ExternalTask task, ExternalTaskService service, Duration lockDuration, String progressVariable) {
    this.task = task;
    this.service = service;
    this.lockDuration = lockDuration;
    this.progressVariable = progressVariable;
  }

  /** Called on every progress report of the work; cheap when nothing is due. */
  public void beat(boolean done, String progress) {
    long now = System.nanoTime();
    boolean report = done || Duration.ofNanos(now - lastReport).compareTo(REPORT_EVERY) >= 0;
    boolean extend = !done && Duration.ofNanos(now - lastExtension).compareTo(lockDuration.dividedBy(3)) >= 0;
    if (extend) {
      lastExtension = now;
      service.extendLock(task, lockDuration.toMillis());
    }
    if (report) {
      lastReport = now;
      LOG.info("{} task {} of seeding {}: {}", task.getTopicName(), task.getId(), task.getBusinessKey(), progress);
      if (!done) {
        service.setVariables(task, Map.of(progressVariable, progress));
      }
    }
  }
}
