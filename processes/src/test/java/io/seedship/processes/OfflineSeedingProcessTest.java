package io.seedship.processes;

import static io.seedship.processes.SeedingProcess.Variables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.externalTask;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.externalTaskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.formService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import io.seedship.seeding.InMemorySeedingRegistry;
import io.seedship.seeding.SeedingPhase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives every path of the offline-seeding model on an in-memory engine. External tasks are completed the
 * way a worker would (with its outputs or a BPMN error); timers fire by moving the engine's clock.
 */
@Deployment(resources = {
    "seedship/offline-seeding.bpmn",
    "seedship/forms/seeding-request.form", "seedship/forms/correct-seeding-request.form",
    "seedship/forms/upload-certificate.form", "seedship/forms/resolve-staging-problem.form",
    "seedship/forms/attach-drives.form", "seedship/forms/attach-additional-drive.form",
    "seedship/forms/enter-shipping-details.form", "seedship/forms/review-shipping-details.form",
    "seedship/forms/decide-expired-import-job.form", "seedship/forms/decide-missed-arrival.form"})
class OfflineSeedingProcessTest {

  @RegisterExtension
  static ProcessEngineCoverageExtension coverage =
      ProcessEngineCoverageExtension.builder().assertClassCoverageAtLeast(1.0).build();

  private static Path publishSettings;

  private InMemorySeedingRegistry registry;

  @BeforeAll
  static void publishSettingsFile(@TempDir Path dir) throws IOException {
    publishSettings = Files.writeString(dir.resolve("subscription.publishsettings"), """
        <?xml version="1.0" encoding="utf-8"?>
        <PublishData>
          <PublishProfile SchemaVersion="2.0" PublishMethod="AzureServiceManagementAPI">
            <Subscription ServiceManagementUrl="https://management.core.windows.net"
                          Id="0f8fad5b-d9cb-469f-a165-70867728950e" Name="Model tests" />
          </PublishProfile>
        </PublishData>
        """);
  }

  @BeforeEach
  void registry() {
    ProcessEngine engine = coverage.getProcessEngine();
    registry = (InMemorySeedingRegistry) ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
        .getBeans().get("seedingRegistry");
    ClockUtil.setCurrentTime(java.util.Date.from(java.time.Instant.parse("2026-11-02T08:00:00Z")));
  }

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  // ---- paths ----

  @Test
  void offlineSeedingRunsFromRequestToIncrementalBackupsUntilProtectionIsStopped() {
    ProcessInstance pi = startSeeding(offlineRequest("job-happy"));
    assertThat(pi).hasPassed("RegisterRequest").isWaitingAt("PrepareApplication").externalTask().hasTopicName("certificate-setup");
    assertThat(pi).hasBusinessKey(seedingId(pi));

    completeWork(pi, withVariables(CERTIFICATE_SETUP, "CREATED", APPLICATION_ID, "app-1", CERTIFICATE_THUMBPRINT, "AB12"));
    assertThat(pi).isWaitingAt("RegisterApplication");
    completeWork(pi, Map.of());
    assertThat(pi).hasPassed("CertificatesReady").isWaitingAt("BackUpToStaging");

    completeWork(pi, withVariables(STAGED_SNAPSHOT_ID, "snap-1", STAGED_BYTES, 1024L));
    prepareDrives(pi);
    shipThroughTasklist(pi, "1Z999AA10123456784");
    assertThat(pi).isWaitingAt("CheckDelivery");

    checkImportJob(pi, "Shipping", false);
    assertThat(pi).isWaitingAt("WaitBeforeNextDeliveryCheck");
    travel(Duration.ofHours(1));
    checkImportJob(pi, "Received", true);
    assertThat(pi).hasPassed("DrivesArrived").isWaitingAt("CheckImportJob");
    assertThat(pi).variables().containsEntry(STATUS_TEXT, SeedingPhase.IMPORTING.statusText());

    checkImportJob(pi, "Transferring", true);
    assertThat(pi).isWaitingAt("WaitBeforeNextImportCheck");
    travel(Duration.ofHours(1));
    checkImportJob(pi, "Completed", true);
    assertThat(pi).hasPassed("ImportCompleted").isWaitingAt("NextScheduledBackupForSeed");

    travel(Duration.ofHours(15)); // past 22:00: the next scheduled backup copies the seed
    assertThat(pi).isWaitingAt("CopySeedIntoVault");
    completeWork(pi, withVariables(RECOVERY_POINT_ID, "rp-1"));
    assertThat(pi).hasPassed("SeedInVault").isWaitingAt("NextScheduledBackup", "ChooseSeedCleanup");
    assertThat(task(pi)).hasCandidateGroup("seedship-operators");
    complete(task(pi), withVariables(DELETE_IMPORT_COPY, true, DELETE_STAGING, true, ERASE_DRIVE_KEYS, true));
    assertThat(pi).isWaitingAt("CleanUpAfterSeed", "NextScheduledBackup");
    completeWork(pi, withVariables(CLEANUP_REPORT, "import copy deleted; staging deleted; drive keys erased"));
    assertThat(pi).hasPassed("SeedCleanedUp").isWaitingAt("NextScheduledBackup");

    travel(Duration.ofDays(1));
    completeWork(pi, withVariables(LAST_BACKUP_AT, "2026-11-03T22:00:00Z"));
    assertThat(pi).isWaitingAt("NextScheduledBackup");
    travel(Duration.ofDays(1));
    assertThat(pi).isWaitingAt("RunIncrementalBackup");
    completeWork(pi, Map.of());

    runtimeService().correlateMessage(SeedingProcess.Messages.STOP_PROTECTION, seedingId(pi));
    assertThat(pi).hasPassed("ProtectionStopped").isEnded();
    assertThat(registry.seeding(seedingId(pi)).phases()).containsExactly(
        SeedingPhase.CERTIFICATES, SeedingPhase.STAGING, SeedingPhase.DISK_PREPARATION, SeedingPhase.SHIPPING,
        SeedingPhase.IN_TRANSIT, SeedingPhase.IMPORTING, SeedingPhase.VAULT_COPY, SeedingPhase.INCREMENTAL,
        SeedingPhase.STOPPED);
  }

  @Test
  void networkReplicationSeedsTheVaultOverTheNetworkWithoutDrives() {
    Map<String, Object> request = offlineRequest(null);
    request.put(REPLICATION_METHOD, "network");
    request.remove(STAGING_LOCATION);
    request.remove(PUBLISH_SETTINGS_PATH);
    ProcessInstance pi = startSeeding(request);
    assertThat(pi).isWaitingAt("SeedOverNetwork").externalTask().hasTopicName("network-seed");
    completeWork(pi, withVariables(RECOVERY_POINT_ID, "rp-1"));
    assertThat(pi).isWaitingAt("NextScheduledBackup").hasNotPassed("CertificatePhase", "StagingPhase");
  }

  @Test
  void anInvalidRequestGoesToTheOperatorForCorrection() {
    Map<String, Object> request = offlineRequest("job-correct");
    request.put(STORAGE_ACCOUNT, "Not_Valid");
    request.put(SUBSCRIPTION_ID, "12345");
    ProcessInstance pi = startSeeding(request);

    assertThat(pi).isWaitingAt("CorrectRequest");
    assertThat(task(pi)).hasCandidateGroup("seedship-operators");
    assertThat(taskService().createTaskQuery().taskId(task(pi).getId()).initializeFormKeys().singleResult()
        .getCamundaFormRef().getKey()).isEqualTo("correct-seeding-request");
    assertThat(formService().getDeployedTaskForm(task(pi).getId())).asString(java.nio.charset.StandardCharsets.UTF_8)
        .contains("\"id\": \"correct-seeding-request\"", "\"key\": \"requestProblems\"");
    String problems = (String) runtimeService().getVariable(pi.getId(), REQUEST_PROBLEMS);
    assertThat(problems).contains("Storage account 'Not_Valid' must be 3 to 24 lower-case letters and digits")
        .contains("Subscription id '12345' is not a GUID");

    complete(task(pi), withVariables(STORAGE_ACCOUNT, "seedshipstore", SUBSCRIPTION_ID, "0f8fad5b-d9cb-469f-a165-70867728950e"));
    assertThat(pi).isWaitingAt("PrepareApplication").variables().containsEntry(REQUEST_VALID, true).containsEntry(REQUEST_PROBLEMS, null);
  }

  @Test
  void aDuplicateImportJobNameIsRefusedWithAClearMessage() {
    startSeeding(offlineRequest("job-twice"));
    ProcessInstance second = startSeeding(offlineRequest("job-twice"));
    assertThat(second).isWaitingAt("CorrectRequest");
    assertThat((String) runtimeService().getVariable(second.getId(), REQUEST_PROBLEMS))
        .startsWith("Import job name 'job-twice' is already used by seeding ").endsWith(": choose another name.");
  }

  @Test
  void theManualCertificatePathRefusesAWrongThumbprintAndAcceptsTheRightOne() {
    ProcessInstance pi = startSeeding(offlineRequest("job-manual"));
    completeWork(pi, withVariables(CERTIFICATE_SETUP, "MANUAL_UPLOAD_REQUIRED", APPLICATION_ID, "app-2"));
    assertThat(pi).isWaitingAt("UploadCertificate");

    complete(task(pi), withVariables(UPLOADED_THUMBPRINT, "00 11 22"));
    assertThat(pi).isWaitingAt("VerifyCertificate").externalTask().hasTopicName("certificate-verify");
    completeWork(pi, withVariables(THUMBPRINT_ACCEPTED, false, CERTIFICATE_PROBLEM, "does not match"));
    assertThat(pi).isWaitingAt("UploadCertificate");

    complete(task(pi), withVariables(UPLOADED_THUMBPRINT, "ab12"));
    completeWork(pi, withVariables(THUMBPRINT_ACCEPTED, true));
    assertThat(pi).isWaitingAt("RegisterApplication");
  }

  @Test
  void aStagingFailureIsRetriedOrCancelledByTheOperator() {
    ProcessInstance pi = seedingAtStaging("job-staging");
    throwBpmnError(pi, "staging-backup", SeedingProcess.Errors.STAGING_FAILED, Map.of(STAGING_PROBLEM, "staging too small"));
    assertThat(pi).hasPassed("StagingFailed").isWaitingAt("ResolveStagingProblem");

    complete(task(pi), withVariables(STAGING_DECISION, "retry", STAGING_LOCATION, "/mnt/bigger-staging"));
    assertThat(pi).isWaitingAt("BackUpToStaging");
    throwBpmnError(pi, "staging-backup", SeedingProcess.Errors.STAGING_FAILED, Map.of(STAGING_PROBLEM, "source vanished"));
    complete(task(pi), withVariables(STAGING_DECISION, "cancel"));

    assertThat(pi).isWaitingAt("CleanUpCancelledSeeding").externalTask().hasTopicName("seeding-cleanup");
    completeWork(pi, Map.of());
    assertThat(pi).hasPassed("SeedingCancelled").isEnded();
  }

  @Test
  void aFullDriveAsksForAnAdditionalDriveAndARejectedDriveForOthers() {
    ProcessInstance pi = seedingAtStaging("job-drives");
    completeWork(pi, Map.of());
    complete(task(pi), withVariables(DRIVE_PATHS, "/mnt/usb-stick", FORMAT_CONFIRMED, true));
    throwBpmnError(pi, "disk-prep-copy", SeedingProcess.Errors.DRIVE_REJECTED, Map.of(DRIVE_PROBLEM, "USB drives are not accepted"));
    assertThat(pi).hasPassed("DriveRejected").isWaitingAt("AttachDrives");

    complete(task(pi), withVariables(DRIVE_PATHS, "/mnt/drive1", FORMAT_CONFIRMED, true));
    throwBpmnError(pi, "disk-prep-copy", SeedingProcess.Errors.DRIVE_FULL, Map.of(FULL_DRIVE_ID, "drive1", BYTES_REMAINING, 5L));
    assertThat(pi).isWaitingAt("AttachAdditionalDrive");
    complete(task(pi), withVariables(ADDITIONAL_DRIVE_PATH, "/mnt/drive2", FORMAT_CONFIRMED, true));
    assertThat(pi).isWaitingAt("EncryptAndCopy");
    completeWork(pi, withVariables(DRIVES_PREPARED, 2));
    assertThat(pi).hasPassed("DrivesPrepared").isWaitingAt("CreateImportJob");
  }

  @Test
  void shippingDetailsMayArriveThroughTheApiInstead() {
    ProcessInstance pi = seedingAtShipping("job-api");
    runtimeService().createMessageCorrelation(SeedingProcess.Messages.SHIPPING_DETAILS_SUBMITTED)
        .processInstanceId(pi.getId())
        .setVariables(shipping("API-TRACK-1"))
        .setVariable(SHIPPING_RECORDED, true)
        .correlate();
    assertThat(pi).hasPassed("ShippingDetailsArrived").hasNotPassed("ReviewShippingDetails").isWaitingAt("SendShippingDetails");
  }

  @Test
  void aReviewAnsweredNoOrADuplicateTrackingNumberReturnsToTheShippingDetails() {
    ProcessInstance first = seedingAtShipping("job-first");
    shipThroughTasklist(first, "TRACK-SHARED-1");

    ProcessInstance pi = seedingAtShipping("job-second");
    complete(task(pi), shipping("TRACK-SHARED-1"));
    complete(task(pi), withVariables(SHIPPING_CONFIRMED, "no"));
    assertThat(pi).isWaitingAt("EnterShippingDetails");

    complete(task(pi), shipping("track-shared-1"));
    complete(task(pi), withVariables(SHIPPING_CONFIRMED, "yes"));
    assertThat(pi).hasPassed("RecordShippingDetails").isWaitingAt("EnterShippingDetails");
    assertThat((String) runtimeService().getVariable(pi.getId(), SHIPPING_PROBLEM))
        .isEqualTo("Tracking number 'track-shared-1' is already recorded for import job 'job-first': every import job needs its own package.");

    complete(task(pi), shipping("TRACK-OWN-2"));
    complete(task(pi), withVariables(SHIPPING_CONFIRMED, "yes"));
    assertThat(pi).isWaitingAt("SendShippingDetails");
  }

  @Test
  void anImportJobWithoutShippingDetailsRemindsThenExpiresAfter14DaysAndMayGetANewJob() {
    ProcessInstance pi = seedingAtShipping("job-expiring");
    travel(Duration.ofDays(11));
    assertThat(registry.events(seedingId(pi))).isEmpty();
    travel(Duration.ofDays(1));
    assertThat(pi).hasPassed("ShippingReminderSent").isWaitingAt("EnterShippingDetails");
    assertThat(registry.events(seedingId(pi))).singleElement()
        .satisfies(e -> {
          assertThat(e.kind()).isEqualTo("REMINDER_SHIPPING_DETAILS_DUE");
          assertThat(e.message()).isEqualTo("Shipping details for import job 'job-expiring' are due within P14D of the job's "
              + "creation; without them the job expires.");
        });

    travel(Duration.ofDays(2));
    assertThat(pi).hasPassed("ShippingDetailsExpired").isWaitingAt("DecideExpiredImportJob");
    complete(task(pi), withVariables(EXPIRED_JOB_DECISION, "new-job"));
    assertThat(pi).isWaitingAt("CreateImportJob").variables().containsEntry(IMPORT_JOB_ATTEMPT, 2);
  }

  @Test
  void everyScheduledBackupWhileTheDrivesTravelAndImportReportsThatItWaitsForTheImportJob() {
    ProcessInstance pi = seedingInTransit("job-waiting");
    checkImportJob(pi, "Shipping", false);
    travel(Duration.ofHours(15)); // 23:00: the 22:00 backup came due while the drives travel
    assertThat(pi).hasPassed("ScheduledBackupDuringTransit", "ReportBackupWaitingForImport", "BackupWaitingReported");
    checkImportJob(pi, "Received", true);
    assertThat(pi).isWaitingAt("CheckImportJob");
    checkImportJob(pi, "Transferring", true);
    travel(Duration.ofDays(1)); // the next 22:00 backup comes due during the import
    assertThat(pi).hasPassed("ScheduledBackupDuringImport");
    assertThat(registry.events(seedingId(pi))).filteredOn(e -> e.kind().equals("SCHEDULED_BACKUP_WAITING"))
        .extracting(InMemorySeedingRegistry.Event::message)
        .containsExactly(
            "Waiting for Azure Import Job to complete. Please check on Azure Management portal for more information on job "
                + "status (import job ij-1: Shipping)",
            "Waiting for Azure Import Job to complete. Please check on Azure Management portal for more information on job "
                + "status (import job ij-1: Transferring)");
  }

  @Test
  void anExpiredImportJobMayBeCancelled() {
    ProcessInstance pi = seedingAtShipping("job-expired-cancel");
    travel(Duration.ofDays(14));
    complete(task(pi), withVariables(EXPIRED_JOB_DECISION, "cancel"));
    assertThat(pi).isWaitingAt("CleanUpCancelledSeeding");
  }

  @Test
  void drivesNotReceivedWithin14DaysGoToTheOperatorAfterAReminder() {
    ProcessInstance pi = seedingInTransit("job-late");
    checkImportJob(pi, "Shipping", false);
    travel(Duration.ofDays(12));
    assertThat(pi).hasPassed("ArrivalReminderSent");
    assertThat(registry.events(seedingId(pi))).extracting(InMemorySeedingRegistry.Event::kind).contains("REMINDER_ARRIVAL_DUE");
    assertThat(pi).isWaitingAt("CheckDelivery"); // polling goes on until the deadline
    travel(Duration.ofDays(2));
    assertThat(pi).hasPassed("ArrivalDeadlinePassed").isWaitingAt("DecideMissedArrival");

    complete(task(pi), withVariables(MISSED_ARRIVAL_DECISION, "reship"));
    assertThat(pi).isWaitingAt("AttachDrives").variables().containsEntry(IMPORT_JOB_ATTEMPT, 2);
  }

  @Test
  void drivesTheDatacenterReportsAsNeverReceivedMayEndTheSeeding() {
    ProcessInstance pi = seedingInTransit("job-lost");
    completeWork(pi, withVariables(IMPORT_JOB_STATE, "Shipping", DRIVES_RECEIVED, false, DRIVES_NEVER_RECEIVED, true));
    assertThat(pi).hasPassed("NeverReceivedEnd", "DrivesNeverReceived").isWaitingAt("DecideMissedArrival");
    complete(task(pi), withVariables(MISSED_ARRIVAL_DECISION, "cancel"));
    assertThat(pi).isWaitingAt("CleanUpCancelledSeeding");
  }

  @Test
  void anImportClosedWithErrorsIsRepairedOverTheNetwork() {
    ProcessInstance pi = seedingInTransit("job-closed");
    checkImportJob(pi, "Received", true);
    checkImportJob(pi, "Closed", true);
    assertThat(pi).isWaitingAt("RepairImport").externalTask().hasTopicName("import-repair");
    completeWork(pi, Map.of());
    assertThat(pi).hasPassed("ImportCompleted").isWaitingAt("NextScheduledBackupForSeed");
  }

  @Test
  void aCancelledImportJobCleansUpTheSeeding() {
    ProcessInstance pi = seedingInTransit("job-import-cancelled");
    checkImportJob(pi, "Received", true);
    checkImportJob(pi, "Cancelled", true);
    assertThat(pi).hasPassed("ImportCancelledEnd", "ImportCancelled").isWaitingAt("CleanUpCancelledSeeding");
  }

  @Test
  void aSeedingCanBeCancelledOnRequestInAnyPhase() {
    ProcessInstance pi = seedingAtShipping("job-cancel-request");
    runtimeService().correlateMessage(SeedingProcess.Messages.CANCEL_SEEDING, seedingId(pi));
    assertThat(pi).hasPassed("CancelRequested").isWaitingAt("CleanUpAfterCancelRequest");
    completeWork(pi, Map.of());
    assertThat(pi).hasPassed("SeedingCancelledOnRequest").isEnded();
    assertThat(registry.seeding(seedingId(pi)).phases()).endsWith(SeedingPhase.CANCELLING, SeedingPhase.CANCELLED);
  }

  @Test
  void durationsAreTheRealServicesUnlessTheSeedingSetsItsOwn() {
    ProcessInstance defaults = startSeeding(offlineRequest("job-defaults"));
    assertThat(defaults).variables()
        .containsEntry(SHIPPING_DETAILS_DEADLINE, "P14D").containsEntry(ARRIVAL_DEADLINE, "P14D")
        .containsEntry(SHIPPING_DETAILS_REMINDER, "P12D").containsEntry(IMPORT_POLL_INTERVAL, "PT1H")
        .containsEntry(BACKUP_SCHEDULE, "0 0 22 * * ?");

    Map<String, Object> quick = offlineRequest("job-quick");
    quick.put(SHIPPING_DETAILS_DEADLINE, "PT10M");
    quick.put(SHIPPING_DETAILS_REMINDER, "PT5M");
    ProcessInstance pi = seedingAtShipping(quick);
    travel(Duration.ofMinutes(10));
    assertThat(pi).isWaitingAt("DecideExpiredImportJob");
  }

  // ---- steps ----

  private ProcessInstance startSeeding(Map<String, Object> variables) {
    return runtimeService().startProcessInstanceByKey(SeedingProcess.KEY, variables);
  }

  private static Map<String, Object> offlineRequest(String importJobName) {
    Map<String, Object> v = new HashMap<>();
    v.put(PROTECTED_SOURCE, "/srv/data");
    v.put(STAGING_LOCATION, "/mnt/staging");
    v.put(PUBLISH_SETTINGS_PATH, publishSettings.toString());
    v.put(IMPORT_JOB_NAME, importJobName);
    v.put(SUBSCRIPTION_ID, "0f8fad5b-d9cb-469f-a165-70867728950e");
    v.put(STORAGE_ACCOUNT, "seedshipstore");
    v.put(CONTAINER, "seed-data");
    v.put(REPLICATION_METHOD, "offline");
    return v;
  }

  private ProcessInstance seedingAtStaging(String importJobName) {
    ProcessInstance pi = startSeeding(offlineRequest(importJobName));
    completeWork(pi, withVariables(CERTIFICATE_SETUP, "CREATED"));
    completeWork(pi, Map.of());
    assertThat(pi).isWaitingAt("BackUpToStaging");
    return pi;
  }

  private ProcessInstance seedingAtShipping(String importJobName) {
    return seedingAtShipping(offlineRequest(importJobName));
  }

  private ProcessInstance seedingAtShipping(Map<String, Object> request) {
    ProcessInstance pi = startSeeding(request);
    completeWork(pi, withVariables(CERTIFICATE_SETUP, "CREATED"));
    completeWork(pi, Map.of());
    completeWork(pi, Map.of());
    prepareDrives(pi);
    assertThat(pi).isWaitingAt("EnterShippingDetails");
    assertThat(task(pi)).hasCandidateGroup("seedship-operators");
    return pi;
  }

  private ProcessInstance seedingInTransit(String importJobName) {
    ProcessInstance pi = seedingAtShipping(importJobName);
    shipThroughTasklist(pi, "TRACK-" + importJobName.toUpperCase());
    assertThat(pi).isWaitingAt("CheckDelivery");
    return pi;
  }

  private void prepareDrives(ProcessInstance pi) {
    assertThat(pi).isWaitingAt("AttachDrives");
    complete(task(pi), withVariables(DRIVE_PATHS, "/mnt/drive1", FORMAT_CONFIRMED, true));
    assertThat(pi).isWaitingAt("EncryptAndCopy").externalTask().hasTopicName("disk-prep-copy");
    completeWork(pi, withVariables(DRIVES_PREPARED, 1));
    assertThat(pi).isWaitingAt("CreateImportJob");
    completeWork(pi, withVariables(IMPORT_JOB_ID, "ij-1", SHIP_TO_ADDRESS, "Datacenter dock 4"));
  }

  private void shipThroughTasklist(ProcessInstance pi, String trackingNumber) {
    assertThat(pi).isWaitingAt("EnterShippingDetails");
    complete(task(pi), shipping(trackingNumber));
    assertThat(pi).isWaitingAt("ReviewShippingDetails");
    complete(task(pi), withVariables(SHIPPING_CONFIRMED, "yes"));
    assertThat(pi).hasPassed("RecordShippingDetails").isWaitingAt("SendShippingDetails");
    completeWork(pi, Map.of());
    assertThat(pi).hasPassed("DrivesShipped");
  }

  private static Map<String, Object> shipping(String trackingNumber) {
    return withVariables(CARRIER, "DHL", TRACKING_NUMBER, trackingNumber, SHIP_DATE, "2026-11-03",
        RETURN_ADDRESS, "Seedship Ops, 1 Main St, Springfield", CONTACT, "ops@example.org");
  }

  private void checkImportJob(ProcessInstance pi, String state, boolean received) {
    completeWork(pi, withVariables(IMPORT_JOB_STATE, state, DRIVES_RECEIVED, received, DRIVES_NEVER_RECEIVED, false));
  }

  /** Does what a worker does: fetches this seeding's task of the topic it waits at, and completes it. */
  private static void completeWork(ProcessInstance pi, Map<String, Object> outputs) {
    LockedExternalTask work = fetch(pi, externalTask(pi).getTopicName());
    externalTaskService().complete(work.getId(), "model-test", outputs);
  }

  private static void throwBpmnError(ProcessInstance pi, String topic, String code, Map<String, Object> variables) {
    LockedExternalTask work = fetch(pi, topic);
    externalTaskService().handleBpmnError(work.getId(), "model-test", code, "worker reported " + code, variables);
  }

  private static LockedExternalTask fetch(ProcessInstance pi, String topic) {
    List<LockedExternalTask> locked = externalTaskService().fetchAndLock(1, "model-test")
        .topic(topic, 60_000).businessKey(seedingId(pi)).execute();
    assertThat(locked).as("work on topic %s", topic).hasSize(1);
    return locked.get(0);
  }

  private static String seedingId(ProcessInstance pi) {
    return (String) historyService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName(SEEDING_ID).singleResult().getValue();
  }

  /** Moves the engine clock and fires every timer that falls due on the way, in due order. */
  private static void travel(Duration duration) {
    java.util.Date target = new java.util.Date(ClockUtil.getCurrentTime().getTime() + duration.toMillis());
    while (true) {
      List<Job> due = managementService().createJobQuery().timers().duedateLowerThen(new java.util.Date(target.getTime() + 1))
          .orderByJobDuedate().asc().list();
      if (due.isEmpty()) {
        break;
      }
      Job next = due.get(0);
      if (next.getDuedate().after(ClockUtil.getCurrentTime())) {
        ClockUtil.setCurrentTime(next.getDuedate());
      }
      managementService().executeJob(next.getId());
    }
    ClockUtil.setCurrentTime(target);
  }
}
