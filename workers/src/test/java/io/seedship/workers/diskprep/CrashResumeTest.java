package io.seedship.workers.diskprep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL a preparation in the middle of a drive (child JVM), resume: nothing written twice, verify passes. */
class CrashResumeTest {

  @TempDir
  Path temp;

  @Test
  void aPreparationKilledMidDriveResumesWithoutWritingAnyFileTwice() throws Exception {
    Path staging = DiskPrepFixtures.stageSmallPacks(temp, "seed-k", 10);
    Path drive = DiskPrepFixtures.sataDrive(temp, "drive", 0);
    Path keyDir = temp.resolve("keys");
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(keyDir);

    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
        System.getProperty("java.class.path"), DiskPrepCrashChild.class.getName(), keyDir.toString(), staging.toString(), "seed-k",
        "job-k", drive.toString(), "5").redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("PAUSED")) {
      lines.add(line);
    }
    assertThat(line).as("child output: %s", lines).startsWith("PAUSED");
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    // What the crash left: an OPEN drive with five journaled files.
    DriveRecord record = keyStore.drives("job-k").get(0);
    assertThat(record.state()).isEqualTo(DriveRecord.State.OPEN);
    DriveLayout layout = new DriveLayout(drive);
    VolumeHeader header = VolumeHeader.read(layout.volume());
    byte[] key = header.unlock(keyStore.recoveryPassword("job-k", record.driveId()), drive);
    List<JournalRecord.FileWritten> journaled = DriveJournal.readInterrupted(layout.journal(), header.context(), key).stream()
        .filter(r -> r instanceof JournalRecord.FileWritten).map(r -> (JournalRecord.FileWritten) r).toList();
    assertThat(journaled).hasSize(5);
    Map<Integer, Object> identities = new HashMap<>();
    for (JournalRecord.FileWritten file : journaled) {
      identities.put(file.index(), identity(layout.dataFile(file.index())));
    }
    // A kill during a write also leaves a partial data file and a torn journal line; both must go.
    int unjournaled = journaled.stream().mapToInt(JournalRecord.FileWritten::index).max().orElseThrow() + 1;
    Files.createDirectories(layout.dataFile(unjournaled).getParent());
    Files.write(layout.dataFile(unjournaled), new byte[5000]);
    Files.writeString(layout.journal(), "AAAAB3Nz", StandardOpenOption.APPEND);

    DiskPrepOutcome outcome = DiskPrepFixtures.prepareDrives(keyStore)
        .prepare(new DiskPrepRequest("seed-k", staging, "job-k", List.of(drive), false, null), DiskPrepListener.NONE);

    assertThat(outcome).isInstanceOf(DiskPrepOutcome.AllDrivesPrepared.class);
    for (JournalRecord.FileWritten file : journaled) {
      assertThat(identity(layout.dataFile(file.index()))).as("file %d not written again", file.index())
          .isEqualTo(identities.get(file.index()));
    }
    PreparedDrive prepared = outcome.drives().get(0);
    ReadDrive read = ReadDrive.open(drive, keyStore.recoveryPassword("job-k", prepared.driveId()), prepared.manifestSha256());
    List<JournalRecord> records = DriveJournal.readSealed(layout.journal(), header.context(), key);
    long fileRecords = records.stream().filter(r -> r instanceof JournalRecord.FileWritten).count();
    int planned = DiskPrepFixtures.copiedFiles(DiskPrepFixtures.repositoryOf(staging, "seed-k")).size();
    assertThat(fileRecords).as("one FILE record per staged file, none twice").isEqualTo(planned);
    assertThat(read.verify(b -> { })).isPositive();
    Path extracted = temp.resolve("extracted");
    read.extractTo(extracted, b -> { });
    DiskPrepFixtures.assertSameFiles(DiskPrepFixtures.repositoryOf(staging, "seed-k"), extracted);
  }

  private static Object identity(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return List.of(String.valueOf(attributes.fileKey()), attributes.lastModifiedTime().toMillis(), attributes.size(),
        Map.entry("sha", DriveManifest.hash(Files.readAllBytes(file))));
  }
}
