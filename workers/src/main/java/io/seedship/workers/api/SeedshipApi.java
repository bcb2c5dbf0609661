package io.seedship.workers.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;

/**
 * Seedship's own API as the copy computer's command line uses it ({@code /api/seedings}), over HTTP Basic.
 * Where: {@code SEEDSHIP_URL} (default: {@code SEEDSHIP_ENGINE_URL} without {@code /engine-rest}, else
 * http://localhost:8080); who: {@code SEEDSHIP_API_USER} / {@code SEEDSHIP_API_PASSWORD}, an operator or API
 * client. The password is never printed.
 */
public final class SeedshipApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String authorization;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public SeedshipApi(URI base, String user, String password) {
    this.base = base;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public static SeedshipApi fromEnvironment(Function<String, String> env) {
    String user = env.apply("SEEDSHIP_API_USER");
    String password = env.apply("SEEDSHIP_API_PASSWORD");
    if (user == null || user.isBlank() || password == null || password.isEmpty()) {
      throw new IllegalArgumentException("Set SEEDSHIP_API_USER and SEEDSHIP_API_PASSWORD to an operator of Seedship (group "
          + "seedship-operators): the shipping details go to Seedship's API.");
    }
    String url = env.apply("SEEDSHIP_URL");
    if (url == null || url.isBlank()) {
      String engine = env.apply("SEEDSHIP_ENGINE_URL");
      url = engine == null || engine.isBlank() ? "http://localhost:8080" : engine.replaceFirst("/engine-rest/?$", "");
    }
    return new SeedshipApi(URI.create(url.endsWith("/") ? url : url + "/"), user, password);
  }

  public URI base() {
    return base;
  }

  /** The seeding's status document, or null when Seedship does not know the seeding. */
  public JsonNode seeding(String seedingId) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("api/seedings/" + seedingId)).GET());
    if (response.statusCode() == 404) {
      return null;
    }
    return body(response, "read seeding " + seedingId);
  }

  /** Records the package of the seeding's current import job; refusals come back with Seedship's sentence. */
  public JsonNode submitShipping(String seedingId, Map<String, String> details) {
    try {
      HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("api/seedings/" + seedingId + "/shipping"))
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(details))));
      return body(response, "submit the shipping details");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.header("Authorization", authorization).header("Accept", "application/json")
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SeedshipApiException("Seedship at " + base + " does not answer (" + e.getMessage() + "): check SEEDSHIP_URL and "
          + "that the server runs.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SeedshipApiException("Interrupted while waiting for Seedship at " + base + ".");
    }
  }

  private JsonNode body(HttpResponse<String> response, String what) {
    JsonNode body;
    try {
      body = response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SeedshipApiException("Seedship answered HTTP " + response.statusCode() + " that is not JSON when asked to " + what
          + ": is " + base + " Seedship?");
    }
    if (response.statusCode() == 401) {
      throw new SeedshipApiException("Seedship refused the login of SEEDSHIP_API_USER: check the user and password.");
    }
    if (response.statusCode() >= 300) {
      String error = body.path("error").asText("");
      throw new SeedshipApiException("Seedship could not " + what + " (HTTP " + response.statusCode() + ")"
          + (error.isEmpty() ? "." : ": " + error));
    }
    return body;
  }
}
