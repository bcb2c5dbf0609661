package io.seedship.workers.worker;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.cancellation.CleanUpCancelledSeeding;
import io.seedship.workers.cancellation.task.SeedingCleanupHandler;
import io.seedship.workers.certificates.CertificateStore;
import io.seedship.workers.datacenter.BlobContainers;
import io.seedship.workers.datacenter.DatacenterSettings;
import io.seedship.workers.datacenter.ImportExportService;
import io.seedship.workers.datacenter.JdbcDatacenterStore;
import io.seedship.workers.datacenter.KeyStoreSecrets;
import io.seedship.workers.datacenter.LocalDatacenter;
import io.seedship.workers.datacenter.SingleAccountContainers;
import io.seedship.workers.datacenter.azure.AzureImportExport;
import io.seedship.workers.datacenter.azure.AzureImportExportSettings;
import io.seedship.workers.datacenter.azure.ClientCertificateTokens;
import io.seedship.workers.datacenter.task.ImportTopicSettings;
import io.seedship.workers.datacenter.task.ImportTopics;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.camunda.bpm.client.ExternalTaskClient;

/**
 * The import job's topics on a copy computer, with the Import/Export service chosen by
 * {@code SEEDSHIP_IMPORT_EXPORT}: {@code azure} is Azure Import/Export ({@link #azure}); {@code local} (default) is
 * Seedship's local datacenter, kept in Seedship's
 * database and importing into the blob account, with its transit and processing times from
 * {@code SEEDSHIP_DATACENTER_TRANSIT} (default P3D) and {@code SEEDSHIP_DATACENTER_PROCESSING} (default P1D, each of
 * receipt-to-transfer and packaging). The job is created with {@code SEEDSHIP_RETURN_ADDRESS} and
 * {@code SEEDSHIP_CONTACT} unless the seeding has its own.
 */
final class ImportWiring {

  private ImportWiring() {
  }

  static void subscribe(ExternalTaskClient client, WorkerSettings settings, CloudConnections cloud, Function<String, String> env,
                        Executor executor) {
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(settings.keyDirectory());
    BlobContainers containers = new SingleAccountContainers(cloud.blobs().orElseThrow());
    ImportExportService service = service(settings, cloud, env, keyStore, containers);
    ImportTopicSettings topicSettings = new ImportTopicSettings(env.apply("SEEDSHIP_RETURN_ADDRESS"), env.apply("SEEDSHIP_CONTACT"),
        "true".equalsIgnoreCase(env.apply("SEEDSHIP_DATACENTER_VERBOSE_LOG")), TaskPolicy.defaults());
    ImportTopics.subscribe(client, service, containers, keyStore, topicSettings, executor);
    client.subscribe(SeedingProcess.Topics.SEEDING_CLEANUP).lockDuration(topicSettings.policy().lockDuration().toMillis())
        .handler(new SeedingCleanupHandler(new CleanUpCancelledSeeding(service, settings.keyDirectory()), topicSettings.policy(),
            executor)).open();
  }

  private static ImportExportService service(WorkerSettings settings, CloudConnections cloud, Function<String, String> env,
                                             DiskPrepKeyStore keyStore, BlobContainers containers) {
    String kind = env.apply("SEEDSHIP_IMPORT_EXPORT");
    if ("azure".equals(kind)) {
      return azure(env, keyStore);
    }
    if (kind != null && !kind.isBlank() && !kind.equals("local")) {
      throw new IllegalArgumentException("SEEDSHIP_IMPORT_EXPORT=" + kind + " is not known: use 'local' or 'azure'.");
    }
    Duration processing = duration(env, "SEEDSHIP_DATACENTER_PROCESSING", Duration.ofDays(1));
    DatacenterSettings datacenter = DatacenterSettings.defaults()
        .withTransitTime(duration(env, "SEEDSHIP_DATACENTER_TRANSIT", Duration.ofDays(3)))
        .withProcessingTimes(processing, processing);
    KeyStoreSecrets secrets = new KeyStoreSecrets(keyStore);
    Path scratch = settings.keyDirectory().resolve("datacenter-scratch");
    return new LocalDatacenter(new JdbcDatacenterStore(cloud.database().orElseThrow()), datacenter, Clock.systemUTC(), containers,
        secrets, secrets, scratch);
  }

  /**
   * Azure Import/Export (docs/datacenter.md §7): {@code SEEDSHIP_AZURE_SUBSCRIPTION}, {@code _RESOURCE_GROUP},
   * {@code _LOCATION}, {@code _TENANT}, {@code _CLIENT_ID}; the token is signed with the offline-seeding
   * certificate of {@code SEEDSHIP_CERTIFICATES} / {@code SEEDSHIP_CERTIFICATE_SECRETS} (as certgen keeps it) named
   * by {@code SEEDSHIP_RESOURCE_ID}.
   */
  private static ImportExportService azure(Function<String, String> env, DiskPrepKeyStore keyStore) {
    AzureImportExportSettings settings = AzureImportExportSettings.publicCloud(env.apply("SEEDSHIP_AZURE_SUBSCRIPTION"),
        env.apply("SEEDSHIP_AZURE_RESOURCE_GROUP"), env.apply("SEEDSHIP_AZURE_LOCATION"), env.apply("SEEDSHIP_AZURE_TENANT"),
        env.apply("SEEDSHIP_AZURE_CLIENT_ID"));
    Path home = Path.of(System.getProperty("user.home"), ".seedship");
    CertificateStore certificates = new CertificateStore(
        Path.of(or(env.apply("SEEDSHIP_CERTIFICATES"), home.resolve("certificates").toString())),
        Path.of(or(env.apply("SEEDSHIP_CERTIFICATE_SECRETS"), home.resolve("secrets").toString())));
    String resourceId = or(env.apply("SEEDSHIP_RESOURCE_ID"), "seedship-server");
    return new AzureImportExport(settings, ClientCertificateTokens.forManagement(settings, certificates, resourceId,
        Clock.systemUTC()), new KeyStoreSecrets(keyStore));
  }

  private static String or(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  static Duration duration(Function<String, String> env, String name, Duration fallback) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      Duration parsed = Duration.parse(value.strip());
      if (parsed.isNegative()) {
        throw new IllegalArgumentException(name + "=" + value + " is negative: give a duration such as PT30S or P3D.");
      }
      return parsed;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + "=" + value + " is not an ISO-8601 duration: give one such as PT30S or P3D.");
    }
  }
}
