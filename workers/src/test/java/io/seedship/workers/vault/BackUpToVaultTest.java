package io.seedship.workers.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import io.seedship.workers.repository.SourceTrees;
import io.seedship.workers.repository.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incremental backups to the vault after a seed copy, and network seeding; every recovery point restored from the vault. */
class BackUpToVaultTest extends VaultTestBase {

  /** Chunk granularity (a changed region re-uploads whole chunks, ≥ 256 KiB each), tree chunk, index and snapshot. */
  private static final long CONSTANT = 1024 * 1024;

  private Path source;

  @BeforeEach
  void kit() throws Exception {
    source = temp.resolve("source");
    SourceTrees.writeEdgeCases(source, 9);
  }

  @Test
  void twoIncrementalsAfterTheSeedUploadOnlyTheChangesAndEveryRecoveryPointRestoresAsItWas() throws Exception {
    BlobContainerClient imported = kit.importContainer(kit.stage("inc-a", source));
    new CopySeedIntoVault(kit.vault).copy(new CopySeedIntoVault.Request("inc-a", "seedshipstore", imported.getBlobContainerName()),
        VaultListener.NONE);
    List<Map<String, String>> states = new ArrayList<>();
    states.add(SourceTrees.describe(source));
    Random random = new Random(21);

    // 1: a new incompressible file, a log grown at its end, a small file rewritten, a file deleted
    Files.write(source.resolve("docs/new-random.bin"), SourceTrees.randomBytes(random, 2 * 1024 * 1024 + 5));
    Files.write(source.resolve("docs/deep/text-4m.log"), SourceTrees.textBytes(random, 150_000), StandardOpenOption.APPEND);
    Files.write(source.resolve("docs/small-3.dat"), SourceTrees.randomBytes(random, 7000));
    Files.delete(source.resolve("docs/small-4.dat"));
    VaultBackupResult first = backUp("inc-a", "task-1");
    states.add(SourceTrees.describe(source));
    long changedByTest1 = Files.size(source.resolve("docs/new-random.bin")) + Files.size(source.resolve("docs/deep/text-4m.log"))
        + Files.size(source.resolve("docs/small-3.dat"));

    // 2: a new folder of files, one of them a copy of an old file (deduplicated), a byte changed in the middle of a big file
    Files.createDirectories(source.resolve("later"));
    Files.write(source.resolve("later/a.bin"), SourceTrees.randomBytes(random, 1024 * 1024));
    Files.write(source.resolve("later/b.log"), SourceTrees.textBytes(random, 600_000));
    Files.copy(source.resolve("docs/deep/deeper/random.bin"), source.resolve("later/copy.bin"));
    byte[] big = Files.readAllBytes(source.resolve("docs/copy-of-random.bin"));
    big[big.length / 2] ^= 1;
    Files.write(source.resolve("docs/copy-of-random.bin"), big);
    VaultBackupResult second = backUp("inc-a", "task-2");
    states.add(SourceTrees.describe(source));
    long changedByTest2 = Files.size(source.resolve("later/a.bin")) + Files.size(source.resolve("later/b.log"))
        + Files.size(source.resolve("later/copy.bin")) + big.length;

    assertThat(first.recoveryPoint().id()).isEqualTo("rp-2");
    assertThat(second.recoveryPoint().id()).isEqualTo("rp-3");
    assertThat(first.recoveryPoint().kind()).isEqualTo(RecoveryPointKind.INCREMENTAL);
    assertThat(second.recoveryPoint().parentSnapshotId()).isEqualTo(first.recoveryPoint().snapshotId());
    assertThat(first.changedBytes()).as("the backup read exactly the changed files").isEqualTo(changedByTest1);
    assertThat(second.changedBytes()).isEqualTo(changedByTest2);
    for (VaultBackupResult result : List.of(first, second)) {
      System.out.printf(Locale.ROOT, "incremental %s: changed %d bytes, uploaded %d bytes (%.2fx), sent %d, %d packs, %.2f s%n",
          result.recoveryPoint().id(), result.changedBytes(), result.bytesUploaded(),
          (double) result.bytesUploaded() / result.changedBytes(), result.bytesSent(), result.packsUploaded(),
          result.duration().toMillis() / 1000.0);
      assertThat(result.bytesUploaded()).isLessThanOrEqualTo((long) (1.2 * result.changedBytes()) + CONSTANT);
      assertThat(result.recoveryPoint().bytesUploaded()).isEqualTo(result.bytesUploaded());
      assertThat(result.recoveryPoint().changedBytes()).isEqualTo(result.changedBytes());
    }
    assertThat(first.bytesUploaded()).as("the new incompressible file had to go").isGreaterThan(2L * 1024 * 1024);
    assertThat(second.bytesUploaded()).as("the copy of an old file is deduplicated, the text compresses")
        .isLessThan(changedByTest2 / 2);
    assertThat(kit.cachedPacks("inc-a")).isZero();

    List<RecoveryPoint> points = kit.vault.catalogue().recoveryPoints("inc-a");
    assertThat(points).extracting(RecoveryPoint::id).containsExactly("rp-1", "rp-2", "rp-3");
    for (int i = 0; i < points.size(); i++) {
      Path target = temp.resolve("restore-" + points.get(i).id());
      RestoreFromVault.Result restored = new RestoreFromVault(kit.vault).restore("inc-a", points.get(i).id(), "", target,
          VaultListener.NONE);
      assertThat(SourceTrees.describe(target)).as(points.get(i).id()).containsExactlyEntriesOf(states.get(i));
      assertThat(restored.snapshotId()).isEqualTo(points.get(i).snapshotId());
    }
    VerifyReport report = new VerifyVault(kit.vault).verify("inc-a", true, VaultListener.NONE);
    assertThat(report.problems()).isEmpty();
    assertThat(report.snapshotsChecked()).isEqualTo(3);
  }

  @Test
  void networkSeedingBacksUpStraightIntoTheVaultAndIsDoneOnce() throws Exception {
    BackUpToVault backUp = new BackUpToVault(kit.vault);
    VaultBackupResult seeded = backUp.run(new BackUpToVault.Request("net-a", source, "task-seed", true), VaultListener.NONE);

    assertThat(seeded.recoveryPoint().id()).isEqualTo("rp-1");
    assertThat(seeded.recoveryPoint().kind()).isEqualTo(RecoveryPointKind.NETWORK_SEED);
    assertThat(kit.vault.catalogue().protection("net-a").orElseThrow().seedMethod()).isEqualTo(SeedMethod.NETWORK);
    assertThat(kit.vaultBlobs("net-a")).contains("config").anyMatch(n -> n.startsWith("keys/"))
        .anyMatch(n -> n.startsWith("snapshots/"));
    assertThat(kit.cachedPacks("net-a")).isZero();
    assertThat(seeded.bytesUploaded()).isEqualTo(kit.vaultContainer().listBlobs().stream()
        .filter(b -> b.getName().startsWith("net-a/")).mapToLong(b -> b.getProperties().getContentLength()).sum());
    System.out.printf(Locale.ROOT, "network seed: %d bytes of files, %d bytes uploaded in %.2f s%n", seeded.changedBytes(),
        seeded.bytesUploaded(), seeded.duration().toMillis() / 1000.0);

    VaultBackupResult again = backUp.run(new BackUpToVault.Request("net-a", source, "task-seed", true), VaultListener.NONE);
    VaultBackupResult redelivered = backUp.run(new BackUpToVault.Request("net-a", source, "task-seed-2", true), VaultListener.NONE);
    assertThat(again.alreadyDone()).isTrue();
    assertThat(again.recoveryPoint()).isEqualTo(seeded.recoveryPoint());
    assertThat(redelivered.alreadyDone()).isTrue();
    assertThat(kit.vault.catalogue().recoveryPoints("net-a")).hasSize(1);

    Path target = temp.resolve("restored");
    new RestoreFromVault(kit.vault).restore("net-a", "latest", "", target, VaultListener.NONE);
    SourceTrees.assertSameTree(source, target);

    Files.writeString(source.resolve("docs/after-seed.txt"), "written after the network seeding\n");
    VaultBackupResult incremental = backUp.run(new BackUpToVault.Request("net-a", source, "task-inc", false), VaultListener.NONE);
    assertThat(incremental.recoveryPoint().id()).isEqualTo("rp-2");
    assertThat(incremental.changedBytes()).isEqualTo(Files.size(source.resolve("docs/after-seed.txt")));
  }

  @Test
  void aRedeliveredIncrementalAnswersItsRecoveryPointAndAnIncrementalWithoutSeedIsRefused() throws Exception {
    assertThatThrownBy(() -> new BackUpToVault(kit.vault).run(new BackUpToVault.Request("inc-b", source, "t", false),
        VaultListener.NONE)).isInstanceOf(NotSeededException.class).hasMessageContaining("no seed");
    assertThat(kit.vaultBlobs("inc-b")).isEmpty();

    new BackUpToVault(kit.vault).run(new BackUpToVault.Request("inc-b", source, "seed", true), VaultListener.NONE);
    Files.writeString(source.resolve("new.txt"), "new\n");
    VaultBackupResult once = backUp("inc-b", "task-9");
    Files.writeString(source.resolve("newer.txt"), "newer\n");
    VaultBackupResult twice = backUp("inc-b", "task-9");

    assertThat(twice.alreadyDone()).isTrue();
    assertThat(twice.recoveryPoint()).isEqualTo(once.recoveryPoint());
    assertThat(kit.vault.catalogue().recoveryPoints("inc-b")).hasSize(2);
  }

  private VaultBackupResult backUp(String protectionId, String requestId) {
    return new BackUpToVault(kit.vault).run(new BackUpToVault.Request(protectionId, source, requestId, false), VaultListener.NONE);
  }
}
