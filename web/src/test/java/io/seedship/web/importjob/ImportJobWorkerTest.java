package io.seedship.web.importjob;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import io.seedship.processes.SeedingProcess;
import io.seedship.web.security.SeedshipGroups;
import io.seedship.web.support.WorkerFlowTest;
import io.seedship.workers.blob.AzuriteFixture;
import io.seedship.workers.blob.BlobClients;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DriveRecord;
import io.seedship.workers.staging.StagingLayout;
import io.seedship.workers.diskprep.cli.DiskPrepCommand;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The import job through the model with a real worker, the local datacenter on PostgreSQL and Azurite: drives
 * prepared by the disk-preparation worker are shipped (shipping details through the API), received and
 * imported, and every blob in the container then equals the staged repository's file. A damaged drive and a
 * drive whose unlock secret is wrong close the job; the repair over the network makes the container match.
 */
@ExtendWith(AzuriteFixture.class)
class ImportJobWorkerTest extends WorkerFlowTest {

  @TempDir
  Path dir;

  @Test
  void preparedDrivesAreShippedWithTheCommandLineImportedAndTheContainerMatchesTheStagedRepository() throws Exception {
    String container = "import-" + UUID.randomUUID().toString().substring(0, 8);
    String seedingId = seedingAtShipping("job-import-ok", container);
    as("import-operator", SeedshipGroups.OPERATORS);

    // from another computer (s: and p:, no key store): the review answered "no" sends nothing
    String declined = diskprep(1, "no", "u:", "s:" + dir.resolve("staging"), "p:" + publishSettingsPath(),
        "k:" + dir.resolve("other-computer"));
    assertThat(declined).contains("Import job job-import-ok waits for its shipping details", "Seedship local datacenter",
        "Not sent.");
    assertThat(activities(seedingId)).contains("EnterShippingDetails");

    String shipped = diskprep(0, "Yes", "u:", "s:" + dir.resolve("staging"), "p:" + publishSettingsPath(),
        "k:" + dir.resolve("other-computer"));
    assertThat(shipped).contains("trackingNumber: 1Z 999 AA1 0000000001", "Shipping details recorded");
    assertThat(dir.resolve("other-computer/shipping/job-import-ok.properties")).exists();

    awaitActivity(seedingId, "NextScheduledBackupForSeed", Duration.ofSeconds(120));
    String progress = (String) runtime.getVariable(processOf(seedingId), SeedingProcess.Variables.IMPORT_PROGRESS);
    assertThat(progress).startsWith("Import job job-import-ok: Completed").contains("100 % complete");
    assertThat(containerHashes(container)).isEqualTo(stagedHashes(seedingId));
    assertThat(jdbc.sql("SELECT state FROM dc_jobs WHERE job_id = 'job-import-ok'").query(String.class).single())
        .isEqualTo("Completed");

    // on the copy computer that prepared the drives, u: now shows the job's state
    String state = diskprep(0, "", "u:", "k:" + dir.resolve("worker-keys"));
    assertThat(state).contains("Import job job-import-ok (seeding " + seedingId + "): Completed");
  }

  /** Runs {@code seedship diskprep ...} as an operator answers it (shipping details, then the review), expecting that exit code. */
  private String diskprep(int expectedExit, String review, String... args) {
    String answers = String.join("\n", "DHL", "1Z 999 AA1 0000000001", "2026-11-20", "Seedship Ops, 1 Main St, Springfield",
        "ops@example.org", review) + "\n";
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit = DiskPrepCommand.run(args, new BufferedReader(new StringReader(answers)), new PrintStream(printed, true,
        StandardCharsets.UTF_8), Map.of("SEEDSHIP_URL", "http://localhost:" + port, "SEEDSHIP_API_USER", "import-operator",
        "SEEDSHIP_API_PASSWORD", PASSWORD)::get);
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isEqualTo(expectedExit);
    return text;
  }

  @Test
  void aDamagedDriveAndAWrongUnlockSecretCloseTheJobAndTheRepairMakesTheContainerMatch() throws Exception {
    String container = "import-" + UUID.randomUUID().toString().substring(0, 8);
    String seedingId = seedingAtShipping("job-import-repair", container);
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(dir.resolve("worker-keys"));
    List<DriveRecord> drives = keyStore.drives("job-import-repair");
    assertThat(drives).hasSize(2);
    flipOneByteOfTheLargestFile(Path.of(drives.get(1).mount()));
    // the key store now refers the datacenter to another, well-formed recovery password
    Files.writeString(keyStore.jobFolder("job-import-repair").resolve(drives.get(0).unlockSecretRef()),
        "111111-222222-333333-444444-555555-666666-777777-888888\n");

    ResponseEntity<Map> shipped = as("import-api", SeedshipGroups.API_CLIENTS).exchange("/api/seedings/" + seedingId + "/shipping",
        HttpMethod.PUT, new HttpEntity<>(shipping("1Z 999 AA1 0000000002")), Map.class);
    assertThat(shipped.getStatusCode().value()).as(String.valueOf(shipped.getBody())).isEqualTo(200);

    awaitActivity(seedingId, "NextScheduledBackupForSeed", Duration.ofSeconds(120));
    assertThat(jdbc.sql("SELECT state FROM dc_jobs WHERE job_id = 'job-import-repair'").query(String.class).single())
        .isEqualTo("Closed");
    assertThat(jdbc.sql("SELECT drive_id || ':' || state FROM dc_drives WHERE job_id = 'job-import-repair' ORDER BY sequence_no")
        .query(String.class).list()).containsExactly(drives.get(0).driveId() + ":KeyInvalid",
        drives.get(1).driveId() + ":CompletedMoreInfo");
    assertThat(history("RepairImport")).isTrue();
    assertThat((Integer) historicVariable(seedingId, SeedingProcess.Variables.REPAIRED_FILES)).isPositive();
    assertThat(containerHashes(container)).isEqualTo(stagedHashes(seedingId));
  }

  /** Request → certificates → staging → two drives (the first too small for everything) → import job created. */
  private String seedingAtShipping(String importJob, String container) throws Exception {
    Path source = source(dir.resolve("source"), 3);
    Path staging = Files.createDirectories(dir.resolve("staging"));
    startWorker(dir.resolve("worker-keys"), datacenterEnvironment());
    String seedingId = startSeeding(source, staging, importJob, Map.of("container", container, "importPollInterval", "PT1S",
        "backupSchedule", "0 0 22 * * ?"));
    awaitActivity(seedingId, "AttachDrives", Duration.ofSeconds(90));
    completeTask(seedingId, "AttachDrives", Map.of("drivePaths", drive("drive-1", 1024 * 1024) + "\n"
        + drive("drive-2", 64L * 1024 * 1024), "formatConfirmed", true));
    awaitActivity(seedingId, "EnterShippingDetails", Duration.ofSeconds(90));
    String shipTo = (String) runtime.getVariable(processOf(seedingId), SeedingProcess.Variables.SHIP_TO_ADDRESS);
    assertThat(shipTo).contains("Seedship local datacenter").contains("DHL");
    assertThat(runtime.getVariable(processOf(seedingId), SeedingProcess.Variables.IMPORT_JOB_ID)).isEqualTo(importJob);
    return seedingId;
  }

  /** Drives arrive and are processed at once: the datacenter's times are shortened by configuration. */
  private static Map<String, String> datacenterEnvironment() {
    Map<String, String> env = cloudEnvironment(AzuriteFixture.connectionString());
    env.put("SEEDSHIP_DATACENTER_TRANSIT", "PT0S");
    env.put("SEEDSHIP_DATACENTER_PROCESSING", "PT0S");
    env.put("SEEDSHIP_RETURN_ADDRESS", "Seedship Ops, 1 Main St, Springfield");
    env.put("SEEDSHIP_CONTACT", "ops@example.org");
    return env;
  }

  private static Map<String, Object> shipping(String trackingNumber) {
    return Map.of("carrier", "DHL", "trackingNumber", trackingNumber, "shipDate", "2026-11-20",
        "returnAddress", "Seedship Ops, 1 Main St, Springfield", "contact", "ops@example.org");
  }

  private Path drive(String name, long capacity) throws Exception {
    Path drive = Files.createDirectories(dir.resolve("drives").resolve(name));
    Files.writeString(drive.resolve("seedship-drive.properties"), "bus=SATA\nmedia=SSD\nsize=2TB\ncapacity=" + capacity + "\n");
    return drive;
  }

  private boolean history(String activityId) {
    return jdbc.sql("SELECT count(*) FROM act_hi_actinst WHERE act_id_ = ? AND end_time_ IS NOT NULL").param(activityId)
        .query(Long.class).single() > 0;
  }

  private Object historicVariable(String seedingId, String name) {
    return jdbc.sql("SELECT long_ FROM act_hi_varinst v JOIN act_hi_procinst p ON v.proc_inst_id_ = p.proc_inst_id_ "
        + "WHERE p.business_key_ = ? AND v.name_ = ?").params(seedingId, name).query(Long.class).single().intValue();
  }

  private static void flipOneByteOfTheLargestFile(Path drive) throws Exception {
    Path largest;
    try (Stream<Path> files = Files.walk(drive)) {
      largest = files.filter(Files::isRegularFile).max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
    }
    try (var channel = Files.newByteChannel(largest, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long middle = channel.size() / 2;
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      channel.position(middle).read(one);
      one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
      channel.position(middle).write(one);
    }
  }

  private Map<String, String> stagedHashes(String seedingId) throws Exception {
    Path staging = dir.resolve("staging");
    Path repository = StagingLayout.repositoryFor(staging, seedingId);
    Map<String, String> hashes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(repository)) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("lock")).toList()) {
        hashes.put(repository.relativize(file).toString(), sha256(Files.readAllBytes(file)));
      }
    }
    return hashes;
  }

  private static Map<String, String> containerHashes(String containerName) throws Exception {
    BlobContainerClient container = BlobClients.fromConnectionString(AzuriteFixture.connectionString())
        .getBlobContainerClient(containerName);
    Map<String, String> hashes = new TreeMap<>();
    for (BlobItem item : container.listBlobs()) {
      if (!item.getName().startsWith("waimportexport/")) {
        hashes.put(item.getName(), sha256(container.getBlobClient(item.getName()).downloadContent().toBytes()));
      }
    }
    return hashes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
