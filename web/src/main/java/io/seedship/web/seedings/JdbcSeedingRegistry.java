package io.seedship.web.seedings;

import io.seedship.seeding.SeedingConflictException;
import io.seedship.seeding.SeedingPhase;
import io.seedship.seeding.SeedingRegistry;
import io.seedship.seeding.SeedingRequest;
import io.seedship.seeding.ShippingDetails;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The registry in the seedings, shipments and seeding_events tables. It runs inside the engine's
 * transaction: conflicts are looked up first, and each insert runs under a savepoint so that a unique
 * violation from a concurrent request becomes a clear message instead of an aborted transaction.
 */
@Repository
class JdbcSeedingRegistry implements SeedingRegistry {

  private static final Logger log = LoggerFactory.getLogger(JdbcSeedingRegistry.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate savepoint;

  JdbcSeedingRegistry(JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.savepoint = new TransactionTemplate(transactions);
    this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
  }

  @Override
  public String register(String processInstanceId, SeedingRequest request) {
    Optional<String> own = jdbc.sql("SELECT id FROM seedings WHERE process_instance_id = ?")
        .param(processInstanceId).query(String.class).optional();
    String importJobName = request.isOffline() ? request.importJobName() : null;
    if (importJobName != null) {
      jdbc.sql("SELECT id FROM seedings WHERE import_job_name = ? AND process_instance_id <> ?")
          .params(importJobName, processInstanceId).query(String.class).optional()
          .ifPresent(other -> {
            throw importJobNameTaken(importJobName, other);
          });
    }
    String id = own.orElseGet(() -> UUID.randomUUID().toString());
    Timestamp now = Timestamp.from(Instant.now());
    try {
      savepoint.executeWithoutResult(status -> {
        if (own.isPresent()) {
          jdbc.sql("""
              UPDATE seedings SET import_job_name = ?, replication_method = ?, subscription_id = ?, storage_account = ?,
                     container_name = ?, staging_location = ?, publish_settings_path = ?, protected_source = ?, updated_at = ?
               WHERE id = ?""")
              .params(importJobName, request.replicationMethod(), request.subscriptionId(), request.storageAccount(),
                  request.container(), request.stagingLocation(), request.publishSettingsPath(), request.protectedSource(), now, id)
              .update();
        } else {
          jdbc.sql("""
              INSERT INTO seedings (id, process_instance_id, import_job_name, replication_method, subscription_id, storage_account,
                                    container_name, staging_location, publish_settings_path, protected_source, state, created_at, updated_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
              .params(id, processInstanceId, importJobName, request.replicationMethod(), request.subscriptionId(),
                  request.storageAccount(), request.container(), request.stagingLocation(), request.publishSettingsPath(),
                  request.protectedSource(), SeedingPhase.REQUEST.name(), now, now)
              .update();
        }
      });
    } catch (DuplicateKeyException race) {
      throw importJobNameTaken(importJobName, "registered a moment ago");
    }
    log.info("Registered seeding {} (import job {}, process instance {})", id, importJobName, processInstanceId);
    return id;
  }

  @Override
  public void recordShipment(String seedingId, String importJobName, ShippingDetails details) {
    String tracking = details.normalisedTrackingNumber();
    jdbc.sql("SELECT import_job_name FROM shipments WHERE tracking_number = ?").param(tracking).query(String.class).optional()
        .ifPresent(job -> {
          throw trackingNumberTaken(details.trackingNumber(), job);
        });
    jdbc.sql("SELECT tracking_number FROM shipments WHERE import_job_name = ?").param(importJobName).query(String.class).optional()
        .ifPresent(other -> {
          throw new SeedingConflictException("Import job '" + importJobName + "' already has a package (tracking number "
              + other + "): all drives of one import job travel in one package.");
        });
    try {
      savepoint.executeWithoutResult(status -> jdbc.sql("""
              INSERT INTO shipments (id, seeding_id, import_job_name, carrier, tracking_number, ship_date, return_address, contact, submitted_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
          .params(UUID.randomUUID().toString(), seedingId, importJobName, details.carrier(), tracking,
              LocalDate.parse(details.shipDate().substring(0, 10)), details.returnAddress(), details.contact(),
              Timestamp.from(Instant.now()))
          .update());
    } catch (DuplicateKeyException race) {
      throw trackingNumberTaken(details.trackingNumber(), "another import job");
    }
    log.info("Recorded shipment of seeding {} (import job {}, carrier {}, tracking {})", seedingId, importJobName,
        details.carrier(), tracking);
  }

  @Override
  public void enterPhase(String seedingId, SeedingPhase phase) {
    jdbc.sql("UPDATE seedings SET state = ?, updated_at = ? WHERE id = ?")
        .params(phase.name(), Timestamp.from(Instant.now()), seedingId).update();
    log.info("Seeding {} entered phase {}", seedingId, phase);
  }

  @Override
  public void recordEvent(String seedingId, String kind, String message) {
    jdbc.sql("INSERT INTO seeding_events (seeding_id, kind, message, occurred_at) VALUES (?, ?, ?, ?)")
        .params(seedingId, kind, message, Timestamp.from(Instant.now())).update();
    log.info("Seeding {}: {} - {}", seedingId, kind, message);
  }

  private static SeedingConflictException importJobNameTaken(String name, String otherSeeding) {
    return new SeedingConflictException("Import job name '" + name + "' is already used by seeding " + otherSeeding
        + ": choose another name.");
  }

  private static SeedingConflictException trackingNumberTaken(String trackingNumber, String importJob) {
    return new SeedingConflictException("Tracking number '" + trackingNumber + "' is already recorded for import job '"
        + importJob + "': every import job needs its own package.");
  }
}
