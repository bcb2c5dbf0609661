package io.seedship.workers.datacenter.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedship.workers.certificates.CertificateStore;
import io.seedship.workers.certificates.OfflineApplicationParams;
import io.seedship.workers.certificates.OfflineCertificate;
import io.seedship.workers.datacenter.DriveSpec;
import io.seedship.workers.datacenter.JobRequest;
import io.seedship.workers.diskprep.RecoveryPassword;
import io.seedship.workers.testing.MovableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


class ClientCertificateTokensTest {

  static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  static final String CLIENT = "4562bcc8-c436-4f95-b7c0-4f8ce89dca5e";
  static final String RESOURCE = "vault-0815";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path keys;
  static CertificateStore store;
  static OfflineCertificate certificate;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private FakeLogin login;

  @BeforeAll
  static void certificate() {
    store = new CertificateStore(keys.resolve("certificates"), keys.resolve("secrets"));
    certificate = store.ensure(RESOURCE);
  }

  @BeforeEach
  void start() throws Exception {
    login = new FakeLogin();
  }

  @AfterEach
  void stop() {
    login.close();
  }

  ClientCertificateTokens tokens() {
    return new ClientCertificateTokens(login.base(), TENANT, CLIENT, ClientCertificateTokens.MANAGEMENT_SCOPE, store, RESOURCE,
        clock);
  }

  @Test
  void theTokenRequestIsAClientCredentialsGrantWithACertificateAssertion() throws Exception {
    String token = tokens().token();

    assertThat(login.issued).containsExactly(token);
    assertThat(login.requests).hasSize(1);
    FakeLogin.Request request = login.requests.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
    assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
    Map<String, String> form = request.form();
    assertThat(form).containsEntry("grant_type", "client_credentials")
        .containsEntry("client_id", CLIENT)
        .containsEntry("scope", "https://management.azure.com/.default")
        .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        .doesNotContainKey("client_secret");

    String[] jwt = form.get("client_assertion").split("\\.");
    assertThat(jwt).hasSize(3);
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
    assertThat(header.path("alg").asText()).isEqualTo("RS256");
    assertThat(header.path("typ").asText()).isEqualTo("JWT");
    byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(certificate.der());
    assertThat(header.path("x5t").asText()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(sha1));
    assertThat(claims.path("aud").asText()).isEqualTo(login.base() + "/" + TENANT + "/oauth2/v2.0/token");
    assertThat(claims.path("iss").asText()).isEqualTo(CLIENT);
    assertThat(claims.path("sub").asText()).isEqualTo(CLIENT);
    assertThat(claims.path("jti").asText()).isNotBlank();
    long now = clock.instant().getEpochSecond();
    assertThat(claims.path("nbf").asLong()).isEqualTo(now);
    assertThat(claims.path("exp").asLong()).isEqualTo(now + 600);

    X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(certificate.der()));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(x509.getPublicKey());
    rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();

    rs256.initVerify(x509.getPublicKey());
    rs256.update((jwt[0] + "." + jwt[1] + "x").getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))).isFalse();
  }

  @Test
  void aTokenIsKeptUntilFiveMinutesBeforeItExpires() {
    ClientCertificateTokens tokens = tokens();
    String first = tokens.token();

    clock.move(Duration.ofMinutes(54));
    assertThat(tokens.token()).isEqualTo(first);
    assertThat(login.requests).hasSize(1);

    clock.move(Duration.ofMinutes(1));
    String second = tokens.token();
    assertThat(second).isNotEqualTo(first);
    assertThat(login.requests).hasSize(2);
    assertThat(login.requests.get(0).form().get("client_assertion"))
        .isNotEqualTo(login.requests.get(1).form().get("client_assertion"));
  }

  @Test
  void aRefusalSaysWhatToCheckAndNeverShowsTheAssertion() {
    login.refusal = "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found.] "
        + "assertion={assertion}";

    assertThatThrownBy(() -> tokens().token()).isInstanceOf(AccessTokenException.class)
        .hasMessageContaining("invalid_client: AADSTS700027")
        .hasMessageContaining(CLIENT).hasMessageContaining(TENANT)
        .hasMessageContaining(certificate.thumbprint())
        .satisfies(e -> {
          String assertion = login.requests.get(0).form().get("client_assertion");
          assertThat(e.getMessage()).doesNotContain(assertion).doesNotContain(assertion.split("\\.")[2]);
        });
  }

  @Test
  void anUnreachableLoginEndpointIsReported() {
    ClientCertificateTokens tokens = tokens();
    login.close();

    assertThatThrownBy(tokens::token).isInstanceOf(AccessTokenException.class).hasMessageContaining("cannot be reached")
        .hasMessageContaining("login base URL");
  }

  @Test
  void fromTheApplicationParametersOfCertificateSetup() {
    OfflineApplicationParams params = new OfflineApplicationParams("0b1f6471-1bf0-4dda-aec3-cb9272f09590", TENANT, "user-1",
        "AzureOfflineBackup_user-1", CLIENT, "object-1", OfflineCertificate.subjectFor(RESOURCE), certificate.thumbprint(),
        "seedshipstore");

    ClientCertificateTokens.forApplication(params, login.base(), store, clock).token();

    assertThat(login.requests.get(0).form()).containsEntry("client_id", CLIENT);
    assertThat(login.requests.get(0).path()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");

    OfflineApplicationParams otherThumbprint = new OfflineApplicationParams(params.subscriptionId(), TENANT, "user-1",
        params.applicationName(), CLIENT, "object-1", params.certificateSubject(), "00".repeat(20), "seedshipstore");
    assertThatThrownBy(() -> ClientCertificateTokens.forApplication(otherThumbprint, login.base(), store, clock))
        .isInstanceOf(AccessTokenException.class).hasMessageContaining(certificate.thumbprint())
        .hasMessageContaining("00".repeat(20));
  }

  @Test
  void theAdapterSendsTheIssuedTokenToTheManagementApi() throws Exception {
    try (FakeImportExport arm = new FakeImportExport()) {
      AzureImportExportSettings settings = new AzureImportExportSettings(FakeImportExport.SUBSCRIPTION,
          FakeImportExport.RESOURCE_GROUP, "westeurope", arm.base(), login.base(), TENANT, CLIENT, null, null);
      String key = RecoveryPassword.generate(new java.security.SecureRandom()).reveal();
      AzureImportExport azure = new AzureImportExport(settings,
          ClientCertificateTokens.forManagement(settings, store, RESOURCE, clock),
          (job, drive, reference) -> RecoveryPassword.parse(key));

      azure.createJob(new JobRequest("seed-1", "seedshipstore", "seeding", List.of(new DriveSpec("D1", "ref", "ab12")),
          AzureImportExportTest.ADDRESS, AzureImportExportTest.CONTACT, false));
      azure.status("seed-1");

      assertThat(login.issued).hasSize(1);
      assertThat(arm.requests).hasSize(4).allSatisfy(r -> assertThat(r.authorization())
          .isEqualTo("Bearer " + login.issued.get(0)));
      assertThat(login.requests.get(0).form()).containsEntry("scope", "https://management.azure.com/.default");
      assertThat(arm.requests("PUT").get(0).body().path("properties").has("returnShipping")).isFalse();
    }
  }
}
