package io.seedship.web.certificates;

import static io.seedship.processes.SeedingProcess.Variables.*;

import io.seedship.workers.certificates.AddRegistryEntries;
import io.seedship.workers.certificates.CertificateSetupException;
import io.seedship.workers.certificates.CreateNewApplication;
import io.seedship.workers.certificates.OfflineApplicationParams;
import io.seedship.workers.certificates.SettingsStore;
import io.seedship.workers.certificates.VerifyUploadedCertificate;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;

/**
 * The model's certificate topics, as thin as possible: read the task's variables, run the use case, hand
 * back identifiers and thumbprints. Key material never enters a variable.
 */
class CertificateTopics {

  private final String resourceId;
  private final CreateNewApplication createNewApplication;
  private final VerifyUploadedCertificate verifyUploadedCertificate;
  private final AddRegistryEntries addRegistryEntries;
  private final SettingsStore settings;

  CertificateTopics(String resourceId, CreateNewApplication createNewApplication, VerifyUploadedCertificate verifyUploadedCertificate,
                    AddRegistryEntries addRegistryEntries, SettingsStore settings) {
    this.resourceId = resourceId;
    this.createNewApplication = createNewApplication;
    this.verifyUploadedCertificate = verifyUploadedCertificate;
    this.addRegistryEntries = addRegistryEntries;
    this.settings = settings;
  }

  Map<String, Object> setUp(LockedExternalTask task) {
    CreateNewApplication.Result result = createNewApplication.run(text(task, SUBSCRIPTION_ID), resourceId);
    Map<String, Object> out = new HashMap<>();
    out.put(CERTIFICATE_SETUP, result.outcome().name());
    out.put(APPLICATION_ID, result.application().appId());
    out.put(CERTIFICATE_THUMBPRINT, result.certificate().thumbprint());
    out.put("certificateResourceId", resourceId);
    return out;
  }

  Map<String, Object> verify(LockedExternalTask task) {
    VerifyUploadedCertificate.Verdict verdict = verifyUploadedCertificate.verify(resourceId, text(task, UPLOADED_THUMBPRINT));
    Map<String, Object> out = new HashMap<>();
    out.put(THUMBPRINT_ACCEPTED, verdict.accepted());
    out.put(CERTIFICATE_PROBLEM, verdict.problem());
    return out;
  }

  Map<String, Object> register(LockedExternalTask task) {
    String subscriptionId = text(task, SUBSCRIPTION_ID);
    String params = settings.document(subscriptionId, OfflineApplicationParams.FILE_NAME).orElseThrow(() ->
        new CertificateSetupException("No " + OfflineApplicationParams.FILE_NAME + " for subscription " + subscriptionId
            + " in the settings store: the certificate setup has not run for it."));
    addRegistryEntries.run(subscriptionId, params, "settings store", text(task, STORAGE_ACCOUNT));
    return Map.of();
  }

  private static String text(LockedExternalTask task, String name) {
    Object value = task.getVariables().get(name);
    return value == null ? null : value.toString();
  }
}
