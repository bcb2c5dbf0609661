package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Deltas found through block signatures (docs/repository-format.md §9): a backup that keeps signatures lets the next
 * one store in-place changes as deltas without reading a single base data chunk back (from the vault: downloading it).
 */
class SignatureDeltaTest extends InPlaceChangeFixture {

  BackupOptions options = BackupOptions.defaults().withSignatures(true);

  @Test
  void inPlaceChangesAreStoredAsDeltasWithoutReadingTheirBasesAndRestoreExactly() throws IOException {
    Path root = temp.resolve("repo");
    Repository repository = Repository.init(root, secret, KeyDerivation.FAST);
    BackupResult first = new Backup(repository, options).run(source, ProgressListener.NONE);
    Path firstState = SourceTrees.copyOf(source, temp.resolve("first-state"));
    try (Stream<Path> packs = Files.list(root.resolve(Repository.SIGNATURES))) {
      assertThat(packs.count()).as("a signature file per pack").isEqualTo(repository.packs().list().size());
    }

    long changed = changeInPlace(1);
    ReadLog reads = new ReadLog(root, secret);
    BackupResult second = new Backup(reads.repository(), options).run(source, ProgressListener.NONE);
    Path secondState = SourceTrees.copyOf(source, temp.resolve("second-state"));

    assertThat(reads.dataChunksRead()).as("base data chunks read back").isEmpty();
    // Literals are whole 1 KiB blocks: each change costs at most two blocks more than its bytes.
    assertThat(second.bytesAdded()).as("bytes stored for %d changed in 7 places", changed)
        .isLessThan(changed + 7 * 2 * ChunkSignature.BLOCK + 16384);

    // A second change of the same places: the parents are deltas now, flattened through their signatures.
    long changedAgain = changeInPlace(2);
    ReadLog readsAgain = new ReadLog(root, secret);
    BackupResult third = new Backup(readsAgain.repository(), options).run(source, ProgressListener.NONE);
    Path thirdState = SourceTrees.copyOf(source, temp.resolve("third-state"));
    assertThat(readsAgain.dataChunksRead()).isEmpty();
    assertThat(third.bytesAdded()).as("the runs of both changes, not whole chunks").isLessThan(changedAgain * 25 / 10 + 32768);

    Repository reopened = Repository.open(root, secret);
    SourceTrees.assertSameTree(firstState, SourceTrees.restoreInto(reopened, first.snapshot(), temp.resolve("restore-first")));
    SourceTrees.assertSameTree(secondState, SourceTrees.restoreInto(reopened, second.snapshot(), temp.resolve("restore-second")));
    SourceTrees.assertSameTree(thirdState, SourceTrees.restoreInto(reopened, third.snapshot(), temp.resolve("restore-third")));
    assertThat(new Verify(reopened, 2).run(true).problems()).isEmpty();
    assertSignaturesMatchTheChunks(root);
  }

  @Test
  void withoutSignaturesTheBasesAreReadBackAsBefore() throws IOException {
    Path root = temp.resolve("repo");
    Repository repository = Repository.init(root, secret, KeyDerivation.FAST);
    new Backup(repository, BackupOptions.defaults()).run(source, ProgressListener.NONE);
    assertThat(root.resolve(Repository.SIGNATURES)).doesNotExist();

    Changed second = changeAndBackUp(root, BackupOptions.defaults());

    assertThat(second.dataChunksRead()).isNotEmpty();
    assertThat(second.result().bytesAdded()).isLessThan(second.bytes() * 12 / 10 + 8192);
  }

  @Test
  void theSeedsReadDataVerifyLeavesSignaturesThatTheNextBackupUses() throws IOException {
    Path root = temp.resolve("repo");
    Repository repository = Repository.init(root, secret, KeyDerivation.FAST);
    new Backup(repository, BackupOptions.defaults()).run(source, ProgressListener.NONE);
    Path folder = root.resolve(Repository.SIGNATURES);
    assertThat(new Verify(repository, 2, folder).run(true).problems()).isEmpty();
    try (Stream<Path> packs = Files.list(folder)) {
      assertThat(packs.count()).isEqualTo(repository.packs().list().size());
    }

    assertThat(changeAndBackUp(root, options).dataChunksRead()).isEmpty();
    assertSignaturesMatchTheChunks(root);
  }

  @Test
  void aDamagedSignatureFileIsReadAsNoneAndTheBasesAreReadBack() throws IOException {
    Path root = temp.resolve("repo");
    Repository repository = Repository.init(root, secret, KeyDerivation.FAST);
    new Backup(repository, options).run(source, ProgressListener.NONE);
    try (Stream<Path> files = Files.list(root.resolve(Repository.SIGNATURES))) {
      for (Path file : files.toList()) {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length / 3; i < bytes.length; i += 97) {
          bytes[i] ^= 0x10; // block hashes and checksums alike
        }
        Files.write(file, bytes);
      }
    }

    assertThat(changeAndBackUp(root, options).dataChunksRead()).as("damaged entries are not trusted").isNotEmpty();
  }

  /** A backup after {@link #changeInPlace}: its result, the bytes changed and the base data chunks it read back. */
  private record Changed(BackupResult result, long bytes, Set<String> dataChunksRead) {
  }

  /** Changes the source in place, backs it up with every pack read recorded, and checks the restore of that backup. */
  private Changed changeAndBackUp(Path root, BackupOptions with) throws IOException {
    long changed = changeInPlace(1);
    ReadLog reads = new ReadLog(root, secret);
    BackupResult result = new Backup(reads.repository(), with).run(source, ProgressListener.NONE);
    SourceTrees.assertSameTree(source,
        SourceTrees.restoreInto(Repository.open(root, secret), result.snapshot(), temp.resolve("restore-changed")));
    return new Changed(result, changed, reads.dataChunksRead());
  }

  /** Every kept signature is the block hashes of its chunk's bytes, and names the chunk's delta structure when it is one. */
  private void assertSignaturesMatchTheChunks(Path root) {
    Repository repository = Repository.open(root, secret);
    BlockSigner signer = new BlockSigner(repository.key());
    int checked = 0;
    try (ChunkReader reader = repository.newReader()) {
      for (PackSummary pack : IndexFiles.readAll(repository.layout(), repository.key().newAead())) {
        for (PackEntry entry : pack.entries()) {
          ChunkLocation location = new ChunkLocation(entry.id(), pack.id(), pack.length(), entry.type(), entry.offset(),
              entry.storedLength(), entry.rawLength());
          ChunkSignature signature = repository.signatures().find(location);
          if (entry.type() != PackEntry.DATA || signature == null) {
            continue;
          }
          byte[] plain = reader.read(entry.id());
          assertThat(signature.blocks()).as("blocks of chunk %s", entry.id().shortHex())
              .isEqualTo(signer.blocks(plain, 0, plain.length));
          assertThat(signature.delta()).isEqualTo(reader.lastWasDelta());
          checked++;
        }
      }
    }
    assertThat(checked).as("signatures checked").isPositive();
  }

  /** Overwrites 32 KiB in the image and the log and the second half of every 4th small file; returns bytes changed. */
  private long changeInPlace(int round) throws IOException {
    long changed = 0;
    changed += overwrite(source.resolve("disk.img"), (3 << 20) + 12345 + round * 100_000, 32 << 10, round);
    changed += overwrite(source.resolve("server.log"), (2 << 20) + 777 + round * 50_000, 32 << 10, round);
    for (int i = 0; i < 20; i += 4) {
      long size = Files.size(source.resolve("small/f" + i + ".bin"));
      changed += overwrite(source.resolve("small/f" + i + ".bin"), size / 2, (int) (size / 2), round);
    }
    return changed;
  }



  /** Records every read of the packs present when it was made: pack and position. */
  private static final class ReadLog {
    private final Set<String> reads = ConcurrentHashMap.newKeySet();
    private Set<RandomId> before;
    private final Repository repository;

    /** The repository in {@code root}, opened with its pack reads recorded. */
    ReadLog(Path root, RepositorySecret secret) {
      this.repository = Repository.open(root, secret, around(new FilePackStore(root)));
    }

    Repository repository() {
      return repository;
    }

    private PackStore around(PackStore packs) {
      before = new HashSet<>(packs.list());
      return new PackStore() {
        @Override
        public PackSource open(RandomId pack) {
          PackSource source = packs.open(pack);
          if (!before.contains(pack)) {
            return source;
          }
          return new PackSource() {
            @Override
            public long length() throws IOException {
              return source.length();
            }

            @Override
            public void readFully(long position, byte[] into, int offset, int length) throws IOException {
              reads.add(pack.hex() + "@" + position);
              source.readFully(position, into, offset, length);
            }

            @Override
            public String describe() {
              return source.describe();
            }

            @Override
            public void close() {
              source.close();
            }
          };
        }

        @Override
        public List<RandomId> list() {
          return packs.list();
        }

        @Override
        public String describe(RandomId pack) {
          return packs.describe(pack);
        }
      };
    }

    /** The reads that began at a data chunk of the old packs (tree chunks are read to compare with the parent). */
    Set<String> dataChunksRead() {
      Set<String> dataChunks = new HashSet<>();
      for (PackSummary pack : IndexFiles.readAll(repository.layout(), repository.key().newAead())) {
        for (PackEntry entry : pack.entries()) {
          if (entry.type() == PackEntry.DATA) {
            dataChunks.add(pack.id().hex() + "@" + entry.offset());
          }
        }
      }
      Set<String> read = new HashSet<>(reads);
      read.retainAll(dataChunks);
      return read;
    }
  }
}
