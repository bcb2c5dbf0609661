package io.seedship.workers.certificates.jdbc;

import io.seedship.workers.certificates.Directory;
import io.seedship.workers.certificates.DirectoryApplication;
import io.seedship.workers.certificates.DirectoryException;
import io.seedship.workers.certificates.KeyCredential;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Seedship's local directory in the database (tables directory_*), for the default run and the tests.
 * It behaves as the real one where it matters: display names are unique, credentials are only added, and a
 * second credential with an existing key id is refused with the service's own words.
 */
public class JdbcDirectory implements Directory {

  private final DataSource dataSource;

  public JdbcDirectory(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public String tenantId() {
    return identity()[0];
  }

  @Override
  public String signedInUserId() {
    return identity()[1];
  }

  /** The local tenant and user are made once, on first use, and kept. */
  private String[] identity() {
    try (Connection c = dataSource.getConnection()) {
      String[] found = readIdentity(c);
      if (found != null) {
        return found;
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO directory_tenant (tenant_id, signed_in_user_id) VALUES (?, ?)")) {
        insert.setString(1, UUID.randomUUID().toString());
        insert.setString(2, UUID.randomUUID().toString());
        insert.executeUpdate();
      } catch (SQLException concurrentFirstUse) {
        // another process made it at the same moment: read theirs
      }
      return readIdentity(c);
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  private static String[] readIdentity(Connection c) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT tenant_id, signed_in_user_id FROM directory_tenant ORDER BY tenant_id");
         ResultSet rs = q.executeQuery()) {
      return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
    }
  }

  @Override
  public Optional<DirectoryApplication> findApplication(String displayName) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement q = c.prepareStatement("SELECT object_id, app_id, display_name FROM directory_applications WHERE display_name = ?")) {
      q.setString(1, displayName);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String objectId = rs.getString(1);
        return Optional.of(new DirectoryApplication(objectId, rs.getString(2), rs.getString(3), credentials(c, objectId)));
      }
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  @Override
  public DirectoryApplication createApplication(String displayName) {
    String objectId = UUID.randomUUID().toString();
    String appId = UUID.randomUUID().toString();
    try (Connection c = dataSource.getConnection();
         PreparedStatement insert = c.prepareStatement(
             "INSERT INTO directory_applications (object_id, app_id, display_name, created_at) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, objectId);
      insert.setString(2, appId);
      insert.setString(3, displayName);
      insert.setTimestamp(4, Timestamp.from(Instant.now()));
      insert.executeUpdate();
      return new DirectoryApplication(objectId, appId, displayName, List.of());
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        throw new DirectoryException("An application named " + displayName + " exists already.", e);
      }
      throw unreachable(e);
    }
  }

  @Override
  public void deleteApplication(String objectId) {
    update("DELETE FROM directory_applications WHERE object_id = ?", objectId);
  }

  @Override
  public void addKeyCredential(String objectId, KeyCredential credential) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement existing = c.prepareStatement("SELECT 1 FROM directory_key_credentials WHERE key_id = ?")) {
        existing.setString(1, credential.keyId());
        try (ResultSet rs = existing.executeQuery()) {
          if (rs.next()) {
            throw new DirectoryException("Update to existing credential with KeyId '" + credential.keyId() + "' is not allowed.");
          }
        }
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO directory_key_credentials (key_id, object_id, display_name, "
          + "thumbprint, certificate, start_date_time, end_date_time) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, credential.keyId());
        insert.setString(2, objectId);
        insert.setString(3, credential.displayName());
        insert.setString(4, credential.thumbprint().toUpperCase(java.util.Locale.ROOT));
        insert.setBytes(5, credential.certificate());
        insert.setTimestamp(6, Timestamp.from(credential.startDateTime()));
        insert.setTimestamp(7, Timestamp.from(credential.endDateTime()));
        insert.executeUpdate();
      }
    } catch (SQLException e) {
      if ("23503".equals(e.getSQLState())) {
        throw new DirectoryException("There is no application with object id " + objectId + ".", e);
      }
      throw unreachable(e);
    }
  }

  private static List<KeyCredential> credentials(Connection c, String objectId) throws SQLException {
    List<KeyCredential> credentials = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement("SELECT key_id, display_name, thumbprint, certificate, start_date_time, end_date_time "
        + "FROM directory_key_credentials WHERE object_id = ? ORDER BY start_date_time, key_id")) {
      q.setString(1, objectId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          credentials.add(new KeyCredential(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
              rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()));
        }
      }
    }
    return credentials;
  }

  private void update(String sql, String parameter) {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      s.executeUpdate();
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  private static DirectoryException unreachable(SQLException e) {
    return new DirectoryException("The local directory (database) failed: " + e.getMessage(), e);
  }
}
