package io.seedship.workers.diskprep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed byte in a chunk, the manifest or the journal of a prepared drive is detected, each with its own error. */
class DriveTamperTest {

  @TempDir
  Path temp;

  private Path drive;
  private PreparedDrive prepared;
  private RecoveryPassword password;
  private DriveLayout layout;

  @BeforeEach
  void prepareOneDrive() throws IOException {
    Path staging = DiskPrepFixtures.stage(temp, "seed-t", 3, 2, 200 * 1024, 256 * 1024);
    drive = DiskPrepFixtures.sataDrive(temp, "drive", 0);
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(temp.resolve("keys"));
    DiskPrepOutcome outcome = DiskPrepFixtures.prepareDrives(keyStore)
        .prepare(new DiskPrepRequest("seed-t", staging, "job-t", List.of(drive), false, null), DiskPrepListener.NONE);
    prepared = outcome.drives().get(0);
    password = keyStore.recoveryPassword("job-t", prepared.driveId());
    layout = new DriveLayout(drive);
    assertThat(ReadDrive.open(drive, password, prepared.manifestSha256()).verify(b -> { })).isPositive();
  }

  @Test
  void aChangedByteInAChunkIsDetectedWhenTheDataIsRead() throws IOException {
    Path data = layout.dataFile(largestEntry().index());
    DiskPrepFixtures.flipByte(data, ChunkAead.FILE_HEADER + ChunkAead.CHUNK + 100);

    ReadDrive read = ReadDrive.open(drive, password, prepared.manifestSha256());
    assertThatThrownBy(() -> read.verify(b -> { })).isInstanceOf(ChunkTamperedException.class)
        .hasMessageContaining("Chunk 1 of file " + DriveLayout.storedName(largestEntry().index()))
        .hasMessageContaining("fails authentication");
  }

  @Test
  void swappedChunksDoNotAuthenticate() throws IOException {
    Path data = layout.dataFile(largestEntry().index());
    byte[] content = Files.readAllBytes(data);
    int sealedChunk = ChunkAead.CHUNK + ChunkAead.TAG;
    byte[] first = java.util.Arrays.copyOfRange(content, ChunkAead.FILE_HEADER, ChunkAead.FILE_HEADER + sealedChunk);
    System.arraycopy(content, ChunkAead.FILE_HEADER + sealedChunk, content, ChunkAead.FILE_HEADER, sealedChunk);
    System.arraycopy(first, 0, content, ChunkAead.FILE_HEADER + sealedChunk, sealedChunk);
    Files.write(data, content);

    assertThatThrownBy(() -> ReadDrive.open(drive, password, null).verify(b -> { })).isInstanceOf(ChunkTamperedException.class)
        .hasMessageContaining("Chunk 0");
  }

  @Test
  void aChangedByteInTheManifestIsDetectedWhenTheDriveIsOpened() throws IOException {
    DiskPrepFixtures.flipByte(layout.manifest(), ChunkAead.FILE_HEADER + 10);

    assertThatThrownBy(() -> ReadDrive.open(drive, password, prepared.manifestSha256()))
        .isInstanceOf(ManifestTamperedException.class).hasMessageContaining("manifest of drive " + prepared.driveId())
        .hasMessageContaining("was changed");
  }

  @Test
  void aChangedByteInTheJournalIsDetectedWhenTheDriveIsOpened() throws IOException {
    byte[] journal = Files.readAllBytes(layout.journal());
    int secondLine = new String(journal, StandardCharsets.US_ASCII).indexOf('\n') + 1;
    journal[secondLine + 20] = (byte) (journal[secondLine + 20] == 'A' ? 'B' : 'A');
    Files.write(layout.journal(), journal);

    assertThatThrownBy(() -> ReadDrive.open(drive, password, prepared.manifestSha256()))
        .isInstanceOf(JournalTamperedException.class).hasMessageContaining("record 1 fails authentication");
  }

  @Test
  void bytesAppendedAfterTheSealAreDetected() throws IOException {
    Files.writeString(layout.journal(), "QUJD", java.nio.file.StandardOpenOption.APPEND);

    assertThatThrownBy(() -> ReadDrive.open(drive, password, null)).isInstanceOf(JournalTamperedException.class)
        .hasMessageContaining("bytes after the last complete record");
  }

  @Test
  void aWrongRecoveryPasswordDoesNotUnlockTheDrive() {
    RecoveryPassword other = RecoveryPassword.generate(new SecureRandom());

    assertThatThrownBy(() -> ReadDrive.open(drive, other, null)).isInstanceOf(WrongUnlockSecretException.class)
        .hasMessageContaining("does not unlock drive " + prepared.driveId());
  }

  @Test
  void theErrorsAreDistinctKinds() {
    List<Class<?>> kinds = List.of(ChunkTamperedException.class, ManifestTamperedException.class, JournalTamperedException.class,
        WrongUnlockSecretException.class);
    for (Class<?> a : kinds) {
      for (Class<?> b : kinds) {
        assertThat(a != b && a.isAssignableFrom(b)).as("%s is not a kind of %s", b.getSimpleName(), a.getSimpleName()).isFalse();
      }
    }
  }

  private ManifestEntry largestEntry() {
    return ReadDrive.open(drive, password, null).manifest().entries().stream()
        .max((a, b) -> Long.compare(a.size(), b.size())).orElseThrow();
  }
}
