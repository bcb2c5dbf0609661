package io.seedship.web.seedings;

import io.seedship.processes.SeedingProcess;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The protection's side of a seeding's status: its recovery points from the vault's catalogue, the age of the seed
 * (the data in the vault is as old as the seed until the first incremental) and, while a vault worker runs, its
 * progress and the bytes it still has to send.
 */
@Component
class VaultStatus {

  /** The vault workers' progress text: "PHASE items/total, done/total bytes, rate" (VaultTaskHandler.describe). */
  private static final Pattern PROGRESS = Pattern.compile("^(\\w+) \\d+/\\d+, (\\d+)/(\\d+) bytes");
  private static final List<String> VAULT_TOPICS = List.of(SeedingProcess.Topics.VAULT_SEED_COPY,
      SeedingProcess.Topics.NETWORK_SEED, SeedingProcess.Topics.INCREMENTAL_BACKUP);

  record RecoveryPoint(String id, String kind, String snapshotId, OffsetDateTime takenAt, long files, long bytes,
                       Long changedBytes, Long bytesUploaded) {
  }

  private final JdbcClient jdbc;
  private final RuntimeService runtime;
  private final ExternalTaskService externalTasks;
  private final Clock clock;

  VaultStatus(JdbcClient jdbc, RuntimeService runtime, ExternalTaskService externalTasks) {
    this.jdbc = jdbc;
    this.runtime = runtime;
    this.externalTasks = externalTasks;
    this.clock = Clock.systemUTC();
  }

  Optional<Map<String, Object>> of(String seedingId, String processInstanceId, boolean active) {
    List<RecoveryPoint> points = jdbc.sql("SELECT 'rp-' || point_no AS id, kind, snapshot_id, taken_at, files, bytes, changed_bytes, "
        + "bytes_uploaded FROM vault_recovery_points WHERE protection_id = ? ORDER BY point_no").param(seedingId)
        .query(RecoveryPoint.class).list();
    boolean working = active && externalTasks.createExternalTaskQuery().processInstanceId(processInstanceId).locked().list()
        .stream().anyMatch(t -> VAULT_TOPICS.contains(t.getTopicName()));
    if (points.isEmpty() && !working) {
      return Optional.empty();
    }
    Map<String, Object> vault = new LinkedHashMap<>();
    vault.put("recoveryPoints", points);
    points.stream().filter(p -> !"INCREMENTAL".equals(p.kind())).findFirst().ifPresent(seed -> {
      Duration age = Duration.between(seed.takenAt().toInstant(), clock.instant());
      vault.put("seedTakenAt", seed.takenAt());
      vault.put("seedAge", age.withNanos(0).toString());
    });
    if (!points.isEmpty()) {
      vault.put("latestRecoveryPoint", points.get(points.size() - 1).id());
    }
    long toSend = 0;
    if (working) {
      Object progress = runtime.getVariable(processInstanceId, SeedingProcess.Variables.VAULT_PROGRESS);
      if (progress != null) {
        vault.put("progress", progress);
        Matcher m = PROGRESS.matcher(progress.toString());
        if (m.find() && m.group(1).equals("UPLOADING")) {
          toSend = Math.max(0, Long.parseLong(m.group(3)) - Long.parseLong(m.group(2)));
        }
      }
    }
    vault.put("bytesToSend", toSend);
    return Optional.of(vault);
  }
}
