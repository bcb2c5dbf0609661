package io.seedship.workers.datacenter.azure;

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
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A local HTTP server answering like Azure Resource Manager for {@code Microsoft.ImportExport} (api-version
 * 2021-01-01) with the documented JSON shapes: the location with its address and carriers, jobs created by PUT,
 * read by GET (one by one and as a paged list), changed by PATCH (delivery package and state Shipping, cancel).
 * Errors come as {@code {"error":{"code":…,"message":…}}}. Every request is recorded so the tests can check method,
 * path, query, headers and body. A test may script the next answer to a method and path.
 */
final class FakeImportExport implements AutoCloseable {

  record Request(String method, String path, Map<String, String> query, String authorization, String contentType,
                 JsonNode body) {
  }

  private record Scripted(String method, String path, int status, String body) {
  }

  static final String SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
  static final String RESOURCE_GROUP = "seedship-rg";
  static final String LOCATION = "westeurope";
  static final String JOBS = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP
      + "/providers/Microsoft.ImportExport/jobs";
  static final String LOCATION_PATH = "/providers/Microsoft.ImportExport/locations/" + LOCATION;
  private static final ObjectMapper JSON = new ObjectMapper();

  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  final Map<String, ObjectNode> jobs = new LinkedHashMap<>();
  /** Tracking numbers the service knows from jobs this resource group does not list (other groups, deleted jobs). */
  final Set<String> trackingNumbersElsewhere = new HashSet<>();
  boolean shippingInformationInJobs = true;
  int pageSize = 2;
  private final List<Scripted> scripted = new ArrayList<>();
  private final HttpServer server;

  FakeImportExport() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next request with this method and path gets this answer instead of the normal one. */
  synchronized void answerNext(String method, String path, int status, String body) {
    scripted.add(new Scripted(method, path, status, body));
  }

  static String error(String code, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.putObject("error").put("code", code).put("message", message);
    return node.toString();
  }

  /** A job as the service holds it, in the given state, to be changed by the test. */
  synchronized ObjectNode addJob(String name, String state, String trackingNumber) {
    ObjectNode job = JSON.createObjectNode().put("id", JOBS + "/" + name).put("name", name)
        .put("type", "Microsoft.ImportExport/jobs").put("location", LOCATION);
    job.putObject("tags").put("seedshipContainer", "seeding");
    ObjectNode properties = job.putObject("properties")
        .put("storageAccountId", "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP
            + "/providers/Microsoft.Storage/storageAccounts/seedshipstore")
        .put("jobType", "Import").put("state", state).put("percentComplete", 0).put("provisioningState", "Succeeded");
    if (trackingNumber != null) {
      properties.putObject("deliveryPackage").put("carrierName", "DHL").put("trackingNumber", trackingNumber)
          .put("driveCount", 1).put("shipDate", "2026-03-02");
    }
    properties.putArray("driveList").addObject().put("driveId", "WD-" + name).put("state", "Specified")
        .put("percentComplete", 0).put("bytesSucceeded", 0);
    jobs.put(name, job);
    return job;
  }

  synchronized ObjectNode job(String name) {
    return jobs.get(name);
  }

  List<Request> requests(String method) {
    synchronized (requests) {
      return requests.stream().filter(r -> r.method().equals(method)).toList();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    byte[] in = exchange.getRequestBody().readAllBytes();
    JsonNode body = in.length == 0 ? null : JSON.readTree(in);
    requests.add(new Request(method, path, query, exchange.getRequestHeaders().getFirst("Authorization"),
        exchange.getRequestHeaders().getFirst("Content-Type"), body));

    for (Scripted s : scripted) {
      if (s.method().equals(method) && s.path().equals(path)) {
        scripted.remove(s);
        reply(exchange, s.status(), s.body());
        return;
      }
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      reply(exchange, 401, error("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."));
      return;
    }
    if (!"2021-01-01".equals(query.get("api-version"))) {
      reply(exchange, 400, error("InvalidApiVersionParameter", "The api-version '" + query.get("api-version")
          + "' is invalid."));
      return;
    }
    if (path.startsWith("/providers/Microsoft.ImportExport/locations/")) {
      if (method.equals("GET") && path.equals(LOCATION_PATH)) {
        reply(exchange, 200, location().toString());
      } else {
        reply(exchange, 404, error("LocationNotFound", "The location was not found."));
      }
      return;
    }
    if (path.equals(JOBS) && method.equals("GET")) {
      reply(exchange, 200, page(query).toString());
      return;
    }
    if (!path.startsWith(JOBS + "/")) {
      reply(exchange, 404, error("ResourceNotFound", "No such resource."));
      return;
    }
    String name = path.substring(JOBS.length() + 1);
    ObjectNode job = jobs.get(name);
    switch (method) {
      case "GET" -> {
        if (job == null) {
          notFound(exchange, name);
        } else {
          reply(exchange, 200, job.toString());
        }
      }
      case "PUT" -> put(exchange, name, body);
      case "PATCH" -> {
        if (job == null) {
          notFound(exchange, name);
        } else {
          patch(exchange, job, body.path("properties"));
        }
      }
      default -> reply(exchange, 405, error("MethodNotAllowed", method + " is not supported."));
    }
  }

  private void put(HttpExchange exchange, String name, JsonNode body) throws IOException {
    JsonNode properties = body.path("properties");
    if (!properties.path("storageAccountId").isTextual() || properties.path("driveList").isEmpty()
        || !"Import".equals(properties.path("jobType").asText())) {
      reply(exchange, 400, error("InvalidRequestContent", "storageAccountId, jobType and driveList are required."));
      return;
    }
    ObjectNode job = ((ObjectNode) body.deepCopy()).put("id", JOBS + "/" + name).put("name", name)
        .put("type", "Microsoft.ImportExport/jobs");
    ObjectNode p = (ObjectNode) job.get("properties");
    p.put("state", "Creating").put("percentComplete", 0).put("provisioningState", "Succeeded");
    if (shippingInformationInJobs) {
      ObjectNode ship = p.putObject("shippingInformation");
      location().path("properties").fields().forEachRemaining(f -> {
        if (f.getValue().isTextual() && !f.getKey().equals("additionalShippingInformation")) {
          ship.set(f.getKey(), f.getValue());
        }
      });
      ship.put("additionalInformation", "Write the job name on the package.");
    }
    for (JsonNode drive : p.path("driveList")) {
      ((ObjectNode) drive).put("state", "Specified").put("percentComplete", 0).put("bytesSucceeded", 0);
    }
    jobs.put(name, job);
    reply(exchange, 201, job.toString());
  }

  private void patch(HttpExchange exchange, ObjectNode job, JsonNode update) throws IOException {
    ObjectNode properties = (ObjectNode) job.get("properties");
    String state = properties.path("state").asText();
    if (update.path("cancelRequested").asBoolean(false)) {
      if (!state.equals("Creating")) {
        reply(exchange, 400, error("InvalidJobState", "The job cannot be cancelled in state " + state + "."));
        return;
      }
      properties.put("cancelRequested", true);
    }
    if (update.has("deliveryPackage")) {
      String tracking = update.path("deliveryPackage").path("trackingNumber").asText().toUpperCase(Locale.ROOT);
      boolean usedHere = jobs.values().stream().filter(j -> j != job).anyMatch(j -> tracking.equals(
          j.path("properties").path("deliveryPackage").path("trackingNumber").asText()));
      if (usedHere || trackingNumbersElsewhere.contains(tracking)) {
        reply(exchange, 409, error("Conflict", "The tracking number " + tracking + " is already used by another job."));
        return;
      }
      properties.set("deliveryPackage", update.path("deliveryPackage"));
    }
    if (update.has("state")) {
      properties.put("state", update.path("state").asText());
    }
    reply(exchange, 200, job.toString());
  }

  private ObjectNode page(Map<String, String> query) {
    List<ObjectNode> all = new ArrayList<>(jobs.values());
    int from = Integer.parseInt(query.getOrDefault("$skiptoken", "0"));
    ObjectNode page = JSON.createObjectNode();
    ArrayNode value = page.putArray("value");
    all.subList(from, Math.min(all.size(), from + pageSize)).forEach(value::add);
    if (from + pageSize < all.size()) {
      page.put("nextLink", base() + JOBS + "?api-version=2021-01-01&$skiptoken=" + (from + pageSize));
    }
    return page;
  }

  static ObjectNode location() {
    ObjectNode location = JSON.createObjectNode().put("id", LOCATION_PATH).put("name", "West Europe")
        .put("type", "Microsoft.ImportExport/locations");
    ObjectNode p = location.putObject("properties")
        .put("recipientName", "Azure Import/Export receiving")
        .put("streetAddress1", "Dockweg 7")
        .put("streetAddress2", "Gate 4")
        .put("city", "Amsterdam")
        .put("stateOrProvince", "Noord-Holland")
        .put("postalCode", "1000 AA")
        .put("countryOrRegion", "Netherlands")
        .put("phone", "+31 20 0000000")
        .put("additionalShippingInformation", "Write the job name on the package.");
    ArrayNode carriers = p.putArray("supportedCarriers");
    carriers.add("DHL").add("FedEx").add("UPS").add("TNT");
    p.putArray("alternateLocations").add("westeurope");
    return location;
  }

  private void notFound(HttpExchange exchange, String name) throws IOException {
    reply(exchange, 404, error("ResourceNotFound", "The Resource 'Microsoft.ImportExport/jobs/" + name
        + "' under resource group '" + RESOURCE_GROUP + "' was not found."));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] out = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("x-ms-request-id", "fake-" + System.nanoTime());
    exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      exchange.getResponseBody().write(out);
    }
    exchange.close();
  }
}
