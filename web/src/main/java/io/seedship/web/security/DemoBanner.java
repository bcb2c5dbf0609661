package io.seedship.web.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells whoever ran the run command where to go and how to log in. */
@Component
@Profile("demo")
class DemoBanner {

  private static final Logger log = LoggerFactory.getLogger(DemoBanner.class);

  @EventListener
  void ready(ApplicationReadyEvent event) {
    int port = event.getApplicationContext() instanceof WebServerApplicationContext web ? web.getWebServer().getPort() : 8080;
    String base = "http://localhost:" + port;
    StringBuilder users = new StringBuilder();
    DemoUsers.USERS.forEach(u -> users.append(String.format("%n      %-10s / %-10s (%s)", u.id(), u.id(), u.group())));
    log.info("""

        ==================== Seedship is running (demo profile) ====================
          Tasklist  : {}/camunda/app/tasklist/
          Cockpit   : {}/camunda/app/cockpit/
          Admin     : {}/camunda/app/admin/
          REST      : {}/engine-rest  (HTTP Basic)
          API       : {}/api/seedings (HTTP Basic)
          Demo logins (user / password):{}
        =============================================================================""",
        base, base, base, base, base, users);
  }
}
