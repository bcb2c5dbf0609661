package io.seedship.web.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.storage.blob.BlobContainerClient;
import io.seedship.processes.SeedingProcess;
import io.seedship.web.security.SeedshipGroups;
import io.seedship.web.support.PostgresTestDatabase;
import io.seedship.web.support.WorkerFlowTest;
import io.seedship.web.support.WorkerProcess;
import io.seedship.workers.blob.AzuriteFixture;
import io.seedship.workers.blob.BlobClients;
import io.seedship.workers.vault.cli.VaultCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The whole offline-seeding lifecycle on PostgreSQL and Azurite, with the worker as its own operating-system
 * process: request → certificates → staging → disk preparation on two drives (the first too small, so the seed
 * spans) → shipping details → the datacenter's import → the seed copied into the vault at the next scheduled backup
 * → clean-up → two incremental backups with changes in between → every recovery point restored byte-identical to
 * the source as it was. The worker is killed (SIGKILL) during the vault copy and during an incremental; a new worker
 * process finishes the work. Scheduled backups are made due by executing the timer job, as the job executor does
 * at the scheduled time.
 */
@ExtendWith(AzuriteFixture.class)
class OfflineSeedingEndToEndTest extends WorkerFlowTest {

  @TempDir
  Path dir;

  @Autowired
  ManagementService management;

  @Autowired
  ExternalTaskService externalTasks;

  private final List<WorkerProcess> workers = new ArrayList<>();
  private Map<String, String> workerEnvironment;

  @AfterEach
  void stopWorkers() throws InterruptedException {
    for (WorkerProcess worker : workers) {
      worker.close();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSeedingGoesFromRequestToRestoredIncrementalsAndSurvivesKilledWorkers() throws Exception {
    String vaultContainer = "vault-" + UUID.randomUUID().toString().substring(0, 8);
    String importContainer = "import-" + UUID.randomUUID().toString().substring(0, 8);
    Path source = source(dir.resolve("source"), 40);
    Path staging = Files.createDirectories(dir.resolve("staging"));
    as(WORKER, SeedshipGroups.WORKERS);
    workerEnvironment = workerEnvironment(vaultContainer);
    startWorkerProcess();

    String seedingId = startSeeding(source, staging, "job-e2e", Map.of("container", importContainer, "importPollInterval", "PT1S",
        "backupSchedule", "0 0 22 * * ?"));
    String process = processOf(seedingId);
    awaitActivity(seedingId, "AttachDrives", Duration.ofSeconds(120));
    completeTask(seedingId, "AttachDrives", Map.of("drivePaths", drive("drive-1", 4L * 1024 * 1024) + "\n"
        + drive("drive-2", 256L * 1024 * 1024), "formatConfirmed", true));
    awaitActivity(seedingId, "EnterShippingDetails", Duration.ofSeconds(180));
    assertThat(runtime.getVariable(process, SeedingProcess.Variables.DRIVES_PREPARED)).isEqualTo(2);

    ResponseEntity<Map> shipped = as("e2e-operator", SeedshipGroups.OPERATORS).exchange("/api/seedings/" + seedingId + "/shipping",
        HttpMethod.PUT, new HttpEntity<>(Map.of("carrier", "DHL", "trackingNumber", "JD014600001111", "shipDate", "2026-11-20",
            "returnAddress", "Seedship Ops, 1 Main St, Springfield", "contact", "ops@example.org")), Map.class);
    assertThat(shipped.getStatusCode().value()).as(String.valueOf(shipped.getBody())).isEqualTo(200);
    awaitActivity(seedingId, "NextScheduledBackupForSeed", Duration.ofSeconds(180));
    assertThat(runtime.getVariable(process, SeedingProcess.Variables.IMPORT_JOB_STATE)).isEqualTo("Completed");
    Path expectedSeed = copyOf(source, "expected-rp-1");

    // the seed copy, with the worker killed in the middle
    scheduledBackupComesDue(process, "NextScheduledBackupForSeed");
    // killed as soon as the first copied blob is in the vault: the read-data verify of the whole seed is still to come
    // (a fixed 700 ms was too long on a fast machine: the copy had finished)
    String killed = killTheWorkerWhileItWorksOn(process, SeedingProcess.Topics.VAULT_SEED_COPY,
        () -> repositoryBlobs(vaultContainer) > 0);
    startWorkerProcess();
    releaseTheLockOfTheKilledWorker(process, SeedingProcess.Topics.VAULT_SEED_COPY, killed);
    awaitActivity(seedingId, "ChooseSeedCleanup", Duration.ofSeconds(180));
    assertThat(recoveryPoints(seedingId)).isEqualTo(1);
    assertThat(runtime.getVariable(process, SeedingProcess.Variables.RECOVERY_POINT_ID)).isEqualTo("rp-1");

    completeTask(seedingId, "ChooseSeedCleanup", Map.of("deleteImportCopy", true, "deleteStaging", true, "eraseDriveKeys", true));
    await().atMost(Duration.ofSeconds(60)).until(() -> !activities(seedingId).contains("CleanUpAfterSeed")
        && !activities(seedingId).contains("ChooseSeedCleanup"));
    assertThat(jdbc.sql("SELECT action FROM vault_audit WHERE protection_id = ? ORDER BY audit_id").param(seedingId)
        .query(String.class).list()).containsExactly("IMPORT_COPY_DELETED", "STAGING_DELETED", "DRIVE_KEYS_ERASED");
    assertThat(repositoryBlobs(importContainer)).isZero();
    assertThat(staging.resolve("seedship-" + seedingId)).doesNotExist();

    // changes made after the seed (as while the drives travelled), then an incremental with the worker killed in it
    Files.writeString(source.resolve("logs/2026/app.log"), "rotated\n", StandardOpenOption.APPEND);
    // Large enough that the incremental still works when the kill comes: a 24 MiB file was done within the 1.2 s.
    byte[] added = new byte[128 * 1024 * 1024];
    new Random(11).nextBytes(added);
    Files.write(source.resolve("added-after-seed.bin"), added);
    Files.delete(source.resolve("empty-file"));
    Path expectedFirst = copyOf(source, "expected-rp-2");
    scheduledBackupComesDue(process, "NextScheduledBackup");
    killed = killTheWorkerWhileItWorksOn(process, SeedingProcess.Topics.INCREMENTAL_BACKUP, workedFor(Duration.ofMillis(1200)));
    startWorkerProcess();
    releaseTheLockOfTheKilledWorker(process, SeedingProcess.Topics.INCREMENTAL_BACKUP, killed);
    await().atMost(Duration.ofSeconds(180)).until(() -> recoveryPoints(seedingId) == 2
        && activities(seedingId).contains("NextScheduledBackup"));

    // a second incremental after more changes
    Files.writeString(source.resolve("grüße.txt"), "changed again");
    Files.createDirectories(source.resolve("new-folder"));
    Files.writeString(source.resolve("new-folder/notes.txt"), "a new file in a new folder\n".repeat(1000));
    Path expectedSecond = copyOf(source, "expected-rp-3");
    scheduledBackupComesDue(process, "NextScheduledBackup");
    await().atMost(Duration.ofSeconds(120)).until(() -> recoveryPoints(seedingId) == 3
        && activities(seedingId).contains("NextScheduledBackup"));

    Map<String, Object> vault = (Map<String, Object>) as("e2e-manager", SeedshipGroups.MANAGERS)
        .getForObject("/api/seedings/" + seedingId, Map.class).get("vault");
    assertThat(vault).containsEntry("latestRecoveryPoint", "rp-3").containsEntry("bytesToSend", 0).containsKey("seedAge");
    assertThat((List<?>) vault.get("recoveryPoints")).hasSize(3);

    assertSameFiles(expectedSeed, restore(seedingId, "rp-1"));
    assertSameFiles(expectedFirst, restore(seedingId, "rp-2"));
    assertSameFiles(expectedSecond, restore(seedingId, "rp-3"));

    for (Map<String, Object> point : jdbc.sql("SELECT point_no, kind, changed_bytes, bytes_uploaded FROM vault_recovery_points "
        + "WHERE protection_id = ? AND kind = 'INCREMENTAL' ORDER BY point_no").param(seedingId).query().listOfRows()) {
      long changed = ((Number) point.get("changed_bytes")).longValue();
      long uploaded = ((Number) point.get("bytes_uploaded")).longValue();
      System.out.printf("recovery point rp-%s: %d bytes changed, %d bytes uploaded, %.2fx the changed bytes%n",
          point.get("point_no"), changed, uploaded, (double) uploaded / changed);
      assertThat(uploaded).isLessThanOrEqualTo((long) (1.2 * changed) + 1024 * 1024);
    }
    for (WorkerProcess worker : workers) {
      String log = Files.readString(worker.log());
      assertThat(log).doesNotContain("Authorization", PASSWORD, "AccountKey=");
    }
  }

  private Map<String, String> workerEnvironment(String vaultContainer) {
    Map<String, String> env = new HashMap<>(cloudEnvironment(AzuriteFixture.connectionString()));
    env.put("SEEDSHIP_ENGINE_URL", "http://localhost:" + port + "/engine-rest");
    env.put("SEEDSHIP_WORKER_USER", WORKER);
    env.put("SEEDSHIP_WORKER_PASSWORD", PASSWORD);
    env.put("SEEDSHIP_KEY_DIR", dir.resolve("worker-keys").toString());
    env.put("SEEDSHIP_VAULT_CACHE", dir.resolve("vault-cache").toString());
    env.put("SEEDSHIP_VAULT_CONTAINER", vaultContainer);
    env.put("SEEDSHIP_DATACENTER_TRANSIT", "PT0S");
    env.put("SEEDSHIP_DATACENTER_PROCESSING", "PT0S");
    env.put("SEEDSHIP_RETURN_ADDRESS", "Seedship Ops, 1 Main St, Springfield");
    env.put("SEEDSHIP_CONTACT", "ops@example.org");
    return env;
  }

  private void startWorkerProcess() throws IOException {
    // the logs stay in target/ for a look after a failure
    Path logs = Files.createDirectories(Path.of("target", "e2e-logs"));
    workers.add(WorkerProcess.start(workerEnvironment, logs.resolve("worker-" + ProcessHandle.current().pid() + "-"
        + (workers.size() + 1) + ".log")));
  }

  /** What the job executor does at the scheduled time: executes the timer. */
  private void scheduledBackupComesDue(String process, String timerActivity) {
    Job timer = management.createJobQuery().processInstanceId(process).activityId(timerActivity).singleResult();
    assertThat(timer).as("the timer of %s", timerActivity).isNotNull();
    management.executeJob(timer.getId());
  }

  /**
   * Waits until the worker locked the task, lets it work for {@code workFor}, kills it (SIGKILL) and checks the task was
   * not finished. Returns the killed worker's id.
   */
  /** Kills the worker once it holds the topic's task and workHasBegun says so; the task must still be open then. */
  private String killTheWorkerWhileItWorksOn(String process, String topic, Callable<Boolean> workHasBegun)
      throws InterruptedException {
    await().atMost(Duration.ofSeconds(60)).until(() -> lockedTask(process, topic) != null);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).ignoreExceptions().until(workHasBegun);
    workers.get(workers.size() - 1).kill();
    ExternalTask task = lockedTask(process, topic);
    assertThat(task).as("the %s task is still open after the kill (the kill came during the work)", topic).isNotNull();
    return task.getWorkerId();
  }

  /**
   * Does what the lock's expiry does (5 minutes later): releases the killed worker's lock. A long-polling fetch the
   * killed worker had open may still take the task for it until the engine drops that request (20 s), so the lock
   * is released again until another worker holds the task or finished it.
   */
  private void releaseTheLockOfTheKilledWorker(String process, String topic, String killedWorker) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      ExternalTask task = externalTasks.createExternalTaskQuery().processInstanceId(process).topicName(topic).singleResult();
      if (task == null) {
        return true;
      }
      if (killedWorker.equals(task.getWorkerId()) && task.getLockExpirationTime() != null) {
        externalTasks.unlock(task.getId());
        return false;
      }
      return task.getWorkerId() != null && !killedWorker.equals(task.getWorkerId());
    });
  }

  /**
   * True once the given time has passed since it was first asked, which is right after the task was locked: for work
   * with nothing to observe from outside.
   */
  private static Callable<Boolean> workedFor(Duration time) {
    long[] firstAsked = new long[1];
    return () -> {
      if (firstAsked[0] == 0) {
        firstAsked[0] = System.nanoTime();
      }
      return System.nanoTime() - firstAsked[0] >= time.toNanos();
    };
  }

  private ExternalTask lockedTask(String process, String topic) {
    return externalTasks.createExternalTaskQuery().processInstanceId(process).topicName(topic).locked().singleResult();
  }

  private long recoveryPoints(String seedingId) {
    return jdbc.sql("SELECT count(*) FROM vault_recovery_points WHERE protection_id = ?").param(seedingId).query(Long.class).single();
  }

  /** {@code seedship vault restore} on another machine: its own cache, the protection's key. */
  private Path restore(String seedingId, String point) {
    Path target = dir.resolve("restored-" + point);
    Map<String, String> env = new HashMap<>(workerEnvironment);
    env.put("SEEDSHIP_VAULT_CACHE", dir.resolve("restore-cache-" + point).toString());
    env.put("SEEDSHIP_DB_URL", PostgresTestDatabase.url());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = VaultCommand.run(new String[] {"restore", "--seeding", seedingId, "--point", point, "--target", target.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
    assertThat(exit).as(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).isZero();
    return target;
  }

  private Path drive(String name, long capacity) throws IOException {
    Path drive = Files.createDirectories(dir.resolve("drives").resolve(name));
    Files.writeString(drive.resolve("seedship-drive.properties"), "bus=SATA\nmedia=SSD\nsize=2TB\ncapacity=" + capacity + "\n");
    return drive;
  }

  private Path copyOf(Path source, String name) throws IOException {
    Path target = dir.resolve(name);
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : walk.toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return target;
  }

  /** The import container's repository blobs (its logs under waimportexport/ stay). */
  private static long repositoryBlobs(String container) {
    BlobContainerClient client = BlobClients.fromConnectionString(AzuriteFixture.connectionString()).getBlobContainerClient(container);
    return client.listBlobs().stream().filter(b -> !b.getName().startsWith("waimportexport/")).count();
  }
}
