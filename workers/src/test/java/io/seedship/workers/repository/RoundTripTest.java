package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {

  @TempDir
  Path temp;
  Path source;
  Path repo;
  RepositorySecret secret = RepositorySecret.ofPassphrase("correct horse battery staple".toCharArray());

  @BeforeEach
  void createSource() throws IOException {
    source = temp.resolve("source");
    repo = temp.resolve("repo");
    SourceTrees.writeEdgeCases(source, 42);
  }

  @Test
  void backupThenRestoreGivesAnIdenticalTree() throws IOException {
    Repository repository = Repository.init(repo, secret, KeyDerivation.FAST);
    List<BackupProgress> reports = new ArrayList<>();
    BackupResult result = new Backup(repository, BackupOptions.defaults().withPackTargetSize(2 << 20)).run(source, reports::add);

    assertThat(result.warnings()).isEmpty();
    assertThat(result.snapshot().files()).isEqualTo(46);
    assertThat(reports).isNotEmpty();
    assertThat(reports.get(reports.size() - 1).phase()).isEqualTo(BackupProgress.Phase.DONE);
    assertThat(reports.get(reports.size() - 1).bytesDone()).isEqualTo(reports.get(reports.size() - 1).bytesTotal());

    Repository reopened = Repository.open(repo, secret);
    Path target = temp.resolve("restored");
    new Restore(reopened, 2).run(reopened.snapshot("latest"), "", target);
    SourceTrees.assertSameTree(source, target);

    VerifyReport report = new Verify(reopened, 2).run(true);
    assertThat(report.problems()).isEmpty();
    assertThat(report.chunksChecked()).isPositive();
  }

  @Test
  void duplicatesAreStoredOnceAndCompressibleDataShrinks() {
    Repository repository = Repository.init(repo, secret, KeyDerivation.FAST);
    BackupResult result = new Backup(repository, BackupOptions.defaults()).run(source, ProgressListener.NONE);
    // random.bin is in the source twice but stored once; the 4 MiB of text compresses well.
    assertThat(result.bytesAdded()).isLessThan(result.bytesRead() - 3 * 1024 * 1024);
  }

  @Test
  void restoresOnlyTheRequestedSubPath() throws IOException {
    Repository repository = Repository.init(repo, secret, KeyDerivation.FAST);
    new Backup(repository, BackupOptions.defaults()).run(source, ProgressListener.NONE);
    Path target = temp.resolve("partial");
    new Restore(repository, 2).run(repository.snapshot("latest"), "Grüße/日本語 ✓", target);

    assertThat(Files.readString(target.resolve("Grüße/日本語 ✓/naïve café.txt"))).isEqualTo("ünïcödé ✓");
    assertThat(target.resolve("docs")).doesNotExist();
    assertThat(target.resolve("Grüße/link-to-folder")).doesNotExist();
  }

  @Test
  void secondBackupReusesUnchangedFilesAndRestoresTheNewState() throws IOException {
    Repository repository = Repository.init(repo, secret, KeyDerivation.FAST);
    Backup backup = new Backup(repository, BackupOptions.defaults());
    BackupResult first = backup.run(source, ProgressListener.NONE);
    Path changed = source.resolve("docs/readme.txt");
    Files.writeString(changed, "changed content\n");
    Files.setLastModifiedTime(changed, FileTime.fromMillis(1_700_000_000_000L));
    Files.delete(source.resolve("docs/small-3.dat"));

    BackupResult second = backup.run(source, ProgressListener.NONE);

    assertThat(second.snapshot().parent()).isEqualTo(first.snapshot().id().hex());
    assertThat(second.bytesRead()).isLessThan(100);
    assertThat(repository.snapshots()).hasSize(2);
    Path target = temp.resolve("second");
    new Restore(repository, 2).run(second.snapshot(), "", target);
    SourceTrees.assertSameTree(source, target);
  }

  @Test
  void parallelReadersPutEntriesIntoTheTreeInWalkOrder() {
    Repository repository = Repository.init(repo, secret, KeyDerivation.FAST);
    BackupResult oneReader = new Backup(repository, BackupOptions.defaults().withReaders(1).withParent(false))
        .run(source, ProgressListener.NONE);
    BackupResult fourReaders = new Backup(repository, BackupOptions.defaults().withReaders(4).withParent(false))
        .run(source, ProgressListener.NONE);

    assertThat(fourReaders.bytesRead()).isEqualTo(oneReader.bytesRead());
    assertThat(fourReaders.snapshot().treeChunks()).isEqualTo(oneReader.snapshot().treeChunks());
  }

  @Test
  void theFileHashIsTheSha256OfItsChunksSha256sInOrder() throws Exception {
    Repository repository = Repository.init(repo, secret, KeyDerivation.FAST);
    BackupResult result = new Backup(repository, BackupOptions.defaults()).run(source, ProgressListener.NONE);

    int multiChunkFiles = 0;
    try (TreeStream tree = repository.tree(result.snapshot()); ChunkReader reader = repository.newReader()) {
      while (tree.hasNext()) {
        TreeNode node = tree.next();
        if (node.type() != TreeNode.Type.FILE) {
          continue;
        }
        java.security.MessageDigest fileHash = java.security.MessageDigest.getInstance("SHA-256");
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        for (ChunkId id : node.chunks()) {
          byte[] chunk = reader.read(id);
          content.write(chunk);
          fileHash.update(java.security.MessageDigest.getInstance("SHA-256").digest(chunk));
        }
        assertThat(content.toByteArray()).isEqualTo(Files.readAllBytes(source.resolve(node.path())));
        assertThat(node.fileHash()).as(node.path()).isEqualTo(fileHash.digest());
        multiChunkFiles += node.chunks().size() > 1 ? 1 : 0;
      }
    }
    assertThat(multiChunkFiles).isPositive();
  }

  @Test
  void aFileThatChangesWhileReadIsReportedNotFatal() throws IOException {
    Repository repository = Repository.init(repo, secret, KeyDerivation.FAST);
    Path growing = source.resolve("docs/deep/text-4m.log");
    BackupResult result = new Backup(repository, BackupOptions.defaults().withProgressInterval(java.time.Duration.ofMillis(50)))
        .run(source, progress -> {
          if (progress.phase() == BackupProgress.Phase.BACKING_UP) {
            appendQuietly(growing);
          }
        });
    assertThat(result.snapshot()).isNotNull();
    assertThat(new Verify(repository, 1).run(true).ok()).isTrue();
  }

  private static void appendQuietly(Path file) {
    try {
      Files.writeString(file, "more\n", java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
