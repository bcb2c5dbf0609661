package io.seedship.workers.datacenter.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A local HTTP server answering like the Microsoft identity platform's v2.0 token endpoint for the client-credentials
 * grant: {@code {"token_type":"Bearer","expires_in":…,"access_token":…}}, or {@code {"error":…,"error_description":…}}.
 * Records every request (path, content type, form fields).
 */
final class FakeLogin implements AutoCloseable {

  record Request(String method, String path, String contentType, Map<String, String> form) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  final List<String> issued = Collections.synchronizedList(new ArrayList<>());
  volatile int expiresIn = 3599;
  volatile String refusal;
  private final HttpServer server;

  FakeLogin() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
        exchange.getRequestHeaders().getFirst("Content-Type"), form));
    String answer;
    int status;
    if (refusal != null) {
      status = 401;
      answer = JSON.createObjectNode().put("error", "invalid_client").put("error_description", refusal
          .replace("{assertion}", form.getOrDefault("client_assertion", ""))).toString();
    } else if (!"client_credentials".equals(form.get("grant_type"))) {
      status = 400;
      answer = JSON.createObjectNode().put("error", "unsupported_grant_type").toString();
    } else {
      String token = "issued-" + UUID.randomUUID();
      issued.add(token);
      status = 200;
      answer = JSON.createObjectNode().put("token_type", "Bearer").put("expires_in", expiresIn)
          .put("ext_expires_in", expiresIn).put("access_token", token).toString();
    }
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }
}
