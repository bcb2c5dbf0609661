package io.seedship.seeding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The registry's rules without a database, for the model tests' in-memory engine. */
public class InMemorySeedingRegistry implements SeedingRegistry {

  public record Seeding(String id, String processInstanceId, SeedingRequest request, List<SeedingPhase> phases) {
  }

  public record Event(String seedingId, String kind, String message) {
  }

  private final Map<String, Seeding> seedings = new LinkedHashMap<>();
  private final Map<String, String> importJobOfTrackingNumber = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();

  @Override
  public synchronized String register(String processInstanceId, SeedingRequest request) {
    Seeding own = seedings.values().stream().filter(s -> s.processInstanceId().equals(processInstanceId)).findFirst().orElse(null);
    if (request.isOffline()) {
      seedings.values().stream()
          .filter(s -> s != own && s.request().isOffline() && s.request().importJobName().equals(request.importJobName()))
          .findFirst()
          .ifPresent(s -> {
            throw new SeedingConflictException("Import job name '" + request.importJobName()
                + "' is already used by seeding " + s.id() + ": choose another name.");
          });
    }
    String id = own != null ? own.id() : UUID.randomUUID().toString();
    seedings.put(id, new Seeding(id, processInstanceId, request, own != null ? own.phases() : new ArrayList<>()));
    return id;
  }

  @Override
  public synchronized void recordShipment(String seedingId, String importJobName, ShippingDetails details) {
    String tracking = details.normalisedTrackingNumber();
    String owner = importJobOfTrackingNumber.get(tracking);
    if (owner != null && !owner.equals(importJobName)) {
      throw new SeedingConflictException("Tracking number '" + details.trackingNumber()
          + "' is already recorded for import job '" + owner + "': every import job needs its own package.");
    }
    importJobOfTrackingNumber.put(tracking, importJobName);
  }

  @Override
  public synchronized void enterPhase(String seedingId, SeedingPhase phase) {
    seedings.get(seedingId).phases().add(phase);
  }

  @Override
  public synchronized void recordEvent(String seedingId, String kind, String message) {
    events.add(new Event(seedingId, kind, message));
  }

  public synchronized Seeding seeding(String id) {
    return seedings.get(id);
  }

  public synchronized List<Event> events(String seedingId) {
    return events.stream().filter(e -> e.seedingId().equals(seedingId)).toList();
  }
}
