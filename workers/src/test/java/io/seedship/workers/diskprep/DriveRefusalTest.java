package io.seedship.workers.diskprep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal says what was wrong and what to do, and leaves the drive and the key store untouched. */
class DriveRefusalTest {

  @TempDir
  Path temp;

  private Path staging;
  private DiskPrepKeyStore keyStore;
  private PrepareDrives prepare;

  @BeforeEach
  void stage() throws IOException {
    staging = DiskPrepFixtures.stageSmallPacks(temp, "seed-r", 12);
    keyStore = new DiskPrepKeyStore(temp.resolve("keys"));
    prepare = DiskPrepFixtures.prepareDrives(keyStore);
  }

  @Test
  void aStagingLocationWithoutTheSeedingsRepositoryIsRefused() throws IOException {
    Path drive = DiskPrepFixtures.sataDrive(temp, "d", 0);
    Path elsewhere = Files.createDirectories(temp.resolve("not-staging/seedship-seed-r"));
    Files.writeString(elsewhere.resolve("readme.txt"), "not a repository");
    List<String> before = DiskPrepFixtures.listing(drive);

    assertThatThrownBy(() -> run(temp.resolve("not-staging"), "job", List.of(drive), false))
        .isInstanceOf(NotStagedException.class).hasMessageContaining("holds no Seedship repository for seeding seed-r")
        .hasMessageContaining("run the staging backup first");
    assertThatThrownBy(() -> prepare.prepare(new DiskPrepRequest("other-seeding", staging, "job", List.of(drive), false, null),
        DiskPrepListener.NONE)).isInstanceOf(NotStagedException.class);
    assertNothingWritten(drive, before, "job");
  }

  @Test
  void aDriveTooSmallForEvenTheSmallestFileIsRefused() throws IOException {
    Path drive = DiskPrepFixtures.sataDrive(temp, "tiny", DriveSpace.RESERVE + 1024);
    List<String> before = DiskPrepFixtures.listing(drive);

    assertThatThrownBy(() -> run(staging, "job", List.of(drive), false))
        .isInstanceOf(DriveTooSmallException.class).hasMessageContaining("files do not span drives")
        .hasMessageContaining("Attach a drive with at least");
    assertNothingWritten(drive, before, "job");
  }

  @Test
  void theEleventhDriveOfAnImportJobIsRefused() throws IOException {
    StagingPlan plan = new StagedRepository("seed-r", DiskPrepFixtures.repositoryOf(staging, "seed-r")).plan();
    long maxCost = plan.files().stream().mapToLong(f -> DriveSpace.costOf(f.size())).max().orElseThrow();
    List<Path> ten = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      ten.add(DiskPrepFixtures.sataDrive(temp, "d" + i, DriveSpace.RESERVE + maxCost + 32 * 1024));
    }
    DiskPrepOutcome outcome = run(staging, "job", ten, false);
    assertThat(outcome).isInstanceOf(DiskPrepOutcome.DriveFull.class);
    assertThat(outcome.drives()).hasSize(10);

    Path eleventh = DiskPrepFixtures.sataDrive(temp, "d11", 0);
    List<String> before = DiskPrepFixtures.listing(eleventh);
    List<Path> eleven = new ArrayList<>(ten);
    eleven.add(eleventh);
    assertThatThrownBy(() -> run(staging, "job", eleven, false))
        .isInstanceOf(TooManyDrivesException.class).hasMessageContaining("limit of 10 drives per import job");
    assertThat(DiskPrepFixtures.listing(eleventh)).isEqualTo(before);
    assertThat(keyStore.drives("job")).hasSize(10);
  }

  @Test
  void aDriveWithOtherDataIsOnlyFormattedAfterConfirmation() throws IOException {
    Path drive = DiskPrepFixtures.sataDrive(temp, "used", 0);
    Files.createDirectories(drive.resolve("family-photos"));
    Files.writeString(drive.resolve("family-photos/beach.jpg"), "precious");
    List<String> before = DiskPrepFixtures.listing(drive);

    assertThatThrownBy(() -> run(staging, "job", List.of(drive), false))
        .isInstanceOf(ForeignDataException.class).hasMessageContaining("holds other data (family-photos)")
        .hasMessageContaining("confirm formatting");
    assertNothingWritten(drive, before, "job");

    DiskPrepOutcome outcome = run(staging, "job", List.of(drive), true);
    assertThat(outcome).isInstanceOf(DiskPrepOutcome.AllDrivesPrepared.class);
    assertThat(drive.resolve("family-photos")).doesNotExist();
    assertThat(drive.resolve(DriveLayout.DECLARATION)).exists();
  }

  @Test
  void aUsbDriveIsRefused() throws IOException {
    Path drive = DiskPrepFixtures.drive(temp, "usb", "USB", "HDD", "2TB", 0);
    List<String> before = DiskPrepFixtures.listing(drive);

    assertThatThrownBy(() -> run(staging, "job", List.of(drive), true))
        .isInstanceOf(DriveNotSupportedException.class).hasMessageContaining("attached over USB")
        .hasMessageContaining("only accepts SATA").hasMessageContaining("USB drive or enclosure is not accepted");
    assertNothingWritten(drive, before, "job");
  }

  @Test
  void aDriveLargerThanTenTerabytesIsRefused() throws IOException {
    Path drive = DiskPrepFixtures.drive(temp, "huge", "SATA", "HDD", "12TB", 0);
    List<String> before = DiskPrepFixtures.listing(drive);

    assertThatThrownBy(() -> run(staging, "job", List.of(drive), true))
        .isInstanceOf(DriveNotSupportedException.class).hasMessageContaining("at most 10 TB");
    assertNothingWritten(drive, before, "job");
  }

  @Test
  void aDriveFolderThatIsTheStagingLocationIsRefusedEvenWithFormatConfirmed() throws IOException {
    List<String> before = DiskPrepFixtures.listing(staging);
    assertThatThrownBy(() -> run(staging, "job", List.of(staging), true))
        .isInstanceOf(DriveNotSupportedException.class).hasMessageContaining("overlaps the staging repository");
    assertThat(DiskPrepFixtures.listing(staging)).isEqualTo(before);
  }

  private DiskPrepOutcome run(Path stagingLocation, String job, List<Path> drives, boolean formatConfirmed) {
    return prepare.prepare(new DiskPrepRequest("seed-r", stagingLocation, job, drives, formatConfirmed, null), DiskPrepListener.NONE);
  }

  private void assertNothingWritten(Path drive, List<String> before, String job) throws IOException {
    assertThat(DiskPrepFixtures.listing(drive)).isEqualTo(before);
    assertThat(keyStore.jobExists(job)).isFalse();
    assertThat(keyStore.drives(job)).isEmpty();
  }
}
