package io.seedship.web.seedings;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads what the registry wrote, for the status API. */
@Component
class SeedingRecords {

  record Seeding(String id, String processInstanceId, String importJobName, String replicationMethod, String storageAccount,
                 String containerName, String protectedSource, String stagingLocation, String state,
                 OffsetDateTime createdAt, OffsetDateTime updatedAt) {
  }

  record Shipment(String importJobName, String carrier, String trackingNumber, String shipDate, OffsetDateTime submittedAt) {
  }

  record Event(String kind, String message, OffsetDateTime occurredAt) {
  }

  private static final String SEEDING_COLUMNS = "id, process_instance_id, import_job_name, replication_method, storage_account, "
      + "container_name, protected_source, staging_location, state, created_at, updated_at";

  private final JdbcClient jdbc;

  SeedingRecords(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Seeding> find(String seedingId) {
    return jdbc.sql("SELECT " + SEEDING_COLUMNS + " FROM seedings WHERE id = ?").param(seedingId).query(Seeding.class).optional();
  }

  Seeding get(String seedingId) {
    return find(seedingId).orElseThrow(() -> new SeedingNotFoundException(seedingId));
  }

  List<Seeding> all() {
    return jdbc.sql("SELECT " + SEEDING_COLUMNS + " FROM seedings ORDER BY created_at DESC").query(Seeding.class).list();
  }

  Optional<String> seedingWithImportJob(String importJobName) {
    return jdbc.sql("SELECT id FROM seedings WHERE import_job_name = ?").param(importJobName).query(String.class).optional();
  }

  List<Shipment> shipments(String seedingId) {
    return jdbc.sql("SELECT import_job_name, carrier, tracking_number, CAST(ship_date AS varchar(10)) AS ship_date, submitted_at "
        + "FROM shipments WHERE seeding_id = ? ORDER BY submitted_at").param(seedingId).query(Shipment.class).list();
  }

  List<Event> events(String seedingId) {
    return jdbc.sql("SELECT kind, message, occurred_at FROM seeding_events WHERE seeding_id = ? ORDER BY id")
        .param(seedingId).query(Event.class).list();
  }
}
