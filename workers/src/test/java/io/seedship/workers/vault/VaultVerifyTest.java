package io.seedship.workers.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import io.seedship.workers.repository.PackMissingException;
import io.seedship.workers.repository.PackTamperedException;
import io.seedship.workers.repository.SourceTrees;
import io.seedship.workers.repository.VerifyReport;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Damage to packs in the vault is found by verify (named) and stops a restore with the engine's own errors. */
class VaultVerifyTest extends VaultTestBase {

  private Path source;
  private final String id = "ver-" + java.util.UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void seeded() throws Exception {
    source = temp.resolve("source");
    SourceTrees.writeEdgeCases(source, 17);
    new BackUpToVault(kit.vault).run(new BackUpToVault.Request(id, source, "seed", true), VaultListener.NONE);
  }

  @Test
  void aFlippedByteInAVaultPackIsFoundByReadDataAndNamedAndTheRestoreRefusesIt() {
    String pack = largestPack();
    BlobClient blob = kit.vaultContainer().getBlobClient(id + "/" + pack);
    Map<String, String> metadata = blob.getProperties().getMetadata();
    byte[] bytes = blob.downloadContent().toBytes();
    bytes[bytes.length / 4] ^= 0x08;
    blob.upload(BinaryData.fromBytes(bytes), true);
    blob.setMetadata(metadata);
    String packId = pack.substring(pack.lastIndexOf('/') + 1);

    VerifyReport structure = new VerifyVault(kit.vault).verify(id, false, VaultListener.NONE);
    VerifyReport readData = new VerifyVault(kit.vault).verify(id, true, VaultListener.NONE);

    assertThat(structure.ok()).as("the header still matches: only reading the data finds it").isTrue();
    assertThat(readData.ok()).isFalse();
    assertThat(readData.problems()).allSatisfy(p -> {
      assertThat(p.kind()).isEqualTo(VerifyReport.Kind.TAMPERED_PACK);
      assertThat(p.pack()).isEqualTo(packId);
      assertThat(p.message()).contains(packId);
    });
    assertThat(readData.problems()).singleElement().satisfies(p -> assertThat(p.affectedFiles()).isNotEmpty());
    assertThatThrownBy(() -> new RestoreFromVault(kit.vault).restore(id, "latest", "", temp.resolve("restored"),
        VaultListener.NONE)).isInstanceOf(PackTamperedException.class).hasMessageContaining(packId);
  }

  @Test
  void aMissingVaultPackIsReportedAsMissing() {
    String pack = largestPack();
    kit.vaultContainer().getBlobClient(id + "/" + pack).delete();
    String packId = pack.substring(pack.lastIndexOf('/') + 1);

    VerifyReport report = new VerifyVault(kit.vault).verify(id, false, VaultListener.NONE);

    assertThat(report.problems()).anySatisfy(p -> {
      assertThat(p.kind()).isEqualTo(VerifyReport.Kind.MISSING_PACK);
      assertThat(p.pack()).isEqualTo(packId);
      assertThat(p.affectedFiles()).isNotEmpty();
    });
    assertThatThrownBy(() -> new RestoreFromVault(kit.vault).restore(id, "latest", "", temp.resolve("restored"),
        VaultListener.NONE)).isInstanceOf(PackMissingException.class).hasMessageContaining(packId);
  }

  @Test
  void aPackInTheVaultThatNoIndexListsIsANoteNotDamage() {
    String pack = largestPack();
    String stray = "data/ab/ab" + "0".repeat(30);
    kit.vaultContainer().getBlobClient(id + "/" + stray).upload(kit.vaultContainer().getBlobClient(id + "/" + pack).downloadContent(), true);

    VerifyReport report = new VerifyVault(kit.vault).verify(id, true, VaultListener.NONE);

    assertThat(report.ok()).isTrue();
    assertThat(report.notes()).singleElement().asString().contains("ab" + "0".repeat(30));
  }

  private String largestPack() {
    return kit.vaultContainer().listBlobs().stream().filter(b -> b.getName().startsWith(id + "/data/"))
        .max(java.util.Comparator.comparingLong(b -> b.getProperties().getContentLength())).orElseThrow().getName().substring(id.length() + 1);
  }

}
