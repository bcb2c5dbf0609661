package io.seedship.workers.vault;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The catalogue in the database (tables vault_protections, vault_recovery_points, vault_audit; changeset 004-vault.xml). */
public final class JdbcVaultCatalogue implements VaultCatalogue {

  private static final int TEXT_LIMIT = 4096;
  private static final String POINT_COLUMNS = "protection_id, point_no, snapshot_id, parent_snapshot_id, kind, request_id, "
      + "taken_at, recorded_at, files, bytes, changed_bytes, bytes_uploaded";
  private static final String PROTECTION_COLUMNS = "protection_id, protected_source, vault_container, blob_prefix, repository_id, "
      + "seed_method, created_at";

  private final DataSource dataSource;
  private final Clock clock;

  public JdbcVaultCatalogue(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  public JdbcVaultCatalogue(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  @Override
  public Protection ensureProtection(Protection protection) {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        Optional<Protection> existing = protection(c, protection.protectionId());
        if (existing.isPresent()) {
          return existing.get();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO vault_protections (" + PROTECTION_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          s.setString(1, protection.protectionId());
          s.setString(2, limit(protection.protectedSource()));
          s.setString(3, protection.vaultContainer());
          s.setString(4, protection.blobPrefix());
          s.setString(5, protection.repositoryId());
          s.setString(6, protection.seedMethod().code());
          s.setTimestamp(7, Timestamp.from(protection.createdAt().truncatedTo(ChronoUnit.MICROS)));
          s.executeUpdate();
        }
        return protection(c, protection.protectionId()).orElseThrow();
      } catch (SQLException e) {
        if (attempt == 0 && isDuplicate(e)) {
          continue; // recorded by a concurrent call in the meantime: read it
        }
        throw unusable(e);
      }
    }
  }

  @Override
  public Optional<Protection> protection(String protectionId) {
    try (Connection c = dataSource.getConnection()) {
      return protection(c, protectionId);
    } catch (SQLException e) {
      throw unusable(e);
    }
  }

  private static Optional<Protection> protection(Connection c, String protectionId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + PROTECTION_COLUMNS + " FROM vault_protections WHERE protection_id = ?")) {
      s.setString(1, protectionId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        return Optional.of(new Protection(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
            SeedMethod.ofCode(r.getString(6)), r.getTimestamp(7).toInstant()));
      }
    }
  }

  @Override
  public RecoveryPoint recordRecoveryPoint(String protectionId, NewRecoveryPoint point) {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          // Recordings for one protection take turns on its row, so numbering them cannot collide; the retry
          // below stays for a protection recorded before its row exists.
          try (PreparedStatement lock = c.prepareStatement("SELECT protection_id FROM vault_protections WHERE protection_id = ? FOR UPDATE")) {
            lock.setString(1, protectionId);
            lock.executeQuery().close();
          }
          Optional<RecoveryPoint> existing = point(c, protectionId, "snapshot_id", point.snapshotId());
          if (existing.isPresent()) {
            c.commit();
            return existing.get();
          }
          int number;
          try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(point_no), 0) + 1 FROM vault_recovery_points "
              + "WHERE protection_id = ?")) {
            s.setString(1, protectionId);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              number = r.getInt(1);
            }
          }
          RecoveryPoint recorded = new RecoveryPoint(protectionId, number, point.snapshotId(), point.parentSnapshotId(), point.kind(),
              point.requestId(), point.takenAt().truncatedTo(ChronoUnit.MICROS),
              clock.instant().truncatedTo(ChronoUnit.MICROS), point.files(), point.bytes(), point.changedBytes(),
              point.bytesUploaded());
          try (PreparedStatement s = c.prepareStatement("INSERT INTO vault_recovery_points (" + POINT_COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, protectionId);
            s.setInt(2, number);
            s.setString(3, recorded.snapshotId());
            s.setString(4, recorded.parentSnapshotId());
            s.setString(5, recorded.kind().name());
            s.setString(6, recorded.requestId());
            s.setTimestamp(7, Timestamp.from(recorded.takenAt()));
            s.setTimestamp(8, Timestamp.from(recorded.recordedAt()));
            s.setLong(9, recorded.files());
            s.setLong(10, recorded.bytes());
            setLong(s, 11, recorded.changedBytes());
            setLong(s, 12, recorded.bytesUploaded());
            s.executeUpdate();
          }
          c.commit();
          return recorded;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        // Another worker numbered or recorded at the same moment: read again (the snapshot may be recorded now).
        if (attempt < 3 && isDuplicate(e)) {
          continue;
        }
        throw unusable(e);
      }
    }
  }

  @Override
  public List<RecoveryPoint> recoveryPoints(String protectionId) {
    List<RecoveryPoint> points = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT " + POINT_COLUMNS + " FROM vault_recovery_points WHERE protection_id = ? "
             + "ORDER BY point_no")) {
      s.setString(1, protectionId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          points.add(point(r));
        }
      }
      return points;
    } catch (SQLException e) {
      throw unusable(e);
    }
  }

  @Override
  public Optional<RecoveryPoint> recoveryPointForRequest(String protectionId, String requestId) {
    if (requestId == null) {
      return Optional.empty();
    }
    try (Connection c = dataSource.getConnection()) {
      return point(c, protectionId, "request_id", requestId);
    } catch (SQLException e) {
      throw unusable(e);
    }
  }

  private static Optional<RecoveryPoint> point(Connection c, String protectionId, String column, String value) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + POINT_COLUMNS + " FROM vault_recovery_points WHERE protection_id = ? AND "
        + column + " = ?")) {
      s.setString(1, protectionId);
      s.setString(2, value);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(point(r)) : Optional.empty();
      }
    }
  }

  private static RecoveryPoint point(ResultSet r) throws SQLException {
    return new RecoveryPoint(r.getString(1), r.getInt(2), r.getString(3), r.getString(4), RecoveryPointKind.valueOf(r.getString(5)),
        r.getString(6), r.getTimestamp(7).toInstant(), r.getTimestamp(8).toInstant(), r.getLong(9), r.getLong(10), getLong(r, 11),
        getLong(r, 12));
  }

  @Override
  public void audit(AuditRecord record) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("INSERT INTO vault_audit (protection_id, action, target, detail, actor, performed_at) "
             + "VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, record.protectionId());
      s.setString(2, record.action().name());
      s.setString(3, limit(record.target()));
      s.setString(4, limit(record.detail()));
      s.setString(5, record.actor().length() > 256 ? record.actor().substring(0, 256) : record.actor());
      s.setTimestamp(6, Timestamp.from(record.performedAt()));
      s.executeUpdate();
    } catch (SQLException e) {
      throw unusable(e);
    }
  }

  @Override
  public List<AuditRecord> auditTrail(String protectionId) {
    List<AuditRecord> records = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT protection_id, action, target, detail, actor, performed_at FROM vault_audit "
             + "WHERE protection_id = ? ORDER BY performed_at, audit_id")) {
      s.setString(1, protectionId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          records.add(new AuditRecord(r.getString(1), AuditAction.valueOf(r.getString(2)), r.getString(3), r.getString(4),
              r.getString(5), r.getTimestamp(6).toInstant()));
        }
      }
      return records;
    } catch (SQLException e) {
      throw unusable(e);
    }
  }

  private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }

  private static Long getLong(ResultSet r, int index) throws SQLException {
    long value = r.getLong(index);
    return r.wasNull() ? null : value;
  }

  private static boolean isDuplicate(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  private static String limit(String text) {
    return text == null || text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT - 1) + "…";
  }

  private static IllegalStateException unusable(SQLException e) {
    return new IllegalStateException("The vault catalogue cannot be used (" + e.getMessage() + ", SQL state " + e.getSQLState()
        + "): check the database connection and that changeset 004-vault ran.", e);
  }
}
