package io.seedship.workers.vault.task;

import com.azure.storage.blob.BlobContainerClient;
import io.seedship.processes.SeedingProcess;
import io.seedship.workers.repository.SourceTrees;
import io.seedship.workers.testing.FakeExternalTasks;
import io.seedship.workers.vault.VaultTestBase;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.client.task.ExternalTask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;


/** The vault's external-task handlers on a real vault (Azurite, PostgreSQL), with tasks as the Camunda client hands them over. */
class VaultTaskHandlersTest extends VaultTestBase {

  private Path source;
  private final String seedingId = "task-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<FakeExternalTasks.Call> calls = new ArrayList<>();

  @BeforeEach
  void kit() throws Exception {
    source = temp.resolve("source");
    SourceTrees.writeEdgeCases(source, 29);
  }

  @Test
  void seedCopyThenIncrementalCompleteWithTheirRecoveryPointsAndARedeliveryAnswersTheSame() throws Exception {
    BlobContainerClient imported = kit.importContainer(kit.stage(seedingId, source));
    VaultSeedCopyHandler seedCopy = new VaultSeedCopyHandler(kit.vault, Runnable::run);
    ExternalTask copyTask = FakeExternalTasks.task("vault-seed-copy", "t-copy", null, Map.of(SeedingProcess.Variables.SEEDING_ID, seedingId,
        SeedingProcess.Variables.STORAGE_ACCOUNT, "seedshipstore", SeedingProcess.Variables.CONTAINER, imported.getBlobContainerName()));

    seedCopy.execute(copyTask, FakeExternalTasks.recordingService(calls));
    seedCopy.execute(copyTask, FakeExternalTasks.recordingService(calls));

    assertThat(completions()).containsExactly(Map.of(SeedingProcess.Variables.RECOVERY_POINT_ID, "rp-1"),
        Map.of(SeedingProcess.Variables.RECOVERY_POINT_ID, "rp-1"));
    calls.clear();

    Files.writeString(source.resolve("docs/changed.txt"), "a change\n");
    VaultBackupHandler incremental = VaultBackupHandler.incremental(kit.vault, Runnable::run);
    ExternalTask backupTask = FakeExternalTasks.task("incremental-backup", "t-inc-1", null, Map.of(SeedingProcess.Variables.SEEDING_ID, seedingId,
        SeedingProcess.Variables.PROTECTED_SOURCE, source.toString()));
    incremental.execute(backupTask, FakeExternalTasks.recordingService(calls));
    Files.writeString(source.resolve("docs/changed-again.txt"), "another change\n");
    incremental.execute(backupTask, FakeExternalTasks.recordingService(calls));

    List<Map<String, Object>> completed = completions();
    assertThat(completed).hasSize(2);
    assertThat(completed.get(0)).containsEntry(SeedingProcess.Variables.RECOVERY_POINT_ID, "rp-2");
    assertThat(completed.get(1)).isEqualTo(completed.get(0));
    Instant lastBackup = Instant.parse((String) completed.get(0).get(SeedingProcess.Variables.LAST_BACKUP_AT));
    assertThat(lastBackup).isEqualTo(kit.vault.catalogue().recoveryPoints(seedingId).get(1).takenAt());
    assertThat(kit.vault.catalogue().recoveryPoints(seedingId)).hasSize(2);
    assertThat(calls).noneMatch(c -> c.method().equals("handleFailure"));
  }

  @Test
  void networkSeedCompletesAndPublishesNoSecretInItsVariables() throws Exception {
    VaultBackupHandler networkSeed = VaultBackupHandler.networkSeed(kit.vault, Runnable::run);
    networkSeed.execute(FakeExternalTasks.task("network-seed", "t-net", null, Map.of(SeedingProcess.Variables.SEEDING_ID, seedingId,
        SeedingProcess.Variables.PROTECTED_SOURCE, source.toString())),
        FakeExternalTasks.recordingService(calls));

    assertThat(completions()).containsExactly(Map.of(SeedingProcess.Variables.RECOVERY_POINT_ID, "rp-1"));
    String key = Files.readString(kit.vault.keyFile(seedingId)).strip();
    assertThat(calls.toString()).doesNotContain(key).doesNotContain("AccountKey");
  }

  @Test
  void whatARetryCannotFixIsAnIncidentAndABusyProtectionIsRetried() throws Exception {
    VaultBackupHandler incremental = VaultBackupHandler.incremental(kit.vault, Runnable::run);
    incremental.execute(FakeExternalTasks.task("incremental-backup", "t-1", null, Map.of(SeedingProcess.Variables.SEEDING_ID, seedingId,
        SeedingProcess.Variables.PROTECTED_SOURCE, source.toString())),
        FakeExternalTasks.recordingService(calls));
    new VaultSeedCopyHandler(kit.vault, Runnable::run).execute(FakeExternalTasks.task("vault-seed-copy", "t-2", null,
        Map.of(SeedingProcess.Variables.SEEDING_ID, seedingId, SeedingProcess.Variables.STORAGE_ACCOUNT, "seedshipstore")),
        FakeExternalTasks.recordingService(calls));

    List<FakeExternalTasks.Call> failures = calls.stream().filter(c -> c.method().equals("handleFailure")).toList();
    assertThat(failures).hasSize(2);
    assertThat((String) failures.get(0).argument(1)).contains("no seed in the vault");
    assertThat(failures.get(0).argument(3)).isEqualTo(0);
    assertThat((String) failures.get(1).argument(1)).contains("'container'");
    assertThat(failures.get(1).argument(3)).isEqualTo(0);
    calls.clear();

    Path cache = kit.cacheDirectory.resolve(seedingId);
    Files.createDirectories(cache);
    try (FileChannel channel = FileChannel.open(cache.resolve("vault.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock held = channel.lock()) {
      VaultBackupHandler.networkSeed(kit.vault, Runnable::run).execute(FakeExternalTasks.task("network-seed", "t-3", null,
          Map.of(SeedingProcess.Variables.SEEDING_ID, seedingId, SeedingProcess.Variables.PROTECTED_SOURCE, source.toString())),
        FakeExternalTasks.recordingService(calls));
    }
    FakeExternalTasks.Call busy = calls.stream().filter(c -> c.method().equals("handleFailure")).findFirst().orElseThrow();
    assertThat((String) busy.argument(1)).contains("Another vault operation");
    assertThat(busy.argument(3)).isEqualTo(kit.settings.retries());
  }

  @Test
  void seedCleanupDoesWhatWasChosenAfterTheSeedReportsItAndARedeliveryAddsNothing() throws Exception {
    Path staged = kit.stage(seedingId, source);
    BlobContainerClient imported = kit.importContainer(staged);
    Map<String, Object> variables = new HashMap<>(Map.of(SeedingProcess.Variables.SEEDING_ID, seedingId,
        SeedingProcess.Variables.STORAGE_ACCOUNT, "seedshipstore", SeedingProcess.Variables.CONTAINER, imported.getBlobContainerName(),
        SeedingProcess.Variables.STAGING_LOCATION, kit.stagingLocation.toString(), SeedingProcess.Variables.DELETE_IMPORT_COPY, true,
        SeedingProcess.Variables.DELETE_STAGING, false, SeedingProcess.Variables.ERASE_DRIVE_KEYS, false,
        SeedCleanupHandler.CHOSEN_BY, "ana"));
    SeedCleanupHandler cleanup = new SeedCleanupHandler(kit.vault, Runnable::run);

    cleanup.execute(FakeExternalTasks.task("seed-cleanup", "t-clean-early", null, variables),
        FakeExternalTasks.recordingService(calls));
    FakeExternalTasks.Call refused = calls.stream().filter(c -> c.method().equals("handleFailure")).findFirst().orElseThrow();
    assertThat((String) refused.argument(1)).contains("Nothing was deleted");
    assertThat(refused.argument(3)).isEqualTo(0);
    calls.clear();

    new VaultSeedCopyHandler(kit.vault, Runnable::run).execute(FakeExternalTasks.task("vault-seed-copy", "t-copy", null, variables),
        FakeExternalTasks.recordingService(calls));
    ExternalTask cleanTask = FakeExternalTasks.task("seed-cleanup", "t-clean", null, variables);
    cleanup.execute(cleanTask, FakeExternalTasks.recordingService(calls));
    cleanup.execute(cleanTask, FakeExternalTasks.recordingService(calls));

    List<Map<String, Object>> completed = completions();
    assertThat(completed).hasSize(3);
    assertThat((String) completed.get(1).get(SeedingProcess.Variables.CLEANUP_REPORT))
        .startsWith("IMPORT_COPY_DELETED seedshipstore/" + imported.getBlobContainerName()).contains("repository blobs");
    assertThat((String) completed.get(2).get(SeedingProcess.Variables.CLEANUP_REPORT)).startsWith("Nothing left to clean up");
    assertThat(Files.isDirectory(staged)).as("not chosen").isTrue();
    assertThat(kit.vault.catalogue().auditTrail(seedingId)).singleElement()
        .satisfies(r -> assertThat(r.actor()).isEqualTo("ana via worker worker-1 (task t-clean)"));
  }

  private List<Map<String, Object>> completions() {
    List<Map<String, Object>> completed = new ArrayList<>();
    for (FakeExternalTasks.Call call : calls) {
      if (call.method().equals("complete")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = (Map<String, Object>) call.argument(1);
        completed.add(variables);
      }
    }
    return completed;
  }
}
