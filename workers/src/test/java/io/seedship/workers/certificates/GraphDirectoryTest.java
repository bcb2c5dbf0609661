package io.seedship.workers.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedship.workers.certificates.graph.GraphDirectory;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CreateNewApplication through the Graph adapter, against a local server that answers as Graph does. */
class GraphDirectoryTest {

  private static final String SUBSCRIPTION = "0f8fad5b-d9cb-469f-a165-70867728950e";
  private static final String APP_NAME = "AzureOfflineBackup_" + FakeGraph.USER;

  @TempDir
  java.nio.file.Path dir;

  private FakeGraph graph;
  private CreateNewApplication createNewApplication;
  private CertificateStore certificates;
  private final MapSettingsStore settings = new MapSettingsStore();

  @BeforeEach
  void start() throws IOException {
    graph = new FakeGraph();
    certificates = new CertificateStore(dir.resolve("certs"), dir.resolve("secrets"));
    createNewApplication = new CreateNewApplication(new GraphDirectory(graph.base(), () -> "token-123"), certificates, settings);
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  @Test
  void anAbsentApplicationIsCreatedAndGetsTheCertificateAsANewKeyCredential() {
    CreateNewApplication.Result result = createNewApplication.run(SUBSCRIPTION, "server-01");

    assertThat(result.outcome()).isEqualTo(CreateNewApplication.Outcome.CREATED);
    assertThat(graph.requests).extracting(r -> r.method() + " " + r.pathAndQuery()).containsExactly(
        "GET /v1.0/me?$select=id",
        "GET /v1.0/applications?$filter=displayName eq '" + APP_NAME + "'&$select=id,appId,displayName,keyCredentials",
        "POST /v1.0/applications",
        "GET /v1.0/applications/" + result.application().objectId() + "?$select=id,keyCredentials",
        "PATCH /v1.0/applications/" + result.application().objectId(),
        "GET /v1.0/applications?$filter=displayName eq '" + APP_NAME + "'&$select=id,appId,displayName,keyCredentials",
        "GET /v1.0/organization?$select=id");
    assertThat(graph.requests).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer token-123"));
    assertThat(graph.requests.get(2).body().get("displayName").asText()).isEqualTo(APP_NAME);

    var key = graph.requests.get(4).body().get("keyCredentials").get(0);
    assertThat(graph.requests.get(4).body().get("keyCredentials")).hasSize(1);
    assertThat(key.get("type").asText()).isEqualTo("AsymmetricX509Cert");
    assertThat(key.get("usage").asText()).isEqualTo("Verify");
    assertThat(Base64.getDecoder().decode(key.get("key").asText())).isEqualTo(result.certificate().der());
    assertThat(HexFormat.of().withUpperCase().formatHex(Base64.getDecoder().decode(key.get("customKeyIdentifier").asText())))
        .isEqualTo(result.certificate().thumbprint());
    assertThat(result.application().hasCredentialWithThumbprint(result.certificate().thumbprint())).isTrue();
    assertThat(settings.values).containsEntry(SettingsStore.CLOUD_BACKUP_PROVIDER + "|AzureADAppCertThumbprint_" + FakeGraph.USER,
        result.certificate().thumbprint());
    assertThat(OfflineApplicationParams.parse(settings.documents.get(SUBSCRIPTION + "|OfflineApplicationParams.xml"), "store"))
        .satisfies(p -> {
          assertThat(p.tenantId()).isEqualTo(FakeGraph.TENANT);
          assertThat(p.applicationId()).isEqualTo(result.application().appId());
          assertThat(p.certificateThumbprint()).isEqualTo(result.certificate().thumbprint());
        });
  }

  @Test
  void anApplicationWithoutCertificatesIsDeletedAndCreatedAgain() {
    String old = graph.addApplication(APP_NAME, false).get("id").asText();
    CreateNewApplication.Result result = createNewApplication.run(SUBSCRIPTION, "server-02");

    assertThat(result.outcome()).isEqualTo(CreateNewApplication.Outcome.CREATED);
    assertThat(graph.requests).extracting(r -> r.method() + " " + r.pathAndQuery().replaceAll("\\?.*", ""))
        .contains("DELETE /v1.0/applications/" + old, "POST /v1.0/applications");
    assertThat(graph.applications).doesNotContainKey(old).hasSize(1);
  }

  @Test
  void anApplicationWithCertificatesIsLeftAloneForTheManualUpload() {
    graph.addApplication(APP_NAME, true);
    CreateNewApplication.Result result = createNewApplication.run(SUBSCRIPTION, "server-03");

    assertThat(result.outcome()).isEqualTo(CreateNewApplication.Outcome.MANUAL_UPLOAD_REQUIRED);
    assertThat(graph.requests).extracting(FakeGraph.Request::method).containsOnly("GET");
    assertThat(settings.values).doesNotContainKey(SettingsStore.CLOUD_BACKUP_PROVIDER + "|AzureADAppCertThumbprint_" + FakeGraph.USER);
  }

  @Test
  void theAdapterNeverRewritesExistingCredentialsAndReportsGraphsErrors() {
    String withKey = graph.addApplication("other", true).get("id").asText();
    GraphDirectory directory = new GraphDirectory(graph.base(), () -> "token-123");
    KeyCredential credential = KeyCredential.of(certificates.ensure("server-04"));
    assertThatThrownBy(() -> directory.addKeyCredential(withKey, credential))
        .isInstanceOf(DirectoryException.class).hasMessageContaining("already has 1 credential(s)");
    assertThat(graph.requests).extracting(FakeGraph.Request::method).doesNotContain("PATCH");
    assertThatThrownBy(() -> directory.deleteApplication("no-such-app"))
        .isInstanceOf(DirectoryException.class).hasMessage("DELETE applications/no-such-app answered 404: Request_ResourceNotFound - Resource does not exist.");
  }

  @Test
  void runningItAgainAfterARedeliveryChangesNothing() {
    CreateNewApplication.Result first = createNewApplication.run(SUBSCRIPTION, "server-05");
    graph.requests.clear();
    CreateNewApplication.Result again = createNewApplication.run(SUBSCRIPTION, "server-05");
    assertThat(again.outcome()).isEqualTo(CreateNewApplication.Outcome.CREATED);
    assertThat(again.application().objectId()).isEqualTo(first.application().objectId());
    assertThat(graph.requests).extracting(FakeGraph.Request::method).containsOnly("GET");
  }

  /** The settings store as a map, for checking what was written. */
  static final class MapSettingsStore implements SettingsStore {
    final Map<String, String> values = new HashMap<>();
    final Map<String, String> documents = new HashMap<>();

    @Override
    public void putValue(String key, String name, String value) {
      values.put(key + "|" + name, value);
    }

    @Override
    public Optional<String> value(String key, String name) {
      return Optional.ofNullable(values.get(key + "|" + name));
    }

    @Override
    public void putDocument(String subscriptionId, String name, String content) {
      documents.put(subscriptionId + "|" + name, content);
    }

    @Override
    public Optional<String> document(String subscriptionId, String name) {
      return Optional.ofNullable(documents.get(subscriptionId + "|" + name));
    }
  }
}
