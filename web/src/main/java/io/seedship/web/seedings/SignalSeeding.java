package io.seedship.web.seedings;

import io.seedship.processes.SeedingProcess;
import io.seedship.seeding.SeedingConflictException;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;

/** Cancels a seeding, or stops the incremental backups of a seeded protection. */
@Service
class SignalSeeding {

  private final RuntimeService runtime;
  private final SeedingRecords records;
  private final ConcurrentChangeRetry retry;

  SignalSeeding(RuntimeService runtime, SeedingRecords records, ConcurrentChangeRetry retry) {
    this.runtime = runtime;
    this.records = records;
    this.retry = retry;
  }

  void cancel(String seedingId) {
    deliver(seedingId, SeedingProcess.Messages.CANCEL_SEEDING, "it has already ended");
  }

  void stopProtection(String seedingId) {
    deliver(seedingId, SeedingProcess.Messages.STOP_PROTECTION,
        "its incremental backups have not started yet (cancel the seeding instead)");
  }

  private void deliver(String seedingId, String message, String whyNot) {
    retry.run(seedingId, () -> deliverOnce(seedingId, message, whyNot));
  }

  private void deliverOnce(String seedingId, String message, String whyNot) {
    SeedingRecords.Seeding seeding = records.get(seedingId);
    boolean subscribed = runtime.createEventSubscriptionQuery().processInstanceId(seeding.processInstanceId())
        .eventType("message").eventName(message).count() > 0;
    if (!subscribed) {
      throw new SeedingConflictException("Seeding " + seedingId + " cannot take '" + message + "' now: " + whyNot
          + " (state " + seeding.state() + ").");
    }
    runtime.createMessageCorrelation(message).processInstanceId(seeding.processInstanceId()).correlate();
  }
}
