package io.seedship.workers.vault.task;

import io.seedship.workers.repository.NotARepositoryException;
import io.seedship.workers.repository.RepositoryLockedException;
import io.seedship.workers.repository.SourceNotFoundException;
import io.seedship.workers.repository.SourceUnreadableException;
import io.seedship.workers.repository.WrongKeyException;
import io.seedship.workers.vault.ProtectionBusyException;
import io.seedship.workers.vault.VaultException;
import io.seedship.workers.vault.VaultListener;
import io.seedship.workers.vault.VaultSettings;
import io.seedship.workers.worker.TaskHeartbeat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskHandler;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the vault's topics share: the work runs on the worker's executor (the client runs handlers one at a time); the
 * lock is extended every third of its duration even while the work reports nothing (a long read-data verify), and the
 * progress is published as {@link VaultTopics#PROGRESS_VARIABLE}; a failure a retry may fix goes to
 * {@code handleFailure} with a retry countdown, one it cannot (damaged seed, no seed, no key, no source, bad input)
 * with no retries, so an incident shows it at once. Redelivery is safe: the use cases are idempotent. Messages and
 * variables never hold secrets.
 */
abstract class VaultTaskHandler implements ExternalTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(VaultTaskHandler.class);
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "seedship-vault-lock");
    thread.setDaemon(true);
    return thread;
  });

  protected final VaultSettings settings;
  private final Executor executor;

  VaultTaskHandler(VaultSettings settings, Executor executor) {
    this.settings = settings;
    this.executor = executor;
  }

  @Override
  public final void execute(ExternalTask task, ExternalTaskService service) {
    executor.execute(() -> run(task, service));
  }

  /** The work: returns the variables to complete the task with; throws what the handler classifies. */
  abstract Map<String, Object> work(ExternalTask task, VaultListener listener);

  /** The variables this topic cannot do without. */
  abstract String[] requiredVariables();

  private void run(ExternalTask task, ExternalTaskService service) {
    for (String variable : requiredVariables()) {
      Object value = task.getVariable(variable);
      if (value == null || value.toString().isBlank()) {
        fail(task, service, null, "The " + task.getTopicName() + " task lacks the variable '" + variable + "': set it on the process "
            + "instance, then retry the incident.", 0);
        return;
      }
    }
    long every = Math.max(1000, settings.lockDuration().toMillis() / 3);
    ScheduledFuture<?> renewal = TIMER.scheduleAtFixedRate(() -> {
      try {
        service.extendLock(task, settings.lockDuration().toMillis());
      } catch (RuntimeException e) {
        LOG.warn("Could not extend the lock of {} task {}: {}", task.getTopicName(), task.getId(), e.getMessage());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    TaskHeartbeat heartbeat = new TaskHeartbeat(task, service, settings.lockDuration(), VaultTopics.PROGRESS_VARIABLE);
    try {
      Map<String, Object> variables = work(task, p -> heartbeat.beat(false, describe(p)));
      renewal.cancel(false);
      LOG.info("{} task {} of seeding {} done: {}", task.getTopicName(), task.getId(), task.getBusinessKey(), variables);
      service.complete(task, variables);
    } catch (ProtectionBusyException | RepositoryLockedException e) {
      fail(task, service, e, e.getMessage(), retriesLeft(task));
    } catch (VaultException | WrongKeyException | NotARepositoryException | SourceNotFoundException | SourceUnreadableException
             | IllegalArgumentException e) {
      // the seed is damaged, there is no seed or key, the vault holds something else, the source is gone: an operator decides
      fail(task, service, e, e.getMessage(), 0);
    } catch (RuntimeException e) {
      // the storage or the database not answering, a disk error: a retry may fix it
      fail(task, service, e, e.getMessage() == null ? e.toString() : e.getMessage(), retriesLeft(task));
    } finally {
      renewal.cancel(false);
    }
  }

  private int retriesLeft(ExternalTask task) {
    Integer retries = task.getRetries();
    return retries == null ? settings.retries() : Math.max(0, retries - 1);
  }

  private void fail(ExternalTask task, ExternalTaskService service, Exception e, String message, int retries) {
    LOG.warn("{} task {} of seeding {} failed ({} retries left): {}", task.getTopicName(), task.getId(), task.getBusinessKey(), retries,
        message);
    String shortMessage = message.length() <= 600 ? message : message.substring(0, 597) + "...";
    service.handleFailure(task, shortMessage, e == null ? message : message + "\n" + e.getClass().getName(), retries,
        settings.retryTimeout().toMillis());
  }

  static String describe(io.seedship.workers.vault.VaultProgress p) {
    return String.format(Locale.ROOT, "%s %d/%d, %d/%d bytes, %.1f MB/s", p.phase(), p.itemsDone(), p.itemsTotal(), p.bytesDone(),
        p.bytesTotal(), p.bytesPerSecond() / 1e6);
  }
}
