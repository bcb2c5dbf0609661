package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** New chunks of files changed in place are stored as deltas against the parent's chunks (docs §3). */
class DeltaChunkTest extends InPlaceChangeFixture {


  @Test
  void inPlaceChangesStoreLittleMoreThanTheChangedBytesAndRestoreExactly() throws IOException {
    Repository repository = Repository.init(temp.resolve("repo"), secret, KeyDerivation.FAST);
    Backup backup = new Backup(repository, BackupOptions.defaults());
    BackupResult first = backup.run(source, ProgressListener.NONE);
    Path firstState = SourceTrees.copyOf(source, temp.resolve("first-state"));

    long changed = changeInPlace(1);
    BackupResult second = backup.run(source, ProgressListener.NONE);
    Path secondState = SourceTrees.copyOf(source, temp.resolve("second-state"));

    // 64 KiB in the image, 64 KiB in the log, half of 5 small files (20 KiB each).
    assertThat(changed).isEqualTo(2 * (64 << 10) + 5 * (20 << 10));
    assertThat(second.bytesAdded()).as("bytes stored for %d changed", changed).isLessThan(changed * 12 / 10 + 8192);

    // The same change without deltas stores whole chunks: at least 256 KiB per touched large-file chunk.
    Repository whole = Repository.init(temp.resolve("whole"), secret, KeyDerivation.FAST);
    Backup wholeBackup = new Backup(whole, BackupOptions.defaults().withDeltas(false));
    Path wholeSource = SourceTrees.copyOf(firstState, temp.resolve("whole-source"));
    wholeBackup.run(wholeSource, ProgressListener.NONE);
    SourceTrees.copyInto(secondState, wholeSource);
    long wholeAdded = wholeBackup.run(wholeSource, ProgressListener.NONE).bytesAdded();
    assertThat(second.bytesAdded()).isLessThan(wholeAdded / 2);

    SourceTrees.assertSameTree(firstState, SourceTrees.restoreInto(repository, first.snapshot(), temp.resolve("restore-first")));
    SourceTrees.assertSameTree(secondState, SourceTrees.restoreInto(repository, second.snapshot(), temp.resolve("restore-second")));
    VerifyReport report = new Verify(repository, 2).run(true);
    assertThat(report.problems()).isEmpty();
  }

  @Test
  void aDeltaAgainstADeltaIsFlattenedToOneLevel() throws IOException {
    Repository repository = Repository.init(temp.resolve("repo"), secret, KeyDerivation.FAST);
    Backup backup = new Backup(repository, BackupOptions.defaults());
    backup.run(source, ProgressListener.NONE);
    changeInPlace(1);
    backup.run(source, ProgressListener.NONE);
    Path secondState = SourceTrees.copyOf(source, temp.resolve("second-state"));
    // The same regions change again: their parent chunks are deltas now, so the new deltas take over their
    // bases and runs (a reader refuses deltas among a delta's bases: the restores below prove one level).
    long changed = changeInPlace(2);
    BackupResult third = backup.run(source, ProgressListener.NONE);
    Path thirdState = SourceTrees.copyOf(source, temp.resolve("third-state"));

    assertThat(third.bytesAdded()).as("the runs of both changes, not whole chunks").isLessThan(changed * 25 / 10);
    Repository reopened = Repository.open(temp.resolve("repo"), secret);
    SourceTrees.assertSameTree(thirdState, SourceTrees.restoreInto(reopened, third.snapshot(), temp.resolve("restore-third")));
    SourceTrees.assertSameTree(secondState, SourceTrees.restoreInto(reopened, reopened.snapshots().get(1), temp.resolve("restore-second")));
    assertThat(new Verify(reopened, 1).run(true).problems()).isEmpty();
  }

  @Test
  void aFileThatGrewKeepsItsNewTailAsLiterals() throws IOException {
    Repository repository = Repository.init(temp.resolve("repo"), secret, KeyDerivation.FAST);
    Backup backup = new Backup(repository, BackupOptions.defaults());
    backup.run(source, ProgressListener.NONE);
    Path grown = source.resolve("small/f3.bin");
    Files.write(grown, SourceTrees.randomBytes(random, 4 << 10), java.nio.file.StandardOpenOption.APPEND);
    BackupResult second = backup.run(source, ProgressListener.NONE);

    assertThat(second.bytesAdded()).isLessThan(16 << 10);
    SourceTrees.assertSameTree(source, SourceTrees.restoreInto(repository, second.snapshot(), temp.resolve("restore-grown")));
  }

  @Test
  void aRewrittenFileStopsCostingReadsOfItsOldChunksAndIsStoredWhole() throws IOException {
    Repository repository = Repository.init(temp.resolve("repo"), secret, KeyDerivation.FAST);
    BackupResult first = new Backup(repository, BackupOptions.defaults()).run(source, ProgressListener.NONE);
    TreeNode image = null;
    try (TreeStream tree = repository.tree(first.snapshot())) {
      while (tree.hasNext()) {
        TreeNode node = tree.next();
        image = node.path().equals("disk.img") ? node : image;
      }
    }
    DeltaEncoder.Base base = DeltaEncoder.Base.of(repository.index(), image.chunks());
    byte[] unrelated = SourceTrees.randomBytes(random, 1 << 20);
    try (DeltaEncoder encoder = new DeltaEncoder(repository)) {
      for (int i = 0; i < DeltaEncoder.Base.GIVE_UP_AFTER; i++) {
        assertThat(base.worthTrying(i << 20)).isTrue();
        assertThat(encoder.delta(base, i << 20, unrelated, 0, unrelated.length)).isNull();
      }
    }
    assertThat(base.worthTrying(5 << 20)).as("no more reads of the old chunks after %d misses", DeltaEncoder.Base.GIVE_UP_AFTER).isFalse();

    Files.write(source.resolve("disk.img"), SourceTrees.randomBytes(random, 8 << 20));
    BackupResult second = new Backup(repository, BackupOptions.defaults()).run(source, ProgressListener.NONE);
    assertThat(second.bytesAdded()).isGreaterThan(8L << 20);
    SourceTrees.assertSameTree(source, SourceTrees.restoreInto(repository, second.snapshot(), temp.resolve("restore-rewritten")));
  }

  /** Overwrites 64 KiB in the image and the log and the second half of every 4th small file; returns bytes changed. */
  private long changeInPlace(int round) throws IOException {
    long changed = 0;
    changed += overwrite(source.resolve("disk.img"), (3 << 20) + 12345, 64 << 10, round);
    changed += overwrite(source.resolve("server.log"), (2 << 20) + 777, 64 << 10, round);
    for (int i = 0; i < 20; i += 4) {
      changed += overwrite(source.resolve("small/f" + i + ".bin"), 20 << 10, 20 << 10, round);
    }
    return changed;
  }


}
