package io.seedship.workers.vault.task;

import io.seedship.workers.repository.NotARepositoryException;
import io.seedship.workers.repository.RepositoryLockedException;
import io.seedship.workers.repository.SourceNotFoundException;
import io.seedship.workers.repository.SourceUnreadableException;
import io.seedship.workers.repository.WrongKeyException;
import io.seedship.workers.vault.ProtectionBusyException;
import io.seedship.workers.vault.VaultException;
import io.seedship.workers.vault.VaultListener;
import io.seedship.workers.vault.VaultProgress;
import io.seedship.workers.vault.VaultSettings;
import io.seedship.workers.worker.LockKeeper;
import io.seedship.workers.worker.TaskHeartbeat;
import io.seedship.workers.worker.TaskPolicy;
import io.seedship.workers.worker.WorkerTaskHandler;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;
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
abstract class VaultTaskHandler extends WorkerTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(VaultTaskHandler.class);

  protected final VaultSettings settings;

  VaultTaskHandler(VaultSettings settings, Executor executor) {
    super(new TaskPolicy(settings.lockDuration(), settings.retries(), settings.retryTimeout()), executor);
    this.settings = settings;
  }

  /** The work: returns the variables to complete the task with; throws what the handler classifies. */
  abstract Map<String, Object> perform(ExternalTask task, VaultListener listener);

  /** The variables this topic cannot do without. */
  abstract String[] requiredVariables();

  @Override
  protected final void work(ExternalTask task, ExternalTaskService service) {
    for (String variable : requiredVariables()) {
      if (required(task, service, variable) == null) {
        return;
      }
    }
    TaskHeartbeat heartbeat = new TaskHeartbeat(task, service, policy.lockDuration(), VaultTopics.PROGRESS_VARIABLE);
    Map<String, Object> variables;
    try (LockKeeper ignored = LockKeeper.keep(task, service, policy.lockDuration())) {
      variables = perform(task, p -> heartbeat.beat(false, describe(p)));
    } catch (ProtectionBusyException | RepositoryLockedException e) {
      retryLater(task, service, e, e.getMessage());
      return;
    } catch (VaultException | WrongKeyException | NotARepositoryException | SourceNotFoundException | SourceUnreadableException
             | IllegalArgumentException e) {
      // the seed is damaged, there is no seed or key, the vault holds something else, the source is gone: an operator decides
      incident(task, service, e, e.getMessage());
      return;
    } catch (RuntimeException e) {
      // the storage or the database not answering, a disk error: a retry may fix it
      retryLater(task, service, e, e.getMessage() == null ? e.toString() : e.getMessage());
      return;
    }
    LOG.info("{} task {} of seeding {} done: {}", task.getTopicName(), task.getId(), task.getBusinessKey(), variables);
    service.complete(task, variables);
  }

  static String describe(VaultProgress p) {
    return String.format(Locale.ROOT, "%s %d/%d, %d/%d bytes, %.1f MB/s", p.phase(), p.itemsDone(), p.itemsTotal(), p.bytesDone(),
        p.bytesTotal(), p.bytesPerSecond() / 1e6);
  }
}
