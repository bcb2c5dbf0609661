package io.seedship.web.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedship.processes.SeedingProcess;
import io.seedship.web.security.SeedshipGroups;
import io.seedship.web.support.PostgresIntegrationTest;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.repository.Restore;
import io.seedship.workers.repository.Snapshot;
import io.seedship.workers.repository.Verify;
import io.seedship.workers.repository.VerifyReport;
import io.seedship.workers.staging.StageBackup;
import io.seedship.workers.staging.StagedBackup;
import io.seedship.workers.staging.StagingLayout;
import io.seedship.workers.staging.StagingSettings;
import io.seedship.workers.worker.WorkerCommand;
import io.seedship.workers.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The staging phase with a real worker over /engine-rest: a first delivery dies after doing the work but
 * before completing it, its lock expires, the worker gets the task again and finishes without a second
 * backup. The staged repository verifies and restores the source; no key material reaches the engine.
 */
class StagingWorkerTest extends PostgresIntegrationTest {

  @LocalServerPort
  int port;

  @Autowired
  RuntimeService runtime;

  @Autowired
  ExternalTaskService externalTasks;

  @Autowired
  JdbcClient jdbc;

  @TempDir
  Path dir;

  @Test
  void aStagingTaskDeliveredTwiceLeavesOneConsistentRepository() throws Exception {
    jdbc.sql("DELETE FROM directory_applications").update();
    as("staging-worker", SeedshipGroups.WORKERS);
    Path source = source(dir.resolve("source"));
    Path staging = Files.createDirectories(dir.resolve("staging"));
    Path keys = dir.resolve("worker-keys");
    String seedingId = startSeeding(source, staging);
    await().atMost(Duration.ofSeconds(30)).until(() -> activities(seedingId).contains("BackUpToStaging"));

    // first delivery: a worker does the backup, then dies before it can complete the task
    List<LockedExternalTask> first = externalTasks.fetchAndLock(1, "crashed-worker")
        .topic(SeedingProcess.Topics.STAGING_BACKUP, 1_000).businessKey(seedingId).execute();
    assertThat(first).hasSize(1);
    StagingSettings stagingSettings = StagingSettings.defaults(keys.resolve("repositories"));
    StagedBackup firstRun = new StageBackup(stagingSettings).stage(seedingId, source, staging, progress -> { });

    // the lock runs out; the real worker fetches the task again and finishes it
    ExecutorService work = Executors.newFixedThreadPool(2);
    ExternalTaskClient client = WorkerCommand.open(new WorkerSettings("http://localhost:" + port + "/engine-rest",
        "staging-worker", PASSWORD, keys, "test-worker"), work);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> activities(seedingId).contains("AttachDrives"));
    } finally {
      client.stop();
      work.shutdownNow();
    }

    String process = runtime.createProcessInstanceQuery().processInstanceBusinessKey(seedingId).singleResult().getId();
    assertThat(runtime.getVariable(process, SeedingProcess.Variables.STAGED_SNAPSHOT_ID)).isEqualTo(firstRun.snapshotId());
    Path keyFile = StagingLayout.keyFileFor(keys.resolve("repositories"), seedingId);
    Repository repository = Repository.open(StagingLayout.repositoryFor(staging, seedingId), RepositorySecret.ofKeyFile(keyFile));
    List<Snapshot> snapshots = repository.snapshots();
    assertThat(snapshots).hasSize(1);
    VerifyReport report = new Verify(repository, 2).run(true);
    assertThat(report.ok()).as(report.toString()).isTrue();
    Path restored = dir.resolve("restored");
    new Restore(repository, 2).run(snapshots.get(0), null, restored);
    assertSameTree(source, restored);

    String keyText = Files.readString(keyFile).trim();
    String engineData = String.join("\n", jdbc.sql("SELECT coalesce(text_, '') FROM act_hi_varinst").query(String.class).list())
        + String.join("\n", jdbc.sql("SELECT coalesce(encode(bytes_, 'base64'), '') FROM act_ge_bytearray").query(String.class).list());
    assertThat(engineData).doesNotContain(keyText);
    assertThat(jdbc.sql("SELECT name_ FROM act_hi_varinst WHERE proc_inst_id_ = ?").param(process).query(String.class).list())
        .noneMatch(name -> name.toLowerCase().contains("key") || name.toLowerCase().contains("secret"));
  }

  private String startSeeding(Path source, Path staging) {
    Map<String, Object> request = new HashMap<>();
    request.put("protectedSource", source.toString());
    request.put("stagingLocation", staging.toString());
    request.put("publishSettingsPath", publishSettingsPath());
    request.put("importJobName", "job-staging-" + System.nanoTime());
    request.put("subscriptionId", "0f8fad5b-d9cb-469f-a165-70867728950e");
    request.put("storageAccount", "stagingstore");
    request.put("container", "seed-data");
    ResponseEntity<Map> started = as("staging-api", SeedshipGroups.API_CLIENTS).postForEntity("/api/seedings", request, Map.class);
    assertThat(started.getStatusCode().value()).as(String.valueOf(started.getBody())).isEqualTo(201);
    return (String) started.getBody().get("seedingId");
  }

  private List<String> activities(String seedingId) {
    return runtime.getActiveActivityIds(
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(seedingId).singleResult().getId());
  }

  private static Path source(Path root) throws Exception {
    Random random = new Random(7);
    Files.createDirectories(root.resolve("logs/2026"));
    Files.createDirectories(root.resolve("empty"));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("2026-11-").append(i % 28 + 1).append(" INFO backup step ").append(i).append('\n');
    }
    Files.writeString(root.resolve("logs/2026/app.log"), text);
    byte[] data = new byte[3 * 1024 * 1024];
    random.nextBytes(data);
    Files.write(root.resolve("disk.img"), data);
    Files.write(root.resolve("empty-file"), new byte[0]);
    Files.writeString(root.resolve("grüße.txt"), "unicode name");
    return root;
  }

  private static void assertSameTree(Path expected, Path actual) throws Exception {
    try (Stream<Path> walk = Files.walk(expected)) {
      for (Path p : walk.toList()) {
        Path twin = actual.resolve(expected.relativize(p).toString());
        assertThat(twin).exists();
        if (Files.isRegularFile(p)) {
          assertThat(Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(twin))))
              .isEqualTo(Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
  }
}
