package io.seedship.web.seedings;

import static io.seedship.processes.SeedingProcess.Variables.REQUEST_PROBLEMS;
import static io.seedship.processes.SeedingProcess.Variables.REQUEST_VALID;
import static io.seedship.processes.SeedingProcess.Variables.SEEDING_ID;

import io.seedship.processes.SeedingProcess;
import io.seedship.seeding.SeedingConflictException;
import io.seedship.seeding.SeedingRequest;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts a seeding from the API. The request is checked before a process exists, so a client gets its
 * problems (400) or a name conflict (409) at once instead of an operator task.
 */
@Service
class StartSeeding {

  record Started(String seedingId, String processInstanceId, boolean requestValid, String requestProblems) {
  }

  private final RuntimeService runtime;
  private final SeedingRecords records;

  StartSeeding(RuntimeService runtime, SeedingRecords records) {
    this.runtime = runtime;
    this.records = records;
  }

  @Transactional
  Started start(SeedingRequestBody body) {
    SeedingRequest request = body.toRequest();
    List<String> problems = request.problemsWithPublishSettings();
    if (!problems.isEmpty()) {
      throw new InvalidRequestException("The seeding request has " + problems.size() + " problem(s); correct them and send it again.",
          problems);
    }
    if (request.isOffline()) {
      records.seedingWithImportJob(request.importJobName()).ifPresent(other -> {
        throw new SeedingConflictException("Import job name '" + request.importJobName() + "' is already used by seeding "
            + other + ": choose another name.");
      });
    }
    Map<String, Object> variables = body.variables();
    ProcessInstance instance = runtime.startProcessInstanceByKey(SeedingProcess.KEY, variables);
    Map<String, Object> after = runtime.getVariables(instance.getId(), List.of(SEEDING_ID, REQUEST_VALID, REQUEST_PROBLEMS));
    return new Started((String) after.get(SEEDING_ID), instance.getId(), Boolean.TRUE.equals(after.get(REQUEST_VALID)),
        (String) after.get(REQUEST_PROBLEMS));
  }
}
