package io.seedship.web.diskprep;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedship.processes.SeedingProcess;
import io.seedship.web.support.WorkerFlowTest;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DriveRecord;
import io.seedship.workers.diskprep.ReadDrive;
import io.seedship.workers.staging.StagingLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk preparation through the model with a real worker: the first drive is too small for the staged
 * pack, the worker reports it full, the operator attaches a second drive in Tasklist and preparation goes
 * on there. Both drives together decrypt, with their recovery passwords, to exactly the staged repository.
 */
class DiskPreparationWorkerTest extends WorkerFlowTest {

  @TempDir
  Path dir;

  @Test
  void aFullDriveIsFollowedByAnAdditionalDriveAndBothDecryptToTheStagedRepository() throws Exception {
    Path source = source(dir.resolve("source"), 4);
    Path staging = Files.createDirectories(dir.resolve("staging"));
    Path keys = dir.resolve("worker-keys");
    startWorker(keys);
    String seedingId = startSeeding(source, staging, "job-two-drives");
    awaitActivity(seedingId, "AttachDrives", Duration.ofSeconds(90));

    Path small = drive("drive-1", 1024 * 1024);       // holds the small files, not the ~4 MiB pack
    Path large = drive("drive-2", 64L * 1024 * 1024);
    completeTask(seedingId, "AttachDrives", Map.of("drivePaths", small.toString(), "formatConfirmed", true));
    awaitActivity(seedingId, "AttachAdditionalDrive", Duration.ofSeconds(90));
    assertThat(runtime.getVariable(processOf(seedingId), SeedingProcess.Variables.BYTES_REMAINING)).isNotNull();

    completeTask(seedingId, "AttachAdditionalDrive", Map.of("additionalDrivePath", large.toString(), "formatConfirmed", true));
    awaitActivity(seedingId, "CreateImportJob", Duration.ofSeconds(90));
    assertThat(runtime.getVariable(processOf(seedingId), SeedingProcess.Variables.DRIVES_PREPARED)).isEqualTo(2);

    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(keys);
    List<DriveRecord> drives = keyStore.drives("job-two-drives");
    assertThat(drives).hasSize(2).allSatisfy(d -> assertThat(d.state()).isEqualTo(DriveRecord.State.SEALED));
    Path extracted = dir.resolve("extracted");
    for (DriveRecord drive : drives) {
      ReadDrive.open(Path.of(drive.mount()), keyStore.recoveryPassword("job-two-drives", drive.driveId()), drive.manifestSha256())
          .extractTo(extracted, bytes -> { });
    }
    Path repository = StagingLayout.repositoryFor(staging, seedingId);
    Files.deleteIfExists(repository.resolve("lock"));
    assertSameFiles(repository, extracted);
  }

  private Path drive(String name, long capacity) throws Exception {
    Path drive = Files.createDirectories(dir.resolve("drives").resolve(name));
    Files.writeString(drive.resolve("seedship-drive.properties"), "bus=SATA\nmedia=SSD\nsize=2TB\ncapacity=" + capacity + "\n");
    return drive;
  }
}
