package io.seedship.workers.vault;

import io.seedship.workers.blob.AzuriteFixture;
import io.seedship.workers.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vault's tests run on Azurite and on a PostgreSQL database of their own per test class; each test gets a fresh
 * {@link VaultTestKit} (vault container, cache, key folder) in its temporary folder.
 */
@ExtendWith(AzuriteFixture.class)
public abstract class VaultTestBase {

  protected static TestDatabase database;

  @TempDir
  protected Path temp;
  protected VaultTestKit kit;

  @BeforeAll
  static void createDatabase() throws Exception {
    database = TestDatabase.create("004-vault.xml");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    database.drop();
  }

  @BeforeEach
  void openKit() {
    kit = new VaultTestKit(temp, database);
  }

  @AfterEach
  void closeKit() {
    kit.close();
  }
}
