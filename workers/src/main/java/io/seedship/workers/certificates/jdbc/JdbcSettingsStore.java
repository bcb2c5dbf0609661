package io.seedship.workers.certificates.jdbc;

import io.seedship.workers.certificates.SettingsStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** The settings store in tables offline_backup_registry and offline_backup_documents. */
public class JdbcSettingsStore implements SettingsStore {

  private final DataSource dataSource;

  public JdbcSettingsStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void putValue(String key, String name, String value) {
    upsert("UPDATE offline_backup_registry SET value_data = ?, updated_at = ? WHERE registry_key = ? AND value_name = ?",
        "INSERT INTO offline_backup_registry (value_data, updated_at, registry_key, value_name) VALUES (?, ?, ?, ?)",
        value, key, name);
  }

  @Override
  public Optional<String> value(String key, String name) {
    return query("SELECT value_data FROM offline_backup_registry WHERE registry_key = ? AND value_name = ?", key, name);
  }

  @Override
  public void putDocument(String subscriptionId, String name, String content) {
    upsert("UPDATE offline_backup_documents SET content = ?, updated_at = ? WHERE subscription_id = ? AND name = ?",
        "INSERT INTO offline_backup_documents (content, updated_at, subscription_id, name) VALUES (?, ?, ?, ?)",
        content, subscriptionId.toLowerCase(java.util.Locale.ROOT), name);
  }

  @Override
  public Optional<String> document(String subscriptionId, String name) {
    return query("SELECT content FROM offline_backup_documents WHERE subscription_id = ? AND name = ?",
        subscriptionId.toLowerCase(java.util.Locale.ROOT), name);
  }

  private void upsert(String update, String insert, String data, String key, String name) {
    try (Connection c = dataSource.getConnection()) {
      if (execute(c, update, data, key, name) == 0) {
        execute(c, insert, data, key, name);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("The settings store (database) failed: " + e.getMessage(), e);
    }
  }

  private static int execute(Connection c, String sql, String data, String key, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, data);
      s.setTimestamp(2, Timestamp.from(Instant.now()));
      s.setString(3, key);
      s.setString(4, name);
      return s.executeUpdate();
    }
  }

  private Optional<String> query(String sql, String a, String b) {
    try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
      q.setString(1, a);
      q.setString(2, b);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("The settings store (database) failed: " + e.getMessage(), e);
    }
  }
}
