package io.seedship.web.seedings;

import static io.seedship.processes.SeedingProcess.Variables.*;

import io.seedship.processes.SeedingProcess;
import io.seedship.seeding.ImportJobNames;
import io.seedship.seeding.SeedingConflictException;
import io.seedship.seeding.SeedingRegistry;
import io.seedship.seeding.ShippingDetails;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;

/**
 * Shipping details from another system instead of Tasklist: accepted only while the seeding waits for them;
 * recorded (tracking number unique across import jobs) and handed to the process in one transaction.
 */
@Service
class SubmitShippingDetails {

  private final RuntimeService runtime;
  private final SeedingRecords records;
  private final SeedingRegistry registry;

  private final ConcurrentChangeRetry retry;

  SubmitShippingDetails(RuntimeService runtime, SeedingRecords records, SeedingRegistry registry, ConcurrentChangeRetry retry) {
    this.runtime = runtime;
    this.records = records;
    this.registry = registry;
    this.retry = retry;
  }

  void submit(String seedingId, ShippingDetails details) {
    retry.run(seedingId, () -> submitOnce(seedingId, details));
  }

  private void submitOnce(String seedingId, ShippingDetails details) {
    SeedingRecords.Seeding seeding = records.get(seedingId);
    List<String> problems = details.problems();
    if (!problems.isEmpty()) {
      throw new InvalidRequestException("The shipping details have " + problems.size() + " problem(s).", problems);
    }
    boolean waiting = runtime.createEventSubscriptionQuery().processInstanceId(seeding.processInstanceId())
        .eventType("message").eventName(SeedingProcess.Messages.SHIPPING_DETAILS_SUBMITTED).count() > 0;
    if (!waiting) {
      throw new SeedingConflictException("Seeding " + seedingId + " is not waiting for shipping details (state "
          + seeding.state() + "): they are accepted after the import job is created and before they are entered in Tasklist.");
    }
    Map<String, Object> variables = runtime.getVariables(seeding.processInstanceId(), List.of(IMPORT_JOB_NAME, IMPORT_JOB_ATTEMPT));
    int attempt = variables.get(IMPORT_JOB_ATTEMPT) instanceof Number n ? n.intValue() : 1;
    registry.recordShipment(seedingId, ImportJobNames.forAttempt((String) variables.get(IMPORT_JOB_NAME), attempt), details);

    Map<String, Object> shipping = new HashMap<>();
    shipping.put(CARRIER, details.carrier());
    shipping.put(TRACKING_NUMBER, details.trackingNumber());
    shipping.put(SHIP_DATE, details.shipDate());
    shipping.put(RETURN_ADDRESS, details.returnAddress());
    shipping.put(CONTACT, details.contact());
    shipping.put(SHIPPING_RECORDED, true);
    runtime.createMessageCorrelation(SeedingProcess.Messages.SHIPPING_DETAILS_SUBMITTED)
        .processInstanceId(seeding.processInstanceId())
        .setVariables(shipping)
        .correlate();
  }
}
