package io.seedship.workers.testing;

import io.seedship.workers.certificates.jdbc.SimpleDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NodeList;

/**
 * A PostgreSQL database (127.0.0.1:5432, trust auth) made for one test class, with the SQL statements of the named
 * Seedship changesets (db/changelog/seedship/*.xml) applied as Liquibase would; dropped by {@link #drop()}.
 */
public final class TestDatabase {

  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

  private final String name = "seedship_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final DataSource dataSource;

  private TestDatabase(String... changesets) throws Exception {
    try (Connection c = new SimpleDataSource(SERVER + "postgres", "postgres", "").getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    dataSource = new SimpleDataSource(SERVER + name, "postgres", "");
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String changeset : changesets) {
        for (String sql : changesetSql(changeset)) {
          s.execute(sql);
        }
      }
    }
  }

  /** E.g. {@code create("004-vault.xml")}. */
  public static TestDatabase create(String... changesets) throws Exception {
    return new TestDatabase(changesets);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The JDBC URL (trust auth, user postgres, no password), for a child JVM. */
  public String url() {
    return SERVER + name;
  }

  public void drop() throws Exception {
    try (Connection c = new SimpleDataSource(SERVER + "postgres", "postgres", "").getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  private static List<String> changesetSql(String changesetFile) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("db-migrations"))) {
      root = root.getParent();
    }
    Path changeset = root.resolve("db-migrations/src/main/resources/db/changelog/seedship").resolve(changesetFile);
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    NodeList sql = factory.newDocumentBuilder().parse(changeset.toFile())
        .getElementsByTagNameNS("http://www.liquibase.org/xml/ns/dbchangelog", "sql");
    return IntStream.range(0, sql.getLength()).mapToObj(i -> sql.item(i).getTextContent().trim()).toList();
  }
}
