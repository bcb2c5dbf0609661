package io.seedship.workers.worker;

import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskHandler;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plumbing every worker topic shares: the work runs on the worker's executor (the client runs handlers
 * one at a time, so long work must not block its fetch loop), an unexpected exception becomes a failure with
 * a retry countdown instead of a silently expiring lock, and failures are reported with their message.
 */
public abstract class WorkerTaskHandler implements ExternalTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerTaskHandler.class);

  protected final TaskPolicy policy;
  private final Executor executor;

  protected WorkerTaskHandler(TaskPolicy policy, Executor executor) {
    this.policy = policy;
    this.executor = executor;
  }

  @Override
  public final void execute(ExternalTask task, ExternalTaskService service) {
    executor.execute(() -> {
      try {
        work(task, service);
      } catch (RuntimeException e) {
        LOG.error("{} task {} of seeding {} failed unexpectedly", task.getTopicName(), task.getId(), task.getBusinessKey(), e);
        retryLater(task, service, e, "Unexpected failure: " + e);
      }
    });
  }

  /** Does the task's work and completes it, or reports a failure or a BPMN error. */
  protected abstract void work(ExternalTask task, ExternalTaskService service);

  /** A failure a retry may fix (a service not answering, a lock held elsewhere): retried after the policy's wait. */
  protected void retryLater(ExternalTask task, ExternalTaskService service, Exception e, String message) {
    report(task, service, e, message, policy.retriesLeftAfterFailure(task));
  }

  /** A failure no retry fixes (bad input, damaged data): an incident at once, for an operator to resolve. */
  protected void incident(ExternalTask task, ExternalTaskService service, Exception e, String message) {
    report(task, service, e, message, 0);
  }

  private void report(ExternalTask task, ExternalTaskService service, Exception e, String message, int retries) {
    LOG.warn("{} task {} of seeding {} failed ({} retries left): {}", task.getTopicName(), task.getId(), task.getBusinessKey(),
        retries, message);
    String details = e == null ? message : message + "\n" + e;
    service.handleFailure(task, abbreviate(message), details, retries, policy.retryTimeout().toMillis());
  }

  /** The engine keeps at most 666 characters of an error message. */
  private static String abbreviate(String message) {
    return message.length() <= 600 ? message : message.substring(0, 597) + "...";
  }

  /** A required variable, or null after raising an incident that names it. */
  protected String required(ExternalTask task, ExternalTaskService service, String variable) {
    Object value = task.getVariable(variable);
    if (value == null || value.toString().isBlank()) {
      incident(task, service, null, "The " + task.getTopicName() + " task lacks the variable '" + variable
          + "': set it on the process instance in Cockpit, then retry the incident.");
      return null;
    }
    return value.toString();
  }
}
