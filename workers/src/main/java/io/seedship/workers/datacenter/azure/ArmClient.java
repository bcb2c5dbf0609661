package io.seedship.workers.datacenter.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Requests to Azure Resource Manager: bearer token, {@code api-version}, JSON in and out, the error body
 * {@code {"error":{"code":…,"message":…}}} read back. Knows nothing of Import/Export's meaning; the adapter maps
 * statuses onto the port's exceptions.
 */
final class ArmClient {

  static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: status, JSON body (an empty object when there was none), the error if the body carried one. */
  record Answer(int status, JsonNode body, String errorCode, String errorMessage, String requestId) {

    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** "code: message" (already free of secrets), or the status alone. */
    String error() {
      if (errorCode.isEmpty() && errorMessage.isEmpty()) {
        return "HTTP " + status;
      }
      return (errorCode.isEmpty() ? "" : errorCode + ": ") + errorMessage;
    }
  }

  private final URI base;
  private final String apiVersion;
  private final AccessTokens tokens;
  private final HttpClient http;

  ArmClient(URI base, String apiVersion, AccessTokens tokens, HttpClient http) {
    this.base = base;
    this.apiVersion = apiVersion;
    this.tokens = tokens;
    this.http = http;
  }

  /** Percent-encodes one path segment. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  URI uri(String path) {
    return URI.create(base + path + "?api-version=" + apiVersion);
  }

  /** A next-page link is followed only when it points back at the management endpoint (the token goes with it). */
  URI nextLink(String link) {
    if (link == null || link.isBlank()) {
      return null;
    }
    if (!link.startsWith(base + "/")) {
      throw new AzureImportExportException("The management API answered with a next-page link to another host (" + link
          + "); Seedship does not send its token there. Check the management base URL.");
    }
    return URI.create(link);
  }

  /**
   * @param body    JSON to send, or null
   * @param secrets what the body carries that must never come back in a message (the token is added here)
   */
  Answer send(String method, URI uri, JsonNode body, Collection<String> secrets) {
    String token = tokens.token();
    List<String> hidden = new ArrayList<>(secrets);
    hidden.add(token);
    String clientRequestId = UUID.randomUUID().toString();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .header("x-ms-client-request-id", clientRequestId);
    if (body != null) {
      request.header("Content-Type", "application/json; charset=utf-8")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    String what = method + " " + uri.getPath();
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AzureImportExportException("The Azure management API at " + base + " cannot be reached for " + what + " ("
          + Redactor.redact(String.valueOf(e.getMessage()), hidden) + "): check the network and the management base URL, "
          + "then try again.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AzureImportExportException("Interrupted while waiting for " + what + ".", e);
    }
    String text = response.body() == null ? "" : response.body();
    JsonNode json;
    try {
      json = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      json = null;
    }
    String requestId = response.headers().firstValue("x-ms-request-id").orElse(clientRequestId);
    String code = "";
    String message = "";
    if (json != null && json.path("error").isObject()) {
      code = Redactor.redact(json.path("error").path("code").asText(""), hidden);
      message = Redactor.redact(json.path("error").path("message").asText(""), hidden);
    } else if (!(response.statusCode() >= 200 && response.statusCode() < 300)) {
      message = Redactor.redact(text, hidden);
    }
    if (json == null) {
      if (response.statusCode() >= 200 && response.statusCode() < 300) {
        throw new AzureImportExportException("The Azure management API answered " + what + " with something that is not JSON "
            + "(request id " + requestId + "): check the management base URL.");
      }
      json = JSON.createObjectNode();
    }
    return new Answer(response.statusCode(), json, code, message, requestId);
  }

  /**
   * The failures every call shares: the token was not accepted, no permission, throttling, server errors and
   * anything else unexpected.
   */
  AzureImportExportException unexpected(String what, Answer answer, String clientId, String scope) {
    int status = answer.status();
    String detail = " (" + answer.error() + "; request id " + answer.requestId() + ")";
    if (status == 401) {
      return new AzureImportExportException("The Azure management API did not accept the access token for " + what + detail
          + ": check the tenant id and the client id " + clientId + ", and that the token is for " + base + ".");
    }
    if (status == 403) {
      return new AzureImportExportException("Application " + clientId + " may not " + what + detail + ": give it a role "
          + "that allows Microsoft.ImportExport/jobs (e.g. Contributor) on " + scope + ", then try again.");
    }
    if (status == 429) {
      return new AzureImportExportException("The Azure management API is throttling requests (" + what + detail + "): "
          + "wait a few minutes and try again.");
    }
    if (status >= 500) {
      return new AzureImportExportException("The Import/Export service failed to " + what + detail + ": a fault on the "
          + "service's side; try again later.");
    }
    return new AzureImportExportException("The Import/Export service answered HTTP " + status + " to " + what + detail
        + ", which Seedship does not expect: check the settings and the job in the Azure portal.");
  }
}
