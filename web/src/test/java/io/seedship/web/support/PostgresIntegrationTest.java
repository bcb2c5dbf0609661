package io.seedship.web.support;

import io.seedship.web.SeedshipApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole application on a fresh PostgreSQL database, over real HTTP, with one test user per group. */
@SpringBootTest(classes = SeedshipApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
public abstract class PostgresIntegrationTest {

  public static final String PASSWORD = "s3cret-for-tests";

  @Autowired
  protected TestRestTemplate http;

  @Autowired
  protected IdentityService identity;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", PostgresTestDatabase::url);
    registry.add("spring.datasource.username", PostgresTestDatabase::user);
    registry.add("spring.datasource.password", () -> "");
    registry.add("seedship.certificates.dir", () -> TEST_FILES.resolve("certificates").toString());
    registry.add("seedship.certificates.secrets-dir", () -> TEST_FILES.resolve("secrets").toString());
    registry.add("seedship.in-process-worker.poll-interval", () -> "PT0.2S");
  }

  /** Files the application writes during the tests (certificates, keystore secrets), under target/. */
  protected static final Path TEST_FILES = Path.of("target", "test-files", String.valueOf(ProcessHandle.current().pid()))
      .toAbsolutePath();

  private static Path publishSettings;

  /** The publish-settings file's management certificate: a secret that must never reach the engine or a log. */
  protected static final String MANAGEMENT_CERTIFICATE = java.util.Base64.getEncoder().encodeToString(
      ("management-certificate-" + java.util.UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  /** A publish-settings file listing the subscription the tests use. */
  protected static synchronized String publishSettingsPath() {
    if (publishSettings == null) {
      try {
        publishSettings = Files.createTempFile("seedship-test-", ".publishsettings");
        publishSettings.toFile().deleteOnExit();
        Files.writeString(publishSettings, """
            <?xml version="1.0" encoding="utf-8"?>
            <PublishData><PublishProfile SchemaVersion="2.0" PublishMethod="AzureServiceManagementAPI">
              <Subscription ServiceManagementUrl="https://management.core.windows.net"
                            Id="0f8fad5b-d9cb-469f-a165-70867728950e" Name="Integration tests"
                            ManagementCertificate="%s" />
            </PublishProfile></PublishData>
            """.formatted(MANAGEMENT_CERTIFICATE));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return publishSettings.toString();
  }

  /** A user in the given group, created once per database. */
  protected TestRestTemplate as(String userId, String groupId) {
    if (identity.createUserQuery().userId(userId).count() == 0) {
      User user = identity.newUser(userId);
      user.setPassword(PASSWORD);
      identity.saveUser(user);
      identity.createMembership(userId, groupId);
    }
    return http.withBasicAuth(userId, PASSWORD);
  }
}
