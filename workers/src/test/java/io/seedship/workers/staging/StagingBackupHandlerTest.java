package io.seedship.workers.staging;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.KeyDerivation;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.repository.Restore;
import io.seedship.workers.repository.SourceTrees;
import io.seedship.workers.repository.Verify;
import io.seedship.workers.testing.FakeExternalTasks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.client.task.ExternalTask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


class StagingBackupHandlerTest {

  @TempDir
  Path temp;
  Path source;
  Path staging;
  Path keys;
  StagingSettings settings;
  StagingBackupHandler handler;
  final List<FakeExternalTasks.Call> calls = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    source = temp.resolve("server/data");
    staging = temp.resolve("staging");
    keys = temp.resolve("worker-keys");
    SourceTrees.writeEdgeCases(source, 5);
    Files.createDirectories(staging);
    settings = new StagingSettings(keys, Duration.ofMinutes(5), 3, Duration.ofSeconds(30),
        BackupOptions.defaults().withPackTargetSize(1 << 20), KeyDerivation.FAST);
    handler = new StagingBackupHandler(new StageBackup(settings), settings, Runnable::run);
  }

  private ExternalTask delivery(String taskId, String seedingId, Integer retries) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(SeedingProcess.Variables.SEEDING_ID, seedingId);
    variables.put(SeedingProcess.Variables.PROTECTED_SOURCE, source.toString());
    variables.put(SeedingProcess.Variables.STAGING_LOCATION, staging.toString());
    return FakeExternalTasks.task("staging-backup", taskId, retries, variables);
  }

  @Test
  void aSecondDeliveryOfTheSameTaskCompletesWithTheSameSnapshotAndWritesNothing() throws IOException {
    handler.execute(delivery("task-1", "seed-42", null), FakeExternalTasks.recordingService(calls));
    Path repo = StagingLayout.repositoryFor(staging, "seed-42");
    Map<Path, Long> filesAfterFirst = filesWithSizes(repo);

    handler.execute(delivery("task-1", "seed-42", null), FakeExternalTasks.recordingService(calls));

    assertThat(calls).extracting(FakeExternalTasks.Call::method).containsExactly("complete", "complete");
    @SuppressWarnings("unchecked")
    Map<String, Object> first = (Map<String, Object>) calls.get(0).argument(1);
    Map<?, ?> second = (Map<?, ?>) calls.get(1).argument(1);
    assertThat(second).isEqualTo(first);
    assertThat(first.keySet()).containsExactlyInAnyOrder(SeedingProcess.Variables.STAGED_SNAPSHOT_ID, SeedingProcess.Variables.STAGED_BYTES);
    assertThat(filesWithSizes(repo)).isEqualTo(filesAfterFirst);

    Repository repository = Repository.open(repo, RepositorySecret.ofKeyFile(StagingLayout.keyFileFor(keys, "seed-42")));
    assertThat(repository.snapshots()).hasSize(1);
    assertThat(repository.snapshots().get(0).id().hex()).isEqualTo(first.get(SeedingProcess.Variables.STAGED_SNAPSHOT_ID));
    assertThat(new Verify(repository, 2).run(true).ok()).isTrue();
    Path restored = temp.resolve("restored");
    new Restore(repository, 2).run(repository.snapshot("latest"), "", restored);
    SourceTrees.assertSameTree(source, restored);
  }

  @Test
  void aDeliveryWhileAnotherStillWritesFailsWithARetryAndTheLaterRetryCompletes() throws IOException {
    handler.execute(delivery("task-1", "seed-7", 3), FakeExternalTasks.recordingService(new ArrayList<>()));
    Path repo = StagingLayout.repositoryFor(staging, "seed-7");
    Files.delete(repo.resolve("snapshots").toFile().listFiles()[0].toPath());

    try (FileChannel channel = FileChannel.open(repo.resolve("lock"), StandardOpenOption.WRITE);
         FileLock held = channel.lock()) {
      handler.execute(delivery("task-1", "seed-7", 3), FakeExternalTasks.recordingService(calls));
    }
    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.method()).isEqualTo("handleFailure");
      assertThat((String) call.argument(1)).contains("still running");
      assertThat(call.argument(3)).isEqualTo(2);
      assertThat(call.argument(4)).isEqualTo(30_000L);
    });

    handler.execute(delivery("task-1", "seed-7", 2), FakeExternalTasks.recordingService(calls));
    assertThat(calls.get(1).method()).isEqualTo("complete");
    Repository repository = Repository.open(repo, RepositorySecret.ofKeyFile(StagingLayout.keyFileFor(keys, "seed-7")));
    assertThat(repository.snapshots()).hasSize(1);
    assertThat(new Verify(repository, 2).run(true).ok()).isTrue();
  }

  @Test
  void noKeyMaterialLeavesTheWorkerAndTheKeyFileIsPrivate() throws IOException {
    handler.execute(delivery("task-9", "seed-9", null), FakeExternalTasks.recordingService(calls));
    Path keyFile = StagingLayout.keyFileFor(keys, "seed-9");
    String keyText = Files.readString(keyFile).strip();

    assertThat(Files.getPosixFilePermissions(keyFile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    for (FakeExternalTasks.Call call : calls) {
      for (Object argument : call.arguments()) {
        String text = String.valueOf(argument);
        assertThat(text).doesNotContain(keyText).doesNotContain(keyText.substring(0, 16));
      }
    }
    Map<?, ?> variables = (Map<?, ?>) calls.get(0).argument(1);
    assertThat(variables.values()).allSatisfy(v -> assertThat(v).isInstanceOfAny(String.class, Long.class));
    assertThat((String) variables.get(SeedingProcess.Variables.STAGED_SNAPSHOT_ID)).matches("[0-9a-f]{32}");
    // the repository folder holds the wrapped key only, never the key file
    try (Stream<Path> files = Files.walk(StagingLayout.repositoryFor(staging, "seed-9"))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file)) {
          assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(keyText);
        }
      }
    }
  }

  @Test
  void aMissingSourceIsABpmnErrorWithTheProblemForTheOperator() {
    Map<String, Object> variables = new HashMap<>();
    variables.put(SeedingProcess.Variables.SEEDING_ID, "seed-1");
    variables.put(SeedingProcess.Variables.PROTECTED_SOURCE, temp.resolve("gone").toString());
    variables.put(SeedingProcess.Variables.STAGING_LOCATION, staging.toString());
    handler.execute(FakeExternalTasks.task("staging-backup", "task-2", null, variables), FakeExternalTasks.recordingService(calls));

    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.method()).isEqualTo("handleBpmnError");
      assertThat(call.argument(1)).isEqualTo(SeedingProcess.Errors.STAGING_FAILED);
      Map<?, ?> vars = (Map<?, ?>) call.argument(3);
      assertThat((String) vars.get(SeedingProcess.Variables.STAGING_PROBLEM)).contains("does not exist");
    });
  }

  @Test
  void aStagingLocationTooSmallIsABpmnError() {
    StagingSettings hugePacks = new StagingSettings(keys, Duration.ofMinutes(5), 3, Duration.ofSeconds(30),
        BackupOptions.defaults().withPackTargetSize(Long.MAX_VALUE / 4), KeyDerivation.FAST);
    new StagingBackupHandler(new StageBackup(hugePacks), hugePacks, Runnable::run)
        .execute(delivery("task-3", "seed-3", null), FakeExternalTasks.recordingService(calls));

    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.method()).isEqualTo("handleBpmnError");
      Map<?, ?> vars = (Map<?, ?>) call.argument(3);
      assertThat((String) vars.get(SeedingProcess.Variables.STAGING_PROBLEM)).contains("too small").contains("Free space");
    });
  }

  @Test
  void aLongBackupExtendsTheLock() {
    StagingSettings shortLock = new StagingSettings(keys, Duration.ofMillis(150), 3, Duration.ofSeconds(30),
        BackupOptions.defaults().withProgressInterval(Duration.ofMillis(50)).withCompressionLevel(19), KeyDerivation.FAST);
    new StagingBackupHandler(new StageBackup(shortLock), shortLock, Runnable::run)
        .execute(delivery("task-4", "seed-4", null), FakeExternalTasks.recordingService(calls));

    assertThat(calls).extracting(FakeExternalTasks.Call::method).contains("extendLock").endsWith("complete");
    assertThat(calls).filteredOn(c -> c.method().equals("extendLock")).allSatisfy(c -> assertThat(c.argument(1)).isEqualTo(150L));
  }

  private static Map<Path, Long> filesWithSizes(Path root) throws IOException {
    Map<Path, Long> files = new HashMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path file : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(file) && !file.getFileName().toString().equals("lock")) {
          files.put(root.relativize(file), Files.size(file));
        }
      }
    }
    return files;
  }

}
