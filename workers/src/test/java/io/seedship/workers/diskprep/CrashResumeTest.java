package io.seedship.workers.diskprep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL a preparation in the middle of a drive (child JVM) while written files wait for their group commit,
 * resume: no complete file is written twice (journaled files are kept, complete unjournaled ones are checked
 * and adopted), damaged or cut-short ones are written again, and the drive verifies.
 */
class CrashResumeTest {

  @TempDir
  Path temp;

  @Test
  void aPreparationKilledMidDriveResumesWithoutWritingAnyCompleteFileTwice() throws Exception {
    Path staging = DiskPrepFixtures.stageSmallPacks(temp, "seed-k", 10);
    Path drive = DiskPrepFixtures.sataDrive(temp, "drive", 0);
    Path keyDir = temp.resolve("keys");
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(keyDir);
    long groupBytes = 2L * DiskPrepFixtures.SMALL_PACK_FILE;

    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
        System.getProperty("java.class.path"), DiskPrepCrashChild.class.getName(), keyDir.toString(), staging.toString(), "seed-k",
        "job-k", drive.toString(), "5", Long.toString(groupBytes)).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("PAUSED")) {
      lines.add(line);
    }
    assertThat(line).as("child output: %s", lines).startsWith("PAUSED");
    // The preparation thread is held in the listener; the encryption threads finish writing the other files
    // (into the page cache, not forced, not journaled). Kill once they are all written.
    List<PlannedFile> plan = keyStore.plan("job-k").files();
    DriveLayout layout = new DriveLayout(drive);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!plan.stream().allMatch(f -> lengthOf(layout.dataFile(f.index())) == ChunkAead.storedLength(f.size()))) {
      assertThat(System.nanoTime()).as("all files written before the kill").isLessThan(deadline);
      Thread.sleep(20);
    }
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    // What the crash left: an OPEN drive with whole groups journaled (at least five files) and written
    // files without a FILE record.
    DriveRecord record = keyStore.drives("job-k").get(0);
    assertThat(record.state()).isEqualTo(DriveRecord.State.OPEN);
    VolumeHeader header = VolumeHeader.read(layout.volume());
    byte[] key = header.unlock(keyStore.recoveryPassword("job-k", record.driveId()), drive);
    Set<Integer> journaled = DriveJournal.readInterrupted(layout.journal(), header.context(), key).stream()
        .filter(r -> r instanceof JournalRecord.FileWritten).map(r -> ((JournalRecord.FileWritten) r).index())
        .collect(Collectors.toSet());
    assertThat(journaled.size()).isGreaterThanOrEqualTo(5).isLessThan(plan.size() - 2);
    List<Integer> unjournaled = plan.stream().map(PlannedFile::index).filter(i -> !journaled.contains(i)).toList();
    Map<Integer, Object> identities = new HashMap<>();
    for (PlannedFile file : plan) {
      identities.put(file.index(), identity(layout.dataFile(file.index())));
    }
    // A kill or power loss also leaves files cut short, damaged ones and a torn journal line: they must not be kept.
    PlannedFile cutShort = largest(plan, unjournaled, -1);
    PlannedFile damaged = largest(plan, unjournaled, cutShort.index());
    try (FileChannel channel = FileChannel.open(layout.dataFile(cutShort.index()), StandardOpenOption.WRITE)) {
      channel.truncate(ChunkAead.storedLength(cutShort.size()) / 2);
    }
    DiskPrepFixtures.flipByte(layout.dataFile(damaged.index()), ChunkAead.FILE_HEADER + ChunkAead.CHUNK + 7);
    Files.writeString(layout.journal(), "AAAAB3Nz", StandardOpenOption.APPEND);

    DiskPrepOutcome outcome = DiskPrepFixtures.prepareDrives(keyStore)
        .prepare(new DiskPrepRequest("seed-k", staging, "job-k", List.of(drive), false, null), DiskPrepListener.NONE);

    assertThat(outcome).isInstanceOf(DiskPrepOutcome.AllDrivesPrepared.class);
    for (PlannedFile file : plan) {
      Object now = identity(layout.dataFile(file.index()));
      if (file.index() == cutShort.index() || file.index() == damaged.index()) {
        assertThat(now).as("file %d was written again", file.index()).isNotEqualTo(identities.get(file.index()));
      } else {
        assertThat(now).as("file %d (%s) not written again", file.index(), journaled.contains(file.index()) ? "journaled" : "adopted")
            .isEqualTo(identities.get(file.index()));
      }
    }
    PreparedDrive prepared = outcome.drives().get(0);
    ReadDrive read = ReadDrive.open(drive, keyStore.recoveryPassword("job-k", prepared.driveId()), prepared.manifestSha256());
    List<JournalRecord> records = DriveJournal.readSealed(layout.journal(), header.context(), key);
    List<Integer> fileRecords = records.stream().filter(r -> r instanceof JournalRecord.FileWritten)
        .map(r -> ((JournalRecord.FileWritten) r).index()).toList();
    int planned = DiskPrepFixtures.copiedFiles(DiskPrepFixtures.repositoryOf(staging, "seed-k")).size();
    assertThat(fileRecords).as("one FILE record per staged file, none twice").hasSize(planned).doesNotHaveDuplicates();
    assertThat(read.verify(b -> { })).isPositive();
    Path extracted = temp.resolve("extracted");
    read.extractTo(extracted, b -> { });
    DiskPrepFixtures.assertSameFiles(DiskPrepFixtures.repositoryOf(staging, "seed-k"), extracted);
  }

  private static PlannedFile largest(List<PlannedFile> plan, List<Integer> among, int except) {
    return plan.stream().filter(f -> among.contains(f.index()) && f.index() != except)
        .max((a, b) -> Long.compare(a.size(), b.size())).orElseThrow();
  }

  private static long lengthOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private static Object identity(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return List.of(String.valueOf(attributes.fileKey()), attributes.lastModifiedTime().toMillis(), attributes.size(),
        Map.entry("sha", DriveManifest.hash(Files.readAllBytes(file))));
  }
}
