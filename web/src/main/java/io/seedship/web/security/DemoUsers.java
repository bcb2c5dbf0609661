package io.seedship.web.security;

import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.spring.boot.starter.util.SpringBootProcessEnginePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * One user per group with a password equal to its name, for trying Seedship on one machine. Only in the
 * {@code demo} profile (the run command's default); production creates its users in the Admin app.
 */
@Component
@Profile("demo")
@Order(100)
class DemoUsers extends SpringBootProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(DemoUsers.class);

  record DemoUser(String id, String firstName, String group) {
  }

  static final List<DemoUser> USERS = List.of(
      new DemoUser("admin", "Ada", SeedshipGroups.ADMINS),
      new DemoUser("operator", "Otto", SeedshipGroups.OPERATORS),
      new DemoUser("manager", "Mia", SeedshipGroups.MANAGERS),
      new DemoUser("api-client", "Api", SeedshipGroups.API_CLIENTS),
      new DemoUser("worker", "Walt", SeedshipGroups.WORKERS));

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    IdentityService identity = engine.getIdentityService();
    for (DemoUser demo : USERS) {
      if (identity.createUserQuery().userId(demo.id()).count() == 0) {
        User user = identity.newUser(demo.id());
        user.setFirstName(demo.firstName());
        user.setLastName("(demo)");
        user.setPassword(demo.id());
        user.setEmail(demo.id() + "@seedship.invalid");
        identity.saveUser(user);
        identity.createMembership(demo.id(), demo.group());
        log.warn("Demo user '{}' created in group '{}' with its name as password: demo profile only", demo.id(), demo.group());
      }
    }
  }
}
