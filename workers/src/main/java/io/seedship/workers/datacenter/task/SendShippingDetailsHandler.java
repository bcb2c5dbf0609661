package io.seedship.workers.datacenter.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.datacenter.ImportExportService;
import io.seedship.workers.datacenter.ImportJobRefusedException;
import io.seedship.workers.datacenter.ShippingDetails;
import io.seedship.workers.datacenter.UnknownJobException;
import io.seedship.workers.worker.LockKeeper;
import io.seedship.workers.worker.WorkerTaskHandler;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic {@code import-job-ship}: gives the import job the package's carrier, tracking number and ship date (the
 * job moves to {@code Shipping}; the two-week window starts). Sending the same details again is harmless. A
 * refusal (a tracking number another job holds, a carrier the datacenter does not accept) becomes an incident
 * that names the problem: Seedship checked the tracking number already, so this means the service knows better.
 */
public final class SendShippingDetailsHandler extends WorkerTaskHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SendShippingDetailsHandler.class);

  private final ImportExportService service;

  public SendShippingDetailsHandler(ImportExportService service, ImportTopicSettings settings, Executor executor) {
    super(settings.policy(), executor);
    this.service = service;
  }

  @Override
  protected void work(ExternalTask task, ExternalTaskService taskService) {
    String jobId = required(task, taskService, SeedingProcess.Variables.IMPORT_JOB_ID);
    String carrier = jobId == null ? null : required(task, taskService, SeedingProcess.Variables.CARRIER);
    String tracking = carrier == null ? null : required(task, taskService, SeedingProcess.Variables.TRACKING_NUMBER);
    String shipDate = tracking == null ? null : required(task, taskService, SeedingProcess.Variables.SHIP_DATE);
    if (shipDate == null) {
      return;
    }
    try (LockKeeper ignored = LockKeeper.keep(task, taskService, policy.lockDuration())) {
      ShippingDetails details = new ShippingDetails(carrier, tracking, LocalDate.parse(shipDate.substring(0, Math.min(10,
          shipDate.length()))));
      service.updateShipping(jobId, details);
      LOG.info("Seeding {}: shipping details sent to import job {} ({} {})", task.getBusinessKey(), jobId, carrier,
          details.trackingNumber());
      taskService.complete(task, Map.of());
    } catch (DateTimeParseException e) {
      incident(task, taskService, e, "The ship date '" + shipDate + "' is not a date (YYYY-MM-DD): correct the variable "
          + SeedingProcess.Variables.SHIP_DATE + ", then retry the incident.");
    } catch (ImportJobRefusedException | UnknownJobException e) {
      incident(task, taskService, e, e.getMessage());
    } catch (RuntimeException e) {
      retryLater(task, taskService, e, "The shipping details could not be sent to import job " + jobId + ": " + e.getMessage());
    }
  }
}
