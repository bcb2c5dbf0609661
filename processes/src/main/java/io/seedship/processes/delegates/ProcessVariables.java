package io.seedship.processes.delegates;

import static io.seedship.processes.SeedingProcess.Variables.*;

import io.seedship.seeding.SeedingRequest;
import io.seedship.seeding.SeedingSchedule;
import io.seedship.seeding.ShippingDetails;
import org.camunda.bpm.engine.delegate.VariableScope;

/** Reads the domain's value objects out of process variables. */
final class ProcessVariables {

  private ProcessVariables() {
  }

  static SeedingRequest seedingRequest(VariableScope scope) {
    return new SeedingRequest(
        text(scope, PROTECTED_SOURCE), text(scope, STAGING_LOCATION), text(scope, PUBLISH_SETTINGS_PATH),
        text(scope, IMPORT_JOB_NAME), text(scope, SUBSCRIPTION_ID), text(scope, STORAGE_ACCOUNT),
        text(scope, CONTAINER), text(scope, REPLICATION_METHOD), schedule(scope));
  }

  static SeedingSchedule schedule(VariableScope scope) {
    return new SeedingSchedule(
        text(scope, SHIPPING_DETAILS_DEADLINE), text(scope, SHIPPING_DETAILS_REMINDER),
        text(scope, ARRIVAL_DEADLINE), text(scope, ARRIVAL_REMINDER),
        text(scope, IMPORT_POLL_INTERVAL), text(scope, BACKUP_SCHEDULE));
  }

  static ShippingDetails shippingDetails(VariableScope scope) {
    return new ShippingDetails(text(scope, CARRIER), text(scope, TRACKING_NUMBER), text(scope, SHIP_DATE),
        text(scope, RETURN_ADDRESS), text(scope, CONTACT));
  }

  static int importJobAttempt(VariableScope scope) {
    Object attempt = scope.getVariable(IMPORT_JOB_ATTEMPT);
    return attempt instanceof Number n ? n.intValue() : 1;
  }

  static String text(VariableScope scope, String name) {
    Object value = scope.getVariable(name);
    if (value == null) {
      return null;
    }
    // Camunda Forms' datetime fields hand over java.util.Date or ISO strings; both end up as text here.
    String s = value.toString().trim();
    return s.isEmpty() ? null : s;
  }
}
