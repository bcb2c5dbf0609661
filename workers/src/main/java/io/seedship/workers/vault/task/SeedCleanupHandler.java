package io.seedship.workers.vault.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.vault.AuditRecord;
import io.seedship.workers.vault.CleanUpAfterSeed;
import io.seedship.workers.vault.Vault;
import io.seedship.workers.vault.VaultListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.camunda.bpm.client.task.ExternalTask;

/**
 * Topic {@code seed-cleanup}: runs the clean-up the operator chose after the seed ({@code deleteImportCopy} with
 * {@code storageAccount}/{@code container}, {@code deleteStaging} with {@code stagingLocation}, {@code eraseDriveKeys}:
 * every import job of the seeding in this worker's key store, all attempts) and completes with {@code cleanupReport},
 * one line per audit record written. Refused (incident) before the seed's recovery point exists. The audit's actor is
 * {@code cleanupChosenBy} when the process sets it, with this worker and task. A redelivery finds nothing left and
 * writes no second record.
 */
public final class SeedCleanupHandler extends VaultTaskHandler {

  /** Optional: who chose the clean-up (the user task's assignee), for the audit trail. */
  public static final String CHOSEN_BY = "cleanupChosenBy";

  private final CleanUpAfterSeed cleanUp;

  public SeedCleanupHandler(Vault vault, Executor executor) {
    super(vault.settings(), executor);
    this.cleanUp = new CleanUpAfterSeed(vault);
  }

  @Override
  String[] requiredVariables() {
    return new String[] {SeedingProcess.Variables.SEEDING_ID};
  }

  @Override
  Map<String, Object> perform(ExternalTask task, VaultListener listener) {
    boolean importCopy = chosen(task, SeedingProcess.Variables.DELETE_IMPORT_COPY);
    boolean staging = chosen(task, SeedingProcess.Variables.DELETE_STAGING);
    boolean driveKeys = chosen(task, SeedingProcess.Variables.ERASE_DRIVE_KEYS);
    if (!importCopy && !staging && !driveKeys) {
      return Map.of(SeedingProcess.Variables.CLEANUP_REPORT, "Nothing chosen: the import copy, the staged backup and the drive keys stay.");
    }
    String stagingLocation = task.getVariable(SeedingProcess.Variables.STAGING_LOCATION);
    Object chosenBy = task.getVariable(CHOSEN_BY);
    String actor = (chosenBy == null ? "" : chosenBy + " via ") + "worker " + task.getWorkerId() + " (task " + task.getId() + ")";
    List<AuditRecord> records = cleanUp.cleanUp(new CleanUpAfterSeed.Request(task.getVariable(SeedingProcess.Variables.SEEDING_ID),
        task.getVariable(SeedingProcess.Variables.STORAGE_ACCOUNT), task.getVariable(SeedingProcess.Variables.CONTAINER),
        stagingLocation == null || stagingLocation.isBlank() ? null : Path.of(stagingLocation), importCopy, staging, driveKeys, actor));
    String report = records.isEmpty() ? "Nothing left to clean up: an earlier run did it (see the audit trail)."
        : records.stream().map(r -> r.action() + " " + r.target() + ": " + r.detail()).collect(Collectors.joining("\n"));
    return Map.of(SeedingProcess.Variables.CLEANUP_REPORT, report);
  }

  private static boolean chosen(ExternalTask task, String variable) {
    Object value = task.getVariable(variable);
    return Boolean.TRUE.equals(value) || "true".equals(value);
  }
}
