package io.seedship.workers.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DiskPrepListener;
import io.seedship.workers.diskprep.DiskPrepOutcome;
import io.seedship.workers.diskprep.DiskPrepRequest;
import io.seedship.workers.diskprep.DriveInspector;
import io.seedship.workers.diskprep.KdfParameters;
import io.seedship.workers.diskprep.PrepareDrives;
import io.seedship.workers.repository.SourceTrees;
import io.seedship.workers.staging.StagingLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** After the seed copy: the import's and the staging's copies deleted, the drive keys erased, each step audited. */
class CleanUpAfterSeedTest extends VaultTestBase {

  private Path source;
  private Path staged;
  private BlobContainerClient imported;
  private DiskPrepKeyStore keyStore;
  private final String id = "clean-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  private final String job = "job-" + id;

  @BeforeEach
  void stagedPreparedAndImported() throws Exception {
    source = temp.resolve("source");
    SourceTrees.writeEdgeCases(source, 23);
    staged = kit.stage(id, source);
    Path drive = temp.resolve("drives/d1");
    Files.createDirectories(drive);
    Files.writeString(drive.resolve("seedship-drive.properties"), "bus=SATA\nmedia=SSD\nsize=2TB\n");
    keyStore = new DiskPrepKeyStore(kit.keyDirectory);
    DiskPrepOutcome outcome = new PrepareDrives(keyStore, DriveInspector.system(), KdfParameters.FAST)
        .prepare(new DiskPrepRequest(id, kit.stagingLocation, job, List.of(drive), false, null), DiskPrepListener.NONE);
    assertThat(outcome).isInstanceOf(DiskPrepOutcome.AllDrivesPrepared.class);
    imported = kit.importContainer(staged);
  }

  @Test
  void refusedBeforeTheSeedIsInTheVaultAndNothingIsDeleted() {
    assertThatThrownBy(() -> new CleanUpAfterSeed(kit.vault).cleanUp(request("operator ana")))
        .isInstanceOf(NotSeededException.class).hasMessageContaining("Nothing was deleted");
    assertThat(Files.isDirectory(staged)).isTrue();
    assertThat(keyStore.jobs()).containsExactly(job);
    assertThat(imported.listBlobs().stream().count()).isGreaterThan(1);
    assertThat(kit.vault.catalogue().auditTrail(id)).isEmpty();
  }

  @Test
  void deletesTheCopiesErasesTheDriveKeysAuditsEachStepOnceAndTheVaultStillRestores() throws Exception {
    new CopySeedIntoVault(kit.vault).copy(new CopySeedIntoVault.Request(id, "seedshipstore", imported.getBlobContainerName()),
        VaultListener.NONE);
    Path jobFolder = keyStore.jobFolder(job);
    List<Path> secrets;
    try (var files = Files.list(jobFolder)) {
      secrets = files.filter(f -> f.getFileName().toString().endsWith(".recovery")).toList();
    }
    assertThat(secrets).hasSize(1);
    String password = Files.readString(secrets.get(0));

    int stagedFiles = VaultTestKit.stagedFiles(staged).size();
    String driveId = keyStore.drives(job).get(0).driveId();

    List<AuditRecord> written = new CleanUpAfterSeed(kit.vault).cleanUp(request("operator ana"));

    assertThat(written).extracting(AuditRecord::action)
        .containsExactly(AuditAction.IMPORT_COPY_DELETED, AuditAction.STAGING_DELETED, AuditAction.DRIVE_KEYS_ERASED);
    assertThat(written).extracting(AuditRecord::actor).containsOnly("operator ana");
    assertThat(written.get(0).target()).isEqualTo("seedshipstore/" + imported.getBlobContainerName());
    assertThat(written.get(0).detail()).contains(stagedFiles + " repository blobs");
    assertThat(written.get(1).target()).isEqualTo(StagingLayout.repositoryFor(kit.stagingLocation, id).toString());
    assertThat(written.get(2).target()).isEqualTo(jobFolder.toString());
    assertThat(written.get(2).detail()).contains(job).contains("drive(s) " + driveId);
    assertThat(kit.vault.catalogue().auditTrail(id)).isEqualTo(written);

    assertThat(imported.listBlobs().stream().map(BlobItem::getName).toList()).allMatch(n -> n.startsWith("waimportexport/")).hasSize(1);
    assertThat(Files.exists(staged)).isFalse();
    assertThat(Files.exists(jobFolder)).isFalse();
    assertThat(keyStore.jobs()).isEmpty();
    assertThat(password).isNotBlank();
    assertThat(Files.exists(StagingLayout.keyFileFor(kit.settings.repositoryKeyDirectory(), id)))
        .as("the repository key opens the vault: it stays").isTrue();

    List<AuditRecord> again = new CleanUpAfterSeed(kit.vault).cleanUp(request("operator ben"));
    assertThat(again).isEmpty();
    assertThat(kit.vault.catalogue().auditTrail(id)).hasSize(3);

    Path target = temp.resolve("restored");
    new RestoreFromVault(kit.vault).restore(id, "rp-1", "", target, VaultListener.NONE);
    SourceTrees.assertSameTree(source, target);
  }

  private CleanUpAfterSeed.Request request(String actor) {
    return CleanUpAfterSeed.Request.all(id, "seedshipstore", imported.getBlobContainerName(), kit.stagingLocation, actor);
  }
}
