package io.seedship.web.seedings;

import static io.seedship.processes.SeedingProcess.Variables.*;

import io.seedship.seeding.SeedingRequest;
import io.seedship.seeding.SeedingSchedule;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON a client posts to start a seeding: the same names as the model's variables. Durations and the
 * schedule are optional; missing ones take the real service's defaults.
 */
record SeedingRequestBody(
    String protectedSource,
    String stagingLocation,
    String publishSettingsPath,
    String importJobName,
    String subscriptionId,
    String storageAccount,
    String container,
    String replicationMethod,
    String shippingDetailsDeadline,
    String shippingDetailsReminder,
    String arrivalDeadline,
    String arrivalReminder,
    String importPollInterval,
    String backupSchedule) {

  Map<String, Object> variables() {
    Map<String, Object> v = new HashMap<>();
    v.put(PROTECTED_SOURCE, protectedSource);
    v.put(STAGING_LOCATION, stagingLocation);
    v.put(PUBLISH_SETTINGS_PATH, publishSettingsPath);
    v.put(IMPORT_JOB_NAME, importJobName);
    v.put(SUBSCRIPTION_ID, subscriptionId);
    v.put(STORAGE_ACCOUNT, storageAccount);
    v.put(CONTAINER, container);
    v.put(REPLICATION_METHOD, replicationMethod == null ? SeedingRequest.OFFLINE : replicationMethod);
    putUnlessBlank(v, SHIPPING_DETAILS_DEADLINE, shippingDetailsDeadline);
    putUnlessBlank(v, SHIPPING_DETAILS_REMINDER, shippingDetailsReminder);
    putUnlessBlank(v, ARRIVAL_DEADLINE, arrivalDeadline);
    putUnlessBlank(v, ARRIVAL_REMINDER, arrivalReminder);
    putUnlessBlank(v, IMPORT_POLL_INTERVAL, importPollInterval);
    putUnlessBlank(v, BACKUP_SCHEDULE, backupSchedule);
    SeedingSchedule.DEFAULTS.forEach(v::putIfAbsent);
    return v;
  }

  SeedingRequest toRequest() {
    Map<String, Object> v = variables();
    return new SeedingRequest(protectedSource, stagingLocation, publishSettingsPath, importJobName, subscriptionId,
        storageAccount, container, (String) v.get(REPLICATION_METHOD),
        new SeedingSchedule((String) v.get(SHIPPING_DETAILS_DEADLINE), (String) v.get(SHIPPING_DETAILS_REMINDER),
            (String) v.get(ARRIVAL_DEADLINE), (String) v.get(ARRIVAL_REMINDER), (String) v.get(IMPORT_POLL_INTERVAL),
            (String) v.get(BACKUP_SCHEDULE)));
  }

  private static void putUnlessBlank(Map<String, Object> v, String name, String value) {
    if (value != null && !value.isBlank()) {
      v.put(name, value);
    }
  }
}
