package io.seedship.workers.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import io.seedship.workers.blob.ChecksummedUpload;
import io.seedship.workers.repository.SourceTrees;
import io.seedship.workers.repository.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed copy from an import container (Azurite) into the vault, with the catalogue on PostgreSQL. */
class VaultSeedCopyTest extends VaultTestBase {

  private Path source;

  @BeforeEach
  void kit() throws Exception {
    source = temp.resolve("source");
    SourceTrees.writeEdgeCases(source, 5);
  }

  @Test
  void copiesTheSeedServerSideVerifiesItRecordsRecoveryPointOneAndRestoresItByteIdentically() throws Exception {
    Path staged = kit.stage("seed-a", source);
    BlobContainerClient imported = kit.importContainer(staged);

    CopySeedIntoVault.Result result = new CopySeedIntoVault(kit.vault).copy(
        new CopySeedIntoVault.Request("seed-a", "seedshipstore", imported.getBlobContainerName()), VaultListener.NONE);

    assertThat(result.alreadyDone()).isFalse();
    assertThat(result.recoveryPoint().id()).isEqualTo("rp-1");
    assertThat(result.recoveryPoint().kind()).isEqualTo(RecoveryPointKind.SEED);
    assertThat(result.copyMethod()).isEqualTo("SERVER_SIDE");
    assertThat(result.bytesStreamed()).isZero();
    assertThat(result.chunksVerified()).isPositive();
    assertThat(kit.vaultBlobs("seed-a")).containsExactlyElementsOf(VaultTestKit.stagedFiles(staged).keySet());
    assertThat(kit.cachedPacks("seed-a")).isZero();
    Protection protection = kit.vault.catalogue().protection("seed-a").orElseThrow();
    assertThat(protection.seedMethod()).isEqualTo(SeedMethod.OFFLINE);
    assertThat(protection.protectedSource()).isEqualTo(source.toAbsolutePath().normalize().toString());
    assertThat(protection.blobPrefix()).isEqualTo("seed-a/");

    Path target = temp.resolve("restored");
    RestoreFromVault.Result restored = new RestoreFromVault(kit.vault).restore("seed-a", "rp-1", "", target, VaultListener.NONE);
    SourceTrees.assertSameTree(source, target);
    assertThat(restored.recoveryPoint()).isEqualTo(result.recoveryPoint());
    System.out.printf(Locale.ROOT, "seed copy (server-side): %d blobs, %.1f MiB in %.2f s = %.1f MB/s incl. read-data verify; "
            + "restore from the vault: %.1f MiB in %.2f s = %.1f MB/s%n", result.blobsServerSide(), result.bytes() / 1048576.0,
        result.duration().toMillis() / 1000.0, result.bytes() / 1e6 / Math.max(0.001, result.duration().toMillis() / 1000.0),
        restored.restore().bytes() / 1048576.0, restored.restore().duration().toMillis() / 1000.0,
        restored.restore().bytes() / 1e6 / Math.max(0.001, restored.restore().duration().toMillis() / 1000.0));

    VerifyReport report = new VerifyVault(kit.vault).verify("seed-a", true, VaultListener.NONE);
    assertThat(report.problems()).isEmpty();
    assertThat(report.notes()).isEmpty();
  }

  @Test
  void aSecondCopyAnswersTheSameRecoveryPointWithoutCopyingAgain() throws Exception {
    BlobContainerClient imported = kit.importContainer(kit.stage("seed-b", source));
    CopySeedIntoVault copy = new CopySeedIntoVault(kit.vault);
    CopySeedIntoVault.Request request = new CopySeedIntoVault.Request("seed-b", "seedshipstore", imported.getBlobContainerName());
    CopySeedIntoVault.Result first = copy.copy(request, VaultListener.NONE);
    Map<String, String> etags = etags("seed-b");

    CopySeedIntoVault.Result second = copy.copy(request, VaultListener.NONE);

    assertThat(second.alreadyDone()).isTrue();
    assertThat(second.recoveryPoint()).isEqualTo(first.recoveryPoint());
    assertThat(kit.vault.catalogue().recoveryPoints("seed-b")).hasSize(1);
    assertThat(etags("seed-b")).isEqualTo(etags);
  }

  @Test
  void aCopyInterruptedBeforeItsCommitResumesAndSkipsWhatIsThere() throws Exception {
    BlobContainerClient imported = kit.importContainer(kit.stage("seed-c", source));
    CopySeedIntoVault.Request request = new CopySeedIntoVault.Request("seed-c", "seedshipstore", imported.getBlobContainerName());
    int[] copied = {0};
    VaultListener dies = p -> {
      if (p.phase() == VaultProgress.Phase.COPYING && ++copied[0] == 5) {
        throw new IllegalStateException("worker lost");
      }
    };
    assertThatThrownBy(() -> new CopySeedIntoVault(kit.vault).copy(request, dies)).hasMessage("worker lost");
    assertThat(kit.vaultBlobs("seed-c")).hasSize(5).noneMatch(n -> n.startsWith("snapshots/"));
    assertThat(kit.vault.catalogue().recoveryPoints("seed-c")).isEmpty();
    assertThatThrownBy(() -> new BackUpToVault(kit.vault).run(new BackUpToVault.Request("seed-c", source, null, false),
        VaultListener.NONE)).isInstanceOf(NotSeededException.class);

    CopySeedIntoVault.Result resumed = new CopySeedIntoVault(kit.vault).copy(request, VaultListener.NONE);

    assertThat(resumed.blobsSkipped()).isEqualTo(5);
    assertThat(resumed.recoveryPoint().number()).isEqualTo(1);
    Path target = temp.resolve("restored");
    new RestoreFromVault(kit.vault).restore("seed-c", "latest", "", target, VaultListener.NONE);
    SourceTrees.assertSameTree(source, target);
  }

  @Test
  void aCopyInterruptedAfterItsCommitButBeforeTheRecoveryPointResumesAndRecordsIt() throws Exception {
    BlobContainerClient imported = kit.importContainer(kit.stage("seed-after-commit", source));
    CopySeedIntoVault.Request request = new CopySeedIntoVault.Request("seed-after-commit", "seedshipstore", imported.getBlobContainerName());
    VaultListener diesWhileRecording = p -> {
      if (p.phase() == VaultProgress.Phase.RECORDING) {
        throw new IllegalStateException("worker lost");
      }
    };
    assertThatThrownBy(() -> new CopySeedIntoVault(kit.vault).copy(request, diesWhileRecording)).hasMessage("worker lost");
    assertThat(kit.vaultBlobs("seed-after-commit")).anyMatch(n -> n.startsWith("snapshots/"));
    assertThat(kit.vault.catalogue().recoveryPoints("seed-after-commit")).isEmpty();

    CopySeedIntoVault.Result resumed = new CopySeedIntoVault(kit.vault).copy(request, VaultListener.NONE);

    assertThat(resumed.recoveryPoint().number()).isEqualTo(1);
    Path target = temp.resolve("restored-after-commit");
    new RestoreFromVault(kit.vault).restore("seed-after-commit", "latest", "", target, VaultListener.NONE);
    SourceTrees.assertSameTree(source, target);
  }

  @Test
  void streamsThroughTheWorkerWhenAskedAndTheResultIsTheSame() throws Exception {
    Path staged = kit.stage("seed-d", source);
    BlobContainerClient imported = kit.importContainer(staged);
    Vault streaming = new Vault(kit.settings.withCopyMode(CopyMode.STREAM), kit.vault.catalogue());
    try {
      CopySeedIntoVault.Result result = new CopySeedIntoVault(streaming).copy(
          new CopySeedIntoVault.Request("seed-d", "seedshipstore", imported.getBlobContainerName()), VaultListener.NONE);
      assertThat(result.copyMethod()).isEqualTo("STREAMED");
      assertThat(result.bytesStreamed()).isEqualTo(result.bytes());
      System.out.printf(Locale.ROOT, "seed copy (streamed): %.1f MiB in %.2f s = %.1f MB/s%n", result.bytes() / 1048576.0,
          result.duration().toMillis() / 1000.0, result.bytes() / 1e6 / Math.max(0.001, result.duration().toMillis() / 1000.0));
    } finally {
      streaming.close();
    }
    assertThat(kit.vaultBlobs("seed-d")).containsExactlyElementsOf(VaultTestKit.stagedFiles(staged).keySet());
    Path target = temp.resolve("restored");
    new RestoreFromVault(kit.vault).restore("seed-d", "1", "docs", target, VaultListener.NONE);
    assertThat(SourceTrees.describe(target.resolve("docs"))).isEqualTo(SourceTrees.describe(source.resolve("docs")));
    assertThat(Files.exists(target.resolve("empty.txt"))).isFalse();
  }

  @Test
  void aDamagedPackInTheImportIsNamedNothingIsCommittedAndTheCopyWorksAfterTheRepair() throws Exception {
    Path staged = kit.stage("seed-e", source);
    BlobContainerClient imported = kit.importContainer(staged);
    String pack = VaultTestKit.stagedFiles(staged).keySet().stream().filter(n -> n.startsWith("data/")).findFirst().orElseThrow();
    // Damage at rest in the import: other bytes, the import's checksum metadata still claiming the original.
    BlobClient blob = imported.getBlobClient(pack);
    Map<String, String> metadata = blob.getProperties().getMetadata();
    byte[] bytes = blob.downloadContent().toBytes();
    bytes[bytes.length / 3] ^= 0x40;
    blob.upload(BinaryData.fromBytes(bytes), true);
    blob.setMetadata(metadata);
    CopySeedIntoVault.Request request = new CopySeedIntoVault.Request("seed-e", "seedshipstore", imported.getBlobContainerName());

    assertThatThrownBy(() -> new CopySeedIntoVault(kit.vault).copy(request, VaultListener.NONE))
        .isInstanceOfSatisfying(SeedDamagedException.class, e -> assertThat(e.damagedPacks()).containsExactly(pack.substring(8)))
        .hasMessageContaining(pack.substring(8)).hasMessageContaining("Nothing was committed");
    assertThat(kit.vaultBlobs("seed-e")).noneMatch(n -> n.startsWith("snapshots/")).doesNotContain(pack);
    assertThat(kit.vault.catalogue().recoveryPoints("seed-e")).isEmpty();

    new ChecksummedUpload(imported).upload(staged.resolve(pack), pack); // what RepairImport does for the damaged file
    CopySeedIntoVault.Result repaired = new CopySeedIntoVault(kit.vault).copy(request, VaultListener.NONE);

    assertThat(repaired.recoveryPoint().id()).isEqualTo("rp-1");
    Path target = temp.resolve("restored");
    new RestoreFromVault(kit.vault).restore("seed-e", "rp-1", "", target, VaultListener.NONE);
    SourceTrees.assertSameTree(source, target);
  }

  @Test
  void refusesAContainerThatIsNotASeed() throws Exception {
    BlobContainerClient other = kit.service.createBlobContainer("other-" + System.nanoTime());
    other.getBlobClient("photos/cat.jpg").upload(BinaryData.fromString("meow"), true);
    assertThatThrownBy(() -> new CopySeedIntoVault(kit.vault).copy(
        new CopySeedIntoVault.Request("seed-f", "seedshipstore", other.getBlobContainerName()), VaultListener.NONE))
        .isInstanceOf(VaultException.class).hasMessageContaining("photos/cat.jpg");
    assertThat(kit.vaultBlobs("seed-f")).isEmpty();
  }

  private Map<String, String> etags(String protectionId) {
    return kit.vaultContainer().listBlobs().stream().filter(b -> b.getName().startsWith(protectionId + "/"))
        .collect(java.util.stream.Collectors.toMap(b -> b.getName(), b -> b.getProperties().getETag()));
  }
}
