package io.seedship.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedship.web.support.PostgresIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.LinkedMultiValueMap;

/** /engine-rest and /api need a user; authorizations decide what each group may do; the webapps are served. */
class RestSecurityTest extends PostgresIntegrationTest {

  @Autowired
  JdbcClient jdbc;

  @Test
  void anonymousAndWrongPasswordRequestsGet401() {
    assertThat(http.getForEntity("/engine-rest/process-definition", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(http.getForEntity("/api/seedings", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    as("rest-api-1", SeedshipGroups.API_CLIENTS);
    assertThat(http.withBasicAuth("rest-api-1", "wrong").getForEntity("/engine-rest/process-definition", String.class)
        .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void anApiClientStartsASeedingThroughEngineRest() {
    Map<String, Object> body = Map.of("variables", Map.of(
        "protectedSource", value("/srv/data"), "stagingLocation", value("/mnt/staging"),
        "publishSettingsPath", value(publishSettingsPath()), "importJobName", value("job-rest-1"),
        "subscriptionId", value("0f8fad5b-d9cb-469f-a165-70867728950e"), "storageAccount", value("seedshipstore"),
        "container", value("seed-data"), "replicationMethod", value("offline")));
    ResponseEntity<Map> started = as("rest-api-2", SeedshipGroups.API_CLIENTS)
        .postForEntity("/engine-rest/process-definition/key/offline-seeding/start", body, Map.class);

    assertThat(started.getStatusCode()).isEqualTo(HttpStatus.OK);
    String processInstanceId = (String) started.getBody().get("id");
    assertThat(jdbc.sql("SELECT state FROM seedings WHERE process_instance_id = ?").param(processInstanceId).query(String.class).single())
        .isIn("CERTIFICATES", "STAGING");
  }

  @Test
  void aManagerReadsButMayNotStartASeeding() {
    ResponseEntity<String> start = as("rest-manager", SeedshipGroups.MANAGERS).postForEntity(
        "/engine-rest/process-definition/key/offline-seeding/start", Map.of("variables", Map.of()), String.class);
    assertThat(start.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(as("rest-manager", SeedshipGroups.MANAGERS).getForEntity("/engine-rest/process-definition/key/offline-seeding", Map.class)
        .getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void cockpitAndTasklistAreServedAndLetInOnlyTheirGroups() {
    assertThat(http.getForEntity("/camunda/app/cockpit/default/", String.class).getBody()).containsIgnoringCase("cockpit");
    assertThat(http.getForEntity("/camunda/app/tasklist/default/", String.class).getBody()).containsIgnoringCase("tasklist");

    as("web-operator", SeedshipGroups.OPERATORS);
    as("web-manager", SeedshipGroups.MANAGERS);
    assertThat(login("web-operator", "tasklist")).isEqualTo(HttpStatus.OK);
    assertThat(login("web-manager", "cockpit")).isEqualTo(HttpStatus.OK);
    assertThat(login("web-manager", "tasklist").is4xxClientError()).isTrue();
    assertThat(login("web-operator", "cockpit").is4xxClientError()).isTrue();
  }

  /** Logs in as the webapp's login page does: with the session and CSRF token the app page handed out. */
  private HttpStatus login(String user, String app) {
    ResponseEntity<String> page = http.getForEntity("/camunda/app/" + app + "/default/", String.class);
    String token = page.getHeaders().getFirst("X-XSRF-TOKEN");
    String cookies = String.join("; ", page.getHeaders().get(HttpHeaders.SET_COOKIE).stream().map(c -> c.split(";")[0]).toList());
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_FORM_URLENCODED);
    headers.add("X-XSRF-TOKEN", token);
    headers.add(HttpHeaders.COOKIE, cookies);
    LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("username", user);
    form.add("password", PASSWORD);
    return HttpStatus.valueOf(http.postForEntity("/camunda/api/admin/auth/user/default/login/" + app,
        new HttpEntity<>(form, headers), String.class).getStatusCode().value());
  }

  private static Map<String, Object> value(Object v) {
    return Map.of("value", v);
  }
}
