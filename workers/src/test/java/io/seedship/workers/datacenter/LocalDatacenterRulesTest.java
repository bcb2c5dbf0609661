package io.seedship.workers.datacenter;

import io.seedship.workers.blob.AzuriteFixture;
import io.seedship.workers.blob.BlobClients;
import io.seedship.workers.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


/** The service's rules: tracking numbers, cancel, the creation deadline, the drive limit. */
@ExtendWith(AzuriteFixture.class)
class LocalDatacenterRulesTest {

  @TempDir
  Path temp;

  private final MovableClock clock = new MovableClock(Instant.parse("2025-03-03T08:00:00Z"));
  private LocalDatacenter datacenter;

  @BeforeEach
  void datacenter() {
    UnlockSecrets noSecrets = (job, drive, ref) -> {
      throw new UnlockSecretUnavailableException("no drives in these tests");
    };
    datacenter = new LocalDatacenter(new InMemoryDatacenterStore(), DatacenterSettings.defaults(), clock,
        new SingleAccountContainers(BlobClients.fromConnectionString(AzuriteFixture.connectionString())), noSecrets,
        (job, drive) -> Optional.empty(), temp);
  }

  @Test
  void aTrackingNumberIsNeverAcceptedForASecondJob() {
    datacenter.createJob(request("job-a", 1));
    datacenter.createJob(request("job-b", 1));
    datacenter.updateShipping("job-a", new ShippingDetails("DHL", "JD 0146 0000 1234", LocalDate.of(2025, 3, 4)));

    assertThatThrownBy(() -> datacenter.updateShipping("job-b",
        new ShippingDetails("DHL", "jd014600001234", LocalDate.of(2025, 3, 4))))
        .isInstanceOf(DuplicateTrackingNumberException.class)
        .hasMessageContaining("JD014600001234").hasMessageContaining("job-a").hasMessageContaining("separate package");
    assertThat(datacenter.status("job-b").state()).isEqualTo(JobState.Creating);
  }

  @Test
  void cancelWorksWhileCreatingAndIsRefusedFromShippingOn() {
    datacenter.createJob(request("job-c", 1));
    datacenter.createJob(request("job-d", 1));
    datacenter.cancel("job-c");
    datacenter.updateShipping("job-d", new ShippingDetails("UPS", "1Z-D", LocalDate.of(2025, 3, 4)));

    assertThat(datacenter.status("job-c").state()).isEqualTo(JobState.Cancelled);
    assertThatThrownBy(() -> datacenter.cancel("job-d")).isInstanceOf(CancelRefusedException.class)
        .hasMessageContaining("job-d is Shipping").hasMessageContaining("can no longer be cancelled");
    assertThat(datacenter.status("job-d").state()).isEqualTo(JobState.Shipping);
  }

  @Test
  void aJobWithoutShippingDetailsExpiresAfterFourteenDays() {
    datacenter.createJob(request("job-e", 1));
    clock.move(Duration.ofDays(14).minusMinutes(1));
    assertThat(datacenter.status("job-e").state()).isEqualTo(JobState.Creating);

    clock.move(Duration.ofMinutes(1));
    JobStatus expired = datacenter.status("job-e");

    assertThat(expired.state()).isEqualTo(JobState.Cancelled);
    assertThat(expired.message()).startsWith("Expired");
    assertThatThrownBy(() -> datacenter.updateShipping("job-e", new ShippingDetails("DHL", "LATE", LocalDate.of(2025, 3, 20))))
        .isInstanceOf(ImportJobRefusedException.class).hasMessageContaining("Cancelled");
  }

  @Test
  void aJobTakesAtMostTenDrivesAndKnownCarriers() {
    assertThatThrownBy(() -> datacenter.createJob(request("job-f", 11))).isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("11 drives").hasMessageContaining("1 to 10");
    datacenter.createJob(request("job-g", 10));
    assertThatThrownBy(() -> datacenter.updateShipping("job-g", new ShippingDetails("Pigeon", "P1", LocalDate.of(2025, 3, 4))))
        .isInstanceOf(ImportJobRefusedException.class).hasMessageContaining("Pigeon is not accepted");
    assertThatThrownBy(() -> datacenter.createJob(request("job-g", 1))).isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("exists already");
  }

  private static JobRequest request(String name, int drives) {
    List<DriveSpec> specs = IntStream.rangeClosed(1, drives)
        .mapToObj(i -> new DriveSpec("drive-" + i, "drive-" + i + ".recovery", "ab".repeat(32))).toList();
    return new JobRequest(name, "seedshipstore", "rules", specs, "Backup team, Hamburg", "ops@example.org", false);
  }
}
