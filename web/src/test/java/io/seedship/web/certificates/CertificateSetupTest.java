package io.seedship.web.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedship.web.security.SeedshipGroups;
import io.seedship.web.support.PostgresIntegrationTest;
import io.seedship.workers.certificates.ApplicationNames;
import io.seedship.workers.certificates.CertificateStore;
import io.seedship.workers.certificates.Directory;
import io.seedship.workers.certificates.DirectoryApplication;
import io.seedship.workers.certificates.KeyCredential;
import io.seedship.workers.certificates.OfflineApplicationParams;
import io.seedship.workers.certificates.SettingsStore;
import io.seedship.workers.certificates.Thumbprints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The certificate-setup phase for real on PostgreSQL: the server's in-process worker runs CreateNewApplication,
 * the verification and AddRegistryEntries against Seedship's local directory and settings store, for each of the
 * three situations the guide describes. Afterwards no key material is in variables, history or the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class CertificateSetupTest extends PostgresIntegrationTest {

  private static final String SUBSCRIPTION = "0f8fad5b-d9cb-469f-a165-70867728950e";

  @Autowired
  JdbcClient jdbc;

  @Autowired
  Directory directory;

  @Autowired
  SettingsStore settings;

  @Autowired
  RuntimeService runtime;

  @Autowired
  TaskService tasks;

  private TestRestTemplate operator;

  @BeforeEach
  void emptyDirectory() {
    jdbc.sql("DELETE FROM directory_applications").update();
    operator = as("cert-operator", SeedshipGroups.OPERATORS);
  }

  @Test
  void withoutAnApplicationItIsCreatedWithTheCertificateAndRegistered() {
    String seedingId = startSeeding("job-cert-absent", "certstore1");
    awaitActivity(seedingId, "BackUpToStaging");

    DirectoryApplication application = directory.findApplication(applicationName()).orElseThrow();
    String thumbprint = (String) runtime.getVariable(processOf(seedingId), "certificateThumbprint");
    assertThat(application.keyCredentials()).singleElement().satisfies(c -> assertThat(c.thumbprint()).isEqualTo(thumbprint));
    assertThat(runtime.getVariable(processOf(seedingId), "certificateSetup")).isEqualTo("CREATED");
    assertThat(settings.value(SettingsStore.CLOUD_BACKUP_PROVIDER, ApplicationNames.thumbprintValueFor(directory.signedInUserId())))
        .contains(thumbprint);
    OfflineApplicationParams registered = OfflineApplicationParams.parse(
        settings.document(SUBSCRIPTION, OfflineApplicationParams.fileNameFor("certstore1")).orElseThrow(), "store");
    assertThat(registered.storageAccountName()).isEqualTo("certstore1");
    assertThat(registered.applicationId()).isEqualTo(application.appId());
    assertThat(registered.tenantId()).isEqualTo(directory.tenantId());
  }

  @Test
  void anApplicationWithoutCertificatesIsDeletedAndCreatedAgain() {
    DirectoryApplication old = directory.createApplication(applicationName());
    String seedingId = startSeeding("job-cert-empty", "certstore2");
    awaitActivity(seedingId, "BackUpToStaging");

    DirectoryApplication application = directory.findApplication(applicationName()).orElseThrow();
    assertThat(application.objectId()).isNotEqualTo(old.objectId());
    assertThat(application.keyCredentials()).hasSize(1);
  }

  @Test
  void anApplicationWithCertificatesNeedsTheManualUploadAndOnlyTheRightThumbprintIsAccepted(CapturedOutput log) throws Exception {
    DirectoryApplication existing = directory.createApplication(applicationName());
    // somebody else's certificate, as another server or tool would have uploaded it
    byte[] foreign = new CertificateStore(TEST_FILES.resolve("foreign/certificates"), TEST_FILES.resolve("foreign/secrets"))
        .ensure("someone-else").der();
    directory.addKeyCredential(existing.objectId(), new KeyCredential(UUID.randomUUID().toString(), "CN=someone else",
        Thumbprints.of(foreign), foreign, Instant.now(), Instant.now().plus(Duration.ofDays(30))));

    String seedingId = startSeeding("job-cert-manual", "certstore3");
    awaitActivity(seedingId, "UploadCertificate");
    assertThat(runtime.getVariable(processOf(seedingId), "certificateSetup")).isEqualTo("MANUAL_UPLOAD_REQUIRED");

    ResponseEntity<byte[]> cer = operator.getForEntity("/api/certificates/offline-seeding.cer", byte[].class);
    assertThat(cer.getStatusCode()).isEqualTo(HttpStatus.OK);
    String thumbprint = Thumbprints.of(cer.getBody());
    assertThat(cer.getHeaders().getFirst("X-Certificate-Thumbprint")).isEqualTo(thumbprint);

    // a thumbprint that is not ours is refused, and so is ours while the application does not carry it yet
    submitThumbprint(seedingId, "00112233445566778899AABBCCDDEEFF00112233");
    awaitActivity(seedingId, "UploadCertificate");
    assertThat((String) runtime.getVariable(processOf(seedingId), "certificateProblem"))
        .startsWith("Thumbprint 00112233445566778899AABBCCDDEEFF00112233 is not the one of the certificate Seedship made");
    submitThumbprint(seedingId, thumbprint);
    awaitActivity(seedingId, "UploadCertificate");
    assertThat((String) runtime.getVariable(processOf(seedingId), "certificateProblem")).contains("has no certificate with thumbprint");

    // the operator uploads the .cer (the portal's step) and pastes the thumbprint as Windows shows it
    assertThat(operator.postForEntity("/api/directory/application/certificates", cer.getBody(), Map.class).getStatusCode())
        .isEqualTo(HttpStatus.CREATED);
    submitThumbprint(seedingId, "\u200e" + spaced(thumbprint.toLowerCase()));
    awaitActivity(seedingId, "BackUpToStaging");
    assertThat(settings.value(SettingsStore.CLOUD_BACKUP_PROVIDER, ApplicationNames.thumbprintValueFor(directory.signedInUserId())))
        .contains(thumbprint);

    assertNoKeyMaterialIn(log);
  }

  private void assertNoKeyMaterialIn(CapturedOutput log) throws Exception {
    Path secrets = TEST_FILES.resolve("secrets");
    List<String> secretValues;
    try (Stream<Path> files = Files.list(secrets)) {
      secretValues = files.map(f -> {
        try {
          return Files.readString(f).trim();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertThat(secretValues).isNotEmpty();
    String keystore;
    try (Stream<Path> files = Files.list(TEST_FILES.resolve("certificates"))) {
      Path p12 = files.filter(f -> f.toString().endsWith(".p12")).findFirst().orElseThrow();
      keystore = Base64.getEncoder().encodeToString(Files.readAllBytes(p12)).substring(0, 60);
    }
    String variables = String.join("\n", jdbc.sql("SELECT coalesce(text_, '') || coalesce(text2_, '') FROM act_ru_variable").query(String.class).list())
        + String.join("\n", jdbc.sql("SELECT coalesce(text_, '') || coalesce(text2_, '') FROM act_hi_varinst").query(String.class).list())
        + String.join("\n", jdbc.sql("SELECT coalesce(text_, '') || coalesce(text2_, '') FROM act_hi_detail").query(String.class).list())
        + String.join("\n", jdbc.sql("SELECT encode(bytes_, 'escape') FROM act_ge_bytearray WHERE bytes_ IS NOT NULL").query(String.class).list());
    for (String secret : secretValues) {
      assertThat(variables).doesNotContain(secret);
      assertThat(log.getAll()).doesNotContain(secret);
    }
    assertThat(variables).doesNotContain(keystore).doesNotContain("PRIVATE KEY").doesNotContain(MANAGEMENT_CERTIFICATE);
    assertThat(log.getAll()).doesNotContain(MANAGEMENT_CERTIFICATE);
    assertThat(log.getAll()).doesNotContain(keystore).doesNotContain("PRIVATE KEY");
  }

  private void submitThumbprint(String seedingId, String thumbprint) {
    Task task = await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().processInstanceBusinessKey(seedingId)
        .taskDefinitionKey("UploadCertificate").singleResult(), t -> t != null);
    Map<String, Object> body = Map.of("variables", Map.of("uploadedThumbprint", Map.of("value", thumbprint)));
    ResponseEntity<String> response = operator.postForEntity("/engine-rest/task/" + task.getId() + "/submit-form", body, String.class);
    assertThat(response.getStatusCode().is2xxSuccessful()).as(response.getBody()).isTrue();
  }

  private String startSeeding(String importJobName, String storageAccount) {
    Map<String, Object> request = new HashMap<>();
    request.put("protectedSource", "/srv/data");
    request.put("stagingLocation", "/mnt/staging");
    request.put("publishSettingsPath", publishSettingsPath());
    request.put("importJobName", importJobName);
    request.put("subscriptionId", SUBSCRIPTION);
    request.put("storageAccount", storageAccount);
    request.put("container", "seed-data");
    ResponseEntity<Map> started = as("cert-api", SeedshipGroups.API_CLIENTS).postForEntity("/api/seedings", request, Map.class);
    assertThat(started.getStatusCode()).as(String.valueOf(started.getBody())).isEqualTo(HttpStatus.CREATED);
    return (String) started.getBody().get("seedingId");
  }

  private void awaitActivity(String seedingId, String activityId) {
    await().atMost(Duration.ofSeconds(30)).until(() -> runtime.getActiveActivityIds(processOf(seedingId)).contains(activityId)
        && !runtime.getActiveActivityIds(processOf(seedingId)).contains("VerifyCertificate"));
  }

  private String processOf(String seedingId) {
    return runtime.createProcessInstanceQuery().processInstanceBusinessKey(seedingId).singleResult().getId();
  }

  private String applicationName() {
    return ApplicationNames.applicationFor(directory.signedInUserId());
  }

  private static String spaced(String hex) {
    return hex.replaceAll("(..)(?!$)", "$1 ");
  }

}
