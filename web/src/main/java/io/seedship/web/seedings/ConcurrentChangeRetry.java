package io.seedship.web.seedings;

import io.seedship.seeding.SeedingConflictException;
import java.util.function.Supplier;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a change to a seeding in its own transaction and repeats it when the engine reports that a worker
 * changed the same process at the same moment (an optimistic-locking conflict), as Camunda advises.
 */
@Component
class ConcurrentChangeRetry {

  private static final int ATTEMPTS = 3;

  private final TransactionTemplate transaction;

  ConcurrentChangeRetry(PlatformTransactionManager transactions) {
    this.transaction = new TransactionTemplate(transactions);
  }

  <T> T run(String seedingId, Supplier<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.execute(status -> change.get());
      } catch (OptimisticLockingException e) {
        if (attempt == ATTEMPTS) {
          throw new SeedingConflictException("Seeding " + seedingId + " kept changing while this request was applied ("
              + ATTEMPTS + " attempts): send it again.");
        }
      }
    }
  }

  void run(String seedingId, Runnable change) {
    run(seedingId, () -> {
      change.run();
      return null;
    });
  }
}
