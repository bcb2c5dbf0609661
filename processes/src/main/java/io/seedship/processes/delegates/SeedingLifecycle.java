package io.seedship.processes.delegates;

import static io.seedship.processes.SeedingProcess.Variables.ARRIVAL_DEADLINE;
import static io.seedship.processes.SeedingProcess.Variables.IMPORT_JOB_ATTEMPT;
import static io.seedship.processes.SeedingProcess.Variables.IMPORT_JOB_ID;
import static io.seedship.processes.SeedingProcess.Variables.IMPORT_JOB_NAME;
import static io.seedship.processes.SeedingProcess.Variables.IMPORT_JOB_STATE;
import static io.seedship.processes.SeedingProcess.Variables.SHIPPING_DETAILS_DEADLINE;
import static io.seedship.processes.SeedingProcess.Variables.PHASE;
import static io.seedship.processes.SeedingProcess.Variables.SEEDING_ID;
import static io.seedship.processes.SeedingProcess.Variables.STATUS_TEXT;

import io.seedship.seeding.ImportJobNames;
import io.seedship.seeding.SeedingPhase;
import io.seedship.seeding.SeedingRegistry;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Called from the model's expressions: keeps the phase and status text visible (process variables for
 * Cockpit and Tasklist, the seedings table for the API), raises reminders and counts import-job attempts.
 */
public class SeedingLifecycle {

  /** The backup console's words while the import job runs (the offline-backup guide). */
  public static final String WAITING_FOR_IMPORT_JOB = "Waiting for Azure Import Job to complete. Please check on Azure Management "
      + "portal for more information on job status";
  public static final String SCHEDULED_BACKUP_WAITING = "SCHEDULED_BACKUP_WAITING";

  private final SeedingRegistry registry;

  public SeedingLifecycle(SeedingRegistry registry) {
    this.registry = registry;
  }

  public void enterPhase(DelegateExecution execution, String phaseName) {
    SeedingPhase phase = SeedingPhase.valueOf(phaseName);
    execution.getProcessInstance().setVariable(PHASE, phase.name());
    execution.getProcessInstance().setVariable(STATUS_TEXT, phase.statusText());
    String seedingId = (String) execution.getVariable(SEEDING_ID);
    if (seedingId != null) {
      registry.enterPhase(seedingId, phase);
    }
  }

  public void remind(DelegateExecution execution, String kind) {
    String seedingId = (String) execution.getVariable(SEEDING_ID);
    String importJob = ImportJobNames.forAttempt(ProcessVariables.text(execution, IMPORT_JOB_NAME),
        ProcessVariables.importJobAttempt(execution));
    String message = switch (kind) {
      case "SHIPPING_DETAILS_DUE" -> "Shipping details for import job '" + importJob + "' are due within "
          + execution.getVariable(SHIPPING_DETAILS_DEADLINE) + " of the job's creation; without them the job expires.";
      case "ARRIVAL_DUE" -> "The drives of import job '" + importJob + "' must reach the datacenter within "
          + execution.getVariable(ARRIVAL_DEADLINE) + " of the shipping details, or they are not processed.";
      default -> throw new IllegalArgumentException("Unknown reminder " + kind);
    };
    registry.recordEvent(seedingId, "REMINDER_" + kind, message);
  }

  /**
   * A scheduled backup of the protection came due while its seed is still on its way into the storage account:
   * like the backup console, Seedship reports that it waits for the import job instead of backing up.
   */
  public void reportBackupWaitingForImport(DelegateExecution execution) {
    String seedingId = (String) execution.getVariable(SEEDING_ID);
    Object state = execution.getVariable(IMPORT_JOB_STATE);
    Object jobId = execution.getVariable(IMPORT_JOB_ID);
    registry.recordEvent(seedingId, SCHEDULED_BACKUP_WAITING, WAITING_FOR_IMPORT_JOB
        + (jobId == null ? "" : " (import job " + jobId + (state == null ? "" : ": " + state) + ")"));
  }

  public void nextImportJobAttempt(DelegateExecution execution) {
    execution.setVariable(IMPORT_JOB_ATTEMPT, ProcessVariables.importJobAttempt(execution) + 1);
  }
}
