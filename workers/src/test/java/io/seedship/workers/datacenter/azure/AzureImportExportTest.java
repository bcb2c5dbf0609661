package io.seedship.workers.datacenter.azure;

import static io.seedship.workers.datacenter.azure.FakeImportExport.JOBS;
import static io.seedship.workers.datacenter.azure.FakeImportExport.LOCATION_PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedship.workers.datacenter.CancelRefusedException;
import io.seedship.workers.datacenter.CreatedJob;
import io.seedship.workers.datacenter.DriveSpec;
import io.seedship.workers.datacenter.DriveState;
import io.seedship.workers.datacenter.DriveStatus;
import io.seedship.workers.datacenter.DuplicateTrackingNumberException;
import io.seedship.workers.datacenter.ImportJobRefusedException;
import io.seedship.workers.datacenter.JobRequest;
import io.seedship.workers.datacenter.JobState;
import io.seedship.workers.datacenter.JobStatus;
import io.seedship.workers.datacenter.ShippingDetails;
import io.seedship.workers.datacenter.UnknownJobException;
import io.seedship.workers.datacenter.UnlockSecretUnavailableException;
import io.seedship.workers.datacenter.UnlockSecrets;
import io.seedship.workers.diskprep.RecoveryPassword;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AzureImportExportTest {

  static final String TOKEN = "opaque-management-token-7f3c9a";
  static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  static final String CLIENT = "4562bcc8-c436-4f95-b7c0-4f8ce89dca5e";
  static final String ADDRESS = "recipient: Backup team, Example GmbH\nstreet: Hafenstraße 1\nstreet2: Building C\ncity: Hamburg\n"
      + "postal code: 20457\ncountry: DE";
  static final String CONTACT = "Jane Doe <jane.doe@example.org>, +49 40 1234567";

  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> keys = new java.util.HashMap<>();
  private FakeImportExport fake;
  private AzureImportExport azure;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeImportExport();
    azure = new AzureImportExport(settings(), () -> TOKEN, secrets());
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  AzureImportExportSettings settings() {
    return new AzureImportExportSettings(FakeImportExport.SUBSCRIPTION, FakeImportExport.RESOURCE_GROUP, "West Europe",
        fake.base(), fake.base(), TENANT, CLIENT, null, new AzureImportExportSettings.ReturnShipping("DHL", "ACC-123456"));
  }

  UnlockSecrets secrets() {
    return (job, drive, reference) -> {
      String key = keys.get(reference);
      if (key == null) {
        throw new UnlockSecretUnavailableException("The unlock secret of drive " + drive + " (reference " + reference
            + ") cannot be read from the key store: restore the key store of job " + job + ".");
      }
      return RecoveryPassword.parse(key);
    };
  }

  DriveSpec drive(String id) {
    String key = RecoveryPassword.generate(random).reveal();
    keys.put("ref-" + id, key);
    return new DriveSpec(id, "ref-" + id, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  }

  JobRequest request(String name, boolean verbose, DriveSpec... drives) {
    return new JobRequest(name, "seedshipstore", "seeding", List.of(drives), ADDRESS, CONTACT, verbose);
  }

  void assertArmRequest(FakeImportExport.Request r, String method, String path) {
    assertThat(r.method()).isEqualTo(method);
    assertThat(r.path()).isEqualTo(path);
    assertThat(r.query()).containsEntry("api-version", "2021-01-01");
    assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void createJobPutsTheDocumentedBodyAndAnswersTheShipToAddressAndCarriers() {
    DriveSpec first = drive("WD-WCC4N1234567");
    DriveSpec second = drive("WD-WCC4N7654321");

    CreatedJob created = azure.createJob(request("seed-2026-03", false, first, second));

    assertThat(created.jobId()).isEqualTo("seed-2026-03");
    assertThat(created.shipToAddress()).contains("Azure Import/Export receiving", "Dockweg 7", "1000 AA Amsterdam", "Netherlands",
        "Write the job name on the package.");
    assertThat(created.carriers()).containsExactly("DHL", "FedEx", "UPS", "TNT");

    assertThat(fake.requests).hasSize(3);
    assertArmRequest(fake.requests.get(0), "GET", LOCATION_PATH);
    assertArmRequest(fake.requests.get(1), "GET", JOBS + "/seed-2026-03");
    FakeImportExport.Request put = fake.requests.get(2);
    assertArmRequest(put, "PUT", JOBS + "/seed-2026-03");
    assertThat(put.contentType()).startsWith("application/json");
    JsonNode body = put.body();
    assertThat(body.path("location").asText()).isEqualTo("westeurope");
    assertThat(body.path("tags").path("seedshipContainer").asText()).isEqualTo("seeding");
    JsonNode p = body.path("properties");
    assertThat(p.path("storageAccountId").asText()).isEqualTo("/subscriptions/" + FakeImportExport.SUBSCRIPTION
        + "/resourceGroups/seedship-rg/providers/Microsoft.Storage/storageAccounts/seedshipstore");
    assertThat(p.path("jobType").asText()).isEqualTo("Import");
    assertThat(p.path("diagnosticsPath").asText()).isEqualTo("waimportexport");
    assertThat(p.path("logLevel").asText()).isEqualTo("Error");
    assertThat(p.path("backupDriveManifest").asBoolean()).isTrue();
    JsonNode address = p.path("returnAddress");
    assertThat(address.path("recipientName").asText()).isEqualTo("Backup team, Example GmbH");
    assertThat(address.path("streetAddress1").asText()).isEqualTo("Hafenstraße 1");
    assertThat(address.path("streetAddress2").asText()).isEqualTo("Building C");
    assertThat(address.path("city").asText()).isEqualTo("Hamburg");
    assertThat(address.path("postalCode").asText()).isEqualTo("20457");
    assertThat(address.path("countryOrRegion").asText()).isEqualTo("DE");
    assertThat(address.path("phone").asText()).isEqualTo("+49 40 1234567");
    assertThat(address.path("email").asText()).isEqualTo("jane.doe@example.org");
    assertThat(address.has("stateOrProvince")).isFalse();
    assertThat(p.path("returnShipping").path("carrierName").asText()).isEqualTo("DHL");
    assertThat(p.path("returnShipping").path("carrierAccountNumber").asText()).isEqualTo("ACC-123456");
    JsonNode drives = p.path("driveList");
    assertThat(drives).hasSize(2);
    for (int i = 0; i < 2; i++) {
      DriveSpec spec = i == 0 ? first : second;
      JsonNode d = drives.get(i);
      assertThat(d.path("driveId").asText()).isEqualTo(spec.driveId());
      assertThat(d.path("bitLockerKey").asText()).isEqualTo(keys.get(spec.unlockSecretRef())).matches("\\d{6}(-\\d{6}){7}");
      assertThat(d.path("manifestFile").asText()).isEqualTo("\\DriveManifest.xml");
      assertThat(d.path("manifestHash").asText()).isEqualTo(spec.manifestSha256().toUpperCase());
    }
  }

  @Test
  void verboseLogAsksForVerboseLogging() {
    azure.createJob(request("seed-verbose", true, drive("D1")));

    assertThat(fake.requests("PUT").get(0).body().path("properties").path("logLevel").asText()).isEqualTo("Verbose");
  }

  @Test
  void withoutShippingInformationInTheJobTheLocationsAddressIsTheShipToAddress() {
    fake.shippingInformationInJobs = false;

    CreatedJob created = azure.createJob(request("seed-1", false, drive("D1")));

    assertThat(created.shipToAddress()).isEqualTo(AzureImportExport.address(FakeImportExport.location().path("properties")));
    assertThat(created.shipToAddress()).contains("Dockweg 7, Gate 4, 1000 AA Amsterdam, Noord-Holland, Netherlands");
  }

  @Test
  void theLocationIsAskedOnce() {
    azure.createJob(request("seed-1", false, drive("D1")));
    azure.createJob(request("seed-2", false, drive("D2")));

    assertThat(fake.requests.stream().filter(r -> r.path().equals(LOCATION_PATH))).hasSize(1);
  }

  @Test
  void existingJobAnswersAsCreateDidAndEmptyForAnUnknownName() {
    CreatedJob created = azure.createJob(request("seed-1", false, drive("D1")));

    assertThat(azure.existingJob("seed-1")).contains(created);
    assertThat(azure.existingJob("seed-unknown")).isEmpty();
  }

  @Test
  void aUsedNameIsRefusedBeforeAnythingIsOverwritten() {
    fake.addJob("seed-1", "Shipping", "1Z999AA10123456784");

    assertThatThrownBy(() -> azure.createJob(request("seed-1", false, drive("D1"))))
        .isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("seed-1 already exists").hasMessageContaining("state Shipping");
    assertThat(fake.requests("PUT")).isEmpty();
  }

  @Test
  void elevenDrivesOrADriveListedTwiceAreRefusedWithoutAskingTheService() {
    DriveSpec[] eleven = IntStream.range(0, 11).mapToObj(i -> drive("D" + i)).toArray(DriveSpec[]::new);
    DriveSpec once = drive("D1");

    assertThatThrownBy(() -> azure.createJob(request("seed-1", false, eleven))).isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("11 drives").hasMessageContaining("1 to 10");
    assertThatThrownBy(() -> azure.createJob(request("seed-1", false, once, once))).isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("listed twice");
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void anUnstructuredReturnAddressIsRefusedWithWhatIsMissing() {
    JobRequest request = new JobRequest("seed-1", "seedshipstore", "seeding", List.of(drive("D1")), "Backup team, Hamburg",
        "ops@example.org", false);

    assertThatThrownBy(() -> azure.createJob(request)).isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("has no label").hasMessageContaining("streetAddress1").hasMessageContaining("phone")
        .hasMessageContaining("postal code:");
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void aStorageAccountNameAzureDoesNotAcceptIsRefused() {
    JobRequest request = new JobRequest("seed-1", "Seedship_Store", "seeding", List.of(drive("D1")), ADDRESS, CONTACT, false);

    assertThatThrownBy(() -> azure.createJob(request)).isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("Seedship_Store").hasMessageContaining("3 to 24 lower-case letters and digits");
  }

  @Test
  void anUnlockSecretThatCannotBeResolvedRefusesTheJobAndNothingIsCreated() {
    DriveSpec missing = new DriveSpec("D9", "ref-nowhere", "ab");

    assertThatThrownBy(() -> azure.createJob(request("seed-1", false, missing))).isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("drive D9").hasMessageContaining("restore the key store")
        .hasCauseInstanceOf(UnlockSecretUnavailableException.class);
    assertThat(fake.requests("PUT")).isEmpty();
  }

  @Test
  void theServicesRefusalOfAJobCarriesItsCodeAndMessage() {
    fake.answerNext("PUT", JOBS + "/seed-1", 400, FakeImportExport.error("InvalidStorageAccount",
        "The storage account 'seedshipstore' was not found in the subscription."));

    assertThatThrownBy(() -> azure.createJob(request("seed-1", false, drive("D1"))))
        .isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("refused to create import job seed-1")
        .hasMessageContaining("InvalidStorageAccount: The storage account 'seedshipstore' was not found");
  }

  @Test
  void updateShippingPatchesTheDeliveryPackageAndStateShipping() {
    azure.createJob(request("seed-1", false, drive("D1"), drive("D2")));
    fake.requests.clear();

    azure.updateShipping("seed-1", new ShippingDetails("dhl", "1z 999 aa1 0123456784", LocalDate.of(2026, 3, 2)));

    assertThat(fake.requests).hasSize(3); // the location's carriers were read at creation
    assertArmRequest(fake.requests.get(0), "GET", JOBS + "/seed-1");
    assertArmRequest(fake.requests.get(1), "GET", JOBS);
    FakeImportExport.Request patch = fake.requests.get(2);
    assertArmRequest(patch, "PATCH", JOBS + "/seed-1");
    assertThat(patch.contentType()).startsWith("application/json");
    JsonNode properties = patch.body().path("properties");
    assertThat(properties.path("state").asText()).isEqualTo("Shipping");
    JsonNode delivery = properties.path("deliveryPackage");
    assertThat(delivery.path("carrierName").asText()).isEqualTo("DHL");
    assertThat(delivery.path("trackingNumber").asText()).isEqualTo("1Z999AA10123456784");
    assertThat(delivery.path("driveCount").asInt()).isEqualTo(2);
    assertThat(delivery.path("shipDate").asText()).isEqualTo("2026-03-02");
    assertThat(patch.body().size()).isEqualTo(1);
    assertThat(properties.size()).isEqualTo(2);

    JobStatus status = azure.status("seed-1");
    assertThat(status.state()).isEqualTo(JobState.Shipping);
    assertThat(status.message()).contains("DHL", "1Z999AA10123456784", "2026-03-02", "14 days");
  }

  @Test
  void aCarrierTheDatacenterDoesNotTakeIsRefused() {
    fake.addJob("seed-1", "Creating", null);

    assertThatThrownBy(() -> azure.updateShipping("seed-1", new ShippingDetails("Pony Express", "PX12345", LocalDate.now())))
        .isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("Pony Express").hasMessageContaining("DHL, FedEx, UPS, TNT");
    assertThat(fake.requests("PATCH")).isEmpty();
  }

  @Test
  void aTrackingNumberOfAnotherJobInTheResourceGroupIsRefusedNamingThatJob() {
    fake.addJob("seed-a", "Completed", "AAA111");
    fake.addJob("seed-b", "Closed", "BBB222");
    fake.addJob("seed-c", "Transferring", "1Z999AA10123456784");
    fake.addJob("seed-1", "Creating", null);

    assertThatThrownBy(() -> azure.updateShipping("seed-1", new ShippingDetails("UPS", "1Z999AA10123456784", LocalDate.now())))
        .isInstanceOf(DuplicateTrackingNumberException.class)
        .hasMessageContaining("already given for import job seed-c")
        .hasMessageContaining("separate package");
    List<FakeImportExport.Request> lists = fake.requests.stream().filter(r -> r.path().equals(JOBS)).toList();
    assertThat(lists).hasSize(2); // the second page (nextLink) holds seed-c
    assertThat(lists.get(1).query()).containsEntry("$skiptoken", "2").containsEntry("api-version", "2021-01-01");
    assertThat(lists.get(1).authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(fake.requests("PATCH")).isEmpty();
  }

  @Test
  void aTrackingNumberTheServiceKnowsFromElsewhereComesBackAs409AndIsADuplicate() {
    fake.addJob("seed-1", "Creating", null);
    fake.trackingNumbersElsewhere.add("1Z999AA10123456784");

    assertThatThrownBy(() -> azure.updateShipping("seed-1", new ShippingDetails("UPS", "1Z999AA10123456784", LocalDate.now())))
        .isInstanceOf(DuplicateTrackingNumberException.class)
        .hasMessageContaining("Conflict: The tracking number 1Z999AA10123456784 is already used by another job.")
        .hasMessageContaining("separate package");
    assertThat(fake.requests("PATCH")).hasSize(1);
    assertThat(fake.job("seed-1").path("properties").path("state").asText()).isEqualTo("Creating");
  }

  @Test
  void givingTheSameDetailsAgainWhileShippingIsAccepted() {
    fake.addJob("seed-1", "Creating", null);
    ShippingDetails details = new ShippingDetails("UPS", "1Z999AA10123456784", LocalDate.of(2026, 3, 2));

    azure.updateShipping("seed-1", details);
    azure.updateShipping("seed-1", details);

    assertThat(fake.requests("PATCH")).hasSize(2);
    assertThat(azure.status("seed-1").state()).isEqualTo(JobState.Shipping);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Received", "Transferring", "Packaging", "Completed", "Closed"})
  void shippingDetailsAreRefusedOnceThePackageArrived(String state) {
    fake.addJob("seed-1", state, "AAA111");

    assertThatThrownBy(() -> azure.updateShipping("seed-1", new ShippingDetails("UPS", "BBB222", LocalDate.now())))
        .isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("is " + state).hasMessageContaining("before the package arrives");
    assertThat(fake.requests("PATCH")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Creating", "Shipping", "Received", "Transferring", "Packaging", "Completed", "Closed"})
  void everyJobStateOfTheServiceMapsToTheSameState(String state) {
    fake.addJob("seed-1", state, state.equals("Creating") ? null : "1Z999AA10123456784");

    JobStatus status = azure.status("seed-1");

    assertThat(status.jobId()).isEqualTo("seed-1");
    assertThat(status.state()).isEqualTo(JobState.valueOf(state));
    assertThat(status.storageAccount()).isEqualTo("seedshipstore");
    assertThat(status.container()).isEqualTo("seeding");
    assertThat(status.message()).isNotBlank();
    assertArmRequest(fake.requests.get(0), "GET", JOBS + "/seed-1");
  }

  @Test
  void aJobWhoseCancelWasRequestedOrThatIsCancelledIsCancelled() {
    properties(fake.addJob("seed-1", "Creating", null)).put("cancelRequested", true);
    fake.addJob("seed-2", "Cancelled", null);
    properties(fake.addJob("seed-3", "Closed", null)).put("cancelRequested", true);

    assertThat(azure.status("seed-1").state()).isEqualTo(JobState.Cancelled);
    assertThat(azure.status("seed-2").state()).isEqualTo(JobState.Cancelled);
    assertThat(azure.status("seed-3").state()).isEqualTo(JobState.Cancelled);
    assertThat(azure.status("seed-3").message()).contains("Cancelled");
  }

  @Test
  void transferringShowsTheJobsPercentComplete() {
    properties(fake.addJob("seed-1", "Transferring", "AAA111")).put("percentComplete", 42);

    assertThat(azure.status("seed-1").message()).contains("42% complete");
  }

  @Test
  void driveStatesWithProgressAndLogLocations() {
    ObjectNode job = fake.addJob("seed-1", "Closed", "AAA111");
    ArrayNode drives = properties(job).putArray("driveList");
    String logs = "https://seedshipstore.blob.core.windows.net/waimportexport/";
    drives.addObject().put("driveId", "D-OK").put("state", "Completed").put("percentComplete", 100)
        .put("bytesSucceeded", 4_000_787_030_016L).put("copyStatus", "Completed")
        .put("errorLogUri", logs + "WAImportExport_D-OK_error.xml").put("verboseLogUri", logs + "WAImportExport_D-OK_verbose.xml");
    drives.addObject().put("driveId", "D-PART").put("state", "CompletedMoreInfo").put("percentComplete", 87)
        .put("bytesSucceeded", 1_234_567_890L).put("copyStatus", "CompletedWithErrors")
        .put("errorLogUri", logs + "WAImportExport_D-PART_error.xml");
    drives.addObject().put("driveId", "D-LOST").put("state", "NeverReceived").put("percentComplete", 0).put("bytesSucceeded", 0);
    drives.addObject().put("driveId", "D-RUN").put("state", "Transferring").put("percentComplete", 40)
        .put("bytesSucceeded", 500_000L).put("copyStatus", "InProgress");
    drives.addObject().put("driveId", "D-BACK").put("state", "ShippedBack").put("percentComplete", 100)
        .put("bytesSucceeded", 10L).put("copyStatus", "Completed");
    drives.addObject().put("driveId", "D-BACK2").put("state", "ShippedBack").put("percentComplete", 60)
        .put("bytesSucceeded", 6L).put("copyStatus", "CompletedWithErrors").put("errorLogUri", logs + "b2_error.xml");
    drives.addObject().put("driveId", "D-NEW").put("state", "Specified");
    drives.addObject().put("driveId", "D-IN").put("state", "Received");

    List<DriveStatus> status = azure.status("seed-1").drives();

    assertThat(status).extracting(DriveStatus::driveId)
        .containsExactly("D-OK", "D-PART", "D-LOST", "D-RUN", "D-BACK", "D-BACK2", "D-NEW", "D-IN");
    assertThat(status).extracting(DriveStatus::state).containsExactly(DriveState.Completed, DriveState.CompletedMoreInfo,
        DriveState.NeverReceived, DriveState.Transferring, DriveState.Completed, DriveState.CompletedMoreInfo,
        DriveState.Specified, DriveState.Received);
    DriveStatus ok = status.get(0);
    assertThat(ok.percentComplete()).isEqualTo(100);
    assertThat(ok.bytesSucceeded()).isEqualTo(4_000_787_030_016L);
    assertThat(ok.errorLogBlob()).isEqualTo(logs + "WAImportExport_D-OK_error.xml");
    assertThat(ok.verboseLogBlob()).isEqualTo(logs + "WAImportExport_D-OK_verbose.xml");
    DriveStatus partial = status.get(1);
    assertThat(partial.percentComplete()).isEqualTo(87);
    assertThat(partial.bytesSucceeded()).isEqualTo(1_234_567_890L);
    assertThat(partial.errorLogBlob()).isEqualTo(logs + "WAImportExport_D-PART_error.xml");
    assertThat(partial.verboseLogBlob()).isNull();
    assertThat(partial.message()).contains("CompletedWithErrors", "WAImportExport_D-PART_error.xml", "Repair");
    DriveStatus lost = status.get(2);
    assertThat(lost.errorLogBlob()).isNull();
    assertThat(lost.message()).contains("Never received");
    assertThat(status.get(3).percentComplete()).isEqualTo(40);
    assertThat(status.get(3).message()).contains("InProgress");
    assertThat(status.get(4).message()).contains("Shipped back");
    assertThat(status.get(5).message()).contains("Shipped back", "b2_error.xml");
  }

  @Test
  void aStateSeedshipDoesNotKnowIsReportedNotGuessed() {
    fake.addJob("seed-1", "Quarantined", null);
    ObjectNode other = fake.addJob("seed-2", "Transferring", "AAA111");
    ((ObjectNode) other.path("properties").path("driveList").get(0)).put("state", "Levitating");

    assertThatThrownBy(() -> azure.status("seed-1")).isInstanceOf(AzureImportExportException.class)
        .hasMessageContaining("'Quarantined'").hasMessageContaining("Azure portal");
    assertThatThrownBy(() -> azure.status("seed-2")).isInstanceOf(AzureImportExportException.class)
        .hasMessageContaining("drive WD-seed-2").hasMessageContaining("'Levitating'");
  }

  @Test
  void anUnknownJobIs404AndUnknownJobException() {
    assertThatThrownBy(() -> azure.status("nope")).isInstanceOf(UnknownJobException.class)
        .hasMessageContaining("no import job nope").hasMessageContaining("seedship-rg");
    assertThatThrownBy(() -> azure.updateShipping("nope", new ShippingDetails("UPS", "X12345", LocalDate.now())))
        .isInstanceOf(UnknownJobException.class);
    assertThatThrownBy(() -> azure.cancel("nope")).isInstanceOf(UnknownJobException.class);
    assertThat(fake.requests).allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
  }

  @Test
  void cancelPatchesCancelRequested() {
    azure.createJob(request("seed-1", false, drive("D1")));
    fake.requests.clear();

    azure.cancel("seed-1");

    assertThat(fake.requests).hasSize(2);
    assertArmRequest(fake.requests.get(0), "GET", JOBS + "/seed-1");
    FakeImportExport.Request patch = fake.requests.get(1);
    assertArmRequest(patch, "PATCH", JOBS + "/seed-1");
    assertThat(patch.contentType()).startsWith("application/json");
    assertThat(patch.body().toString()).isEqualTo("{\"properties\":{\"cancelRequested\":true}}");
    assertThat(azure.status("seed-1").state()).isEqualTo(JobState.Cancelled);

    azure.cancel("seed-1"); // a redelivered task: already asked, nothing more is sent
    assertThat(fake.requests("PATCH")).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Shipping", "Received", "Transferring", "Packaging", "Completed", "Closed"})
  void cancelIsRefusedFromShippingOn(String state) {
    fake.addJob("seed-1", state, "AAA111");

    assertThatThrownBy(() -> azure.cancel("seed-1")).isInstanceOf(CancelRefusedException.class)
        .hasMessageContaining("is " + state).hasMessageContaining("can no longer be cancelled");
    assertThat(fake.requests("PATCH")).isEmpty();
  }

  @Test
  void cancelRefusedByTheServiceIsCancelRefused() {
    fake.addJob("seed-1", "Creating", null);
    fake.answerNext("PATCH", JOBS + "/seed-1", 400, FakeImportExport.error("JobCannotBeCancelled",
        "The job is being processed and cannot be cancelled."));

    assertThatThrownBy(() -> azure.cancel("seed-1")).isInstanceOf(CancelRefusedException.class)
        .hasMessageContaining("refused to cancel import job seed-1")
        .hasMessageContaining("JobCannotBeCancelled: The job is being processed and cannot be cancelled.");
    assertThat(fake.requests("PATCH")).hasSize(1);
  }

  @Test
  void permissionThrottlingAndServerFaultsAreNotRefusals() {
    fake.addJob("seed-1", "Creating", null);
    fake.answerNext("GET", JOBS + "/seed-1", 403, FakeImportExport.error("AuthorizationFailed",
        "The client does not have authorization to perform action 'Microsoft.ImportExport/jobs/read'."));
    assertThatThrownBy(() -> azure.status("seed-1")).isInstanceOf(AzureImportExportException.class)
        .hasMessageContaining(CLIENT).hasMessageContaining("AuthorizationFailed").hasMessageContaining("role");

    fake.answerNext("GET", JOBS + "/seed-1", 503, "Service Unavailable");
    assertThatThrownBy(() -> azure.status("seed-1")).isInstanceOf(AzureImportExportException.class)
        .hasMessageContaining("Service Unavailable").hasMessageContaining("try again later");

    fake.answerNext("GET", JOBS + "/seed-1", 429, FakeImportExport.error("TooManyRequests", "Slow down."));
    assertThatThrownBy(() -> azure.status("seed-1")).isInstanceOf(AzureImportExportException.class)
        .hasMessageContaining("throttling");
  }

  @Test
  void aNextLinkToAnotherHostIsNotFollowedWithTheToken() {
    fake.addJob("seed-1", "Creating", null);
    fake.answerNext("GET", JOBS, 200, "{\"value\":[],\"nextLink\":\"https://evil.example.net/steal?api-version=2021-01-01\"}");

    assertThatThrownBy(() -> azure.updateShipping("seed-1", new ShippingDetails("UPS", "X12345", LocalDate.now())))
        .isInstanceOf(AzureImportExportException.class).hasMessageContaining("another host");
  }

  @Test
  void noSecretAppearsInAnyExceptionMessageOrStatus() {
    DriveSpec spec = drive("D1");
    String key = keys.get(spec.unlockSecretRef());
    List<Throwable> thrown = new ArrayList<>();

    // the service echoes the request (key and token) in its refusal
    fake.answerNext("PUT", JOBS + "/seed-1", 400, FakeImportExport.error("InvalidBitLockerKey",
        "Drive D1: BitLocker key " + key + " does not unlock the drive; request had Authorization: Bearer " + TOKEN));
    thrown.add(catchAny(() -> azure.createJob(request("seed-1", false, spec))));
    // a proxy answering with plain text that holds the key with spaces and the token
    fake.answerNext("PUT", JOBS + "/seed-1", 502, "bad gateway for " + key.replace('-', ' ') + " token=" + TOKEN);
    thrown.add(catchAny(() -> azure.createJob(request("seed-1", false, spec))));
    // 401 echoing the token
    fake.answerNext("GET", JOBS + "/seed-1", 401, FakeImportExport.error("InvalidAuthenticationToken",
        "The access token '" + TOKEN + "' is invalid."));
    thrown.add(catchAny(() -> azure.status("seed-1")));
    // a duplicate whose message repeats the key
    azure.createJob(request("seed-1", false, spec));
    fake.trackingNumbersElsewhere.add("ZZZ999");
    fake.answerNext("PATCH", JOBS + "/seed-1", 409, FakeImportExport.error("Conflict", "ZZZ999 in use (key " + key + ")"));
    thrown.add(catchAny(() -> azure.updateShipping("seed-1", new ShippingDetails("UPS", "ZZZ999", LocalDate.now()))));
    fake.answerNext("PATCH", JOBS + "/seed-1", 400, FakeImportExport.error("Bad", TOKEN + " " + key));
    thrown.add(catchAny(() -> azure.cancel("seed-1")));

    assertThat(thrown).hasSize(5).doesNotContainNull();
    for (Throwable t : thrown) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        assertThat(c.getMessage()).doesNotContain(TOKEN).doesNotContain(key).doesNotContain(key.replace('-', ' '))
            .doesNotContain(key.replace("-", ""));
        assertThat(c.toString()).doesNotContain(TOKEN).doesNotContain(key);
      }
    }
    assertThat(thrown.get(0).getMessage()).contains("InvalidBitLockerKey", "[hidden]");

    // the service's GET answer carries the key; the status shows nothing of it
    JobStatus status = azure.status("seed-1");
    assertThat(fake.job("seed-1").toString()).contains(key);
    assertThat(status.toString()).doesNotContain(key).doesNotContain(TOKEN);
  }

  private static ObjectNode properties(ObjectNode job) {
    return (ObjectNode) job.get("properties");
  }

  private static Throwable catchAny(Runnable call) {
    try {
      call.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
