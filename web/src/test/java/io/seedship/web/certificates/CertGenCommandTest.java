package io.seedship.web.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedship.web.support.PostgresIntegrationTest;
import io.seedship.web.support.PostgresTestDatabase;
import io.seedship.workers.certificates.OfflineApplicationParams;
import io.seedship.workers.certificates.cli.CertGenCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code seedship certgen} with the guide's verbs, against the migrated PostgreSQL database. */
class CertGenCommandTest extends PostgresIntegrationTest {

  private static final String SUBSCRIPTION = "0f8fad5b-d9cb-469f-a165-70867728950e";

  @Autowired
  JdbcClient jdbc;

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void emptyDirectory() {
    jdbc.sql("DELETE FROM directory_applications").update();
  }

  @Test
  void createNewApplicationThenAddRegistryEntriesAsTheGuideRunsThem() throws Exception {
    int created = certgen("CreateNewApplication", "SubscriptionId:" + SUBSCRIPTION, "ResourceId:cli-server",
        "OutputFolder:" + dir);
    assertThat(created).as(err.toString()).isZero();
    Path params = dir.resolve("OfflineApplicationParams.xml");
    OfflineApplicationParams written = OfflineApplicationParams.parse(Files.readString(params), params.toString());
    assertThat(written.subscriptionId()).isEqualTo(SUBSCRIPTION);
    assertThat(written.certificateSubject()).isEqualTo("CN=CB_AzureADCertforOfflineSeeding_cli-server");
    assertThat(out.toString()).contains("thumbprint " + written.certificateThumbprint());

    int registered = certgen("AddRegistryEntries", "SubscriptionId:" + SUBSCRIPTION, "xmlfilepath:" + params,
        "storageaccountname:clistore");
    assertThat(registered).as(err.toString()).isZero();
    assertThat(dir.resolve("scratch/OfflineApplicationParams_clistore.xml")).exists();
    assertThat(jdbc.sql("SELECT content FROM offline_backup_documents WHERE name = 'OfflineApplicationParams_clistore.xml'")
        .query(String.class).single()).contains("<StorageAccountName>clistore</StorageAccountName>");
  }

  @Test
  void badInputsAreRefusedWithAClearMessageAndChangeNothing() throws Exception {
    certgen("CreateNewApplication", "SubscriptionId:" + SUBSCRIPTION, "ResourceId:cli-server-2", "OutputFolder:" + dir);
    Path params = dir.resolve("OfflineApplicationParams.xml");
    long documents = count("offline_backup_documents");
    long values = count("offline_backup_registry");

    assertRefused(certgen("AddRegistryEntries", "SubscriptionId:" + SUBSCRIPTION, "xmlfilepath:" + params,
        "storageaccountname:Bad_Name"), "storageaccountname 'Bad_Name' must be 3 to 24 lower-case letters and digits");
    assertRefused(certgen("AddRegistryEntries", "SubscriptionId:" + SUBSCRIPTION, "xmlfilepath:" + params,
        "storageaccountname:ab"), "storageaccountname 'ab' must be 3 to 24");
    assertRefused(certgen("AddRegistryEntries", "SubscriptionId:11111111-2222-3333-4444-555555555555", "xmlfilepath:" + params,
        "storageaccountname:clistore"), "does not match");
    Path broken = Files.writeString(dir.resolve("broken.xml"), "<OfflineApplicationParams><SubscriptionId>");
    assertRefused(certgen("AddRegistryEntries", "SubscriptionId:" + SUBSCRIPTION, "xmlfilepath:" + broken,
        "storageaccountname:clistore"), "is not well-formed XML");
    assertRefused(certgen("AddRegistryEntries", "SubscriptionId:" + SUBSCRIPTION, "xmlfilepath:" + dir.resolve("absent.xml"),
        "storageaccountname:clistore"), "does not exist");
    assertRefused(certgen("CreateNewApplication", "SubscriptionId:not-a-guid"), "SubscriptionId 'not-a-guid' is not a GUID");

    assertThat(count("offline_backup_documents")).isEqualTo(documents);
    assertThat(count("offline_backup_registry")).isEqualTo(values);
  }

  private void assertRefused(int exitCode, String message) {
    assertThat(exitCode).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
    err.reset();
  }

  private long count(String table) {
    return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
  }

  private int certgen(String... args) {
    Map<String, String> env = Map.of(
        "SEEDSHIP_DB_URL", PostgresTestDatabase.url(),
        "SEEDSHIP_DB_USER", PostgresTestDatabase.user(),
        "SEEDSHIP_CERTIFICATES", dir.resolve("certificates").toString(),
        "SEEDSHIP_CERTIFICATE_SECRETS", dir.resolve("secrets").toString(),
        "SEEDSHIP_SCRATCH", dir.resolve("scratch").toString());
    return CertGenCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        env::get);
  }
}
