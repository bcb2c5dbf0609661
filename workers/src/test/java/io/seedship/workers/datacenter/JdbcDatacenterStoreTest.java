package io.seedship.workers.datacenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedship.workers.certificates.jdbc.SimpleDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

/** The JDBC store on PostgreSQL (127.0.0.1:5432), in a database made for this class from the Liquibase changeset's SQL. */
class JdbcDatacenterStoreTest {

  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String DATABASE = "seedship_dc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static JdbcDatacenterStore store;

  @BeforeAll
  static void database() throws Exception {
    try (Connection c = new SimpleDataSource(SERVER + "postgres", "postgres", "").getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    }
    SimpleDataSource dataSource = new SimpleDataSource(SERVER + DATABASE, "postgres", "");
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String sql : changesetSql()) {
        s.execute(sql);
      }
    }
    store = new JdbcDatacenterStore(dataSource);
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    try (Connection c = new SimpleDataSource(SERVER + "postgres", "postgres", "").getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
    }
  }

  @Test
  void keepsAJobThroughItsLife() {
    DatacenterJob job = job("jdbc-1");
    store.insert(job);
    DatacenterJob shipped = job.shipped(new ShippingDetails("DHL", "jd 01", LocalDate.of(2025, 3, 4)),
        Instant.parse("2025-03-04T10:00:00Z"));
    DatacenterJob progressed = shipped.with(shipped.drives().get(1).in(DriveState.CompletedMoreInfo, "1 of 3 files not imported")
        .progress(66, 123_456_789_012L).logs("waimportexport/jdbc-1/d2_error.log", null));
    store.update(progressed);

    assertThat(store.find("jdbc-1")).contains(progressed);
    assertThat(store.jobWithTrackingNumber("JD01")).contains("jdbc-1");
    assertThat(store.unfinished()).extracting(DatacenterJob::jobId).contains("jdbc-1");
    store.update(progressed.in(JobState.Closed, Instant.parse("2025-03-09T10:00:00Z"), "Closed"));
    assertThat(store.unfinished()).extracting(DatacenterJob::jobId).doesNotContain("jdbc-1");
  }

  @Test
  void refusesASecondJobOfTheSameNameAndATrackingNumberTwice() {
    store.insert(job("jdbc-2"));
    store.insert(job("jdbc-3"));
    assertThatThrownBy(() -> store.insert(job("jdbc-2"))).isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("exists already");
    store.update(store.find("jdbc-2").orElseThrow().shipped(new ShippingDetails("UPS", "SAME-1", LocalDate.of(2025, 3, 4)),
        Instant.parse("2025-03-04T10:00:00Z")));

    DatacenterJob second = store.find("jdbc-3").orElseThrow().shipped(new ShippingDetails("UPS", "same-1",
        LocalDate.of(2025, 3, 4)), Instant.parse("2025-03-04T11:00:00Z"));

    assertThatThrownBy(() -> store.update(second)).isInstanceOf(DuplicateTrackingNumberException.class)
        .hasMessageContaining("SAME-1").hasMessageContaining("jdbc-2");
    assertThat(store.find("jdbc-3").orElseThrow().state()).isEqualTo(JobState.Creating);
  }

  private static DatacenterJob job(String id) {
    Instant created = Instant.parse("2025-03-03T08:00:00Z");
    List<DatacenterDrive> drives = List.of(
        DatacenterDrive.specified(new DriveSpec("d1", "d1.recovery", "aa".repeat(32)), 1),
        DatacenterDrive.specified(new DriveSpec("d2", "d2.recovery", "bb".repeat(32)), 2));
    return new DatacenterJob(id, "seedshipstore", "seeding", "Backup team, Hamburg", "ops@example.org", true, JobState.Creating,
        created, created, null, null, "Waiting for shipping details.", drives);
  }

  /** The statements of db/changelog/seedship/003-datacenter.xml, applied as Liquibase would. */
  private static List<String> changesetSql() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("db-migrations"))) {
      root = root.getParent();
    }
    Path changeset = root.resolve("db-migrations/src/main/resources/db/changelog/seedship/003-datacenter.xml");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    NodeList sql = factory.newDocumentBuilder().parse(changeset.toFile())
        .getElementsByTagNameNS("http://www.liquibase.org/xml/ns/dbchangelog", "sql");
    return java.util.stream.IntStream.range(0, sql.getLength()).mapToObj(i -> sql.item(i).getTextContent().trim()).toList();
  }
}
