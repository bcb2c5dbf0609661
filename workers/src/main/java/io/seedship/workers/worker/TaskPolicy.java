package io.seedship.workers.worker;

import java.time.Duration;
import org.camunda.bpm.client.task.ExternalTask;

/**
 * How a topic's external tasks are held and retried: the lock (renewed while the work runs), the retries a
 * failure that a retry may fix gets, and the wait between them. When the retries are spent the engine raises
 * an incident that Cockpit shows with the failure's message.
 */
public record TaskPolicy(Duration lockDuration, int retries, Duration retryTimeout) {

  public static TaskPolicy defaults() {
    return new TaskPolicy(Duration.ofMinutes(5), 3, Duration.ofMinutes(2));
  }

  /** The retries left after this failure: the countdown starts at {@link #retries()} on the first failure. */
  public int retriesLeftAfterFailure(ExternalTask task) {
    Integer retries = task.getRetries();
    return retries == null ? retries() : Math.max(0, retries - 1);
  }
}
