package io.seedship.workers.datacenter;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.seedship.workers.blob.AzuriteFixture;
import io.seedship.workers.blob.BlobClients;
import io.seedship.workers.diskprep.DriveRecord;
import io.seedship.workers.diskprep.ManifestEntry;
import io.seedship.workers.diskprep.ReadDrive;
import io.seedship.workers.diskprep.RecoveryPassword;
import io.seedship.workers.testing.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


/** Drives prepared by the real disk preparation, imported by the local datacenter into Azurite. */
@ExtendWith(AzuriteFixture.class)
class LocalDatacenterImportTest {

  @TempDir
  Path temp;

  private final MovableClock clock = new MovableClock(Instant.parse("2025-03-03T08:00:00Z"));
  private BlobServiceClient service;
  private SingleAccountContainers containers;
  private String containerName;

  @BeforeEach
  void blobService() {
    service = BlobClients.fromConnectionString(AzuriteFixture.connectionString());
    containers = new SingleAccountContainers(service);
    containerName = "seed-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void importsEveryDriveAndEveryBlobEqualsTheStagedFile() throws Exception {
    PreparedJob prepared = PreparedJob.prepare(temp, "job-ok", 7);
    LocalDatacenter datacenter = datacenter(prepared);
    CreatedJob created = datacenter.createJob(request(prepared, true));
    assertThat(created.shipToAddress()).isNotBlank();
    assertThat(created.carriers()).contains("DHL");
    datacenter.updateShipping("job-ok", new ShippingDetails("DHL", "1Z 999 AA1", LocalDate.of(2025, 3, 4)));
    assertThat(datacenter.status("job-ok").state()).isEqualTo(JobState.Shipping);

    clock.move(Duration.ofDays(3));
    JobStatus received = datacenter.status("job-ok");
    assertThat(received.state()).isEqualTo(JobState.Received);
    assertThat(received.drives()).extracting(DriveStatus::state).containsOnly(DriveState.Received);

    clock.move(Duration.ofDays(1));
    JobStatus transferred = datacenter.status("job-ok");
    assertThat(transferred.state()).isEqualTo(JobState.Packaging);
    assertThat(transferred.drives()).extracting(DriveStatus::state).containsOnly(DriveState.Completed);
    assertThat(transferred.drives()).extracting(DriveStatus::percentComplete).containsOnly(100);
    assertThat(transferred.drives()).extracting(DriveStatus::bytesSucceeded)
        .containsExactlyElementsOf(prepared.drives().stream().map(DriveRecord::bytes).toList());

    clock.move(Duration.ofDays(1));
    assertThat(datacenter.status("job-ok").state()).isEqualTo(JobState.Completed);
    BlobContainerClient container = service.getBlobContainerClient(containerName);
    assertThat(PreparedJob.containerHashes(container)).isEqualTo(prepared.stagedHashes());
    DriveStatus first = transferred.drives().get(0);
    assertThat(first.errorLogBlob()).isEqualTo("waimportexport/job-ok/" + first.driveId() + "_error.log");
    ImportErrorLog log = ImportErrorLog.parse(container.getBlobClient(first.errorLogBlob()).downloadContent().toString());
    assertThat(log.fileErrors()).isEmpty();
    assertThat(log.driveErrors()).isEmpty();
    String verbose = container.getBlobClient(first.verboseLogBlob()).downloadContent().toString();
    assertThat(verbose.lines().filter(l -> l.startsWith("IMPORTED\t")).count()).isEqualTo(prepared.drives().get(0).files());
  }

  @Test
  void aFlippedByteAndAWrongSecretCloseTheJobAndTheRepairMakesTheContainerMatch() throws Exception {
    PreparedJob prepared = PreparedJob.prepare(temp, "job-bad", 7);
    DriveRecord damaged = prepared.drives().get(0);
    DriveRecord locked = prepared.drives().get(1);
    ManifestEntry lastOnDamaged = manifestOf(prepared, damaged).get(manifestOf(prepared, damaged).size() - 1);
    flipByteInTheMiddle(dataFile(damaged, lastOnDamaged.index()));
    Files.writeString(prepared.keyStore().jobFolder("job-bad").resolve(locked.unlockSecretRef()),
        RecoveryPassword.generate(new SecureRandom()).reveal() + "\n");

    LocalDatacenter datacenter = datacenter(prepared);
    datacenter.createJob(request(prepared, false));
    datacenter.updateShipping("job-bad", new ShippingDetails("UPS", "TRK-BAD-1", LocalDate.of(2025, 3, 4)));
    clock.move(Duration.ofDays(5));
    JobStatus status = datacenter.status("job-bad");

    assertThat(status.state()).isEqualTo(JobState.Closed);
    assertThat(status.drives()).extracting(DriveStatus::state)
        .containsExactly(DriveState.CompletedMoreInfo, DriveState.KeyInvalid);
    BlobContainerClient container = service.getBlobContainerClient(containerName);
    ImportErrorLog damagedLog = errorLog(container, status.drives().get(0));
    assertThat(damagedLog.fileErrors()).extracting(ImportErrorLog.FileError::blobName).containsExactly(lastOnDamaged.path());
    assertThat(damagedLog.fileErrors()).extracting(ImportErrorLog.FileError::problem)
        .containsExactly(ImportErrorLog.FileProblem.Corrupted);
    ImportErrorLog lockedLog = errorLog(container, status.drives().get(1));
    assertThat(lockedLog.driveErrors()).extracting(ImportErrorLog.DriveError::driveId).containsExactly(locked.driveId());
    assertThat(lockedLog.driveErrors()).extracting(ImportErrorLog.DriveError::cause).containsExactly(DriveState.KeyInvalid);
    assertThat(lockedLog.fileErrors()).isEmpty();
    assertThat(PreparedJob.containerHashes(container)).doesNotContainKey(lastOnDamaged.path())
        .hasSize(damaged.files() - 1);

    RepairResult repair = new RepairImport(datacenter, containers, prepared.keyStore()).repair("job-bad", prepared.repository());

    assertThat(repair.uploaded()).hasSize(1 + locked.files()).contains(lastOnDamaged.path());
    assertThat(repair.containerMatches()).isTrue();
    assertThat(PreparedJob.containerHashes(container)).isEqualTo(prepared.stagedHashes());
  }

  @Test
  void aDamagedFileEarlyOnADriveIsNamedAndTheFilesBehindItAreLeftToTheRepair() throws Exception {
    PreparedJob prepared = PreparedJob.prepare(temp, "job-early", 7);
    DriveRecord damaged = prepared.drives().get(0);
    List<ManifestEntry> entries = manifestOf(prepared, damaged);
    flipByteInTheMiddle(dataFile(damaged, entries.get(0).index()));

    LocalDatacenter datacenter = datacenter(prepared);
    datacenter.createJob(request(prepared, false));
    datacenter.updateShipping("job-early", new ShippingDetails("DHL", "TRK-EARLY", LocalDate.of(2025, 3, 4)));
    clock.move(Duration.ofDays(5));
    JobStatus status = datacenter.status("job-early");

    assertThat(status.state()).isEqualTo(JobState.Closed);
    assertThat(status.drives()).extracting(DriveStatus::state).containsExactly(DriveState.CompletedMoreInfo, DriveState.Completed);
    BlobContainerClient container = service.getBlobContainerClient(containerName);
    ImportErrorLog log = errorLog(container, status.drives().get(0));
    assertThat(log.fileErrors().get(0).blobName()).isEqualTo(entries.get(0).path());
    assertThat(log.fileErrors().get(0).problem()).isEqualTo(ImportErrorLog.FileProblem.Corrupted);
    assertThat(log.fileErrors().subList(1, log.fileErrors().size())).extracting(ImportErrorLog.FileError::problem)
        .containsOnly(ImportErrorLog.FileProblem.NotRead);
    assertThat(log.fileErrors()).extracting(ImportErrorLog.FileError::blobName)
        .containsExactlyElementsOf(entries.stream().map(ManifestEntry::path).toList());

    RepairResult repair = new RepairImport(datacenter, containers, prepared.keyStore()).repair("job-early", prepared.repository());

    assertThat(repair.uploaded()).hasSize(entries.size());
    assertThat(PreparedJob.containerHashes(container)).isEqualTo(prepared.stagedHashes());
  }

  @Test
  void drivesArrivingAfterTheTwoWeekWindowAreNeverReceivedAndNotImported() throws Exception {
    PreparedJob prepared = PreparedJob.prepare(temp, "job-late", 7);
    LocalDatacenter datacenter = new LocalDatacenter(new InMemoryDatacenterStore(),
        DatacenterSettings.defaults().withTransitTime(Duration.ofDays(15)), clock, containers,
        new KeyStoreSecrets(prepared.keyStore()), new KeyStoreSecrets(prepared.keyStore()), temp.resolve("scratch"));
    datacenter.createJob(request(prepared, false));
    datacenter.updateShipping("job-late", new ShippingDetails("FedEx", "LATE-1", LocalDate.of(2025, 3, 4)));

    clock.move(Duration.ofDays(13));
    assertThat(datacenter.status("job-late").state()).isEqualTo(JobState.Shipping);
    clock.move(Duration.ofDays(2));
    JobStatus status = datacenter.status("job-late");

    assertThat(status.state()).isEqualTo(JobState.Closed);
    assertThat(status.drives()).extracting(DriveStatus::state).containsOnly(DriveState.NeverReceived);
    BlobContainerClient container = service.getBlobContainerClient(containerName);
    assertThat(PreparedJob.containerHashes(container)).isEmpty();
    assertThat(errorLog(container, status.drives().get(0)).driveErrors()).extracting(ImportErrorLog.DriveError::cause)
        .containsExactly(DriveState.NeverReceived);
  }

  private LocalDatacenter datacenter(PreparedJob prepared) {
    KeyStoreSecrets keyStore = new KeyStoreSecrets(prepared.keyStore());
    return new LocalDatacenter(new InMemoryDatacenterStore(), DatacenterSettings.defaults(), clock, containers, keyStore, keyStore,
        temp.resolve("scratch"));
  }

  private JobRequest request(PreparedJob prepared, boolean verbose) {
    return new JobRequest(prepared.importJob(), "seedshipstore", containerName, prepared.driveSpecs(),
        "Backup team, 2 Server Road, Hamburg", "ops@example.org", verbose);
  }

  private static ImportErrorLog errorLog(BlobContainerClient container, DriveStatus drive) {
    return ImportErrorLog.parse(container.getBlobClient(drive.errorLogBlob()).downloadContent().toString());
  }

  private static List<ManifestEntry> manifestOf(PreparedJob prepared, DriveRecord drive) {
    RecoveryPassword password = prepared.keyStore().recoveryPassword(prepared.importJob(), drive.driveId());
    return ReadDrive.open(Path.of(drive.mount()), password, drive.manifestSha256()).manifest().entries();
  }

  /** docs/drive-format.md section 2: SEEDSHIP/data/<index / 1000>/<index>, both zero-padded. */
  private static Path dataFile(DriveRecord drive, int index) {
    return Path.of(drive.mount(), "SEEDSHIP", "data", String.format(Locale.ROOT, "%04d", index / 1000),
        String.format(Locale.ROOT, "%08d", index));
  }

  private static void flipByteInTheMiddle(Path file) throws Exception {
    byte[] content = Files.readAllBytes(file);
    content[content.length / 2] ^= 0x01;
    Files.write(file, content);
  }
}
