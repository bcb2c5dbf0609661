package io.seedship.web.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL database for this test JVM on the development machine's server
 * (127.0.0.1:5432, trust authentication; override with SEEDSHIP_TEST_PG_HOST/PORT/USER), so every run proves that
 * the schema comes from the migrations alone. The engine still uses it while the JVM shuts down, so it is not
 * dropped then: each run drops the test databases that earlier runs left behind more than an hour ago.
 */
public final class PostgresTestDatabase {

  private static final String HOST = env("SEEDSHIP_TEST_PG_HOST", "127.0.0.1");
  private static final String PORT = env("SEEDSHIP_TEST_PG_PORT", "5432");
  private static final String USER = env("SEEDSHIP_TEST_PG_USER", "postgres");
  private static final String PREFIX = "seedship_test_";
  private static String name;

  private PostgresTestDatabase() {
  }

  public static synchronized String url() {
    if (name == null) {
      dropLeftovers();
      name = PREFIX + Instant.now().getEpochSecond() + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
      execute("CREATE DATABASE " + name);
    }
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
  }

  public static String user() {
    return USER;
  }

  private static void dropLeftovers() {
    long hourAgo = Instant.now().minus(Duration.ofHours(1)).getEpochSecond();
    try (Connection c = DriverManager.getConnection(adminUrl(), USER, "");
         ResultSet names = c.createStatement().executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
      List<String> stale = new ArrayList<>();
      while (names.next()) {
        String[] parts = names.getString(1).substring(PREFIX.length()).split("_");
        if (parts.length == 2 && parts[0].matches("\\d+") && Long.parseLong(parts[0]) < hourAgo) {
          stale.add(names.getString(1));
        }
      }
      for (String db : stale) {
        c.createStatement().execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      throw refused("listing old test databases", e);
    }
  }

  private static String adminUrl() {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres";
  }

  private static IllegalStateException refused(String what, SQLException e) {
    return new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " refused " + what + " (" + e.getMessage()
        + "). Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(adminUrl(), USER, ""); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw refused("'" + sql + "'", e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
