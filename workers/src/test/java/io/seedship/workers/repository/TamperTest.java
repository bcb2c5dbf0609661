package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of damage is detected, with its own exception type, by restore and by verify. */
class TamperTest {

  @TempDir
  Path temp;
  Path source;
  Path repo;
  final RepositorySecret secret = RepositorySecret.ofPassphrase("tamper test".toCharArray());
  Repository repository;
  Snapshot snapshot;

  @BeforeEach
  void backUpOneChunkPerPack() throws IOException {
    source = temp.resolve("source");
    repo = temp.resolve("repo");
    Random random = new Random(7);
    Files.createDirectories(source.resolve("sub"));
    // Below the minimum chunk size and incompressible: one raw chunk each, all of the same stored length.
    Files.write(source.resolve("a.bin"), SourceTrees.randomBytes(random, 200_000));
    Files.write(source.resolve("b.bin"), SourceTrees.randomBytes(random, 200_000));
    Files.write(source.resolve("sub/c.bin"), SourceTrees.randomBytes(random, 200_000));
    repository = Repository.init(repo, secret, KeyDerivation.FAST);
    BackupOptions onePackPerChunk = BackupOptions.defaults().withPackTargetSize(1).withWorkers(1);
    snapshot = new Backup(repository, onePackPerChunk).run(source, ProgressListener.NONE).snapshot();
    repository = Repository.open(repo, secret);
  }

  @Test
  void flippingOneByteAnywhereInAnyPackIsDetected() throws IOException {
    Random random = new Random(11);
    for (Path pack : repository.listPackFiles()) {
      long size = Files.size(pack);
      for (long position : List.of(0L, (long) random.nextInt((int) size), size - 13, size - 1)) {
        flipByte(pack, position);
        VerifyReport report = new Verify(Repository.open(repo, secret), 1).run(true);
        assertThat(report.problems()).as("flip at %d of %s", position, pack.getFileName())
            .anySatisfy(p -> assertThat(p.pack()).isEqualTo(pack.getFileName().toString()));
        flipByte(pack, position);
      }
    }
    assertThat(new Verify(Repository.open(repo, secret), 1).run(true).ok()).isTrue();
  }

  @Test
  void aFlippedByteInAChunkFailsTheRestoreAsTamperedAndNamesTheFile() throws IOException {
    ChunkLocation a = locationOf("a.bin");
    flipByte(repository.layout().pack(a.pack()), a.offset() + 100);

    assertThatThrownBy(this::restore).isExactlyInstanceOf(PackTamperedException.class)
        .hasMessageContaining(a.pack().hex()).hasMessageContaining("Replace the pack");
    VerifyReport report = new Verify(Repository.open(repo, secret), 1).run(true);
    assertThat(report.problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo(VerifyReport.Kind.TAMPERED_PACK);
      assertThat(p.chunk()).isEqualTo(a.id().hex());
      assertThat(p.affectedFiles()).containsExactly(snapshot.id().shortHex() + ":a.bin");
    });
  }

  @Test
  void aTruncatedPackIsReportedAsTruncated() throws IOException {
    ChunkLocation b = locationOf("b.bin");
    Path pack = repository.layout().pack(b.pack());
    try (RandomAccessFile file = new RandomAccessFile(pack.toFile(), "rw")) {
      file.setLength(file.length() - 40);
    }
    assertThatThrownBy(this::restore).isExactlyInstanceOf(PackTruncatedException.class).hasMessageContaining(b.pack().hex());
    VerifyReport report = new Verify(Repository.open(repo, secret), 1).run(true);
    assertThat(report.problems()).anySatisfy(p -> {
      assertThat(p.kind()).isEqualTo(VerifyReport.Kind.TRUNCATED_PACK);
      assertThat(p.affectedFiles()).contains(snapshot.id().shortHex() + ":b.bin");
    });
  }

  @Test
  void aMissingPackIsReportedAsMissing() throws IOException {
    ChunkLocation c = locationOf("sub/c.bin");
    Files.delete(repository.layout().pack(c.pack()));
    assertThatThrownBy(this::restore).isExactlyInstanceOf(PackMissingException.class).hasMessageContaining(c.pack().hex());
    VerifyReport report = new Verify(Repository.open(repo, secret), 1).run(false);
    assertThat(report.problems()).anySatisfy(p -> {
      assertThat(p.kind()).isEqualTo(VerifyReport.Kind.MISSING_PACK);
      assertThat(p.affectedFiles()).contains(snapshot.id().shortHex() + ":sub/c.bin");
    });
  }

  @Test
  void chunksSwappedBetweenPacksAreReportedAsMisplaced() throws IOException {
    ChunkLocation a = locationOf("a.bin");
    ChunkLocation b = locationOf("b.bin");
    assertThat(a.pack()).isNotEqualTo(b.pack());
    assertThat(a.storedLength()).isEqualTo(b.storedLength());
    byte[] blobA = readRange(repository.layout().pack(a.pack()), a.offset(), a.storedLength());
    byte[] blobB = readRange(repository.layout().pack(b.pack()), b.offset(), b.storedLength());
    writeRange(repository.layout().pack(a.pack()), a.offset(), blobB);
    writeRange(repository.layout().pack(b.pack()), b.offset(), blobA);

    assertThatThrownBy(this::restore).isExactlyInstanceOf(ChunkMisplacedException.class).hasMessageContaining("swapped");
    VerifyReport report = new Verify(Repository.open(repo, secret), 1).run(true);
    assertThat(report.problems()).extracting(VerifyReport.Problem::kind)
        .containsOnly(VerifyReport.Kind.MISPLACED_CHUNK).hasSize(2);
  }

  @Test
  void theWrongPassphraseOrKeyFileIsReportedAsWrongKey() throws IOException {
    assertThatThrownBy(() -> Repository.open(repo, RepositorySecret.ofPassphrase("tamper tesT".toCharArray())))
        .isExactlyInstanceOf(WrongKeyException.class).hasMessageContaining("Use the passphrase or key file");
    Path keyFile = temp.resolve("other.key");
    RepositorySecret.generateKeyFile(keyFile);
    assertThatThrownBy(() -> Repository.open(repo, RepositorySecret.ofKeyFile(keyFile)))
        .isExactlyInstanceOf(WrongKeyException.class);
  }

  @Test
  void aMissingOrUnreadableSourceHasItsOwnErrors() {
    Repository opened = Repository.open(repo, secret);
    assertThatThrownBy(() -> new Backup(opened, BackupOptions.defaults()).run(temp.resolve("nope"), ProgressListener.NONE))
        .isExactlyInstanceOf(SourceNotFoundException.class).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> new Backup(opened, BackupOptions.defaults()).run(source.resolve("a.bin"), ProgressListener.NONE))
        .isExactlyInstanceOf(SourceUnreadableException.class).hasMessageContaining("not a folder");
  }

  private void restore() {
    Repository opened = Repository.open(repo, secret);
    new Restore(opened, 1).run(opened.snapshot(snapshot.id().hex()), "", temp.resolve("restore-" + System.nanoTime()));
  }

  private ChunkLocation locationOf(String path) {
    try (TreeStream tree = repository.tree(snapshot)) {
      while (tree.hasNext()) {
        TreeNode node = tree.next();
        if (node.path().equals(path)) {
          return repository.index().locate(node.chunks().get(0));
        }
      }
    }
    throw new IllegalArgumentException(path);
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int b = raf.read();
      raf.seek(position);
      raf.write(b ^ 0x01);
    }
  }

  private static byte[] readRange(Path file, long offset, int length) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      byte[] bytes = new byte[length];
      raf.seek(offset);
      raf.readFully(bytes);
      return bytes;
    }
  }

  private static void writeRange(Path file, long offset, byte[] bytes) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(bytes);
    }
  }
}
