package io.seedship.web.seedings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedship.processes.SeedingProcess;
import io.seedship.web.security.SeedshipGroups;
import io.seedship.web.support.PostgresIntegrationTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Seedship's API on PostgreSQL: start, refuse duplicates with a clear message, ship, cancel. */
class SeedingApiTest extends PostgresIntegrationTest {

  @Autowired
  RuntimeService runtime;

  @Autowired
  ExternalTaskService externalTasks;

  @Autowired
  TaskService tasks;

  @Autowired
  JdbcClient jdbc;

  @BeforeEach
  void emptyDirectory() {
    // an earlier test class may have left the application with a foreign certificate only
    jdbc.sql("DELETE FROM directory_applications").update();
  }

  @Test
  void aSeedingStartsAndADuplicateImportJobNameIsRefused() {
    TestRestTemplate client = as("api-start", SeedshipGroups.API_CLIENTS);
    ResponseEntity<Map> first = client.postForEntity("/api/seedings", request("job-api-dup"), Map.class);
    assertThat(first.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String seedingId = (String) first.getBody().get("seedingId");
    assertThat(first.getHeaders().getLocation()).hasPath("/api/seedings/" + seedingId);
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(seedingId).singleResult()).isNotNull();

    ResponseEntity<Map> second = client.postForEntity("/api/seedings", request("job-api-dup"), Map.class);
    assertThat(second.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(second.getBody().get("error"))
        .isEqualTo("Import job name 'job-api-dup' is already used by seeding " + seedingId + ": choose another name.");
    assertThat(jdbc.sql("SELECT count(*) FROM seedings WHERE import_job_name = 'job-api-dup'").query(Long.class).single()).isEqualTo(1L);
  }

  @Test
  void anInvalidRequestIsRefusedWithEveryProblemAndStartsNothing() {
    long before = runtime.createProcessInstanceQuery().count();
    Map<String, Object> bad = request("x");
    bad.put("storageAccount", "Has_Upper");
    ResponseEntity<Map> response = as("api-bad", SeedshipGroups.API_CLIENTS).postForEntity("/api/seedings", bad, Map.class);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat((List<String>) response.getBody().get("problems")).containsExactly(
        "Storage account 'Has_Upper' must be 3 to 24 lower-case letters and digits.",
        "Import job name 'x' must be 3 to 64 letters, digits, '-' or '_', starting with a letter or digit.");
    assertThat(runtime.createProcessInstanceQuery().count()).isEqualTo(before);
  }

  @Test
  void aPublishSettingsFileWithoutTheSubscriptionOrWithAnExternalEntityIsRefusedAndStartsNothing(@TempDir Path dir) throws Exception {
    long before = runtime.createProcessInstanceQuery().count();
    Map<String, Object> request = request("job-bad-settings");
    request.put("publishSettingsPath", Files.writeString(dir.resolve("other.publishsettings"), """
        <PublishData><PublishProfile><Subscription ServiceManagementUrl="https://management.core.windows.net"
          Id="11111111-2222-3333-4444-555555555555" Name="Other" /></PublishProfile></PublishData>""").toString());
    ResponseEntity<Map> response = as("api-bad", SeedshipGroups.API_CLIENTS).postForEntity("/api/seedings", request, Map.class);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat((List<String>) response.getBody().get("problems")).singleElement().asString()
        .contains("Subscription 0f8fad5b-d9cb-469f-a165-70867728950e is not in the publish-settings file");

    request.put("publishSettingsPath", Files.writeString(dir.resolve("evil.publishsettings"),
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><PublishData>&x;</PublishData>").toString());
    response = as("api-bad", SeedshipGroups.API_CLIENTS).postForEntity("/api/seedings", request, Map.class);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat((List<String>) response.getBody().get("problems")).singleElement().asString()
        .contains("declares a DOCTYPE (entities are refused)").doesNotContain("root:");
    assertThat(runtime.createProcessInstanceQuery().count()).isEqualTo(before);
    assertThat(jdbc.sql("SELECT count(*) FROM seedings WHERE import_job_name = 'job-bad-settings'").query(Long.class).single()).isZero();
  }

  @Test
  void shippingDetailsThroughTheApiAreRecordedOnceAndATrackingNumberIsNeverReusedAcrossImportJobs() {
    TestRestTemplate client = as("api-ship", SeedshipGroups.API_CLIENTS);
    String first = startAndPrepareDrives(client, "job-api-ship-1");
    String second = startAndPrepareDrives(client, "job-api-ship-2");

    ResponseEntity<Map> shipped = client.exchange("/api/seedings/" + first + "/shipping", HttpMethod.PUT,
        new HttpEntity<>(shipping("1Z 999 AA1 0123456784")), Map.class);
    assertThat(shipped.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(activityOf(first)).isEqualTo("SendShippingDetails");
    assertThat(jdbc.sql("SELECT tracking_number FROM shipments WHERE seeding_id = ?").param(first).query(String.class).single())
        .isEqualTo("1Z999AA10123456784");

    ResponseEntity<Map> reused = client.exchange("/api/seedings/" + second + "/shipping", HttpMethod.PUT,
        new HttpEntity<>(shipping("1z999aa10123456784")), Map.class);
    assertThat(reused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(reused.getBody().get("error")).isEqualTo("Tracking number '1z999aa10123456784' is already recorded for import job "
        + "'job-api-ship-1': every import job needs its own package.");
    assertThat(activityOf(second)).isEqualTo("EnterShippingDetails");

    ResponseEntity<Map> again = client.exchange("/api/seedings/" + first + "/shipping", HttpMethod.PUT,
        new HttpEntity<>(shipping("ANOTHER-123")), Map.class);
    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat((String) again.getBody().get("error")).contains("is not waiting for shipping details");
  }

  @Test
  void anOperatorCompletesTheShippingTaskAsTasklistDoesAndTheSameTrackingNumberIsRefusedThere() {
    TestRestTemplate api = as("api-op", SeedshipGroups.API_CLIENTS);
    String taken = startAndPrepareDrives(api, "job-op-1");
    api.exchange("/api/seedings/" + taken + "/shipping", HttpMethod.PUT, new HttpEntity<>(shipping("OP-TRACK-1")), Map.class);
    String seedingId = startAndPrepareDrives(api, "job-op-2");
    TestRestTemplate operator = as("operator-1", SeedshipGroups.OPERATORS);

    submitTask(operator, seedingId, "EnterShippingDetails", formVariables(shipping("op-track-1")));
    submitTask(operator, seedingId, "ReviewShippingDetails", formVariables(Map.of("shippingConfirmed", "yes")));
    assertThat(activityOf(seedingId)).isEqualTo("EnterShippingDetails");
    assertThat(runtime.getVariable(processOf(seedingId), "shippingProblem"))
        .isEqualTo("Tracking number 'op-track-1' is already recorded for import job 'job-op-1': every import job needs its own package.");

    submitTask(operator, seedingId, "EnterShippingDetails", formVariables(shipping("OP-TRACK-2")));
    submitTask(operator, seedingId, "ReviewShippingDetails", formVariables(Map.of("shippingConfirmed", "yes")));
    assertThat(activityOf(seedingId)).isEqualTo("SendShippingDetails");
  }

  @Test
  void aSeedingIsCancelledOnRequestAndItsStatusShowsIt() {
    TestRestTemplate client = as("api-cancel", SeedshipGroups.API_CLIENTS);
    String seedingId = (String) client.postForEntity("/api/seedings", request("job-api-cancel"), Map.class).getBody().get("seedingId");
    assertThat(client.postForEntity("/api/seedings/" + seedingId + "/cancel", null, Map.class).getStatusCode())
        .isEqualTo(HttpStatus.ACCEPTED);
    assertThat(activityOf(seedingId)).isEqualTo("CleanUpAfterCancelRequest");

    ResponseEntity<Map> status = as("api-manager", SeedshipGroups.MANAGERS).getForEntity("/api/seedings/" + seedingId, Map.class);
    assertThat(status.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(status.getBody().get("statusText")).isEqualTo("Cancelling: cleaning up");
    assertThat(client.postForEntity("/api/seedings/" + seedingId + "/stop", null, Map.class).getStatusCode())
        .isEqualTo(HttpStatus.CONFLICT);
    assertThat(client.getForEntity("/api/seedings/no-such-id", Map.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
  }

  // ---- steps ----

  private String startAndPrepareDrives(TestRestTemplate client, String importJobName) {
    ResponseEntity<Map> started = client.postForEntity("/api/seedings", request(importJobName), Map.class);
    assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String seedingId = (String) started.getBody().get("seedingId");
    // the server's in-process worker sets up the certificate; the tests play the staging worker
    await().atMost(Duration.ofSeconds(30)).until(() -> "BackUpToStaging".equals(activityOf(seedingId)));
    work(seedingId, SeedingProcess.Topics.STAGING_BACKUP, Map.of());
    Task attach = tasks.createTaskQuery().processInstanceBusinessKey(seedingId).taskDefinitionKey("AttachDrives").singleResult();
    tasks.complete(attach.getId(), Map.of("drivePaths", "/mnt/drive1", "formatConfirmed", true));
    work(seedingId, SeedingProcess.Topics.DISK_PREP_COPY, Map.of("drivesPrepared", 1));
    work(seedingId, SeedingProcess.Topics.IMPORT_JOB_CREATE, Map.of("importJobId", "ij-" + importJobName));
    assertThat(activityOf(seedingId)).isEqualTo("EnterShippingDetails");
    return seedingId;
  }

  private void work(String seedingId, String topic, Map<String, Object> outputs) {
    List<LockedExternalTask> locked = externalTasks.fetchAndLock(1, "api-test").topic(topic, 60_000).businessKey(seedingId).execute();
    assertThat(locked).as("task on %s", topic).hasSize(1);
    externalTasks.complete(locked.get(0).getId(), "api-test", outputs);
  }

  private void submitTask(TestRestTemplate operator, String seedingId, String taskKey, Map<String, Object> body) {
    Task task = tasks.createTaskQuery().processInstanceBusinessKey(seedingId).taskDefinitionKey(taskKey).singleResult();
    ResponseEntity<String> response = operator.postForEntity("/engine-rest/task/" + task.getId() + "/submit-form", body, String.class);
    assertThat(response.getStatusCode().is2xxSuccessful()).as(response.getBody()).isTrue();
  }

  private String processOf(String seedingId) {
    return runtime.createProcessInstanceQuery().processInstanceBusinessKey(seedingId).singleResult().getId();
  }

  private String activityOf(String seedingId) {
    List<String> active = runtime.getActiveActivityIds(processOf(seedingId));
    return active.stream().filter(a -> !a.endsWith("Phase")).findFirst().orElseThrow();
  }

  private static Map<String, Object> request(String importJobName) {
    Map<String, Object> r = new HashMap<>();
    r.put("protectedSource", "/srv/data");
    r.put("stagingLocation", "/mnt/staging");
    r.put("publishSettingsPath", publishSettingsPath());
    r.put("importJobName", importJobName);
    r.put("subscriptionId", "0f8fad5b-d9cb-469f-a165-70867728950e");
    r.put("storageAccount", "seedshipstore");
    r.put("container", "seed-data");
    r.put("replicationMethod", "offline");
    return r;
  }

  private static Map<String, Object> shipping(String trackingNumber) {
    return Map.of("carrier", "UPS", "trackingNumber", trackingNumber, "shipDate", "2026-11-24",
        "returnAddress", "Seedship Ops, 1 Main St, Springfield", "contact", "Otto, ops@example.org");
  }

  private static Map<String, Object> formVariables(Map<String, Object> values) {
    Map<String, Object> variables = new HashMap<>();
    values.forEach((k, v) -> variables.put(k, Map.of("value", v)));
    return Map.of("variables", variables);
  }
}
