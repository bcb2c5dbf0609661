package io.seedship.workers.vault;

import io.seedship.workers.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;


/** The catalogue on PostgreSQL, in a database made for this class from the changeset's SQL. */
class JdbcVaultCatalogueTest {

  private static TestDatabase database;
  private static JdbcVaultCatalogue catalogue;

  @BeforeAll
  static void database() throws Exception {
    database = TestDatabase.create("004-vault.xml");
    catalogue = new JdbcVaultCatalogue(database.dataSource());
  }

  @AfterAll
  static void drop() throws Exception {
    database.drop();
  }

  @Test
  void keepsAProtectionOnceAndNumbersItsRecoveryPointsIdempotently() {
    Protection protection = protection("p-1", SeedMethod.OFFLINE);
    assertThat(catalogue.ensureProtection(protection)).isEqualTo(protection);
    Protection other = new Protection("p-1", "/elsewhere", "seedship-vault", "p-1/", "ff".repeat(16), SeedMethod.NETWORK,
        Instant.parse("2026-01-02T00:00:00Z"));
    assertThat(catalogue.ensureProtection(other)).as("the first record stays").isEqualTo(protection);

    RecoveryPoint first = catalogue.recordRecoveryPoint("p-1", point("aa", null, RecoveryPointKind.SEED, null, null));
    RecoveryPoint second = catalogue.recordRecoveryPoint("p-1", point("bb", "aa", RecoveryPointKind.INCREMENTAL, "task-7", 123L));
    RecoveryPoint again = catalogue.recordRecoveryPoint("p-1", point("bb", "aa", RecoveryPointKind.INCREMENTAL, "task-7", 123L));

    assertThat(first.number()).isEqualTo(1);
    assertThat(first.id()).isEqualTo("rp-1");
    assertThat(first.bytesUploaded()).isNull();
    assertThat(second.number()).isEqualTo(2);
    assertThat(again).isEqualTo(second);
    assertThat(catalogue.recoveryPoints("p-1")).containsExactly(first, second);
    assertThat(catalogue.recoveryPointForRequest("p-1", "task-7")).contains(second);
    assertThat(catalogue.recoveryPointForRequest("p-1", "task-8")).isEmpty();
    assertThat(second.bytesUploaded()).isEqualTo(123L);
    assertThat(second.parentSnapshotId()).isEqualTo("aa".repeat(16));
  }

  @Test
  void concurrentRecordingsGetDistinctNumbersAndNoSnapshotTwice() throws Exception {
    catalogue.ensureProtection(protection("p-2", SeedMethod.NETWORK));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<RecoveryPoint>> results = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String snapshot = String.format("%02x", i % 6);
        results.add(pool.submit(() -> catalogue.recordRecoveryPoint("p-2", point(snapshot, null, RecoveryPointKind.INCREMENTAL, null, 1L))));
      }
      for (Future<RecoveryPoint> result : results) {
        result.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<RecoveryPoint> points = catalogue.recoveryPoints("p-2");
    assertThat(points).extracting(RecoveryPoint::number).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(points).extracting(RecoveryPoint::snapshotId).doesNotHaveDuplicates().hasSize(6);
  }

  @Test
  void keepsTheAuditTrailInOrder() {
    catalogue.ensureProtection(protection("p-3", SeedMethod.OFFLINE));
    AuditRecord a = new AuditRecord("p-3", AuditAction.IMPORT_COPY_DELETED, "seedshipstore/seed-c", "12 blobs, 3.1 MiB", "operator ana",
        Instant.parse("2026-02-01T10:00:00Z"));
    AuditRecord b = new AuditRecord("p-3", AuditAction.DRIVE_KEYS_ERASED, "/keys/diskprep/job-1", "drives d1, d2", "worker w1",
        Instant.parse("2026-02-01T10:00:01Z"));
    catalogue.audit(b);
    catalogue.audit(a);
    assertThat(catalogue.auditTrail("p-3")).containsExactly(a, b);
    assertThat(catalogue.auditTrail("p-unknown")).isEmpty();
  }

  private static Protection protection(String id, SeedMethod method) {
    return new Protection(id, "/srv/data", "seedship-vault", id + "/", "0123456789abcdef0123456789abcdef", method,
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  private static NewRecoveryPoint point(String snapshotByte, String parentByte, RecoveryPointKind kind, String request, Long uploaded) {
    return new NewRecoveryPoint(snapshotByte.repeat(16), parentByte == null ? null : parentByte.repeat(16), kind, request,
        Instant.parse("2026-01-05T22:00:00Z"), 10, 1000, uploaded == null ? null : 900L, uploaded);
  }
}
