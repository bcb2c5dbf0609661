package io.seedship.web.support;

import io.seedship.web.SeedshipApplication;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole application on a fresh PostgreSQL database, over real HTTP, with one test user per group. */
@SpringBootTest(classes = SeedshipApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
public abstract class PostgresIntegrationTest {

  public static final String PASSWORD = "s3cret-for-tests";

  @Autowired
  protected TestRestTemplate http;

  @Autowired
  protected IdentityService identity;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", PostgresTestDatabase::url);
    registry.add("spring.datasource.username", PostgresTestDatabase::user);
    registry.add("spring.datasource.password", () -> "");
  }

  /** A user in the given group, created once per database. */
  protected TestRestTemplate as(String userId, String groupId) {
    if (identity.createUserQuery().userId(userId).count() == 0) {
      User user = identity.newUser(userId);
      user.setPassword(PASSWORD);
      identity.saveUser(user);
      identity.createMembership(userId, groupId);
    }
    return http.withBasicAuth(userId, PASSWORD);
  }
}
