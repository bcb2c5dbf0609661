package io.seedship.workers.certificates.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedship.workers.certificates.Directory;
import io.seedship.workers.certificates.DirectoryApplication;
import io.seedship.workers.certificates.DirectoryException;
import io.seedship.workers.certificates.KeyCredential;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The directory through Microsoft Graph v1.0 ({@code /organization}, {@code /me}, {@code /applications}).
 * A certificate is added by PATCHing the application's {@code keyCredentials}; because such a PATCH replaces the
 * whole collection and the service refuses changes to an existing credential, this adapter only adds to an
 * application that has no credentials yet, and says so otherwise.
 */
public class GraphDirectory implements Directory {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Supplier<String> accessToken;
  private final HttpClient http;

  /**
   * @param base        e.g. {@code https://graph.microsoft.com/v1.0} (US government and China clouds have their own)
   * @param accessToken a bearer token for Graph with Application.ReadWrite.OwnedBy (never logged)
   */
  public GraphDirectory(URI base, Supplier<String> accessToken) {
    this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
    this.accessToken = accessToken;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
  }

  @Override
  public String tenantId() {
    JsonNode organizations = send("GET", "organization?$select=id", null, 200).path("value");
    if (organizations.isEmpty()) {
      throw new DirectoryException("Graph returned no organization for this token: sign in to the tenant that owns the subscription.");
    }
    return organizations.get(0).path("id").asText();
  }

  @Override
  public String signedInUserId() {
    return send("GET", "me?$select=id", null, 200).path("id").asText();
  }

  @Override
  public Optional<DirectoryApplication> findApplication(String displayName) {
    String filter = URLEncoder.encode("displayName eq '" + displayName.replace("'", "''") + "'", StandardCharsets.UTF_8)
        .replace("+", "%20");
    JsonNode found = send("GET", "applications?$filter=" + filter + "&$select=id,appId,displayName,keyCredentials", null, 200)
        .path("value");
    return found.isEmpty() ? Optional.empty() : Optional.of(application(found.get(0)));
  }

  @Override
  public DirectoryApplication createApplication(String displayName) {
    ObjectNode body = JSON.createObjectNode().put("displayName", displayName).put("signInAudience", "AzureADMyOrg");
    return application(send("POST", "applications", body, 201));
  }

  @Override
  public void deleteApplication(String objectId) {
    send("DELETE", "applications/" + objectId, null, 204);
  }

  @Override
  public void addKeyCredential(String objectId, KeyCredential credential) {
    JsonNode current = send("GET", "applications/" + objectId + "?$select=id,keyCredentials", null, 200).path("keyCredentials");
    if (!current.isEmpty()) {
      throw new DirectoryException("Application " + objectId + " already has " + current.size() + " credential(s): Seedship "
          + "does not rewrite them (the service refuses updates to existing credentials); upload the certificate by hand.");
    }
    ObjectNode key = JSON.createObjectNode()
        .put("keyId", credential.keyId())
        .put("type", "AsymmetricX509Cert")
        .put("usage", "Verify")
        .put("displayName", credential.displayName())
        .put("customKeyIdentifier", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(credential.thumbprint())))
        .put("key", Base64.getEncoder().encodeToString(credential.certificate()))
        .put("startDateTime", credential.startDateTime().toString())
        .put("endDateTime", credential.endDateTime().toString());
    ObjectNode body = JSON.createObjectNode();
    body.putArray("keyCredentials").add(key);
    send("PATCH", "applications/" + objectId, body, 204);
  }

  private DirectoryApplication application(JsonNode node) {
    List<KeyCredential> credentials = new ArrayList<>();
    for (JsonNode c : (node.path("keyCredentials") instanceof ArrayNode a ? a : JSON.createArrayNode())) {
      credentials.add(new KeyCredential(c.path("keyId").asText(), c.path("displayName").asText(),
          thumbprint(c.path("customKeyIdentifier").asText()), null, instant(c.path("startDateTime").asText()),
          instant(c.path("endDateTime").asText())));
    }
    return new DirectoryApplication(node.path("id").asText(), node.path("appId").asText(), node.path("displayName").asText(),
        credentials);
  }

  /** customKeyIdentifier is Binary: base64 of the SHA-1 bytes; older tools stored the hex text. */
  private static String thumbprint(String customKeyIdentifier) {
    if (customKeyIdentifier.matches("[0-9A-Fa-f]{40}")) {
      return customKeyIdentifier.toUpperCase(java.util.Locale.ROOT);
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(customKeyIdentifier);
      String asText = new String(bytes, StandardCharsets.US_ASCII);
      return (asText.matches("[0-9A-Fa-f]{40}") ? asText : HexFormat.of().formatHex(bytes)).toUpperCase(java.util.Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return customKeyIdentifier;
    }
  }

  private static Instant instant(String text) {
    return text.isEmpty() ? Instant.EPOCH : Instant.parse(text);
  }

  private JsonNode send(String method, String path, JsonNode body, int expected) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + accessToken.get())
        .header("Accept", "application/json");
    if (body != null) {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new DirectoryException("Microsoft Graph at " + base + " cannot be reached (" + e.getMessage() + ").", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DirectoryException("Interrupted while calling Microsoft Graph.", e);
    }
    if (response.statusCode() != expected) {
      throw new DirectoryException(method + " " + path + " answered " + response.statusCode() + ": " + graphError(response.body()));
    }
    try {
      return response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new DirectoryException("Microsoft Graph answered " + method + " " + path + " with something that is not JSON.", e);
    }
  }

  private static String graphError(String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      return error.path("code").asText("?") + " - " + error.path("message").asText(body);
    } catch (IOException | RuntimeException e) {
      return body;
    }
  }
}
