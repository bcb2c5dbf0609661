package io.seedship.web.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedship.web.security.SeedshipGroups;
import io.seedship.workers.worker.WorkerCommand;
import io.seedship.workers.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Seedings driven by a real worker over /engine-rest and an operator over the task REST API. */
public abstract class WorkerFlowTest extends PostgresIntegrationTest {

  protected static final String WORKER = "flow-worker";

  @LocalServerPort
  protected int port;

  @Autowired
  protected RuntimeService runtime;

  @Autowired
  protected TaskService tasks;

  @Autowired
  protected JdbcClient jdbc;

  private ExternalTaskClient client;
  private ExecutorService work;

  /** Starts this machine's worker (staging, disk preparation) with its keys in {@code keys}. */
  protected void startWorker(Path keys) {
    startWorker(keys, Map.of());
  }

  /**
   * Starts this machine's worker with its keys in {@code keys} and the given environment: with
   * {@code SEEDSHIP_DB_URL} and {@code SEEDSHIP_BLOB_CONNECTION_STRING} it also takes the import job's topics.
   */
  protected void startWorker(Path keys, Map<String, String> environment) {
    as(WORKER, SeedshipGroups.WORKERS);
    work = Executors.newFixedThreadPool(4);
    client = WorkerCommand.open(new WorkerSettings("http://localhost:" + port + "/engine-rest", WORKER, PASSWORD, keys,
        "test-worker-" + getClass().getSimpleName()), work, environment::get);
  }

  /** The environment that gives the worker Seedship's test database and the Azurite account. */
  protected static Map<String, String> cloudEnvironment(String blobConnectionString) {
    Map<String, String> env = new HashMap<>();
    env.put("SEEDSHIP_DB_URL", PostgresTestDatabase.url());
    env.put("SEEDSHIP_DB_USER", PostgresTestDatabase.user());
    env.put("SEEDSHIP_BLOB_CONNECTION_STRING", blobConnectionString);
    return env;
  }

  @AfterEach
  void stopWorker() {
    if (client != null) {
      client.stop();
      work.shutdownNow();
    }
  }

  protected String startSeeding(Path source, Path staging, String importJobName) {
    return startSeeding(source, staging, importJobName, Map.of());
  }

  /** Starts a seeding through the API; {@code extra} adds or overrides request fields (durations, schedule). */
  protected String startSeeding(Path source, Path staging, String importJobName, Map<String, Object> extra) {
    jdbc.sql("DELETE FROM directory_applications").update();
    Map<String, Object> request = new HashMap<>();
    request.put("protectedSource", source.toString());
    request.put("stagingLocation", staging.toString());
    request.put("publishSettingsPath", publishSettingsPath());
    request.put("importJobName", importJobName);
    request.put("subscriptionId", "0f8fad5b-d9cb-469f-a165-70867728950e");
    request.put("storageAccount", "flowstore");
    request.put("container", "seed-data");
    request.putAll(extra);
    ResponseEntity<Map> started = as("flow-api", SeedshipGroups.API_CLIENTS).postForEntity("/api/seedings", request, Map.class);
    assertThat(started.getStatusCode().value()).as(String.valueOf(started.getBody())).isEqualTo(201);
    return (String) started.getBody().get("seedingId");
  }

  protected String processOf(String seedingId) {
    return runtime.createProcessInstanceQuery().processInstanceBusinessKey(seedingId).singleResult().getId();
  }

  protected List<String> activities(String seedingId) {
    return runtime.getActiveActivityIds(processOf(seedingId));
  }

  protected void awaitActivity(String seedingId, String activityId, Duration atMost) {
    await().atMost(atMost).until(() -> activities(seedingId).contains(activityId));
  }

  /** Completes the seeding's open task as an operator does in Tasklist. */
  protected void completeTask(String seedingId, String taskKey, Map<String, Object> values) {
    Task task = tasks.createTaskQuery().processInstanceBusinessKey(seedingId).taskDefinitionKey(taskKey).singleResult();
    assertThat(task).as("task %s of seeding %s", taskKey, seedingId).isNotNull();
    Map<String, Object> variables = new HashMap<>();
    values.forEach((k, v) -> variables.put(k, Map.of("value", v)));
    ResponseEntity<String> response = as("flow-operator", SeedshipGroups.OPERATORS)
        .postForEntity("/engine-rest/task/" + task.getId() + "/submit-form", Map.of("variables", variables), String.class);
    assertThat(response.getStatusCode().is2xxSuccessful()).as(response.getBody()).isTrue();
  }

  /** A small source tree: a log-like text file, random bytes, an empty file and folder, a Unicode name. */
  protected static Path source(Path root, int randomMegabytes) throws Exception {
    Random random = new Random(7);
    Files.createDirectories(root.resolve("logs/2026"));
    Files.createDirectories(root.resolve("empty"));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("2026-11-").append(i % 28 + 1).append(" INFO backup step ").append(i).append('\n');
    }
    Files.writeString(root.resolve("logs/2026/app.log"), text);
    byte[] data = new byte[randomMegabytes * 1024 * 1024];
    random.nextBytes(data);
    Files.write(root.resolve("disk.img"), data);
    Files.write(root.resolve("empty-file"), new byte[0]);
    Files.writeString(root.resolve("grüße.txt"), "unicode name");
    return root;
  }

  /** Every regular file below {@code expected} is in {@code actual} with the same bytes, and nothing else. */
  protected static void assertSameFiles(Path expected, Path actual) throws Exception {
    assertThat(digests(actual)).isEqualTo(digests(expected));
  }

  private static Map<String, String> digests(Path root) throws Exception {
    Map<String, String> digests = new HashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        digests.put(root.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return digests;
  }
}
