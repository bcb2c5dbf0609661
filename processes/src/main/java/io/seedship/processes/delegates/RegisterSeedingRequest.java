package io.seedship.processes.delegates;

import static io.seedship.processes.SeedingProcess.Variables.REQUEST_PROBLEMS;
import static io.seedship.processes.SeedingProcess.Variables.REQUEST_VALID;
import static io.seedship.processes.SeedingProcess.Variables.SEEDING_ID;

import io.seedship.seeding.SeedingConflictException;
import io.seedship.seeding.SeedingRegistry;
import io.seedship.seeding.SeedingRequest;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * Checks the request and records the seeding. Problems do not fail the process: they are handed to the
 * operator task "Correct the seeding request" as {@code requestProblems}, one per line.
 */
public class RegisterSeedingRequest implements JavaDelegate {

  private final SeedingRegistry registry;

  public RegisterSeedingRequest(SeedingRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void execute(DelegateExecution execution) {
    SeedingRequest request = ProcessVariables.seedingRequest(execution);
    List<String> problems = new java.util.ArrayList<>(request.problemsWithPublishSettings());
    if (problems.isEmpty()) {
      try {
        String seedingId = registry.register(execution.getProcessInstanceId(), request);
        execution.setVariable(SEEDING_ID, seedingId);
        execution.setProcessBusinessKey(seedingId);
      } catch (SeedingConflictException conflict) {
        problems.add(conflict.getMessage());
      }
    }
    execution.setVariable(REQUEST_VALID, problems.isEmpty());
    execution.setVariable(REQUEST_PROBLEMS, problems.isEmpty() ? null : String.join("\n", problems));
  }
}
