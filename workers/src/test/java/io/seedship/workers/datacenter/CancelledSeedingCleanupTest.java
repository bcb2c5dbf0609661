package io.seedship.workers.datacenter;

import io.seedship.workers.cancellation.CleanUpCancelledSeeding;
import io.seedship.workers.diskprep.DriveRecord;
import io.seedship.workers.testing.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


/**
 * A cancelled seeding leaves nothing behind: the import job is cancelled while it is still {@code Creating}, the
 * staged backup is deleted and the repository and drive keys are erased; once the drives are shipped the job cannot
 * be cancelled, but the erased keys make them unreadable.
 */
class CancelledSeedingCleanupTest {

  @TempDir
  Path temp;

  private final MovableClock clock = new MovableClock(Instant.parse("2025-03-03T08:00:00Z"));

  @Test
  void aJobStillCreatingIsCancelledAndTheStagedBackupAndAllKeysAreGone() throws Exception {
    PreparedJob prepared = PreparedJob.prepare(temp, "job-cancel", 6);
    LocalDatacenter datacenter = datacenter(prepared);
    datacenter.createJob(new JobRequest("job-cancel", "acct", "cont", prepared.driveSpecs(), "Return, 1 Street", "ops", false));
    Path keyDir = prepared.keyStore().root().getParent();
    Path repositoryKey = repositoryKeyIn(keyDir, "seed-job-cancel");

    List<String> report = new CleanUpCancelledSeeding(datacenter, keyDir).cleanUp("seed-job-cancel", "job-cancel",
        temp.resolve("staging"));

    assertThat(datacenter.status("job-cancel").state()).isEqualTo(JobState.Cancelled);
    assertThat(prepared.repository()).doesNotExist();
    assertThat(repositoryKey).doesNotExist();
    assertThat(prepared.keyStore().jobFolder("job-cancel")).doesNotExist();
    assertThat(report).hasSize(4);
    assertThat(report.get(0)).isEqualTo("import job job-cancel cancelled");
    assertThat(report.get(1)).startsWith("staged backup " + prepared.repository() + " deleted (").endsWith(" files)");
    assertThat(report.get(2)).isEqualTo("repository key crypto-erased");
    assertThat(report.get(3)).startsWith("drive keys of import job job-cancel crypto-erased");

    assertThat(new CleanUpCancelledSeeding(datacenter, keyDir).cleanUp("seed-job-cancel", "job-cancel", temp.resolve("staging")))
        .containsExactly("import job job-cancel is cancelled", "no staged backup at " + prepared.repository());
  }

  @Test
  void aShippedJobCannotBeCancelledButItsDrivesCanNoLongerBeUnlocked() throws Exception {
    PreparedJob prepared = PreparedJob.prepare(temp, "job-shipped", 6);
    LocalDatacenter datacenter = datacenter(prepared);
    datacenter.createJob(new JobRequest("job-shipped", "acct", "cont", prepared.driveSpecs(), "Return, 1 Street", "ops", false));
    datacenter.updateShipping("job-shipped", new ShippingDetails("DHL", "JD-SHIPPED-1", LocalDate.of(2025, 3, 3)));
    Path keyDir = prepared.keyStore().root().getParent();

    List<String> report = new CleanUpCancelledSeeding(datacenter, keyDir).cleanUp("seed-job-shipped", "job-shipped", null);

    assertThat(report.get(0)).startsWith("import job job-shipped could not be cancelled (Import job job-shipped is Shipping");
    assertThat(datacenter.status("job-shipped").state()).isEqualTo(JobState.Shipping);
    assertThat(prepared.repository()).exists(); // no staging location given: the staged backup stays
    assertThat(prepared.keyStore().jobFolder("job-shipped")).doesNotExist();
    DriveRecord drive = prepared.drives().get(0);
    assertThatThrownBy(() -> new KeyStoreSecrets(prepared.keyStore()).resolve("job-shipped", drive.driveId(), drive.unlockSecretRef()))
        .isInstanceOf(UnlockSecretUnavailableException.class);
  }

  private LocalDatacenter datacenter(PreparedJob prepared) {
    KeyStoreSecrets secrets = new KeyStoreSecrets(prepared.keyStore());
    BlobContainers noBlobs = (account, container) -> {
      throw new AssertionError("a cancellation uploads nothing");
    };
    return new LocalDatacenter(new InMemoryDatacenterStore(), DatacenterSettings.defaults(), clock, noBlobs, secrets, secrets,
        temp.resolve("scratch"));
  }

  /** The staging worker keeps the repository key in {@code <key-dir>/repositories/<seedingId>.key}. */
  private Path repositoryKeyIn(Path keyDir, String seedingId) throws Exception {
    Path key = Files.createDirectories(keyDir.resolve("repositories")).resolve(seedingId + ".key");
    Files.copy(temp.resolve("staging-keys").resolve(seedingId + ".key"), key);
    return key;
  }
}
