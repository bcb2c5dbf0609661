package io.seedship.workers.vault;

import io.seedship.workers.repository.Restore;
import io.seedship.workers.repository.RestoreResult;
import io.seedship.workers.repository.Snapshot;
import io.seedship.workers.repository.SnapshotNotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Restores a recovery point, or one path of it, from the vault into a folder (docs/vault.md §4): packs are read from
 * the vault with ranged reads; every chunk is authenticated and re-hashed by the engine's restore.
 */
public final class RestoreFromVault {

  /** What was restored: the snapshot, its recovery point when the catalogue has it, and the engine's figures. */
  public record Result(String snapshotId, RecoveryPoint recoveryPoint, RestoreResult restore) {
  }

  private final Vault vault;

  public RestoreFromVault(Vault vault) {
    this.vault = vault;
  }

  /**
   * @param point a recovery point ({@code rp-3} or {@code 3}), a snapshot id or unique prefix, or {@code latest}
   */
  public Result restore(String protectionId, String point, String subPath, Path target, VaultListener listener) {
    Instant started = Instant.now();
    String id = Vault.checked(protectionId);
    listener.progress(new VaultProgress(VaultProgress.Phase.SYNCING, 0, 0, 0, 0, Duration.ZERO));
    try (VaultReader reader = VaultReader.open(vault, id)) {
      Snapshot snapshot = select(id, reader.snapshots(), point == null || point.isBlank() ? "latest" : point.strip());
      listener.progress(new VaultProgress(VaultProgress.Phase.RESTORING, 0, snapshot.bytes(), 0, snapshot.files(),
          Duration.between(started, Instant.now())));
      RestoreResult result = new Restore(reader.repository(), vault.settings().threads()).run(snapshot, subPath, target);
      listener.progress(new VaultProgress(VaultProgress.Phase.DONE, result.bytes(), result.bytes(), result.files(), result.files(),
          Duration.between(started, Instant.now())));
      RecoveryPoint recoveryPoint = vault.catalogue().recoveryPoints(id).stream()
          .filter(p -> p.snapshotId().equals(snapshot.id().hex())).findFirst().orElse(null);
      return new Result(snapshot.id().hex(), recoveryPoint, result);
    }
  }

  private Snapshot select(String id, List<Snapshot> snapshots, String point) {
    if (snapshots.isEmpty()) {
      throw new SnapshotNotFoundException("The vault holds no snapshot of protection " + id + " yet.");
    }
    if (point.equals("latest")) {
      return snapshots.get(snapshots.size() - 1);
    }
    String lower = point.toLowerCase(Locale.ROOT);
    String number = lower.startsWith("rp-") ? lower.substring(3) : lower;
    if (number.matches("\\d{1,9}")) {
      int wanted = Integer.parseInt(number);
      RecoveryPoint recoveryPoint = vault.catalogue().recoveryPoints(id).stream().filter(p -> p.number() == wanted).findFirst()
          .orElseThrow(() -> new SnapshotNotFoundException("Protection " + id + " has no recovery point rp-" + wanted
              + ": list them with 'seedship vault snapshots'."));
      return snapshots.stream().filter(s -> s.id().hex().equals(recoveryPoint.snapshotId())).findFirst()
          .orElseThrow(() -> new SnapshotNotFoundException("Recovery point " + recoveryPoint.id() + " (snapshot "
              + recoveryPoint.snapshotId() + ") is in the catalogue but its snapshot is not in the vault: run verify."));
    }
    List<Snapshot> matches = snapshots.stream().filter(s -> s.id().hex().startsWith(lower)).toList();
    if (matches.size() != 1) {
      throw new SnapshotNotFoundException((matches.isEmpty() ? "No snapshot" : "More than one snapshot") + " of protection " + id
          + " in the vault matches '" + point + "': give a recovery point (rp-N), a longer id, or latest.");
    }
    return matches.get(0);
  }
}
