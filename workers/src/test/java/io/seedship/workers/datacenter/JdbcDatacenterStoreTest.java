package io.seedship.workers.datacenter;

import io.seedship.workers.testing.TestDatabase;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


/** The JDBC store on PostgreSQL (127.0.0.1:5432), in a database made for this class from the Liquibase changeset's SQL. */
class JdbcDatacenterStoreTest {

  private static TestDatabase database;
  private static JdbcDatacenterStore store;

  @BeforeAll
  static void database() throws Exception {
    database = TestDatabase.create("003-datacenter.xml");
    store = new JdbcDatacenterStore(database.dataSource());
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    database.drop();
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

}
