package io.seedship.workers.worker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an external task's lock alive while a call that reports no progress runs (the local datacenter's
 * import, a service that answers slowly): extends the lock every third of its duration until closed.
 */
public final class LockKeeper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LockKeeper.class);
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "seedship-lock-keeper");
    thread.setDaemon(true);
    return thread;
  });

  private final ScheduledFuture<?> renewal;

  private LockKeeper(ExternalTask task, ExternalTaskService service, Duration lockDuration) {
    long every = Math.max(1, lockDuration.toMillis() / 3);
    renewal = TIMER.scheduleAtFixedRate(() -> {
      try {
        service.extendLock(task, lockDuration.toMillis());
      } catch (RuntimeException e) {
        LOG.warn("Could not extend the lock of {} task {}: {}", task.getTopicName(), task.getId(), e.getMessage());
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  public static LockKeeper keep(ExternalTask task, ExternalTaskService service, Duration lockDuration) {
    return new LockKeeper(task, service, lockDuration);
  }

  @Override
  public void close() {
    renewal.cancel(false);
  }
}
