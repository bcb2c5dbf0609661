package io.seedship.workers.worker;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.datacenter.task.ImportTopics;
import io.seedship.workers.repository.SelfTest;
import io.seedship.workers.vault.Vault;
import io.seedship.workers.vault.VaultSettings;
import io.seedship.workers.vault.task.VaultTopics;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DiskPrepSettings;
import io.seedship.workers.diskprep.DriveInspector;
import io.seedship.workers.diskprep.PrepareDrives;
import io.seedship.workers.diskprep.task.DiskPrepCopyHandler;
import io.seedship.workers.staging.StageBackup;
import io.seedship.workers.staging.StagingBackupHandler;
import io.seedship.workers.staging.StagingSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code seedship worker}: a copy computer's worker. It subscribes to the topics whose work needs the
 * machine's files (the source, the staging location, the drives) and runs until it is stopped. Long work
 * runs on its own threads, so one backup does not block fetching for the other topics; each handler keeps
 * its lock alive while it works.
 */
public final class WorkerCommand {

  private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

  private WorkerCommand() {
  }

  public static int run(PrintStream out, PrintStream err, Function<String, String> env) {
    WorkerSettings settings;
    try {
      settings = WorkerSettings.fromEnvironment(env);
      Files.createDirectories(settings.keyDirectory(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IllegalArgumentException | IOException e) {
      err.println("worker: " + e.getMessage());
      return 2;
    }
    try {
      Duration took = SelfTest.run(Path.of(System.getProperty("java.io.tmpdir")));
      log.info("Start-up self-test passed in {} ms (backup, incremental, restore of a synthetic tree)", took.toMillis());
    } catch (RuntimeException e) {
      err.println("worker: " + e.getMessage());
      return 2;
    }
    ExecutorService work = Executors.newFixedThreadPool(4, r -> new Thread(r, "seedship-work"));
    ExternalTaskClient client;
    try {
      client = open(settings, work, env);
    } catch (IllegalArgumentException e) {
      err.println("worker: " + e.getMessage());
      work.shutdown();
      return 2;
    }
    out.println("Seedship worker " + settings.workerId() + " works for " + settings.engineUrl() + " (Ctrl-C stops it).");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      client.stop();
      work.shutdown();
      stopped.countDown();
    }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Subscribes this machine's topics: staging and disk preparation always; the import job's and the vault's topics
   * when the environment names Seedship's database and the blob account ({@link CloudConnections}).
   */
  public static ExternalTaskClient open(WorkerSettings settings, ExecutorService work, Function<String, String> env) {
    CloudConnections cloud = CloudConnections.fromEnvironment(env);
    ExternalTaskClient client = open(settings, work);
    if (cloud.missing().isPresent()) {
      log.info("Worker {} does not take the import topics {}: {}", settings.workerId(), ImportTopics.TOPICS, cloud.missing().get());
    } else {
      try {
        ImportWiring.subscribe(client, settings, cloud, env, work);
        Vault vault = VaultTopics.subscribe(client, VaultSettings.fromEnvironment(env, cloud.database().orElseThrow()), work);
        VaultTopics.subscribeSeedCleanup(client, vault, work);
      } catch (RuntimeException e) {
        client.stop();
        throw e;
      }
      log.info("Worker {} subscribed to {} and the vault's topics", settings.workerId(), ImportTopics.TOPICS);
    }
    return client;
  }

  /** Subscribes the staging and disk-preparation topics; exposed so tests can run a worker against a real engine. */
  public static ExternalTaskClient open(WorkerSettings settings, ExecutorService work) {
    ExternalTaskClient client = ExternalTaskClient.create()
        .baseUrl(settings.engineUrl())
        .workerId(settings.workerId())
        .addInterceptor(new BasicAuthProvider(settings.user(), settings.password()))
        .asyncResponseTimeout(20_000)
        .maxTasks(4)
        .build();
    StagingSettings staging = StagingSettings.defaults(settings.keyDirectory().resolve("repositories"));
    client.subscribe(SeedingProcess.Topics.STAGING_BACKUP)
        .lockDuration(staging.lockDuration().toMillis())
        .handler(new StagingBackupHandler(new StageBackup(staging), staging, work))
        .open();
    DiskPrepSettings diskPrep = DiskPrepSettings.defaults(settings.keyDirectory());
    client.subscribe(SeedingProcess.Topics.DISK_PREP_COPY)
        .lockDuration(diskPrep.lockDuration().toMillis())
        .handler(new DiskPrepCopyHandler(new PrepareDrives(new DiskPrepKeyStore(diskPrep.keyDirectory()), DriveInspector.system(),
            diskPrep.kdf()), diskPrep, work))
        .open();
    log.info("Worker {} subscribed to {} and {}", settings.workerId(), SeedingProcess.Topics.STAGING_BACKUP,
        SeedingProcess.Topics.DISK_PREP_COPY);
    return client;
  }
}
