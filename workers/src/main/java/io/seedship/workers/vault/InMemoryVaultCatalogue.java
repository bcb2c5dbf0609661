package io.seedship.workers.vault;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The catalogue in memory, with the same rules as the database's (a run without a database, the handlers' tests). */
public final class InMemoryVaultCatalogue implements VaultCatalogue {

  private final Clock clock;
  private final Map<String, Protection> protections = new HashMap<>();
  private final Map<String, List<RecoveryPoint>> points = new HashMap<>();
  private final List<AuditRecord> audit = new ArrayList<>();

  public InMemoryVaultCatalogue() {
    this(Clock.systemUTC());
  }

  public InMemoryVaultCatalogue(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Protection ensureProtection(Protection protection) {
    return protections.computeIfAbsent(protection.protectionId(), id -> protection);
  }

  @Override
  public synchronized Optional<Protection> protection(String protectionId) {
    return Optional.ofNullable(protections.get(protectionId));
  }

  @Override
  public synchronized RecoveryPoint recordRecoveryPoint(String protectionId, NewRecoveryPoint point) {
    if (!protections.containsKey(protectionId)) {
      throw new IllegalStateException("The protection " + protectionId + " is not recorded: record it before its recovery points.");
    }
    List<RecoveryPoint> list = points.computeIfAbsent(protectionId, id -> new ArrayList<>());
    for (RecoveryPoint existing : list) {
      if (existing.snapshotId().equals(point.snapshotId())) {
        return existing;
      }
      if (point.requestId() != null && point.requestId().equals(existing.requestId())) {
        throw new IllegalStateException("Request " + point.requestId() + " already recorded " + existing.id() + ".");
      }
    }
    RecoveryPoint recorded = new RecoveryPoint(protectionId, list.size() + 1, point.snapshotId(), point.parentSnapshotId(), point.kind(),
        point.requestId(), point.takenAt(), clock.instant(), point.files(), point.bytes(), point.changedBytes(), point.bytesUploaded());
    list.add(recorded);
    return recorded;
  }

  @Override
  public synchronized List<RecoveryPoint> recoveryPoints(String protectionId) {
    return List.copyOf(points.getOrDefault(protectionId, List.of()));
  }

  @Override
  public synchronized Optional<RecoveryPoint> recoveryPointForRequest(String protectionId, String requestId) {
    return points.getOrDefault(protectionId, List.of()).stream().filter(p -> requestId != null && requestId.equals(p.requestId()))
        .findFirst();
  }

  @Override
  public synchronized void audit(AuditRecord record) {
    audit.add(record);
  }

  @Override
  public synchronized List<AuditRecord> auditTrail(String protectionId) {
    return audit.stream().filter(r -> r.protectionId().equals(protectionId)).toList();
  }
}
