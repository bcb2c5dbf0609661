package io.seedship.workers.datacenter.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedship.workers.datacenter.CancelRefusedException;
import io.seedship.workers.datacenter.CreatedJob;
import io.seedship.workers.datacenter.DatacenterSettings;
import io.seedship.workers.datacenter.DriveSpec;
import io.seedship.workers.datacenter.DuplicateTrackingNumberException;
import io.seedship.workers.datacenter.ImportExportService;
import io.seedship.workers.datacenter.ImportJobRefusedException;
import io.seedship.workers.datacenter.JobRequest;
import io.seedship.workers.datacenter.JobStatus;
import io.seedship.workers.datacenter.ShippingDetails;
import io.seedship.workers.datacenter.UnknownJobException;
import io.seedship.workers.datacenter.UnlockSecretUnavailableException;
import io.seedship.workers.datacenter.UnlockSecrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Import/Export port against Azure's REST contract ({@code Microsoft.ImportExport/jobs}, api-version 2021-01-01):
 * create an import job (PUT), tell it the package was shipped (PATCH {@code deliveryPackage} and state
 * {@code Shipping}), read its state (GET), cancel it (PATCH {@code cancelRequested}); the datacenter's address and
 * carriers come from the location (GET). docs/datacenter.md "Azure adapter" describes the requests and the mapping.
 *
 * <p>The drives' recovery passwords are resolved through {@link UnlockSecrets} only to go into the request body's
 * {@code bitLockerKey}; they and the access token never appear in a log line or an exception message.
 */
public final class AzureImportExport implements ImportExportService {

  public static final String API_VERSION = "2021-01-01";
  static final String CONTAINER_TAG = "seedshipContainer";
  static final String MANIFEST_FILE = "\\DriveManifest.xml";
  static final String DIAGNOSTICS_PATH = "waimportexport";

  private static final Logger LOG = LoggerFactory.getLogger(AzureImportExport.class);
  private static final Pattern RECOVERY_PASSWORD = Pattern.compile("\\d{6}(-\\d{6}){7}");

  /** The datacenter of the configured location: where to send the package and with which carriers. */
  record Datacenter(String address, List<String> carriers) {
  }

  private final AzureImportExportSettings settings;
  private final UnlockSecrets secrets;
  private final ArmClient arm;
  private volatile Datacenter datacenter;

  public AzureImportExport(AzureImportExportSettings settings, AccessTokens tokens, UnlockSecrets secrets) {
    this(settings, tokens, secrets, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build());
  }

  public AzureImportExport(AzureImportExportSettings settings, AccessTokens tokens, UnlockSecrets secrets, HttpClient http) {
    this.settings = settings;
    this.secrets = secrets;
    this.arm = new ArmClient(settings.managementBaseUrl(), API_VERSION, tokens, http);
  }

  @Override
  public CreatedJob createJob(JobRequest request) {
    String name = request.name();
    List<DriveSpec> drives = request.drives();
    if (drives.isEmpty() || drives.size() > DatacenterSettings.MAX_DRIVES) {
      throw new ImportJobRefusedException("Import job " + name + " lists " + drives.size() + " drives; a job takes 1 to "
          + DatacenterSettings.MAX_DRIVES + ". Split the drives over several jobs.");
    }
    Set<String> ids = new HashSet<>();
    for (DriveSpec drive : drives) {
      if (!ids.add(drive.driveId())) {
        throw new ImportJobRefusedException("Drive " + drive.driveId() + " is listed twice in import job " + name
            + ": list each drive once.");
      }
    }
    if (!AzureImportExportSettings.isStorageAccountName(request.storageAccount())) {
      throw new ImportJobRefusedException("'" + request.storageAccount() + "' is not an Azure storage account name (3 to 24 "
          + "lower-case letters and digits): give the name of the storage account the drives are imported into.");
    }
    AzureReturnAddress returnAddress = AzureReturnAddress.parse(request.returnAddress(), request.contact());
    Datacenter datacenter = datacenter();

    ArmClient.Answer existing = arm.send("GET", arm.uri(jobPath(name)), null, List.of());
    if (existing.ok()) {
      throw new ImportJobRefusedException("An import job named " + name + " already exists in resource group "
          + settings.resourceGroup() + " (state " + existing.body().path("properties").path("state").asText("unknown")
          + "); Import/Export would overwrite it. Give the new job a name of its own.");
    }
    if (existing.status() != 404) {
      throw arm.unexpected("read import job " + name, existing, settings.clientId(), scope());
    }

    List<String> keys = new ArrayList<>();
    ObjectNode body = ArmClient.JSON.createObjectNode().put("location", settings.location());
    body.putObject("tags").put(CONTAINER_TAG, request.container());
    ObjectNode properties = body.putObject("properties")
        .put("storageAccountId", settings.storageAccountId(request.storageAccount()))
        .put("jobType", "Import");
    properties.set("returnAddress", returnAddress.toJson());
    if (settings.returnShipping() != null) {
      properties.putObject("returnShipping")
          .put("carrierName", settings.returnShipping().carrierName())
          .put("carrierAccountNumber", settings.returnShipping().carrierAccountNumber());
    }
    properties.put("diagnosticsPath", DIAGNOSTICS_PATH)
        .put("logLevel", request.verboseLog() ? "Verbose" : "Error")
        .put("backupDriveManifest", true);
    ArrayNode driveList = properties.putArray("driveList");
    for (DriveSpec drive : drives) {
      String key = recoveryPassword(name, drive);
      keys.add(key);
      driveList.addObject()
          .put("driveId", drive.driveId())
          .put("bitLockerKey", key)
          .put("manifestFile", MANIFEST_FILE)
          .put("manifestHash", drive.manifestSha256().toUpperCase(Locale.ROOT));
    }

    ArmClient.Answer created = arm.send("PUT", arm.uri(jobPath(name)), body, keys);
    if (created.status() == 400 || created.status() == 409 || created.status() == 404) {
      throw new ImportJobRefusedException("Azure Import/Export refused to create import job " + name + " ("
          + created.error() + "): correct what the service names and create the job again.");
    }
    if (!created.ok()) {
      throw arm.unexpected("create import job " + name, created, settings.clientId(), scope());
    }
    String shipTo = address(created.body().path("properties").path("shippingInformation"));
    LOG.info("Azure import job {} created in {} with {} drive(s) for storage account {}", name, settings.resourceGroup(),
        drives.size(), request.storageAccount());
    return new CreatedJob(name, shipTo == null ? datacenter.address() : shipTo, datacenter.carriers());
  }

  /**
   * The job if it exists, answered as {@link #createJob} answered it: for a redelivered task that created the job
   * before it could report so.
   */
  @Override
  public Optional<CreatedJob> existingJob(String jobName) {
    ArmClient.Answer answer = arm.send("GET", arm.uri(jobPath(jobName)), null, List.of());
    if (answer.status() == 404) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw arm.unexpected("read import job " + jobName, answer, settings.clientId(), scope());
    }
    Datacenter datacenter = datacenter();
    String shipTo = address(answer.body().path("properties").path("shippingInformation"));
    return Optional.of(new CreatedJob(jobName, shipTo == null ? datacenter.address() : shipTo, datacenter.carriers()));
  }

  @Override
  public void updateShipping(String jobId, ShippingDetails shipping) {
    JsonNode job = job(jobId);
    JsonNode properties = job.path("properties");
    String state = properties.path("state").asText("");
    if (properties.path("cancelRequested").asBoolean(false)) {
      throw new ImportJobRefusedException("Import job " + jobId + " was cancelled: create a new import job for these drives.");
    }
    if (!state.equals("Creating") && !state.equals("Shipping")) {
      throw new ImportJobRefusedException("Import job " + jobId + " is " + state + ": shipping details can only be given "
          + "before the package arrives.");
    }
    Datacenter datacenter = datacenter();
    String carrier = datacenter.carriers().stream().filter(c -> c.equalsIgnoreCase(shipping.carrier().strip())).findFirst()
        .orElseThrow(() -> new ImportJobRefusedException("Carrier " + shipping.carrier() + " is not accepted at the "
            + settings.location() + " datacenter; use one of " + String.join(", ", datacenter.carriers()) + "."));
    Optional<String> holder = jobWithTrackingNumber(shipping.trackingNumber(), jobId);
    if (holder.isPresent()) {
      throw duplicateTracking(shipping.trackingNumber(), "was already given for import job " + holder.get());
    }
    int driveCount = properties.path("driveList").size();
    ObjectNode body = ArmClient.JSON.createObjectNode();
    ObjectNode update = body.putObject("properties").put("state", "Shipping");
    update.putObject("deliveryPackage")
        .put("carrierName", carrier)
        .put("trackingNumber", shipping.trackingNumber())
        .put("driveCount", driveCount)
        .put("shipDate", shipping.shipDate().toString());
    ArmClient.Answer answer = arm.send("PATCH", arm.uri(jobPath(jobId)), body, List.of());
    if (answer.status() == 404) {
      throw unknown(jobId);
    }
    if (answer.status() == 409 || (answer.status() == 400 && mentionsTrackingConflict(answer))) {
      throw duplicateTracking(shipping.trackingNumber(), "is refused by Import/Export (" + answer.error() + ")");
    }
    if (answer.status() == 400) {
      throw new ImportJobRefusedException("Azure Import/Export refused the shipping details of import job " + jobId + " ("
          + answer.error() + "): correct them and enter them again.");
    }
    if (!answer.ok()) {
      throw arm.unexpected("update the shipping details of import job " + jobId, answer, settings.clientId(), scope());
    }
    LOG.info("Azure import job {}: shipped with {} ({} drive(s)) on {}", jobId, carrier, driveCount, shipping.shipDate());
  }

  @Override
  public JobStatus status(String jobId) {
    return StatusMapping.status(jobId, job(jobId));
  }

  @Override
  public void cancel(String jobId) {
    JsonNode properties = job(jobId).path("properties");
    String state = properties.path("state").asText("");
    if (properties.path("cancelRequested").asBoolean(false) && StatusMapping.CANCELLED_STATES.contains(state)) {
      return; // asked before (a redelivered task): nothing more to do
    }
    if (!state.equals("Creating")) {
      throw new CancelRefusedException("Import job " + jobId + " is " + state + " and can no longer be cancelled: "
          + "Import/Export cancels jobs only before the shipping details are in. Let it finish and repair what failed.");
    }
    ObjectNode body = ArmClient.JSON.createObjectNode();
    body.putObject("properties").put("cancelRequested", true);
    ArmClient.Answer answer = arm.send("PATCH", arm.uri(jobPath(jobId)), body, List.of());
    if (answer.status() == 404) {
      throw unknown(jobId);
    }
    if (answer.status() == 400 || answer.status() == 409) {
      throw new CancelRefusedException("Azure Import/Export refused to cancel import job " + jobId + " (" + answer.error()
          + "): the job can no longer be cancelled; let it finish and repair what failed, or check it in the Azure portal.");
    }
    if (!answer.ok()) {
      throw arm.unexpected("cancel import job " + jobId, answer, settings.clientId(), scope());
    }
    LOG.info("Azure import job {}: cancel requested", jobId);
  }

  /** The datacenter of the configured location, asked once. */
  Datacenter datacenter() {
    Datacenter known = datacenter;
    if (known != null) {
      return known;
    }
    String path = "/providers/Microsoft.ImportExport/locations/" + ArmClient.segment(settings.location());
    ArmClient.Answer answer = arm.send("GET", arm.uri(path), null, List.of());
    if (answer.status() == 404) {
      throw new ImportJobRefusedException("Import/Export has no location " + settings.location() + " (" + answer.error()
          + "): set the location to an Azure region that accepts drives, e.g. westeurope.");
    }
    if (!answer.ok()) {
      throw arm.unexpected("read the Import/Export location " + settings.location(), answer, settings.clientId(), scope());
    }
    JsonNode properties = answer.body().path("properties");
    String address = address(properties);
    List<String> carriers = new ArrayList<>();
    properties.path("supportedCarriers").forEach(c -> carriers.add(c.asText()));
    if (address == null || carriers.isEmpty()) {
      throw new AzureImportExportException("Import/Export location " + settings.location() + " gives no shipping address or "
          + "no carriers: it may be closed for drives (alternate locations: " + properties.path("alternateLocations")
          + "); choose another location.");
    }
    known = new Datacenter(address, List.copyOf(carriers));
    datacenter = known;
    return known;
  }

  private String recoveryPassword(String jobName, DriveSpec drive) {
    String key;
    try {
      key = secrets.resolve(jobName, drive.driveId(), drive.unlockSecretRef()).reveal();
    } catch (UnlockSecretUnavailableException e) {
      throw new ImportJobRefusedException("Import/Export needs the unlock secret of drive " + drive.driveId() + " and it is "
          + "not available: " + e.getMessage(), e);
    }
    if (!RECOVERY_PASSWORD.matcher(key).matches()) {
      throw new ImportJobRefusedException("The unlock secret of drive " + drive.driveId() + " is not a 48-digit recovery "
          + "password, which is what Import/Export needs as the BitLocker key: prepare the drive again.");
    }
    return key;
  }

  private JsonNode job(String jobId) {
    ArmClient.Answer answer = arm.send("GET", arm.uri(jobPath(jobId)), null, List.of());
    if (answer.status() == 404) {
      throw unknown(jobId);
    }
    if (!answer.ok()) {
      throw arm.unexpected("read import job " + jobId, answer, settings.clientId(), scope());
    }
    return answer.body();
  }

  /** Another job of the resource group with this tracking number (Import/Export keeps one package per job). */
  private Optional<String> jobWithTrackingNumber(String trackingNumber, String exceptJob) {
    URI page = arm.uri(jobsPath());
    while (page != null) {
      ArmClient.Answer answer = arm.send("GET", page, null, List.of());
      if (!answer.ok()) {
        throw arm.unexpected("list the import jobs of resource group " + settings.resourceGroup(), answer, settings.clientId(),
            scope());
      }
      for (JsonNode job : answer.body().path("value")) {
        String name = job.path("name").asText("");
        String used = job.path("properties").path("deliveryPackage").path("trackingNumber").asText("");
        if (!name.equals(exceptJob) && normalised(used).equals(trackingNumber)) {
          return Optional.of(name);
        }
      }
      page = arm.nextLink(answer.body().path("nextLink").asText(null));
    }
    return Optional.empty();
  }

  private static String normalised(String trackingNumber) {
    return trackingNumber.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
  }

  private static boolean mentionsTrackingConflict(ArmClient.Answer answer) {
    String text = (answer.errorCode() + " " + answer.errorMessage()).toLowerCase(Locale.ROOT);
    return text.contains("tracking") && (text.contains("duplicate") || text.contains("already") || text.contains("in use")
        || text.contains("inuse") || text.contains("exist"));
  }

  private static DuplicateTrackingNumberException duplicateTracking(String trackingNumber, String why) {
    return new DuplicateTrackingNumberException("Tracking number " + trackingNumber + " " + why + ": each import job needs "
        + "its own package and tracking number. Ship this job's drives in a separate package and enter that package's "
        + "tracking number.");
  }

  private UnknownJobException unknown(String jobId) {
    return new UnknownJobException("There is no import job " + jobId + " in resource group " + settings.resourceGroup()
        + " of subscription " + settings.subscriptionId() + ": check the job name and the Azure settings (a job left in "
        + "Creating for 14 days is deleted by the service).");
  }

  /** One line from the address fields of a location or a job's shippingInformation; null without a street. */
  static String address(JsonNode fields) {
    if (!fields.path("streetAddress1").isTextual()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (String field : List.of("recipientName", "streetAddress1", "streetAddress2")) {
      String value = fields.path(field).asText("").strip();
      if (!value.isEmpty()) {
        parts.add(value);
      }
    }
    String city = String.join(" ", nonEmpty(fields.path("postalCode").asText(""), fields.path("city").asText("")));
    if (!city.isEmpty()) {
      parts.add(city);
    }
    for (String field : List.of("stateOrProvince", "countryOrRegion")) {
      String value = fields.path(field).asText("").strip();
      if (!value.isEmpty()) {
        parts.add(value);
      }
    }
    String phone = fields.path("phone").asText("").strip();
    if (!phone.isEmpty()) {
      parts.add("phone " + phone);
    }
    String extra = fields.path(fields.has("additionalShippingInformation") ? "additionalShippingInformation"
        : "additionalInformation").asText("").strip();
    if (!extra.isEmpty()) {
      parts.add(extra);
    }
    return String.join(", ", parts);
  }

  private static List<String> nonEmpty(String... values) {
    List<String> result = new ArrayList<>();
    for (String value : values) {
      if (!value.isBlank()) {
        result.add(value.strip());
      }
    }
    return result;
  }

  private String jobPath(String jobName) {
    return jobsPath() + "/" + ArmClient.segment(jobName);
  }

  private String jobsPath() {
    return "/subscriptions/" + ArmClient.segment(settings.subscriptionId()) + "/resourceGroups/"
        + ArmClient.segment(settings.resourceGroup()) + "/providers/Microsoft.ImportExport/jobs";
  }

  private String scope() {
    return "resource group " + settings.resourceGroup() + " of subscription " + settings.subscriptionId();
  }
}
