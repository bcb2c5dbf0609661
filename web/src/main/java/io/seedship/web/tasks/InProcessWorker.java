package io.seedship.web.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.ExternalTaskQueryBuilder;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Works the external tasks that belong to the server itself (the directory and the settings store live
 * here) through the engine's Java API instead of REST: fetch and lock, run, complete — or report the failure
 * with a retry countdown so that Cockpit shows an incident when the retries are spent. Work may be delivered
 * twice (a lock can expire), so handlers are idempotent.
 */
public class InProcessWorker implements SmartLifecycle {

  /** What a topic does with a locked task; returns the variables to complete it with. */
  public interface TopicHandler {
    Map<String, Object> handle(LockedExternalTask task);
  }

  private static final Logger log = LoggerFactory.getLogger(InProcessWorker.class);
  private static final int RETRIES = 3;
  private static final long RETRY_BACKOFF_MS = Duration.ofSeconds(30).toMillis();
  private static final long LOCK_MS = Duration.ofMinutes(5).toMillis();

  private final ExternalTaskService externalTasks;
  private final Map<String, TopicHandler> handlers;
  private final Duration pollInterval;
  private final String workerId;
  private ScheduledExecutorService poller;

  public InProcessWorker(ExternalTaskService externalTasks, Map<String, TopicHandler> handlers, Duration pollInterval, String workerId) {
    this.externalTasks = externalTasks;
    this.handlers = Map.copyOf(handlers);
    this.pollInterval = pollInterval;
    this.workerId = workerId;
  }

  /** Fetches and works whatever is due now; returns how many tasks it worked. */
  public int pollOnce() {
    ExternalTaskQueryBuilder fetch = externalTasks.fetchAndLock(10, workerId);
    handlers.keySet().forEach(topic -> fetch.topic(topic, LOCK_MS).enableCustomObjectDeserialization());
    List<LockedExternalTask> tasks = fetch.execute();
    for (LockedExternalTask task : tasks) {
      work(task);
    }
    return tasks.size();
  }

  private void work(LockedExternalTask task) {
    try {
      Map<String, Object> outputs = handlers.get(task.getTopicName()).handle(task);
      externalTasks.complete(task.getId(), workerId, outputs);
    } catch (RuntimeException e) {
      int retries = task.getRetries() == null ? RETRIES - 1 : task.getRetries() - 1;
      log.warn("Task {} ({}) of seeding {} failed, {} retries left: {}", task.getActivityId(), task.getTopicName(),
          task.getBusinessKey(), retries, e.getMessage());
      try {
        externalTasks.handleFailure(task.getId(), workerId, e.getMessage(), e.toString(), Math.max(retries, 0), RETRY_BACKOFF_MS);
      } catch (RuntimeException gone) {
        // the process moved on meanwhile (cancelled, or the lock expired and another worker took it)
        log.info("Task {} of seeding {} could not be marked failed: {}", task.getId(), task.getBusinessKey(), gone.getMessage());
      }
    }
  }

  @Override
  public void start() {
    poller = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "seedship-in-process-worker"));
    poller.scheduleWithFixedDelay(() -> {
      try {
        pollOnce();
      } catch (RuntimeException e) {
        log.warn("Fetching in-process work failed: {}", e.getMessage());
      }
    }, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    log.info("In-process worker {} polls {} every {} ms", workerId, handlers.keySet(), pollInterval.toMillis());
  }

  @Override
  public void stop() {
    if (poller != null) {
      poller.shutdown();
      try {
        poller.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return poller != null && !poller.isShutdown();
  }

  /** Stop before the engine and its database go away. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1000;
  }
}
