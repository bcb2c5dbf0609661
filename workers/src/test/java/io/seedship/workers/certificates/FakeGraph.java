package io.seedship.workers.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A local HTTP server answering like Microsoft Graph v1.0 for the calls the Graph directory makes, with the
 * documented JSON shapes, and recording every request so tests can check method, path and body.
 */
final class FakeGraph implements AutoCloseable {

  record Request(String method, String pathAndQuery, String authorization, JsonNode body) {
  }

  static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  static final String USER = "4562bcc8-c436-4f95-b7c0-4f8ce89dca5e";
  private static final ObjectMapper JSON = new ObjectMapper();

  final List<Request> requests = new ArrayList<>();
  final Map<String, ObjectNode> applications = new LinkedHashMap<>();
  private final HttpServer server;

  FakeGraph() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1.0/", this::handle);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0");
  }

  ObjectNode addApplication(String displayName, boolean withCertificate) {
    ObjectNode app = JSON.createObjectNode().put("id", UUID.randomUUID().toString()).put("appId", UUID.randomUUID().toString())
        .put("displayName", displayName);
    ArrayNode keys = app.putArray("keyCredentials");
    if (withCertificate) {
      keys.addObject().put("keyId", UUID.randomUUID().toString()).put("type", "AsymmetricX509Cert").put("usage", "Verify")
          .put("displayName", "CN=someone-else").put("customKeyIdentifier", "UuJwIwAAAAAAAAAAAAAAAAAAAAA=")
          .put("startDateTime", "2026-01-01T00:00:00Z").put("endDateTime", "2027-01-01T00:00:00Z").putNull("key");
    }
    applications.put(app.get("id").asText(), app);
    return app;
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String raw = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    byte[] in = exchange.getRequestBody().readAllBytes();
    JsonNode body = in.length == 0 ? null : JSON.readTree(in);
    requests.add(new Request(method, raw + (query == null ? "" : "?" + URLDecoder.decode(query, StandardCharsets.UTF_8)),
        exchange.getRequestHeaders().getFirst("Authorization"), body));
    String path = raw.substring("/v1.0/".length());
    if (method.equals("GET") && path.equals("me")) {
      reply(exchange, 200, JSON.createObjectNode().put("id", USER));
    } else if (method.equals("GET") && path.equals("organization")) {
      ObjectNode o = JSON.createObjectNode();
      o.putArray("value").addObject().put("id", TENANT);
      reply(exchange, 200, o);
    } else if (method.equals("GET") && path.equals("applications")) {
      String filter = URLDecoder.decode(query, StandardCharsets.UTF_8);
      String name = filter.replaceAll("(?s).*displayName eq '(.*?)'.*", "$1");
      ObjectNode o = JSON.createObjectNode();
      ArrayNode value = o.putArray("value");
      applications.values().stream().filter(a -> a.get("displayName").asText().equals(name)).forEach(value::add);
      reply(exchange, 200, o);
    } else if (method.equals("POST") && path.equals("applications")) {
      ObjectNode app = addApplication(body.get("displayName").asText(), false);
      reply(exchange, 201, app);
    } else if (path.startsWith("applications/")) {
      ObjectNode app = applications.get(path.substring("applications/".length()));
      if (app == null) {
        error(exchange, 404, "Request_ResourceNotFound", "Resource does not exist.");
      } else if (method.equals("GET")) {
        reply(exchange, 200, app);
      } else if (method.equals("DELETE")) {
        applications.remove(app.get("id").asText());
        reply(exchange, 204, null);
      } else if (method.equals("PATCH")) {
        ArrayNode keys = (ArrayNode) body.get("keyCredentials");
        for (JsonNode k : app.get("keyCredentials")) {
          boolean resent = false;
          for (JsonNode n : keys) {
            resent |= n.path("keyId").asText().equals(k.get("keyId").asText());
          }
          if (resent) {
            error(exchange, 400, "KeyCredentialsInvalidUpdate",
                "Update to existing credential with KeyId '" + k.get("keyId").asText() + "' is not allowed.");
            return;
          }
        }
        ArrayNode stored = app.putArray("keyCredentials");
        for (JsonNode k : keys) {
          ObjectNode copy = ((ObjectNode) k).deepCopy();
          copy.putNull("key");
          stored.add(copy);
        }
        reply(exchange, 204, null);
      }
    } else {
      error(exchange, 400, "BadRequest", "Unsupported " + method + " " + path);
    }
  }

  private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.putObject("error").put("code", code).put("message", message);
    reply(exchange, status, o);
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] out = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      exchange.getResponseBody().write(out);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
