package io.seedship.workers.datacenter.azure;

import com.fasterxml.jackson.databind.JsonNode;
import io.seedship.workers.datacenter.DriveState;
import io.seedship.workers.datacenter.DriveStatus;
import io.seedship.workers.datacenter.JobState;
import io.seedship.workers.datacenter.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads a job resource (GET) into the port's {@link JobStatus}; see docs/datacenter.md "Azure adapter". */
final class StatusMapping {

  /** The service's states in which a job whose cancel was requested counts as cancelled. */
  static final Set<String> CANCELLED_STATES = Set.of("Creating", "Closed", "Cancelled");

  private StatusMapping() {
  }

  static JobStatus status(String jobId, JsonNode job) {
    JsonNode properties = job.path("properties");
    JobState state = jobState(jobId, properties);
    String accountId = properties.path("storageAccountId").asText("");
    String account = accountId.isEmpty() ? null : accountId.substring(accountId.lastIndexOf('/') + 1);
    String container = job.path("tags").path(AzureImportExport.CONTAINER_TAG).asText(null);
    List<DriveStatus> drives = new ArrayList<>();
    for (JsonNode drive : properties.path("driveList")) {
      drives.add(drive(jobId, drive));
    }
    return new JobStatus(jobId, state, account, container, message(state, properties), drives);
  }

  static JobState jobState(String jobId, JsonNode properties) {
    String text = properties.path("state").asText("");
    if (text.equals("Cancelled")
        || (properties.path("cancelRequested").asBoolean(false) && CANCELLED_STATES.contains(text))) {
      return JobState.Cancelled;
    }
    return switch (text) {
      case "Creating" -> JobState.Creating;
      case "Shipping" -> JobState.Shipping;
      case "Received" -> JobState.Received;
      case "Transferring" -> JobState.Transferring;
      case "Packaging" -> JobState.Packaging;
      case "Completed" -> JobState.Completed;
      case "Closed" -> JobState.Closed;
      default -> throw new AzureImportExportException("Import/Export reports import job " + jobId + " in state '"
          + Redactor.redact(text, List.of()) + "', which this version of Seedship does not know: look at the job in the "
          + "Azure portal, and update Seedship.");
    };
  }

  private static DriveStatus drive(String jobId, JsonNode drive) {
    String id = drive.path("driveId").asText("");
    String text = drive.path("state").asText("");
    String copyStatus = Redactor.redact(drive.path("copyStatus").asText(""), List.of());
    String errorLog = drive.path("errorLogUri").asText(null);
    String verboseLog = drive.path("verboseLogUri").asText(null);
    String copy = copyStatus.isEmpty() ? "" : " Copy status: " + copyStatus + ".";
    String logs = errorLog == null ? "" : " Error log: " + errorLog + ".";
    DriveState state;
    String message;
    switch (text) {
      case "Specified" -> {
        state = DriveState.Specified;
        message = "Specified in the job; the datacenter has not received it yet.";
      }
      case "Received" -> {
        state = DriveState.Received;
        message = "Received at the datacenter.";
      }
      case "NeverReceived" -> {
        state = DriveState.NeverReceived;
        message = "Never received: the drive did not arrive at the datacenter in time and was not imported. Repair over "
            + "the network or create a new import job.";
      }
      case "Transferring" -> {
        state = DriveState.Transferring;
        message = "Transferring." + copy;
      }
      case "Completed" -> {
        state = DriveState.Completed;
        message = "Completed: all its data was imported." + copy;
      }
      case "CompletedMoreInfo" -> {
        state = DriveState.CompletedMoreInfo;
        message = "Completed with problems: not all of its data was imported." + copy + logs
            + " Repair the files the error log names.";
      }
      case "ShippedBack" -> {
        // The port has no ShippedBack: the drive is on its way back; what counts is whether its data arrived.
        boolean complete = copyStatus.equalsIgnoreCase("Completed");
        state = complete ? DriveState.Completed : DriveState.CompletedMoreInfo;
        message = "Shipped back to the return address." + copy + (complete ? "" : logs + " Check the error log and repair "
            + "what it names.");
      }
      default -> throw new AzureImportExportException("Import/Export reports drive " + id + " of import job " + jobId
          + " in state '" + Redactor.redact(text, List.of()) + "', which this version of Seedship does not know: look at "
          + "the job in the Azure portal, and update Seedship.");
    }
    return new DriveStatus(id, state, drive.path("percentComplete").asInt(0), drive.path("bytesSucceeded").asLong(0),
        errorLog, verboseLog, message);
  }

  private static String message(JobState state, JsonNode properties) {
    JsonNode delivery = properties.path("deliveryPackage");
    return switch (state) {
      case Creating -> "Waiting for the shipping details: Import/Export deletes a job left in Creating for 14 days.";
      case Shipping -> "In transit with " + delivery.path("carrierName").asText("?") + " ("
          + delivery.path("trackingNumber").asText("?") + "), shipped on " + delivery.path("shipDate").asText("?")
          + "; the drives must reach the datacenter within 14 days of the shipping details.";
      case Received -> "Package received at the datacenter.";
      case Transferring -> "Transferring the drives' data (" + properties.path("percentComplete").asInt(0) + "% complete).";
      case Packaging -> "All drives processed; packaging them for their return.";
      case Completed -> "Completed: all drives imported.";
      case Closed -> "Closed: some data was not imported or a drive never arrived; see the drives' error logs and repair "
          + "the job.";
      case Cancelled -> "Cancelled at the customer's request.";
    };
  }
}
