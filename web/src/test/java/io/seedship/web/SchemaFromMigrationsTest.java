package io.seedship.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedship.processes.SeedingProcess;
import io.seedship.web.support.PostgresIntegrationTest;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** On an empty PostgreSQL database the migrations create everything and the engine starts on them. */
class SchemaFromMigrationsTest extends PostgresIntegrationTest {

  @Autowired
  JdbcClient jdbc;

  @Autowired
  ProcessEngine engine;

  @Test
  void theMigrationsCreateCamundasAndSeedshipsTablesAndTheEngineDoesNotTouchTheSchema() {
    assertThat(((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getDatabaseSchemaUpdate()).isEqualTo("false");
    List<String> tables = jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        .query(String.class).list();
    assertThat(tables).contains("act_ru_execution", "act_hi_procinst", "act_ge_property",
        "seedings", "drives", "shipments", "seeding_events", "directory_applications", "directory_key_credentials",
        "offline_backup_registry", "offline_backup_documents", "dc_jobs", "dc_drives", "vault_protections",
        "vault_recovery_points", "vault_audit", "databasechangelog");
    assertThat(jdbc.sql("SELECT id FROM databasechangelog ORDER BY orderexecuted").query(String.class).list())
        .startsWith("7.16.0-baseline").contains("001-seedings", "001-drives", "001-shipments", "001-seeding-events",
            "002-directory", "002-settings", "003-dc-jobs", "004-vault-protections", "004-vault-recovery-points", "004-vault-audit");
  }

  @Test
  void theModelAndEveryFormAreDeployed() {
    ProcessDefinition definition = engine.getRepositoryService().createProcessDefinitionQuery()
        .processDefinitionKey(SeedingProcess.KEY).latestVersion().singleResult();
    assertThat(definition.getHistoryTimeToLive()).isEqualTo(180);
    List<String> resources = engine.getRepositoryService().getDeploymentResourceNames(definition.getDeploymentId());
    assertThat(resources).anyMatch(r -> r.endsWith("offline-seeding.bpmn"));
    assertThat(resources.stream().filter(r -> r.endsWith(".form")).map(r -> r.substring(r.lastIndexOf('/') + 1)))
        .containsExactlyInAnyOrder("seeding-request.form", "correct-seeding-request.form", "upload-certificate.form",
            "resolve-staging-problem.form", "attach-drives.form", "attach-additional-drive.form", "enter-shipping-details.form",
            "review-shipping-details.form", "decide-expired-import-job.form", "decide-missed-arrival.form",
            "choose-seed-cleanup.form");
  }

  @Test
  void theDatabaseItselfRefusesADuplicateImportJobNameAndTrackingNumber() {
    jdbc.sql("""
        INSERT INTO seedings (id, process_instance_id, import_job_name, replication_method, subscription_id, storage_account,
                              container_name, protected_source, state, created_at, updated_at)
        VALUES (?, ?, 'dup-job', 'offline', 'sub', 'acct', 'cont', '/src', 'REQUEST', now(), now())""")
        .params("s-1", "pi-1").update();
    assertThatThrownBy(() -> jdbc.sql("""
        INSERT INTO seedings (id, process_instance_id, import_job_name, replication_method, subscription_id, storage_account,
                              container_name, protected_source, state, created_at, updated_at)
        VALUES (?, ?, 'dup-job', 'offline', 'sub', 'acct', 'cont', '/src', 'REQUEST', now(), now())""")
        .params("s-2", "pi-2").update())
        .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("uq_seedings_import_job_name");

    jdbc.sql("INSERT INTO shipments (id, seeding_id, import_job_name, carrier, tracking_number, ship_date, return_address, contact, submitted_at)"
        + " VALUES ('sh-1', 's-1', 'dup-job', 'DHL', 'TRACK1', DATE '2026-11-03', 'addr', 'c', now())").update();
    assertThatThrownBy(() -> jdbc.sql("INSERT INTO shipments (id, seeding_id, import_job_name, carrier, tracking_number, ship_date,"
        + " return_address, contact, submitted_at) VALUES ('sh-2', 's-1', 'dup-job-2', 'DHL', 'TRACK1', DATE '2026-11-03', 'addr', 'c', now())")
        .update())
        .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("uq_shipments_tracking_number");
  }
}
