package io.seedship.processes.delegates;

import static io.seedship.processes.SeedingProcess.Variables.IMPORT_JOB_NAME;
import static io.seedship.processes.SeedingProcess.Variables.SEEDING_ID;
import static io.seedship.processes.SeedingProcess.Variables.SHIPPING_PROBLEM;
import static io.seedship.processes.SeedingProcess.Variables.SHIPPING_RECORDED;

import io.seedship.seeding.ImportJobNames;
import io.seedship.seeding.SeedingConflictException;
import io.seedship.seeding.SeedingRegistry;
import io.seedship.seeding.ShippingDetails;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * Records the confirmed shipping details. A tracking number already used by another import job (or any
 * other defect) sends the operator back to "Enter the shipping details" with {@code shippingProblem}.
 */
public class RecordShippingDetails implements JavaDelegate {

  private final SeedingRegistry registry;

  public RecordShippingDetails(SeedingRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void execute(DelegateExecution execution) {
    ShippingDetails details = ProcessVariables.shippingDetails(execution);
    List<String> problems = new ArrayList<>(details.problems());
    if (problems.isEmpty()) {
      String importJob = ImportJobNames.forAttempt(
          ProcessVariables.text(execution, IMPORT_JOB_NAME), ProcessVariables.importJobAttempt(execution));
      try {
        registry.recordShipment((String) execution.getVariable(SEEDING_ID), importJob, details);
      } catch (SeedingConflictException conflict) {
        problems.add(conflict.getMessage());
      }
    }
    execution.setVariable(SHIPPING_RECORDED, problems.isEmpty());
    execution.setVariable(SHIPPING_PROBLEM, problems.isEmpty() ? null : String.join("\n", problems));
  }
}
