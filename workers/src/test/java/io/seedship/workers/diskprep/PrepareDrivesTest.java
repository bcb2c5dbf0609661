package io.seedship.workers.diskprep;

import static io.seedship.workers.diskprep.DiskPrepFixtures.assertSameFiles;
import static io.seedship.workers.diskprep.DiskPrepFixtures.repositoryOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One drive, and three drives with forced spanning: the drives decrypt back to exactly the staged repository. */
class PrepareDrivesTest {

  @TempDir
  Path temp;

  @Test
  void oneDriveHoldsTheWholeStagedRepositoryAndDecryptsToItByteForByte() throws IOException {
    // Packs of 5+ MiB: several 4 MiB blocks and hundreds of chunks per file.
    Path staging = DiskPrepFixtures.stage(temp, "seed-1", 1, 3, 3 << 20, 5L << 20);
    Path drive = DiskPrepFixtures.sataDrive(temp, "drive-1", 0);
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(temp.resolve("keys"));

    DiskPrepOutcome outcome = DiskPrepFixtures.prepareDrives(keyStore)
        .prepare(new DiskPrepRequest("seed-1", staging, "job-1", List.of(drive), false, null), DiskPrepListener.NONE);

    assertThat(outcome).isInstanceOf(DiskPrepOutcome.AllDrivesPrepared.class);
    assertThat(outcome.drives()).hasSize(1);
    PreparedDrive prepared = outcome.drives().get(0);
    int stagedFiles = DiskPrepFixtures.copiedFiles(repositoryOf(staging, "seed-1")).size();
    assertThat(prepared.files()).isEqualTo(stagedFiles);
    assertThat(Files.getPosixFilePermissions(prepared.unlockSecretFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));

    RecoveryPassword password = keyStore.recoveryPassword("job-1", prepared.driveId());
    ReadDrive read = ReadDrive.open(drive, password, prepared.manifestSha256());
    assertThat(read.manifest().entries()).hasSize(stagedFiles);
    assertThat(read.manifest().entries()).anySatisfy(e -> assertThat(e.blockMd5s()).hasSizeGreaterThan(1));
    Path extracted = temp.resolve("extracted");
    read.extractTo(extracted, b -> { });
    assertSameFiles(repositoryOf(staging, "seed-1"), extracted);

    // The unlock secret and the staged names are nowhere on the drive in plaintext.
    for (Path file : filesOf(drive)) {
      String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(content).doesNotContain(password.reveal()).doesNotContain("snapshots/");
    }
  }

  @Test
  void threeSmallDrivesAreFilledOneAfterTheOtherAndTogetherHoldEveryFileOnce() throws IOException {
    Path staging = DiskPrepFixtures.stageSmallPacks(temp, "seed-3", 9);
    StagingPlan plan = new StagedRepository("seed-3", repositoryOf(staging, "seed-3")).plan();
    long totalCost = plan.files().stream().mapToLong(f -> DriveSpace.costOf(f.size())).sum();
    long maxCost = plan.files().stream().mapToLong(f -> DriveSpace.costOf(f.size())).max().orElseThrow();
    long capacity = DriveSpace.RESERVE + (totalCost + 2) / 3 + maxCost;
    assertThat(2 * (capacity - DriveSpace.RESERVE)).as("two drives are not enough").isLessThan(totalCost);
    Path d1 = DiskPrepFixtures.sataDrive(temp, "d1", capacity);
    Path d2 = DiskPrepFixtures.sataDrive(temp, "d2", capacity);
    Path d3 = DiskPrepFixtures.sataDrive(temp, "d3", capacity);
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(temp.resolve("keys"));
    PrepareDrives prepare = DiskPrepFixtures.prepareDrives(keyStore);

    DiskPrepOutcome first = prepare.prepare(request(staging, List.of(d1)), DiskPrepListener.NONE);
    assertThat(first).isInstanceOf(DiskPrepOutcome.DriveFull.class);
    DiskPrepOutcome.DriveFull full = (DiskPrepOutcome.DriveFull) first;
    assertThat(full.fullDriveId()).isEqualTo(first.drives().get(0).driveId());
    assertThat(full.bytesRemaining()).isEqualTo(plan.totalBytes() - first.drives().get(0).bytes()).isPositive();

    DiskPrepOutcome second = prepare.prepare(request(staging, List.of(d1, d2)), DiskPrepListener.NONE);
    assertThat(second).isInstanceOf(DiskPrepOutcome.DriveFull.class);
    assertThat(second.drives()).hasSize(2);

    DiskPrepOutcome third = prepare.prepare(request(staging, List.of(d1, d2, d3)), DiskPrepListener.NONE);
    assertThat(third).isInstanceOf(DiskPrepOutcome.AllDrivesPrepared.class);
    assertThat(third.drives()).extracting(PreparedDrive::sequence).containsExactly(1, 2, 3);

    Path extracted = temp.resolve("extracted");
    Set<Integer> seen = new HashSet<>();
    List<Path> drives = List.of(d1, d2, d3);
    for (int i = 0; i < 3; i++) {
      PreparedDrive prepared = third.drives().get(i);
      ReadDrive read = ReadDrive.open(drives.get(i), keyStore.recoveryPassword("job-3", prepared.driveId()), prepared.manifestSha256());
      assertThat(read.manifest().entries()).isNotEmpty();
      read.manifest().entries().forEach(e -> assertThat(seen.add(e.index())).as("file %s on one drive only", e.path()).isTrue());
      read.extractTo(extracted, b -> { });
    }
    assertSameFiles(repositoryOf(staging, "seed-3"), extracted);

    // A redelivered task after the end touches nothing and answers the same.
    Map<Path, Object> before = stamps(drives);
    DiskPrepOutcome again = prepare.prepare(request(staging, List.of(d1, d2, d3)), DiskPrepListener.NONE);
    assertThat(again).isEqualTo(third);
    assertThat(stamps(drives)).isEqualTo(before);
  }

  @Test
  void theVerifyPassComparesTheDriveWithTheStagedFilesNotWithWhatWasWritten() throws IOException {
    Path staging = DiskPrepFixtures.stage(temp, "seed-v", 5, 2, 200 * 1024, 256 * 1024);
    Path drive = DiskPrepFixtures.sataDrive(temp, "drive-v", 0);
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(temp.resolve("keys"));
    Path repository = repositoryOf(staging, "seed-v");
    PlannedFile largest = new StagedRepository("seed-v", repository).plan().files().stream()
        .max((a, b) -> Long.compare(a.size(), b.size())).orElseThrow();
    Path stagedFile = repository.resolve(largest.path());
    // Between the write pass and the verify pass one byte of a staged file changes (same size).
    DiskPrepListener changeStaging = p -> {
      if (p.phase() == DiskPrepProgress.Phase.FORCING) {
        try {
          stagedFile.toFile().setWritable(true);
          DiskPrepFixtures.flipByte(stagedFile, largest.size() / 2);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };

    assertThatThrownBy(() -> DiskPrepFixtures.prepareDrives(keyStore)
        .prepare(new DiskPrepRequest("seed-v", staging, "job-v", List.of(drive), false, null), changeStaging))
        .isInstanceOf(StagingChangedException.class)
        .hasMessageContaining("differs from the staged file " + stagedFile + " at byte " + largest.size() / 2);
    assertThat(keyStore.drives("job-v").get(0).state()).as("not sealed").isEqualTo(DriveRecord.State.OPEN);
  }

  private static DiskPrepRequest request(Path staging, List<Path> drives) {
    return new DiskPrepRequest("seed-3", staging, "job-3", drives, false, null);
  }

  private static List<Path> filesOf(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private static Map<Path, Object> stamps(List<Path> drives) throws IOException {
    Map<Path, Object> stamps = new HashMap<>();
    for (Path drive : drives) {
      for (Path file : filesOf(drive)) {
        stamps.put(file, new ArrayList<>(List.of(Files.getLastModifiedTime(file), Files.size(file))));
      }
    }
    return stamps;
  }
}
