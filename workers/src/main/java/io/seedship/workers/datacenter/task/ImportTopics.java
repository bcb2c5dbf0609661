package io.seedship.workers.datacenter.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.datacenter.BlobContainers;
import io.seedship.workers.datacenter.ImportExportService;
import io.seedship.workers.datacenter.RepairImport;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import java.util.List;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.ExternalTaskClient;

/** Subscribes the import job's four topics (create, ship, status, repair) on a worker's client. */
public final class ImportTopics {

  public static final List<String> TOPICS = List.of(SeedingProcess.Topics.IMPORT_JOB_CREATE, SeedingProcess.Topics.IMPORT_JOB_SHIP,
      SeedingProcess.Topics.IMPORT_JOB_STATUS, SeedingProcess.Topics.IMPORT_REPAIR);

  private ImportTopics() {
  }

  public static void subscribe(ExternalTaskClient client, ImportExportService service, BlobContainers containers,
                               DiskPrepKeyStore keyStore, ImportTopicSettings settings, Executor executor) {
    long lock = settings.policy().lockDuration().toMillis();
    client.subscribe(SeedingProcess.Topics.IMPORT_JOB_CREATE).lockDuration(lock)
        .handler(new CreateImportJobHandler(service, keyStore, settings, executor)).open();
    client.subscribe(SeedingProcess.Topics.IMPORT_JOB_SHIP).lockDuration(lock)
        .handler(new SendShippingDetailsHandler(service, settings, executor)).open();
    client.subscribe(SeedingProcess.Topics.IMPORT_JOB_STATUS).lockDuration(lock)
        .handler(new CheckImportJobHandler(service, settings, executor)).open();
    client.subscribe(SeedingProcess.Topics.IMPORT_REPAIR).lockDuration(lock)
        .handler(new RepairImportHandler(new RepairImport(service, containers, keyStore), settings, executor)).open();
  }
}
