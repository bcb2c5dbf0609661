package io.seedship.workers.diskprep.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DiskPrepSettings;
import io.seedship.workers.diskprep.DriveInspector;
import io.seedship.workers.diskprep.KdfParameters;
import io.seedship.workers.diskprep.PrepareDrives;
import io.seedship.workers.diskprep.RecoveryPassword;
import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.KeyDerivation;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.staging.StagingLayout;
import io.seedship.workers.testing.FakeExternalTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


/** The thin handler: DRIVE_FULL, then the additional drive completes the task; a USB drive is DRIVE_REJECTED. */
class DiskPrepCopyHandlerTest {

  @TempDir
  Path temp;

  private Path staging;
  private DiskPrepKeyStore keyStore;
  private DiskPrepCopyHandler handler;

  @BeforeEach
  void setUp() throws IOException {
    Path source = temp.resolve("source");
    Random random = new Random(5);
    for (int i = 0; i < 6; i++) {
      byte[] content = new byte[300 * 1024];
      random.nextBytes(content);
      Files.createDirectories(source);
      Files.write(source.resolve("f" + i + ".bin"), content);
    }
    staging = temp.resolve("staging");
    Path keyFile = temp.resolve("staging-key");
    RepositorySecret.generateKeyFile(keyFile);
    Repository repository = Repository.init(StagingLayout.repositoryFor(staging, "seed-h"), RepositorySecret.ofKeyFile(keyFile),
        KeyDerivation.FAST);
    new Backup(repository, BackupOptions.defaults().withPackTargetSize(256 * 1024).withWorkers(1)).run(source, ProgressListener.NONE);
    keyStore = new DiskPrepKeyStore(temp.resolve("keys"));
    DiskPrepSettings settings = DiskPrepSettings.defaults(temp.resolve("keys"));
    handler = new DiskPrepCopyHandler(new PrepareDrives(keyStore, DriveInspector.system(), KdfParameters.FAST), settings, Runnable::run);
  }

  @Test
  void aFullDriveRaisesDriveFullAndTheAdditionalDriveCompletesTheTask() throws IOException {
    Path small = drive("small", "SATA", 1500 * 1024);
    Path big = drive("big", "SATA", 0);
    Map<String, Object> variables = new HashMap<>(Map.of(
        SeedingProcess.Variables.SEEDING_ID, "seed-h",
        SeedingProcess.Variables.STAGING_LOCATION, staging.toString(),
        SeedingProcess.Variables.IMPORT_JOB_NAME, "backup-job",
        SeedingProcess.Variables.IMPORT_JOB_ATTEMPT, 2,
        SeedingProcess.Variables.DRIVE_PATHS, small + "\n",
        SeedingProcess.Variables.FORMAT_CONFIRMED, false));

    List<FakeExternalTasks.Call> first = run(variables);
    FakeExternalTasks.Call full = last(first, "handleBpmnError");
    assertThat(full.argument(1)).isEqualTo(SeedingProcess.Errors.DRIVE_FULL);
    @SuppressWarnings("unchecked")
    Map<String, Object> fullVariables = (Map<String, Object>) full.argument(3);
    String fullDriveId = (String) fullVariables.get(SeedingProcess.Variables.FULL_DRIVE_ID);
    assertThat(keyStore.drives("backup-job-2")).extracting(r -> r.driveId()).containsExactly(fullDriveId);
    assertThat((Long) fullVariables.get(SeedingProcess.Variables.BYTES_REMAINING)).isPositive();

    variables.put(SeedingProcess.Variables.ADDITIONAL_DRIVE_PATH, big.toString());
    List<FakeExternalTasks.Call> second = run(variables);
    FakeExternalTasks.Call complete = last(second, "complete");
    assertThat(complete.argument(1)).isEqualTo(Map.of(SeedingProcess.Variables.DRIVES_PREPARED, 2));

    // No variable the handler wrote holds an unlock secret.
    for (String driveId : List.of(fullDriveId, keyStore.drives("backup-job-2").get(1).driveId())) {
      RecoveryPassword password = keyStore.recoveryPassword("backup-job-2", driveId);
      assertThat(String.valueOf(first) + second).doesNotContain(password.reveal());
    }
  }

  @Test
  void aUsbDriveIsRejectedWithTheProblemForTheOperator() throws IOException {
    Path usb = drive("usb", "USB", 0);
    List<FakeExternalTasks.Call> calls = run(new HashMap<>(Map.of(
        SeedingProcess.Variables.SEEDING_ID, "seed-h",
        SeedingProcess.Variables.STAGING_LOCATION, staging.toString(),
        SeedingProcess.Variables.IMPORT_JOB_NAME, "backup-job",
        SeedingProcess.Variables.DRIVE_PATHS, usb.toString())));

    FakeExternalTasks.Call rejected = last(calls, "handleBpmnError");
    assertThat(rejected.argument(1)).isEqualTo(SeedingProcess.Errors.DRIVE_REJECTED);
    assertThat(String.valueOf(((Map<?, ?>) rejected.argument(3)).get(SeedingProcess.Variables.DRIVE_PROBLEM)))
        .contains("attached over USB");
  }

  @Test
  void aStagingLocationWithoutTheRepositoryIsAnIncidentNotARetry() throws IOException {
    Path drive = drive("d", "SATA", 0);
    List<FakeExternalTasks.Call> calls = run(new HashMap<>(Map.of(
        SeedingProcess.Variables.SEEDING_ID, "seed-h",
        SeedingProcess.Variables.STAGING_LOCATION, temp.resolve("elsewhere").toString(),
        SeedingProcess.Variables.IMPORT_JOB_NAME, "backup-job",
        SeedingProcess.Variables.DRIVE_PATHS, drive.toString())));

    FakeExternalTasks.Call failure = last(calls, "handleFailure");
    assertThat((String) failure.argument(1)).contains("does not exist");
    assertThat(failure.argument(3)).isEqualTo(0);
  }

  private List<FakeExternalTasks.Call> run(Map<String, Object> variables) {
    List<FakeExternalTasks.Call> calls = new ArrayList<>();
    handler.execute(FakeExternalTasks.task("disk-prep-copy", "task-1", null, variables), FakeExternalTasks.recordingService(calls));
    return calls;
  }

  private static FakeExternalTasks.Call last(List<FakeExternalTasks.Call> calls, String method) {
    assertThat(calls).extracting(FakeExternalTasks.Call::method).contains(method);
    return calls.stream().filter(c -> c.method().equals(method)).reduce((a, b) -> b).orElseThrow();
  }

  private Path drive(String name, String bus, long capacity) throws IOException {
    Path drive = Files.createDirectories(temp.resolve("drives").resolve(name));
    Files.writeString(drive.resolve("seedship-drive.properties"),
        "bus=" + bus + "\nmedia=HDD\nsize=4TB\n" + (capacity > 0 ? "capacity=" + capacity + "\n" : ""));
    return drive;
  }
}
