package io.seedship.processes.delegates;

import static io.seedship.processes.SeedingProcess.Variables.IMPORT_JOB_ATTEMPT;

import io.seedship.seeding.SeedingSchedule;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/** Fills in the schedule variables a request did not set, so every timer in the model has a value. */
public class ApplyScheduleDefaults implements ExecutionListener {

  @Override
  public void notify(DelegateExecution execution) {
    SeedingSchedule.DEFAULTS.forEach((name, value) -> {
      Object given = execution.getVariable(name);
      if (given == null || given.toString().isBlank()) {
        execution.setVariable(name, value);
      }
    });
    if (execution.getVariable(IMPORT_JOB_ATTEMPT) == null) {
      execution.setVariable(IMPORT_JOB_ATTEMPT, 1);
    }
  }
}
